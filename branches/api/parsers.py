"""The one path every JSON request body takes (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES, the token endpoint included).

Two kinds of body used to be 500s: one nested thousands deep (`json.loads` recurses, and fails with RecursionError,
before any serializer sees it), and one that is not an object where a view reads `request.data.get(…)`. Both are a
400 in Chinese here, the depth judged on the raw text before it is parsed.

No endpoint of the portal takes a JSON list or a bare value at the top level (every request schema is an object,
lists travel inside it: `{"ids": […]}`); a view that ever should sets `json_body_may_be_any = True`.
"""

import io
import re

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32  # the deepest body the API takes: its own schemas nest three or four levels at most

STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_depth(text, limit=MAX_DEPTH):
    """How deep the brackets of a JSON text nest (strings ignored), counted no further than `limit` + 1."""
    brackets = NOT_A_BRACKET.sub("", STRING.sub("", text))
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body nested past MAX_DEPTH before parsing it and a non-object after."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(parsers.get_encoding(parser_context))
        except (UnicodeDecodeError, LookupError) as error:
            raise ParseError(_("请求内容不是有效的 UTF-8 文本。")) from error
        if nesting_depth(text, self.max_depth) > self.max_depth:
            raise ParseError(_("请求内容嵌套过深（超过 %(depth)s 层），未处理。") % {"depth": self.max_depth})
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except ParseError as error:
            raise ParseError(_("请求内容不是有效的 JSON：%(reason)s") % {"reason": str(error.detail)[:200]}) from error
        except RecursionError as error:  # the depth check above should make this unreachable
            raise ParseError(_("请求内容嵌套过深，未处理。")) from error
        view = parser_context.get("view")
        if not isinstance(data, dict) and not getattr(view, "json_body_may_be_any", False):
            raise ParseError(_("请求内容应为 JSON 对象（{…}），收到的是%(kind)s。") % {"kind": kind_of(data)})
        return data


def kind_of(value):
    if isinstance(value, list):
        return _("列表")
    if isinstance(value, str):
        return _("字符串")
    if value is None:
        return "null"
    return _("单个值")
