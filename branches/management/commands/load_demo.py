"""`manage.py load_demo`: the demo 井字镇 (idempotent); the work is in branches/demo.py."""

from django.conf import settings
from django.core.management.base import BaseCommand

from branches import demo


class Command(BaseCommand):
    help = "载入井字镇演示数据：单位树、农户、党组织与党员、镇干部、包联责任和演示账号（可重复运行，不会重复建数据）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="演示账号的密码（默认取 settings.DEMO_PASSWORD）；指定时，已存在的演示账号的密码也会被重置为它。",
        )

    def handle(self, *args, password=None, **options):
        result = demo.load_demo(password or settings.DEMO_PASSWORD, reset_passwords=password is not None)
        self.stdout.write(demo.summary(result))
