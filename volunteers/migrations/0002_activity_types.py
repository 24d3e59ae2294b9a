"""The activity types the article names; the admin adds others."""

from django.db import migrations

TYPES = ["理论宣讲", "助力春耕", "三留一困关爱", "破冰除雪", "疫情防控", "反电信诈骗宣传", "学雷锋", "人居环境整治", "其他"]


def add_types(apps, schema_editor):
    ActivityType = apps.get_model("volunteers", "ActivityType")
    for order, name in enumerate(TYPES, start=1):
        ActivityType.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
