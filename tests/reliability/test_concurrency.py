"""Two people (or a person and a job) acting on one report at the same moment (issue 10, DESIGN §7).

Each test starts real threads, each with its own PostgreSQL connection, released together by a barrier, and checks
the promise: one save of a version wins and the other is refused with a Chinese "changed by X at T, reload"; one
approval wins and the roll-up counts its figures once; an Excel import racing a manual edit loses nothing; and the
stored roll-ups always equal a from-scratch `rebuild_all`. Where the window between a read and the write is too
narrow to hit by chance, a hook holds one thread in it while the other acts.
"""

import threading
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from branches.models import User
from reports import periods
from reports import tasks as report_tasks
from reports.models import MonthlyReport, ReportEvent, ReportValue, Rollup
from reports.monthly import selectors, services
from reports.monthly.excel import layout, template
from reports.monthly.excel import upload as excel_upload
from reports.rollup import build as rollup
from reports.rollup import services as rollup_services
from tests.conftest import make_user

from .conftest import (
    LINE,
    Background,
    assert_rollups_match_a_rebuild,
    entered_values,
    fresh,
    months_back,
    rollup_rows,
    run_together,
    stored_values,
    submitted,
    town_figure,
)

ROUNDS = 5  # each barrier race is run this many times: the threads interleave differently each time
HOLD = 2.0  # seconds a hooked thread waits for the other to get (or fail to get) through a lock
MONTH = periods.last_complete_month()
KEY = periods.month_key(MONTH)

pytestmark = pytest.mark.usefixtures("postgres")


def events(report, action):
    return ReportEvent.objects.filter(report_id=report.pk, action=action).count()


# --- two saves of one report -------------------------------------------------------------------------------------


def test_two_saves_of_one_version_one_wins_the_other_is_told_who_and_when(town, users):
    village = town.tongliang.unit
    report = services.report_open(unit=village, work_line=LINE, month=MONTH)
    writers = {users.tongliang.pk: users.tongliang, users.cadre.pk: users.cadre}
    for round_ in range(ROUNDS):
        version = fresh(report).version
        saves_before = events(report, ReportEvent.Action.SAVE)
        typed = {
            users.tongliang.pk: entered_values(village, 100 + round_, 10),
            users.cadre.pk: entered_values(village, 200 + round_, 20),
        }
        outcomes = run_together(*(
            lambda user=user, typed=typed, version=version: services.report_save_values(
                report=fresh(report), user=user, values=typed[user.pk], version=version
            )
            for user in writers.values()
        ))  # fmt: skip

        won = [outcome for outcome in outcomes if outcome.ok]
        lost = [outcome for outcome in outcomes if not outcome.ok]
        assert len(won) == 1 and len(lost) == 1, [outcome.error for outcome in outcomes]
        winner = won[0].value.updated_by
        assert isinstance(lost[0].error, services.ConflictError), repr(lost[0].error)
        message = lost[0].error.messages[0]
        assert f"已被 {writers[winner.pk].display_name} 于" in message and "请刷新页面后再保存" in message, message

        saved = fresh(report)
        assert stored_values(saved) == typed[winner.pk], "the stored figures are not the winner's"
        assert saved.version == version + 1, "the losing save bumped the version too"
        assert events(report, ReportEvent.Action.SAVE) == saves_before + 1


def test_two_api_puts_of_one_version_give_200_and_409(town, users):
    village = town.tongliang.unit
    report = services.report_open(unit=village, work_line=LINE, month=MONTH)
    url = f"/api/v1/reports/{village.pk}/{LINE}/{KEY}/"
    for round_ in range(ROUNDS):
        version = fresh(report).version
        bodies = [
            {"values": {"gov.leaflets": 10 + round_, "gov.booster_doses": 1}, "version": version},
            {"values": {"gov.leaflets": 90 + round_, "gov.booster_doses": 9}, "version": version},
        ]

        def put(user, body):
            client = APIClient()
            client.force_authenticate(user)
            return client.put(url, body, format="json")

        outcomes = run_together(
            *(
                lambda user=user, body=body: put(user, body)
                for user, body in zip((users.tongliang, users.cadre), bodies, strict=True)
            )
        )
        assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
        codes = sorted(outcome.value.status_code for outcome in outcomes)
        assert codes == [200, 409], [outcome.value.content.decode() for outcome in outcomes]
        conflict = next(outcome.value for outcome in outcomes if outcome.value.status_code == 409)
        assert "请刷新页面后再保存" in conflict.json()["detail"]
        winner = next(index for index, outcome in enumerate(outcomes) if outcome.value.status_code == 200)
        expected = {code: Decimal(value) for code, value in bodies[winner]["values"].items()}
        assert stored_values(fresh(report)) == expected


