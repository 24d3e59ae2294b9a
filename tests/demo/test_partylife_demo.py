"""`manage.py load_demo` fills 支部建设 (demo/partylife.py): every branch's 三会一课 at the statutory rhythm except the
named ones behind, attendance that names only the meeting's own members, 党费 one row per member and month, one
民主评议 round a year, 发展党员 dated by the statutory rules, terms, the printed figures — and the generator alone
creates nothing the second time.

The demo is loaded once for the package (tests/demo/conftest.py) inside a transaction rolled back at the end; each test
runs in a savepoint inside it. The figures are recomputed here from the rows, not taken from the generator.
"""

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import PartyMember, PartyOrganisation
from branches.validators import phone_number
from demo import partylife as demo
from demo.branches import VILLAGES
from partylife.models import Applicant, Appraisal, Attendance, DuesPayment, Meeting, MeetingKind, MonthlyTheme, Term
from reports import periods

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)

K = MeetingKind
VILLAGE_ORDER = [spec.name for spec in VILLAGES]
S = Attendance.Status


@pytest.fixture
def span(last):
    """January of last year … the current month."""
    first = date(last.year - 1, 1, 1)
    return [periods.add_months(first, step) for step in range(last.year * 12 + last.month - (first.year * 12) + 1)]


@pytest.fixture
def organisations(villages):
    """{village name: its party organisation}."""
    found = PartyOrganisation.objects.filter(unit__in=villages.values()).select_related("unit")
    return {organisation.unit.name: organisation for organisation in found}


def month_end(month):
    return periods.add_months(month, 1) - timedelta(days=1)


def last_quarter(last):
    first = periods.add_months(last.replace(month=1), last.month - last.month % 3 - 3)
    return first, month_end(periods.add_months(first, 2))


def complete_quarters(last):
    """(first day, last day) of each complete quarter from January of last year."""
    first, end = date(last.year - 1, 1, 1), last_quarter(last)[1]
    quarters = []
    while first <= end:
        quarters.append((first, month_end(periods.add_months(first, 2))))
        first = periods.add_months(first, 3)
    return quarters


# ── meetings ────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_meetings_keep_the_statutory_rhythm_except_the_named_branches(organisations, last, span):
    assert len(organisations) == 22
    quarter = last_quarter(last)
    for name, organisation in organisations.items():
        meetings = Meeting.objects.filter(organisation=organisation)
        for month in span[:-1]:  # every complete month
            held = Counter(meetings.filter(held_on__gte=month, held_on__lte=month_end(month))
                           .values_list("kind", flat=True))  # fmt: skip
            skipped = name in demo.NO_COMMITTEE and month == last
            assert held[K.COMMITTEE] == (0 if skipped else 1), (name, month)
            assert held[K.THEME_DAY] == 1, (name, month)
            assert held[K.GROUP] >= 5, (name, month)  # one per grid: five or six
        for first, end in complete_quarters(last):
            held = Counter(meetings.filter(held_on__gte=first, held_on__lte=end).values_list("kind", flat=True))
            assert held[K.ASSEMBLY] == 1, (name, first)
            behind = name in demo.NO_LECTURE and (first, end) == quarter
            assert held[K.LECTURE] == (0 if behind else 1), (name, first)
        for year in (last.year - 1, last.year):
            life = meetings.filter(kind=K.LIFE_MEETING, held_on__year=year)
            assert life.count() == 1 and life.get().held_on.month in (1, 2), (name, year)
        assert meetings.filter(kind=K.TALK).exists()
        assert not meetings.filter(held_on__gte=timezone.localdate()).exists()
        assert not meetings.filter(held_on__lt=span[0]).exists()
        assert not meetings.filter(host=None).exists()
        assert not meetings.exclude(host__organisation=organisation).exists()
        assert not meetings.exclude(unit=organisation.unit).exists()


