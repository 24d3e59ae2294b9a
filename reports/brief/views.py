"""The 工作简报 page: pick a unit and a period, edit the draft built from the roll-ups, download it as Word.

Leaders and cadres pick any unit they may see (the town, an area, a village); a secretary gets his own village only.
A unit outside the user's scope is a 404, whichever way its id arrives (query string or posted form)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from branches.models import Unit
from branches.scoping import VIEW

from .. import periods, worklines
from ..documents import services as documents
from ..documents.layout import docx_response
from ..models import IssuedDocument
from ..pages import chosen_unit, period_choices
from ..rollup.build import ROLLUP_KINDS
from . import selectors as briefing
from . import word

MAX_HEADING, MAX_TEXT = 200, 20_000


def text_field(label, rows):
    return forms.CharField(
        label=label, required=False, max_length=MAX_TEXT, strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )  # fmt: skip


class BriefForm(forms.Form):
    """The edited brief: title, opening, a heading and a text per work line, closing (plain fields, no script)."""

    title = forms.CharField(label=gettext_lazy("标题"), max_length=MAX_HEADING,
                            widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip
    opening = text_field(gettext_lazy("开篇"), 4)
    closing = text_field(gettext_lazy("结尾"), 3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in worklines.choices():
            self.fields[f"heading_{code}"] = forms.CharField(
                label=label, required=False, max_length=MAX_HEADING,
                widget=forms.TextInput(attrs={"class": "form-control fw-semibold"}),
            )  # fmt: skip
            self.fields[f"body_{code}"] = text_field(label, 10)

    @classmethod
    def from_draft(cls, draft):
        initial = {"title": draft.title, "opening": draft.opening, "closing": draft.closing}
        for section in draft.sections:
            initial[f"heading_{section.work_line}"] = section.heading
            initial[f"body_{section.work_line}"] = section.text
        return cls(initial=initial)

    def section_pairs(self):
        """[(heading field, body field)] in work-line order, for the template."""
        return [(self[f"heading_{code}"], self[f"body_{code}"]) for code in worklines.codes()]

    def document_sections(self):
        data = self.cleaned_data
        sections = [("", briefing.split_paragraphs(data["opening"]))]
        for code in worklines.codes():
            heading, body = data.get(f"heading_{code}", ""), briefing.split_paragraphs(data.get(f"body_{code}"))
            if heading or body:
                sections.append((heading, body))
        sections.append(("", briefing.split_paragraphs(data["closing"])))
        return sections


def brief_units(user):
    return Unit.objects.restrict(user, VIEW).filter(kind__in=ROLLUP_KINDS).order_by("path")


def default_period():
    return periods.parse_period(f"{periods.last_complete_month().year}-YTD")


@login_required
@require_http_methods(["GET", "POST"])
def brief(request):
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    unit = chosen_unit(user, source.get("unit"), brief_units(user))
    status, period = 200, default_period()
    if source.get("period"):
        try:
            period = periods.parse_period(source.get("period"))
        except periods.PeriodError as error:
            messages.error(request, str(error))
            status = 400
    if request.method == "POST" and status == 200:
        form = BriefForm(request.POST)
        if form.is_valid():
            name = f"{unit.name}-{period.key}-工作简报"
            title, sections = form.cleaned_data["title"], form.document_sections()
            if "print" in request.POST:  # the draft's print view: the Word file's parts, in its order
                document = word.brief_document(unit=unit, title=title, sections=sections)
                return document.print_response(request, title=title, back=request.get_full_path())
            if "issue" not in request.POST:  # the draft: no number
                return word.brief_docx(unit=unit, title=title, sections=sections, filename=name)
            try:
                issued = documents.document_issue(
                    unit=unit, kind=IssuedDocument.Kind.JIANBAO, title=title, filename=name, user=user,
                    build=lambda reference, number, day: word.brief_document(
                        unit=unit, title=title, sections=sections, issue=reference, day=day).save(),
                )  # fmt: skip
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                status = 403 if isinstance(error, PermissionDenied) else 400
            else:
                return docx_response(bytes(issued.content), f"{name}-{issued.reference}")
        else:
            messages.error(request, _("简报内容有误，请按提示修改后再下载。"))
            status = 400
    elif request.method == "POST":
        form = BriefForm(request.POST)
    else:
        form = BriefForm.from_draft(briefing.brief_draft(unit, period))
    context = {
        "unit": unit,
        "period": period,
        "units": brief_units(user),
        "period_choices": period_choices(period),
        "form": form,
        "can_issue": documents.can_issue(user, unit),
    }
    return render(request, "reports/brief.html", context, status=status)