# --- two approvals of one report ---------------------------------------------------------------------------------


@pytest.fixture
def second_leader(town):
    return make_user("leader2", User.Role.LEADER, town.unit)


def test_two_approvals_at_once_approve_once_and_roll_up_once(town, users, second_leader):
    """A cadre and a leader press 审核通过 together: one approval, one event, the figures counted once."""
    villages = [town.tongliang.unit, town.yangqiu.unit]
    secretaries = {town.tongliang.unit.pk: users.tongliang, town.yangqiu.unit.pk: users.yangqiu}
    quarter, year = periods.periods_containing(MONTH)[1].key, str(MONTH.year)
    reviewers = (users.leader, second_leader)
    expected = Decimal(0)
    for round_, month in enumerate(months_back(min(ROUNDS, MONTH.month))):
        for village in villages:
            doses = 10 + round_
            report = submitted(village, month, secretaries[village.pk], doses=doses)
            outcomes = run_together(*(
                lambda reviewer=reviewer, report=report: services.report_approve(report=fresh(report), user=reviewer)
                for reviewer in reviewers
            ))  # fmt: skip
            won = [outcome for outcome in outcomes if outcome.ok]
            lost = [outcome for outcome in outcomes if not outcome.ok]
            assert len(won) == 1 and len(lost) == 1, [outcome.error for outcome in outcomes]
            assert isinstance(lost[0].error, ValidationError) and not isinstance(lost[0].error, services.ConflictError)
            assert "只有已提交的月报可以审核通过（当前：已审核）" in lost[0].error.messages[0]
            assert events(report, ReportEvent.Action.APPROVE) == 1
            assert fresh(report).status == MonthlyReport.Status.APPROVED
            if month.year == MONTH.year and periods.periods_containing(month)[1].key == quarter:
                expected += doses
    assert town_figure(town, year, "gov.booster_doses") is not None
    assert town_figure(town, quarter, "gov.booster_doses") == expected, "the quarter counts an approval twice"
    assert_rollups_match_a_rebuild()


def test_two_bulk_approvals_of_one_queue_split_it_without_an_error(town, users, second_leader):
    """Two reviewers bulk-approve the same review queue at once: each report is approved exactly once, the one who
    comes second is told it was skipped (no 500 half-way through his list)."""
    reports = [
        submitted(village, month, secretary)
        for month in months_back(min(3, MONTH.month))
        for village, secretary in ((town.tongliang.unit, users.tongliang), (town.yangqiu.unit, users.yangqiu))
    ]
    for _round in range(2):
        outcomes = run_together(*(
            lambda reviewer=reviewer: services.reports_bulk_approve(
                reports=[fresh(report) for report in reports], user=reviewer
            )
            for reviewer in (users.leader, second_leader)
        ))  # fmt: skip
        assert all(outcome.ok for outcome in outcomes), [repr(outcome.error) for outcome in outcomes]
        approved = [report.pk for outcome in outcomes for report in outcome.value[0]]
        skipped = [report.pk for outcome in outcomes for report in outcome.value[1]]
        assert sorted(approved) == sorted(report.pk for report in reports), "a report approved twice or not at all"
        assert sorted(skipped) == sorted(report.pk for report in reports)
        for report in reports:
            assert events(report, ReportEvent.Action.APPROVE) == 1 + _round
        assert_rollups_match_a_rebuild()
        if _round == 0:  # unlock them all and go again: re-submitted, re-approved at once
            for report in reports:
                services.report_unlock(report=fresh(report), user=users.admin, reason="重新核对")
                secretary = users.tongliang if report.unit_id == town.tongliang.unit.pk else users.yangqiu
                services.report_submit(report=fresh(report), user=secretary)