def test_each_theme_day_follows_the_towns_theme_of_its_month(demo_town, span):
    themes = {theme.month: theme for theme in MonthlyTheme.objects.filter(unit=demo_town)}
    assert sorted(themes) == span and len({theme.title for theme in themes.values()}) >= 12
    assert any("四中全会" in theme.title for theme in themes.values())
    assert any("入党誓词" in theme.title for theme in themes.values() if theme.month.month == 7)
    days = Meeting.objects.filter(kind=K.THEME_DAY, unit__path__startswith=demo_town.path).select_related("theme")
    assert days.count() >= 22 * (len(span) - 1)
    for meeting in days:
        assert meeting.theme == themes[meeting.held_on.replace(day=1)]
        assert meeting.topic == meeting.theme.title
    assert not Meeting.objects.exclude(kind=K.THEME_DAY).exclude(theme=None).exists()


def test_attendance_names_only_members_of_the_meetings_organisation(demo_town):
    rows = Attendance.objects.filter(unit__path__startswith=demo_town.path)
    assert rows.count() > 20_000
    assert not rows.exclude(member__organisation=F("meeting__organisation")).exists()
    assert not rows.exclude(unit=F("meeting__unit")).exists()
    assert not rows.filter(member__is_active=False).exists()
    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses[S.PRESENT] > 0.8 * sum(statuses.values())
    assert statuses[S.REMOTE] and statuses[S.EXCUSED] and statuses[S.ABSENT]
    assert not rows.filter(status=S.EXCUSED, reason="").exists()
    assert not rows.filter(status=S.REMOTE, away_at="").exists()
    assert rows.filter(status=S.REMOTE, away_at="广东东莞").exists() or rows.filter(away_at__startswith="广东").exists()
    # the theme day, the assembly, the 党课 and the 组织生活会 concern every member on the roll
    for meeting in Meeting.objects.filter(kind=K.ASSEMBLY, unit__path__startswith=demo_town.path)[:30]:
        roll = PartyMember.objects.filter(organisation=meeting.organisation_id, is_active=True).count()
        assert meeting.attendance.count() == roll
        assert meeting.minutes.startswith(f"应到{roll}人")


def test_three_members_are_absent_three_times_running_and_no_one_else(organisations):
    by_member = defaultdict(list)
    rows = (Attendance.objects.filter(unit__in=[o.unit for o in organisations.values()])
            .order_by("member", "meeting__held_on", "meeting__kind", "meeting__topic")
            .values_list("member", "member__organisation__unit__name", "status"))  # fmt: skip
    for member, village, status in rows:
        by_member[member, village].append(status)
    running = [village for (_member, village), statuses in by_member.items()
               if any(statuses[i:i + 3] == [S.ABSENT] * 3 for i in range(len(statuses) - 2))]  # fmt: skip
    assert sorted(running) == sorted(demo.FOLLOW_UP)
    last_three = [village for (_member, village), statuses in by_member.items() if statuses[-3:] == [S.ABSENT] * 3]
    assert sorted(last_three) == sorted(demo.FOLLOW_UP)


# ── 党费 ────────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_dues_are_one_row_per_member_and_month(demo_town, organisations, span):
    members = PartyMember.objects.filter(organisation__in=organisations.values(), is_active=True)
    dues = DuesPayment.objects.filter(unit__path__startswith=demo_town.path)
    assert dues.count() == members.count() * len(span)
    per_member = dues.order_by().values("member").annotate(n=Count("id")).values_list("n", flat=True).distinct()
    assert list(per_member) == [len(span)]
    assert sorted(dues.order_by().values_list("month", flat=True).distinct()) == span
    assert not dues.exclude(unit=F("member__unit")).exists()
    assert not dues.filter(paid__gt=F("due")).exists()
    assert not dues.filter(paid__gt=0, paid_on=None).exists() and not dues.filter(paid=0).exclude(paid_on=None).exists()
    assert not dues.filter(paid_on__gte=timezone.localdate()).exists()
    assert dues.filter(paid_on__lt=F("month")).exists()  # paid in advance
    dues_due = set(dues.order_by().values_list("due", flat=True).distinct())
    assert dues_due >= {Decimal("0.20"), Decimal("0.50"), Decimal(10)}


