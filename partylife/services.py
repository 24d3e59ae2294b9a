"""Writes of 支部建设: each checks the user's scope and the rules, then saves with him in the history."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from branches.scoping import is_admin

from .models import PointRule

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


@transaction.atomic
def point_rules_save(*, user, rules):
    """The admin sets what each point source earns: `rules` {source code: (points per unit, monthly cap or None)}.
    Only an admin may; each rule is validated (points 0–1000, cap 0–10000) and saved with him in its history."""
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以修改积分规则。"))
    saved = []
    for source, (points, cap) in rules.items():
        rule = PointRule.objects.select_for_update().filter(source=source).first() or PointRule(source=source)
        if rule.pk is not None and (rule.points, rule.monthly_cap) == (points, cap):
            continue
        rule.points, rule.monthly_cap = points, cap
        rule.full_clean()
        rule._history_user = user
        rule.save()
        saved.append(rule)
    return saved


# (end of points)
