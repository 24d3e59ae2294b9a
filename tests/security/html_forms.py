"""Read the forms of a page as a browser would (stdlib html.parser), to post them back filled in."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_INPUTS = {"text", "search", "tel", "email", "url", ""}


@dataclass
class Form:
    action: str
    method: str
    # [(name, value, kind, maxlength)], kind: an input type, "textarea" or "select"
    fields: list = field(default_factory=list)

    def data(self, text_for=None):
        """The values a browser would send; `text_for(name, value)` replaces those of free-text inputs (cut to their
        maxlength, as a browser would)."""
        data = {}
        for name, value, kind, maxlength in self.fields:
            if text_for is not None and kind in TEXT_INPUTS | {"textarea"}:
                value = text_for(name, value)[:maxlength]
            data.setdefault(name, []).append(value)
        return data


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select, self._first_option = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(attrs.get("action") or "", (attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name") and tag in ("input", "textarea", "select"):
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        if tag == "input":
            kind = (attrs.get("type") or "").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            value = attrs.get("value", "on" if kind == "checkbox" else "")
            self._form.fields.append((attrs["name"], value, kind, _maxlength(attrs)))
        elif tag == "textarea":
            self._textarea = [attrs["name"], "", _maxlength(attrs)]
        elif tag == "select":
            self._select, self._first_option = [attrs["name"], None, "multiple" in attrs], None
        elif tag == "option" and self._select is not None:
            self._option(attrs)

    def _option(self, attrs):
        value = attrs.get("value", "")
        if self._first_option is None:
            self._first_option = value
        if "selected" in attrs:
            self._form.fields.append((self._select[0], value, "select", None))
            self._select[1] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text, maxlength = self._textarea
            self._form.fields.append((name, text.lstrip("\n"), "textarea", maxlength))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, chosen, multiple = self._select
            if chosen is None and not multiple and self._first_option is not None:
                self._form.fields.append((name, self._first_option, "select", None))
            self._select = None
        elif tag == "form":
            self._form = None


def _maxlength(attrs):
    value = attrs.get("maxlength")
    return int(value) if value and value.isdigit() else None


def forms_of(html):
    parser = _Parser()
    parser.feed(html)
    return parser.forms