def test_the_members_behind_with_their_dues_are_the_named_ones(organisations, last):
    owed = {}
    rows = (DuesPayment.objects.filter(unit__in=[o.unit for o in organisations.values()], month__lte=last)
            .order_by("member", "month").values_list("member", "member__organisation__unit__name", "paid"))  # fmt: skip
    by_member = defaultdict(list)
    for member, village, paid in rows:
        by_member[member, village].append(paid)
    for (_member, village), paid in by_member.items():
        running = len(paid) - max((i + 1 for i, amount in enumerate(paid) if amount > 0), default=0)
        if running >= 3:
            owed[village] = running
    assert owed == {**demo.BEHIND, **demo.UNPAID}


def test_last_months_collection_rate_is_printed(printout, demo_town, last):
    dues = DuesPayment.objects.filter(unit__path__startswith=demo_town.path, month=last)
    totals = {key: Decimal(value).quantize(Decimal("0.01"))
              for key, value in dues.aggregate(due=Sum("due"), paid=Sum("paid")).items()}  # fmt: skip
    rate = Decimal(100) * totals["paid"] / totals["due"]
    assert Decimal(90) < rate < Decimal(100)
    assert f"党费收缴率 {rate:.1f}%" in printout


# ── 民主评议, 发展党员, 换届 ───────────────────────────────────────────────────────────────────────────────────────


def test_one_appraisal_round_a_year_decided_at_the_life_meeting(demo_town, organisations, last):
    appraisals = Appraisal.objects.filter(unit__path__startswith=demo_town.path)
    assert sorted(appraisals.order_by().values_list("year", flat=True).distinct()) == [last.year - 2, last.year - 1]
    members = PartyMember.objects.filter(organisation__in=organisations.values(), is_active=True).count()
    for year in (last.year - 2, last.year - 1):
        rows = appraisals.filter(year=year)
        assert rows.count() == members
        assert not rows.exclude(decided_on__year=year + 1).exists()
        assert not rows.filter(decided_on__month__gt=2).exists()
        results = Counter(rows.values_list("result", flat=True))
        assert results[Appraisal.Result.EXCELLENT] < 0.2 * members < results[Appraisal.Result.QUALIFIED]
        assert results[Appraisal.Result.UNQUALIFIED] <= 1
    life = {(m.organisation_id, m.held_on) for m in Meeting.objects.filter(kind=K.LIFE_MEETING)}
    for organisation, decided in appraisals.order_by().values_list("member__organisation", "decided_on").distinct():
        assert (organisation, decided) in life
    assert appraisals.filter(result=Appraisal.Result.UNQUALIFIED).count() == 1
    assert appraisals.filter(result=Appraisal.Result.BASIC).exists()


def years_after(day, years):
    return date(day.year + years, day.month, min(day.day, 28 if day.month == 2 else day.day))


