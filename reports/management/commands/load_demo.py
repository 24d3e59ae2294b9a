"""`manage.py load_demo`: the demo 井字镇, idempotent.

Every project app may have a `demo.py` with `load(*, password, reset_passwords) -> str`. They run in INSTALLED_APPS
order — the shared model first, then the work lines' ledgers — and reports last, since its monthly figures count
those ledgers. This command names no app but its own.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def demo_modules():
    project_apps = [config for config in apps.get_app_configs() if config.path.startswith(str(settings.BASE_DIR))]
    ordered = [config for config in project_apps if config.name != "reports"]
    ordered += [config for config in project_apps if config.name == "reports"]
    return [import_module(f"{config.name}.demo") for config in ordered if find_spec(f"{config.name}.demo")]


class Command(BaseCommand):
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
        for module in demo_modules():
            text = module.load(password=password or settings.DEMO_PASSWORD, reset_passwords=password is not None)
            if text:
                self.stdout.write(text)
