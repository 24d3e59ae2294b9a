"""`manage.py seed_scale`: synthetic county-size data for the benchmarks (DESIGN §6, §8; reports/scale.py).

Default: one county of 20 towns × 22 villages, 10 years of approved monthly reports for every stored indicator, the
work lines' ledgers behind the derived ones, households and members on the grids, then one full roll-up. Seeded
and reproducible. `--scale small` is the size the tests use. Meant for a database of its own (bench/ makes
`jingzi_bench`); it refuses to run twice into the same database and, in production, at all.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports import scale


class Command(BaseCommand):
    help = "生成压测数据（一个县：默认 20 个镇 × 22 个村，10 年月报和台账）。只用于基准测试的独立数据库。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(scale.SIZES), default="county",
                            help="预设规模：county（默认，20 镇 × 22 村 × 10 年）或 small（测试用）")
        parser.add_argument("--towns", type=int, help="镇的个数")
        parser.add_argument("--villages", type=int, help="每个镇的村（社区）个数")
        parser.add_argument("--areas", type=int, help="每个镇的片区个数")
        parser.add_argument("--years", type=int, help="月报的年数（到上一个完整月份为止）")
        parser.add_argument("--seed", type=int, default=scale.SEED, help="随机种子（相同参数和种子生成相同数据）")
        parser.add_argument("--password", help="压测账号的密码（默认 settings.DEMO_PASSWORD）")
        parser.add_argument("--no-rollup", action="store_true", help="不在最后做全量汇总")  # fmt: skip

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不能生成压测数据。")
        for name in ("towns", "villages", "areas", "years"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} 必须至少为 1。")
        started = time.perf_counter()
        try:
            seeded = scale.seed_county(
                scale=options["scale"], towns=options["towns"], villages=options["villages"],
                areas=options["areas"], years=options["years"], seed=options["seed"], password=options["password"],
                rollup_after=not options["no_rollup"], log=self.stdout.write,
            )  # fmt: skip
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(seeded.summary())
        self.stdout.write(f"共用时 {time.perf_counter() - started:.1f} 秒。")
