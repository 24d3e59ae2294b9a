"""`manage.py rollup [--period P]`: rebuild the stored roll-ups now (all of them, or one period)."""

import time

from django.core.management.base import BaseCommand, CommandError

from reports import periods
from reports.rollup import build as rollup


class Command(BaseCommand):
    help = "重算汇总：默认全部重算；--period 只重算一个期间（YYYY-MM、YYYY-Qn、YYYY 或 YYYY-YTD）。"

    def add_arguments(self, parser):
        parser.add_argument("--period", help="只重算这个期间，如 2026-10、2026-Q3、2026、2026-YTD")

    def handle(self, *args, period=None, **options):
        started = time.monotonic()
        if period:
            try:
                parsed = periods.parse_period(period)
            except periods.PeriodError as error:
                raise CommandError(str(error)) from error
            rows = rollup.rebuild_period(parsed)
            self.stdout.write(
                f"已重算 {parsed.label}（{parsed.key}）：{rows} 行，用时 {time.monotonic() - started:.2f} 秒。"
            )
        else:
            rows = rollup.rebuild_all()
            self.stdout.write(f"已全部重算：{rows} 行，用时 {time.monotonic() - started:.2f} 秒。")
