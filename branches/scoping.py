"""The one place that decides which rows a user may see or change.

Every unit has a materialised path; a user may act on the subtrees under a few "roots". Every queryset that reaches a
user — page, export, API — goes through `restrict(user, action)`, which turns those roots into one prefix filter, or
applies the rule a model declares on its queryset for that action (`ScopedQuerySet.scope_rules`).

Roles (DESIGN §1):
- admin (or superuser): everything.
- leader: reads everything under the unit he is attached to (his town, or county); writes no ledgers.
- cadre: reads his whole town; writes under the units assigned to him (包片/包村/包组).
- secretary: reads and writes his own village and what lies under it, nothing else.
- grid worker (网格员): reads and writes under the grid he is attached to, and writes there only the records a model
  opens to grid workers (`grid_worker_writes = True`: households' contact data, visits, door knocks, grid events).
Reviewing monthly reports (REVIEW) is for leaders (their whole unit) and cadres (where assigned); never secretaries.

This module imports no model: `branches.models` builds its querysets on it, and an import back would be a cycle. The
one fact it needs from the data, which units a cadre answers for today, it asks the user for
(`User.assigned_unit_paths()`).
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

VIEW = "view"
CHANGE = "change"
REVIEW = "review"  # approve or return monthly reports
EVERYTHING = None  # the roots of a user who may act everywhere
GRID_WORKER = "grid_worker"


def is_admin(user):
    return bool(user.is_superuser or getattr(user, "role", None) == "admin")


def is_grid_worker(user):
    return not is_admin(user) and getattr(user, "role", None) == GRID_WORKER


def may_write_model(user, model):
    """A grid worker writes only the records a model opens to him (`grid_worker_writes`); anyone else, any model
    his unit rule allows."""
    return not is_grid_worker(user) or bool(getattr(model, "grid_worker_writes", False))


def ensure_may_write_model(user, model):
    if not may_write_model(user, model):
        raise PermissionDenied(_("网格员不能修改“%(what)s”。") % {"what": model._meta.verbose_name})


def pick_action(user, model, action=CHANGE):
    """The action under which `user` may pick a row of `model` as what a record he writes refers to (a visit's
    household, a door knock's unit). A grid worker refers to what he sees in his grid without changing it, so for a
    model not opened to his writes he picks among the rows he may VIEW, which are his grid's alone."""
    if action != VIEW and not may_write_model(user, model):
        return VIEW
    return action


def has_no_unit(user):
    """A login attached to no unit (an admin aside): no roots, so he sees and changes nothing, and a page that would
    show his unit says so instead of falling back on another."""
    return not is_admin(user) and getattr(user, "unit_id", None) is None


def no_unit_message():
    return _("您的账号尚未指定所属单位，请联系系统管理员。")


def scope_roots(user, action=VIEW):
    """The unit paths under which `user` may perform `action`: a list, or EVERYTHING."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if is_admin(user):
        return EVERYTHING
    cache = user.__dict__.setdefault("_scope_roots", {})
    if action not in cache:
        cache[action] = _compute_roots(user, action)
    return cache[action]


def _compute_roots(user, action):
    unit = user.unit
    if unit is None:
        return []
    if user.role in ("secretary", GRID_WORKER):
        return [unit.path] if action in (VIEW, CHANGE) else []
    if user.role == "leader":
        return [unit.path] if action in (VIEW, REVIEW) else []
    if user.role == "cadre":
        if action == VIEW:
            return [(unit.town or unit).path]
        return assigned_unit_paths(user)
    return []


def assigned_unit_paths(user):
    """Paths of the units a cadre is assigned to today (包片/包村/包组)."""
    return user.assigned_unit_paths()


def path_is_under(path, root):
    """Does the unit at `path` lie at or below the unit at `root`? A prefix test on the materialised paths, the
    in-memory twin of the `__startswith` filters; on units, use `Unit.is_under()`."""
    return path.startswith(root)


def scope_filter(user, action, path_lookup):
    roots = scope_roots(user, action)
    if roots is EVERYTHING:
        return Q()
    if not roots:
        return Q(pk__in=[])
    condition = Q()
    for root in roots:
        condition |= Q(**{f"{path_lookup}__startswith": root})
    return condition


def can_act_on_unit(user, unit, action=CHANGE):
    roots = scope_roots(user, action)
    if roots is EVERYTHING:
        return True
    return unit is not None and any(path_is_under(unit.path, root) for root in roots)


def ensure_can_act_on_unit(user, unit, action=CHANGE):
    if not can_act_on_unit(user, unit, action):
        raise PermissionDenied(_("您无权操作“%(unit)s”的数据。") % {"unit": unit})


def any_of(*conditions):
    """The rows meeting any of `conditions` (an empty Q, "no condition", meets everything: `Q() | q` would be `q`)."""
    if any(not condition for condition in conditions):
        return Q()
    combined, *others = conditions
    for condition in others:
        combined |= condition
    return combined


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its rows hang in the unit tree (`scope_path`), and which rows a user may act on.

    By default the rows a user may `action` are those under his roots for that action (`unit_rule`). A model whose rule
    for some action is another declares it on its own queryset, as NetBox asks each model for its constraints:
    `scope_rules` maps the action to the name of a method `(user) -> Q` that gives those rows in place of the unit rule
    (it may build on `unit_rule`). `restrict(user, action)` asks it, so every page, export, form choice, API field
    and service that asks `restrict()` gets the one answer:

        class VisitQuerySet(ScopedQuerySet):
            scope_rules = {CHANGE: "answered_by"}

            def answered_by(self, user):
                return Q(enterprise__in=Enterprise.objects.restrict(user, ANSWER))
    """

    scope_path = "unit__path"
    scope_rules = {}

    def unit_rule(self, user, action):
        """The rows under the units where `user` may `action` (`scope_roots`), as a Q."""
        return scope_filter(user, action, self.scope_path)

    def scope_rule(self, user, action):
        """The rows `user` may `action`, as a Q: the model's declared rule for that action, or the unit rule (none at
        all for a write a grid worker may not make on this model)."""
        if action != VIEW and not may_write_model(user, self.model):
            return Q(pk__in=[])
        name = self.scope_rules.get(action)
        return self.unit_rule(user, action) if name is None else getattr(self, name)(user)

    def restrict(self, user, action=VIEW):
        return self.filter(self.scope_rule(user, action))