def test_approvals_and_full_rebuilds_at_once_leave_the_rows_of_a_rebuild(town, users):
    """Approvals across the town (each rolling up its month after commit), two nightly rebuilds, a one-period
    rebuild and the split nightly rebuild's parts (the town's, the county's) all at the same moment: everything
    succeeds and the rows equal a rebuild from scratch."""
    months = months_back(min(3, MONTH.month))
    reports = [
        submitted(village, month, secretary, doses=5 + index)
        for index, month in enumerate(months)
        for village, secretary in ((town.tongliang.unit, users.tongliang), (town.yangqiu.unit, users.yangqiu))
    ]
    period = periods.parse_period(periods.periods_containing(MONTH)[1].key)
    calls = [lambda report=report: services.report_approve(report=fresh(report), user=users.leader)
             for report in reports]  # fmt: skip
    calls += [rollup.rebuild_all, rollup.rebuild_all, lambda: rollup.rebuild_period(period)]
    calls += [lambda: rollup.rebuild_scope(rollup.town_scope(town.unit.pk)),
              lambda: rollup.rebuild_scope(rollup.top_scope())]  # fmt: skip
    outcomes = run_together(*calls)
    assert all(outcome.ok for outcome in outcomes), [repr(outcome.error) for outcome in outcomes if not outcome.ok]
    assert not MonthlyReport.objects.filter(rollup_pending=True).exists(), "a roll-up failed and was left pending"
    rows = assert_rollups_match_a_rebuild()
    assert rows, "nothing was rolled up"
    assert town_figure(town, str(MONTH.year), "gov.booster_doses") == sum(
        5 + index for index, month in enumerate(months) for _village in range(2) if month.year == MONTH.year
    )


def test_two_full_rebuilds_at_once_both_succeed_with_the_same_rows(town, users):
    for village, secretary in ((town.tongliang.unit, users.tongliang), (town.yangqiu.unit, users.yangqiu)):
        services.report_approve(report=submitted(village, MONTH, secretary), user=users.leader)
    expected = assert_rollups_match_a_rebuild()
    for _round in range(3):
        outcomes = run_together(rollup.rebuild_all, rollup.rebuild_all)
        assert all(outcome.ok for outcome in outcomes), [repr(outcome.error) for outcome in outcomes]
        assert rollup_rows() == expected


# --- the pending catch-up job racing a re-approval ---------------------------------------------------------------


def test_the_pending_job_never_clears_a_newer_approval(town, users, monkeypatch):
    """The broker is down, so approvals are marked 待汇总. The every-ten-minutes job is rolling one up when an admin
    unlocks it and it is approved again with a new figure: the job must not clear the mark of that newer approval,
    or its figure would never reach the roll-ups."""

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down (simulated)")

    monkeypatch.setattr(report_tasks.rollup_report, "delay", broker_down)
    village = town.tongliang.unit
    report = services.report_approve(report=submitted(village, MONTH, users.tongliang, doses=10), user=users.leader)
    assert fresh(report).rollup_pending and town_figure(town, KEY, "gov.booster_doses") is None

    rebuilt, go_on = threading.Event(), threading.Event()
    original = rollup.rebuild_for_report

    def held_after_rebuild(report_):
        original(report_)
        rebuilt.set()
        go_on.wait(30)

    monkeypatch.setattr(rollup, "rebuild_for_report", held_after_rebuild)
    job = Background(rollup_services.rollup_pending_reports)
    assert rebuilt.wait(30), "the pending job did not start rolling up"

    def approve_again():
        services.report_unlock(report=fresh(report), user=users.admin, reason="加强针数有误")
        again = services.report_save_values(
            report=fresh(report), user=users.tongliang, values=entered_values(village, 300, 25)
        )
        again = services.report_submit(report=again, user=users.tongliang)
        return services.report_approve(report=again, user=users.leader)

    reviewer = Background(approve_again)
    reviewer.done(HOLD)  # it may wait for the job's lock on the report; either way the job now finishes
    go_on.set()
    assert job.result().ok, repr(job.outcome.error)
    assert reviewer.result().ok, repr(reviewer.outcome.error)
    assert fresh(report).rollup_pending, "the job cleared the mark of an approval it had not rolled up"

    rollup_services.rollup_pending_reports()  # the job's next run, once the broker is back
    assert not fresh(report).rollup_pending
    assert town_figure(town, KEY, "gov.booster_doses") == 25
    assert_rollups_match_a_rebuild()


