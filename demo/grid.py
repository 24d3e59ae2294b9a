"""网格事件 of the demo 井字镇 (`manage.py load_demo` runs this after the work lines' ledgers, before the reports).

In 铜梁村 and 杨球村 — the villages whose grid workers have logins — the grid workers reported a few events these last
days: two wait for the village to accept them (one past its one-day limit: the dashboard's exception), one was
escalated to the 包村 cadre, one (a dog loose in the lane, "other") was settled on the spot, and two were accepted
into the registers. The accepted ones point at rows the governance demo already holds (a hazard, a 民情 issue of the
same grid), so the demo's figures, which reproduce the article's, do not move.

The rows are those the services would write (grid/services.py), found again by their description, so
loading twice changes nothing.
"""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from branches.models import User
from demo.common import demo_villages, grids_of
from governance.models import Hazard, PeopleIssue
from grid.models import GridEvent, Kind
from reports.deadlines import deadline_for

# (village, grid number, days ago, kind, description, place, what became of it)
EVENTS = (
    ("铜梁村", 1, 0, Kind.HAZARD, "三组山塘坝体有渗水，坝下有农户居住。", "三组山塘", "reported"),
    ("铜梁村", 2, 3, Kind.DISPUTE, "两户因宅基地边界砌墙发生争吵，已初步劝解，需村里调解。", "二组", "reported"),
    ("铜梁村", 1, 6, Kind.ENVIRONMENT, "村道旁倾倒建筑垃圾约两车，影响通行。", "村部至一组路段", "escalated"),
    ("铜梁村", 3, 9, Kind.OTHER, "一条大型犬在巷道无人看管，已联系犬主拴养。", "三组巷道", "closed"),
    ("杨球村", 1, 12, Kind.HAZARD, "组级公路急弯处护栏缺失。", "一组急弯", "accepted"),
    ("杨球村", 2, 15, Kind.PEOPLE, "独居老人反映自来水压力不足，做饭用水困难。", "二组", "accepted"),
)


def _reporter(grid):
    """The grid's grid worker's login, or the village's secretary when the grid has none."""
    return (User.objects.filter(role=User.Role.GRID_WORKER, unit=grid).first()
            or User.objects.filter(role=User.Role.SECRETARY, unit=grid.village).first())  # fmt: skip


def _accepted_row(kind, grid):
    """A row of the same grid's village that the governance demo already keeps, for the event to point at."""
    village = grid.village
    model = {Kind.HAZARD: Hazard, Kind.PEOPLE: PeopleIssue}[kind]
    return model.objects.filter(unit__path__startswith=village.path).order_by("pk").first()


def _event(village_name, number, days_ago, kind, description, place, fate, grids, today):
    grid = grids[village_name][number - 1]
    reported_on = today - timedelta(days=days_ago)
    event = GridEvent(unit=grid, kind=kind, description=description, place=place, reporter=_reporter(grid),
                      reported_at=timezone.make_aware(datetime.combine(reported_on, time(9, 30))),
                      answer_deadline=deadline_for("grid_answer", reported_on))  # fmt: skip
    answered = reported_on + timedelta(days=1)
    if fate == "escalated":
        event.status, event.escalated_to, event.escalated_on = GridEvent.Status.ESCALATED, GridEvent.To.CADRE, answered
        event.escalation_deadline = deadline_for("grid_settle", answered)
        event.answered_on, event.result = answered, f"{answered:%Y-%m-%d} 上报包村干部：需协调渣土车辆清运。"
    elif fate == "closed":
        event.status, event.answered_on, event.closed_on = GridEvent.Status.CLOSED, reported_on, reported_on
        event.result = f"{reported_on:%Y-%m-%d} 办结：犬主已拴养，并签订文明养犬承诺。"
    elif fate == "accepted":
        row = _accepted_row(kind, grid)
        if row is None:
            return event
        event.status, event.answered_on = GridEvent.Status.ACCEPTED, answered
        event.record_type, event.record_id = ContentType.objects.get_for_model(row), row.pk
    return event


def load_events(today):
    town, villages = demo_villages()
    wanted = {name: villages[name] for name in ("铜梁村", "杨球村") if name in villages}
    if not wanted:
        return 0
    described = set(GridEvent.objects.filter(unit__path__startswith=town.path).values_list("description", flat=True))
    missing = [spec for spec in EVENTS if spec[0] in wanted and spec[4] not in described]
    if not missing:
        return 0  # loaded before: nothing to read or write
    grids = grids_of(town, wanted)
    new = [_event(*spec, grids=grids, today=today) for spec in missing]
    with transaction.atomic():
        GridEvent.objects.bulk_create(new)
    return len(new)


def load(*, password, reset_passwords=False):
    """The demo protocol (see demo/loader.py): load, and return what to print."""
    created = load_events(timezone.localdate())
    counts = dict(GridEvent.objects.values_list("status").annotate(n=Count("id")).order_by())
    return (f"网格事件：铜梁村、杨球村网格员上报 {sum(counts.values())} 件（待受理 {counts.get('reported', 0)}，"
            f"已受理转入台账 {counts.get('accepted', 0)}，已上报包村干部 {counts.get('escalated', 0)}，"
            f"已办结 {counts.get('closed', 0)}）；本次新建 {created} 件。")  # fmt: skip
