"""The defaults an admin may then edit: the rhythm of 三会一课 and what each point source earns."""

from decimal import Decimal

from django.db import migrations

MEETING_RULES = {
    "assembly": "quarter", "committee": "month", "group": "month", "lecture": "quarter", "theme_day": "month",
    "life_meeting": "year", "talk": "none",
}
# (points per unit, monthly cap)
POINT_RULES = {
    "party.meetings": (Decimal(2), Decimal(10)),
    "party.households": (Decimal("0.5"), Decimal(5)),
    "governance.visits": (Decimal(1), Decimal(10)),
    "volunteers.hours": (Decimal(1), Decimal(20)),
    "tasks.done": (Decimal(2), Decimal(10)),
}


def add_defaults(apps, schema_editor):
    MeetingRule = apps.get_model("partylife", "MeetingRule")
    PointRule = apps.get_model("partylife", "PointRule")
    for kind, every in MEETING_RULES.items():
        MeetingRule.objects.get_or_create(kind=kind, defaults={"every": every})
    for source, (points, cap) in POINT_RULES.items():
        PointRule.objects.get_or_create(source=source, defaults={"points": points, "monthly_cap": cap})


class Migration(migrations.Migration):
    dependencies = [("partylife", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