# --- an Excel import racing a manual edit --------------------------------------------------------------------------


def workbook_for(user, town, leaflets, *, month=MONTH, version="keep"):
    """The town-month template as `user` downloads it, 铜梁村's governance row filled in (and its hidden version
    cell cleared when version=None)."""
    workbook, _name = template.build_template(user=user, unit=town.unit, month=month)
    sheet = workbook[dict(layout.work_line_labels())[LINE][:31]]
    keys = {sheet.cell(row=layout.CODE_ROW, column=column).value: column for column in range(1, sheet.max_column + 1)}
    for row in range(layout.FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(row=row, column=keys[layout.KEY_UNIT]).value == town.tongliang.unit.pk:
            sheet.cell(row=row, column=keys["gov.leaflets"], value=leaflets)
            sheet.cell(row=row, column=keys["gov.booster_doses"], value=7)
            if version is None:
                sheet.cell(row=row, column=keys[layout.KEY_VERSION]).value = None  # cell(value=None) keeps the value
            break
    else:
        pytest.fail("铜梁村 has no row in the template")
    data = BytesIO()
    workbook.save(data)
    return data.getvalue()


def upload(content):
    return SimpleUploadedFile(
        "月报.xlsx", content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def import_file(user, content, month=MONTH):
    return excel_upload.import_workbook(user=user, month=month, uploaded=upload(content))


def test_an_import_and_a_manual_save_at_once_one_wins_nothing_is_mixed(town, users):
    village = town.tongliang.unit
    report = services.report_open(unit=village, work_line=LINE, month=MONTH)
    for round_ in range(ROUNDS):
        content = workbook_for(users.cadre, town, 1000 + round_)
        version = fresh(report).version
        typed = entered_values(village, 50 + round_, 3)
        outcomes = run_together(
            lambda content=content: import_file(users.cadre, content),
            lambda typed=typed, version=version: services.report_save_values(
                report=fresh(report), user=users.tongliang, values=typed, version=version
            ),
        )
        imported, manual = outcomes
        assert imported.ok, repr(imported.error)
        import_won = imported.value.ok
        assert import_won != manual.ok, (imported.value.errors, manual.error)
        if import_won:
            assert isinstance(manual.error, services.ConflictError), repr(manual.error)
            assert stored_values(fresh(report)) == entered_values(village, 1000 + round_, 7)
        else:
            # Refused at its check (the version it read is stale) or at its save (the lock found a newer version).
            message = " ".join(str(error) for error in imported.value.errors)
            assert f"已被 {users.tongliang.display_name} 于" in message, message
            assert stored_values(fresh(report)) == typed
        assert fresh(report).version == version + 1


def test_a_manual_save_inside_the_import_window_is_never_overwritten(town, users, monkeypatch):
    """The import reads the reports, checks every cell, then saves: a secretary's save landing in between must make
    the import refuse (the whole file, with the reason), whether the file carries the template's version, has lost
    it, or was made before the report existed. (One month per case.)"""
    village = town.tongliang.unit
    cases = ["template", "no version cell", "no report yet"]
    files = {}
    for case, month in zip(cases, months_back(len(cases)), strict=True):
        files[case] = (
            month,
            workbook_for(users.cadre, town, 4444, month=month, version=None if case == "no version cell" else "keep"),
        )
        if case == "no report yet":
            MonthlyReport.objects.filter(unit=village, work_line=LINE, month=month).delete()

    checked, go_on = threading.Event(), threading.Event()
    original = excel_upload.load_states

    def held_after_reading(*args, **kwargs):
        states = original(*args, **kwargs)
        checked.set()
        assert go_on.wait(30), "the test never let the import go on"
        return states

    monkeypatch.setattr(excel_upload, "load_states", held_after_reading)
    for case, (month, content) in files.items():
        checked.clear(), go_on.clear()
        importer = Background(lambda month=month, content=content: import_file(users.cadre, content, month))
        assert checked.wait(30), f"{case}: the import did not reach its check"
        opened = services.report_open(unit=village, work_line=LINE, month=month)
        typed = entered_values(village, 12, 3)
        services.report_save_values(report=opened, user=users.tongliang, values=typed, version=opened.version)
        go_on.set()

        outcome = importer.result()
        assert outcome.ok, f"{case}: {outcome.error!r}"
        result = outcome.value
        assert not result.ok and not result.saved, f"{case}: the import saved over a newer manual edit"
        message = " ".join(str(error) for error in result.errors)
        assert "整个文件未保存" in message and users.tongliang.display_name in message, f"{case}: {message}"
        assert stored_values(fresh(opened)) == typed, case
        assert MonthlyReport.objects.filter(unit=village, work_line=LINE, month=month).count() == 1, case


def test_an_import_and_a_first_visit_create_one_report_and_roll_up_once(town, users):
    """The import and a secretary opening the page both create the month's report at once: one report, one row
    per indicator; approved, the town's figure counts it once."""
    village = town.tongliang.unit
    month = MONTH
    content = workbook_for(users.cadre, town, 2222)
    for _round in range(ROUNDS):
        MonthlyReport.objects.filter(unit=village, work_line=LINE, month=month).delete()
        outcomes = run_together(
            lambda: import_file(users.cadre, content),
            lambda: services.report_open(unit=village, work_line=LINE, month=month),
            lambda: services.report_open(unit=village, work_line=LINE, month=month),
        )
        assert all(outcome.ok for outcome in outcomes), [repr(outcome.error) for outcome in outcomes]
        assert outcomes[0].value.ok, outcomes[0].value.errors
        assert MonthlyReport.objects.filter(unit=village, work_line=LINE, month=month).count() == 1
        report = MonthlyReport.objects.get(unit=village, work_line=LINE, month=month)
        codes = list(ReportValue.objects.filter(report=report).values_list("indicator__code", flat=True))
        assert len(codes) == len(set(codes)) == len(selectors.specs_for(village, LINE))
    assert stored_values(report) == entered_values(village, 2222, 7)
    services.report_submit(report=fresh(report), user=users.tongliang)
    services.report_approve(report=fresh(report), user=users.cadre)
    assert town_figure(town, KEY, "gov.leaflets") == 2222
    assert town_figure(town, str(MONTH.year), "gov.leaflets") == 2222
    assert Rollup.objects.filter(unit=town.unit, period=KEY, indicator__code="gov.leaflets").count() == 1
    assert_rollups_match_a_rebuild()


# --- two leaders issuing documents of one town at once (reports/documents/services.py) ----------------------------


def test_two_documents_issued_at_once_take_consecutive_numbers_never_one_twice(town, users):
    """Each issue reads the last number, writes the file (held here, so the other thread tries the same moment) and
    stores the next number: the unit's row lock makes the second wait, so both succeed with consecutive numbers
    (without it both would take the same number and one would fail on the unique constraint)."""
    from reports.documents import services as documents
    from reports.models import IssuedDocument

    town.unit.doc_prefix = "井"
    town.unit.save()

    def build(reference, number, day):
        threading.Event().wait(0.3)  # the window between reading the last number and storing the next
        return reference.encode()

    for _round in range(ROUNDS):
        outcomes = run_together(*(
            lambda user=user: documents.document_issue(unit=town.unit, kind=IssuedDocument.Kind.FA, title="通知",
                                                       filename="通知", user=user, build=build)
            for user in (users.leader, users.admin)
        ))  # fmt: skip
        assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    issued = IssuedDocument.objects.order_by("number")
    assert list(issued.values_list("number", flat=True)) == list(range(1, 2 * ROUNDS + 1))
    assert all(bytes(row.content) == row.reference.encode() for row in issued)