def test_applicants_per_stage_with_statutory_dates_and_two_full_introducers(demo_town):
    applicants = Applicant.objects.filter(unit__path__startswith=demo_town.path).prefetch_related("introducers")
    stages = Counter(applicants.values_list("stage", flat=True))
    assert stages == {stage: count for stage, count in demo.APPLICANTS}
    today = timezone.localdate()
    st = Applicant.Stage
    for a in applicants:
        order = [a.applied_on, a.activist_on, a.candidate_on, a.probationary_on, a.full_on]
        reached = [day for day in order if day]
        assert order[: len(reached)] == reached and reached == sorted(reached) and reached[-1] < today, a.name
        assert len(reached) == [s for s, _label in st.choices].index(a.stage) + 1, a.name
        assert a.applied_on >= years_after(a.birth_date, 18), a.name
        if a.candidate_on:
            assert a.candidate_on >= years_after(a.activist_on, 1), a.name
            introducers = list(a.introducers.all())
            assert len(introducers) == 2, a.name
            for member in introducers:
                assert member.organisation_id == a.organisation_id and member.is_active
                assert years_after(member.joined_date, 1) < a.candidate_on
        else:
            assert not a.introducers.exists()
        if a.full_on:
            assert a.full_on >= years_after(a.probationary_on, 1), a.name
        phone_number(a.phone)
        body = a.id_number[:17]
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, demo.ID_WEIGHTS, strict=True)) % 11]
        assert a.id_number == body + check and body[6:14] == f"{a.birth_date:%Y%m%d}"
        assert (int(body[16]) % 2 == 1) == (a.gender == "M")


def test_every_organisation_has_a_term_and_two_are_due_for_renewal(demo_town, organisations):
    today = timezone.localdate()
    current = {}
    for term in Term.objects.filter(unit__path__startswith=demo_town.path).select_related("organisation__unit"):
        assert term.ends_on == date(term.starts_on.year + 5, term.starts_on.month, term.starts_on.day)
        assert term.starts_on <= today and term.unit == term.organisation.unit
        if term.ends_on >= today:
            current[term.organisation.unit.name] = term
    assert set(organisations) <= set(current)
    soon = {name for name, term in current.items() if term.ends_on <= periods.add_months(today, 6)}
    assert soon == set(demo.NEAR_END) or today < date(2026, 4, 1)
    if today >= date(2026, 4, 1):  # the 2021 terms have ended and most were renewed in 2026
        renewed = Term.objects.filter(unit__path__startswith=demo_town.path, starts_on__year=2026)
        assert renewed.count() >= 15


# ── the printout and a second load ──────────────────────────────────────────────────────────────────────────────────


def test_the_printout_names_the_branches_behind_and_the_figures(printout, demo_town, last):
    assert "支部建设：22 个村（社区）党组织" in printout
    meetings = Meeting.objects.filter(unit__path__startswith=demo_town.path).count()
    assert f"组织生活会议 {meetings} 场" in printout
    line = next(line for line in printout.splitlines() if line.startswith("未按期召开"))
    assert "未上党课 " + "、".join(sorted(demo.NO_LECTURE, key=VILLAGE_ORDER.index)) in line
    assert "未开支委会 " + "、".join(demo.NO_COMMITTEE) in line
    rows = Attendance.objects.filter(unit__path__startswith=demo_town.path, meeting__held_on__gte=last,
                                     meeting__held_on__lte=month_end(last))  # fmt: skip
    came = rows.filter(status__in=Attendance.ATTENDED).count()
    assert f"参会率 {Decimal(100) * came / rows.count():.1f}%（{came}/{rows.count()} 人次）" in printout
    for village in demo.FOLLOW_UP:
        assert f"（{village}）" in printout


def test_the_rows_pass_the_models_validation(demo_town):
    under = {"unit__path__startswith": demo_town.path}
    for model in (Meeting, Attendance, DuesPayment, Appraisal, Applicant, MonthlyTheme):
        for row in model.objects.filter(**under).order_by("?")[:40]:
            row.full_clean()
    for term in Term.objects.filter(**under, ends_on__lt=timezone.localdate()):
        term.full_clean()


def test_loading_the_party_demo_again_adds_nothing(demo_town):
    models = (MonthlyTheme, Meeting, Attendance, DuesPayment, Appraisal, Applicant, Term,
              Applicant.introducers.through)  # fmt: skip
    before = {model: model.objects.count() for model in models}
    with CaptureQueriesContext(connection) as queries:
        text = demo.load(password="unused")
    assert {model: model.objects.count() for model in models} == before
    assert "本次新建 0 条" in text
    assert len(queries) < 40
