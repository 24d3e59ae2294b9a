"""The in-process benchmark phases, run against one seeded benchmark database:

    python -m bench.measure DATABASE PHASE [PHASE …] --out FILE.json [--no-from-empty] [--no-split]

Phases: `rollup` (the nightly rebuild in one process and split on Celery workers, from empty, and their floors:
bench/rollups.py), `incremental` (one approval's roll-up), `pages` (server
time and SQL queries of the dashboards, report pages and ledger lists; query counts of every page and API list),
`save` (POST of a monthly form), `excel` (import of a whole town-month). Each writes JSON; bench/run.py runs them and
judges the figures against DESIGN §8.
"""

import argparse
import json
import random
import sys
import time
from io import BytesIO

from bench.common import load_average, setup_django, summary_of
from bench.rollups import rollup_phase

# ── one approval's roll-up ───────────────────────────────────────────────────────────────────────────────────────


def incremental_phase(count=20):
    """rebuild_for_report for `count` approved village reports of the last months (every work line), and three whole
    approvals (submitted → approved, the roll-up run in-process as the embedded default does)."""
    from branches.models import Unit, User
    from reports.models import MonthlyReport
    from reports.monthly import services
    from reports.rollup import build as rollup

    months = list(MonthlyReport.objects.order_by("-month").values_list("month", flat=True).distinct()[:3])
    reports = list(
        MonthlyReport.objects.filter(month__in=months, unit__kind__in=Unit.VILLAGE_KINDS, status="approved")
        .select_related("unit").order_by("?")[:count]
    )  # fmt: skip
    seconds = []
    for report in reports:
        started = time.perf_counter()
        rollup.rebuild_for_report(report)
        seconds.append(time.perf_counter() - started)
    approvals = []
    leader = User.objects.get(username="scale-leader")
    for report in reports[:3]:
        MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.SUBMITTED)
        report.refresh_from_db()
        started = time.perf_counter()
        services.report_approve(report=report, user=leader)  # commits; its roll-up runs on commit (eager Celery)
        approvals.append(time.perf_counter() - started)
    return {"rebuild_for_report": summary_of(seconds), "approval_with_rollup": summary_of(approvals)}


# ── pages ────────────────────────────────────────────────────────────────────────────────────────────────────────

TIMED = (  # (page key in tests/performance/pages.py, label) — timed over several requests
    ("reports:dashboard@town", "town dashboard (town leader)"),
    ("reports:dashboard@county", "county dashboard (county leader)"),
    ("reports:summary@town", "town summary report"),
    ("reports:summary@county", "county summary report"),
    ("reports:entry[governance]@town", "monthly report page, governance (town leader)"),
    ("reports:entry[environment]@secretary", "monthly report page, environment (secretary)"),
    ("governance:hazard_list@county", "ledger list: hazards (county)"),
    ("environment:cleanuprecord_list@county", "ledger list: cleanups (county)"),
    ("volunteers:activity_list@county", "ledger list: activities (county)"),
    ("industry:incomeentry_list@secretary", "ledger list: incomes (secretary)"),
    ("api:governance-api:hazard-list@county", "API list: hazards (county)"),
)


def request(client, url):
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/"):
        url = response["Location"]
        response = client.get(url)
    return response, url


def pages_phase(repeats=15):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.common import seeded_from_db
    from branches.models import User
    from tests.performance.pages import pages

    catalogue = pages(seeded_from_db())
    users = {user.username: user for user in User.objects.filter(username__in={page.username for page in catalogue})}
    client = Client()
    counts, timings, logged_in = {}, {}, None
    timed = dict(TIMED)
    for page in catalogue:
        if logged_in != page.username:
            client.force_login(users[page.username])
            logged_in = page.username
        response, url = request(client, page.url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries.captured_queries)  # before the next request resets the log
        counts[page.key] = {"queries": count, "kind": page.kind, "budget": page.budget, "status": response.status_code}
        if page.key in timed:
            seconds = []
            for _index in range(repeats):
                started = time.perf_counter()
                client.get(url)
                seconds.append(time.perf_counter() - started)
            timings[page.key] = {"label": timed[page.key], "queries": count, **summary_of(seconds)}
    return {"timed": timings, "counts": counts}


# ── saving a monthly form ────────────────────────────────────────────────────────────────────────────────────────


def entered_value(spec, rng):
    top = int(min(spec.max_value or 100, 100))
    return str(rng.randint(1, max(top, 1)))


