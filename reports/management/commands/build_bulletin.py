"""`manage.py build_bulletin [--month YYYY-MM] [--town CODE]`: build (or rebuild) the monthly 通报 now."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from branches.models import Unit
from reports import periods
from reports.bulletin import services as bulletin_services


class Command(BaseCommand):
    help = "生成（或重新生成）月度通报：默认上月、所有镇；重新生成会替换原有排名。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="月份 YYYY-MM，默认上月")
        parser.add_argument("--town", help="镇的区划代码，默认所有镇")

    def handle(self, *args, month=None, town=None, **options):
        try:
            month = periods.parse_month(month) if month else periods.last_complete_month()
        except periods.PeriodError as error:
            raise CommandError(str(error)) from error
        towns = Unit.objects.filter(kind=Unit.Kind.TOWN).order_by("path")
        if town:
            towns = towns.filter(code=town)
            if not towns.exists():
                raise CommandError(f"没有区划代码为 {town} 的镇。")
        for unit in towns:
            try:
                built = bulletin_services.bulletin_build(town=unit, month=month)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            counts = {colour: built.rows.filter(colour=colour).count() for colour in ("green", "yellow", "red")}
            self.stdout.write(
                f"{unit} {periods.month_key(month)} 月度通报：{built.rows.count()} 个村（社区），"
                f"绿 {counts['green']}、黄 {counts['yellow']}、红 {counts['red']}。"
            )
