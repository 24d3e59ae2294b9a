"""`manage.py load_demo`: the demo 井字镇, idempotent (see demo/loader.py for the order)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from demo import loader


class Command(BaseCommand):
    # Loading data needs none of the system checks, which import every view through the URL conf (a second of the
    # second load's five); `migrate` and `runserver`, which come with it in `make run`, run them.
    requires_system_checks = []
    help = (
        "载入井字镇演示数据：单位树、农户、党组织与党员、镇干部、包联责任、各条线台账、月报与汇总和演示账号"
        "（可重复运行，不会重复建数据）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="演示账号的密码（默认取 settings.DEMO_PASSWORD）；指定时，已存在的演示账号的密码也会被重置为它。",
        )

    def handle(self, *args, password=None, **options):
        loader.load(
            password=password or settings.DEMO_PASSWORD,
            reset_passwords=password is not None,
            write=self.stdout.write,
        )