def save_phase(repeats=5):
    """POST of the monthly entry form of the current month (a draft) for each work line, as the village secretary:
    every entered value changed, then only one; the query counts must not depend on how many values change."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.common import seeded_from_db
    from branches.models import User
    from reports import periods
    from reports.models import MonthlyReport
    from reports.monthly import selectors

    seeded = seeded_from_db()
    village = seeded.towns[0].villages[0]
    secretary = User.objects.get(pk=village.secretary_id)
    client = Client()
    client.force_login(secretary)
    month = periods.current_month()
    rng = random.Random(9)
    result = {}
    for work_line in ("industry", "environment", "governance", "volunteers"):
        specs = [spec for spec in selectors.specs_for(village.unit, work_line) if spec.is_entered]
        if not specs:
            continue
        url = reverse("reports:entry", args=[village.unit.pk, work_line, periods.month_key(month)])
        client.get(url)  # opens the draft
        measured = {"all": [], "one": []}
        counts = {}
        for _round in range(repeats):
            for which in ("all", "one"):
                report = MonthlyReport.objects.get(unit=village.unit, work_line=work_line, month=month)
                chosen = specs if which == "all" else specs[:1]
                data = {"version": report.version, **{f"v:{spec.code}": entered_value(spec, rng) for spec in chosen}}
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.post(url, data)
                    measured[which].append(time.perf_counter() - started)
                assert response.status_code == 302, (work_line, response.status_code)
                counts[which] = len(queries.captured_queries)
        result[work_line] = {"entered_indicators": len(specs), "queries_all_values": counts["all"],
                             "queries_one_value": counts["one"], **summary_of(measured["all"])}  # fmt: skip
    return result


# ── Excel import of a town-month ─────────────────────────────────────────────────────────────────────────────────


def filled(workbook_bytes, rng):
    """The template with every editable value cell filled (locked cells — other reports' — left alone)."""
    from openpyxl import load_workbook

    from reports.monthly.excel import layout

    workbook = load_workbook(BytesIO(workbook_bytes))
    cells = 0
    for sheet in workbook.worksheets:
        if sheet.title == layout.GUIDE_SHEET:
            continue
        codes = {index: cell.value for index, cell in enumerate(sheet[layout.CODE_ROW], start=1)}
        fixed = {key for key, _header in layout.FIXED_COLUMNS}
        for row in sheet.iter_rows(min_row=layout.FIRST_DATA_ROW):
            for index, cell in enumerate(row, start=1):
                code = codes.get(index)
                if code and code not in fixed and not cell.protection.locked:
                    cell.value = rng.randint(1, 60)
                    cells += 1
    out = BytesIO()
    workbook.save(out)
    return out.getvalue(), cells


def excel_phase(repeats=3):
    """The whole town-month (every village, community and the town, every work line) imported by the county admin:
    the template built (not timed), filled, uploaded to reports:excel_upload (timed, server side)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from bench.common import seeded_from_db
    from branches.models import User
    from reports import periods
    from reports.models import ReportEvent
    from reports.monthly.excel import template

    seeded = seeded_from_db()
    town = seeded.towns[0].unit
    admin = User.objects.get(username="scale-admin")
    client = Client()
    client.force_login(admin)
    month = periods.current_month()
    rng = random.Random(11)
    seconds, cells, reports = [], 0, 0
    for _round in range(repeats):
        workbook, _filename = template.build_template(user=admin, unit=town, month=month)
        raw = BytesIO()
        workbook.save(raw)
        content, cells = filled(raw.getvalue(), rng)
        upload = SimpleUploadedFile("town.xlsx", content, content_type="application/vnd.openxmlformats-officedocument"
                                    ".spreadsheetml.sheet")  # fmt: skip
        imports = ReportEvent.objects.filter(action=ReportEvent.Action.IMPORT).count()
        started = time.perf_counter()
        response = client.post(reverse("reports:excel_upload"), {"month": periods.month_key(month), "file": upload})
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, (response.status_code, response.content.decode()[:2000])
        reports = ReportEvent.objects.filter(action=ReportEvent.Action.IMPORT).count() - imports
        assert reports > 0
    return {"cells": cells, "reports_saved": reports, "units": len(seeded.towns[0].villages) + 1, **summary_of(seconds)}


PHASES = {"rollup": rollup_phase, "incremental": incremental_phase, "pages": pages_phase, "save": save_phase,
          "excel": excel_phase}  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("phases", nargs="+", choices=sorted(PHASES))
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-from-empty", action="store_true", help="rollup: no rebuild from empty (nor its floor)")
    parser.add_argument("--no-split", action="store_true", help="rollup: no split rebuild on Celery workers")
    args = parser.parse_args(argv)
    options = {"rollup": {"from_empty": not args.no_from_empty, "split": not args.no_split}}
    setup_django(args.database)
    results = {}
    for phase in args.phases:
        before = load_average()
        started = time.perf_counter()
        results[phase] = PHASES[phase](**options.get(phase, {}))
        results[phase]["phase_seconds"] = round(time.perf_counter() - started, 1)
        results[phase]["load_before"], results[phase]["load_after"] = before, load_average()
        print(f"  {args.database} {phase}: {results[phase]['phase_seconds']} s", file=sys.stderr)
        with open(args.out, "w") as handle:  # after every phase: a later failure keeps the figures so far
            json.dump(results, handle, ensure_ascii=False, indent=1, default=str)


if __name__ == "__main__":
    main()
