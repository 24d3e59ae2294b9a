from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from branches.exports import rows_to_workbook, workbook_response
from branches.models import PartyMember, Unit
from branches.params import parse_id, query_id, query_text
from branches.scoping import VIEW, is_admin
from reports.plugins import add_months, current_month, month_key, point_sources

from . import forms, selectors, services
from .models import PointRule

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


def _point_month(request):
    """`?month=YYYY-MM` (this month when none); a malformed or future month is a 400 in Chinese."""
    return forms.point_month(query_text(request, "month"))


def _point_under(request):
    """`?under=` a village (or any unit) the user may see; one he may not see is a 404, as a guessed id is."""
    text = query_text(request, "under")
    unit_id = query_id(request, name="under") if text.isascii() else parse_id("?")
    if unit_id is None:
        return None
    return get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=unit_id)


def _point_query(month, under, **extra):
    query = {"month": month_key(month), **({"under": under.pk} if under else {}), **extra}
    return urlencode({key: value for key, value in query.items() if value not in (None, "")})


@login_required
def point_ranking(request):
    """党员先锋积分 of a month, highest first: the town's (or the user's village's), one village's with `?under=`, a
    name with `?q=`; each member's name leads to the records behind his points. Excel with `?export=xlsx`."""
    month, under = _point_month(request), _point_under(request)
    search = query_text(request, "q")[:50]
    ranking = selectors.point_ranking(request.user, month, under, search)
    sources = point_sources()
    if request.GET.get("export") == "xlsx":
        header = [_("名次"), _("姓名"), _("村（社区）"), _("党组织"),
                  *(str(source.label) for source in sources), _("积分合计")]  # fmt: skip
        rows = []
        for row in ranking.rows:
            parts = {part.source.code: part.points for part in row.sources}
            rows.append([row.rank, row.member.name, row.member.unit.name, row.member.organisation.name,
                         *(parts.get(source.code, 0) for source in sources), row.total])  # fmt: skip
        title = _("%(month)s党员先锋积分") % {"month": f"{month:%Y年%m月}"}
        if under is not None:
            title = f"{under.name}{title}"
        return workbook_response(rows_to_workbook(title, header, rows), title)
    page = Paginator(ranking.rows, 50).get_page(request.GET.get("page"))
    context = {
        "month": month, "month_key": month_key(month), "under": under, "search": search, "ranking": ranking,
        "page": page, "villages": selectors.point_villages(request.user), "max_month": month_key(current_month()),
        "query": _point_query(month, under, q=search), "member_query": _point_query(month, under),
        "previous": month_key(add_months(month, -1)),
        "next": month_key(add_months(month, 1)) if month < current_month() else None,
    }  # fmt: skip
    return render(request, "partylife/point_ranking.html", context)


@login_required
def point_member(request, pk):
    """One member's points for a month: every record behind them, by source, with the rule and the cap applied."""
    member = get_object_or_404(PartyMember.objects.restrict(request.user, VIEW).select_related("unit"), pk=pk)
    month, under = _point_month(request), _point_under(request)
    points = selectors.member_month_points(request.user, member, month, under)
    context = {
        "member": member, "month": month, "under": under, "points": points,
        "ranking_query": _point_query(month, under),
        "previous": _point_query(add_months(month, -1), under),
        "next": _point_query(add_months(month, 1), under) if month < current_month() else None,
    }  # fmt: skip
    return render(request, "partylife/point_member.html", context)


@login_required
def point_rules(request):
    """The admin's page of what each point source earns (points per unit, monthly cap); a source without a rule
    earns nothing until it has one."""
    if not is_admin(request.user):
        raise PermissionDenied(_("只有系统管理员可以修改积分规则。"))
    rules = selectors.point_rules()
    sources = point_sources()
    known = {source.code for source in sources}
    rows = [(source, rules.get(source.code)) for source in sources]
    rows += [(None, rule) for code, rule in rules.items() if code not in known]  # a rule of a source no line declares
    data = request.POST if request.method == "POST" else None
    forms_ = []
    for source, rule in rows:
        form = forms.PointRuleForm(data, instance=rule or PointRule(source=source.code),
                                   prefix=(source.code if source else rule.source).replace(".", "-"))  # fmt: skip
        form.fields["points"].required = rule is not None  # a source left blank stays without a rule
        forms_.append((source, rule, form))
    status = 200
    if request.method == "POST":
        if all(form.is_valid() for _source, _rule, form in forms_):
            values = {form.instance.source: (form.cleaned_data["points"], form.cleaned_data["monthly_cap"])
                      for _source, _rule, form in forms_ if form.cleaned_data["points"] is not None}  # fmt: skip
            try:
                saved = services.point_rules_save(user=request.user, rules=values)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                messages.success(request, _("已保存 %(count)d 条积分规则。") % {"count": len(saved)})
                return redirect("partylife:point_rules")
        else:
            status = 400
    context = {"forms": forms_, "unruled": [source for source in sources if source.code not in rules]}
    return render(request, "partylife/point_rules.html", context, status=status)


# (end of points)
