"""A first live token for every town and county already there, so that their lists are cached from the first read
after the upgrade (branches.cache.list_key caches nothing under a scope with no token)."""

import secrets

from django.db import migrations

LIVE_KINDS = ("county", "town")


def first_tokens(apps, schema_editor):
    Unit = apps.get_model("branches", "Unit")
    LiveVersion = apps.get_model("branches", "LiveVersion")
    units = Unit.objects.using(schema_editor.connection.alias).filter(kind__in=LIVE_KINDS).values_list("pk", flat=True)
    LiveVersion.objects.using(schema_editor.connection.alias).bulk_create(
        [LiveVersion(unit_id=pk, token=secrets.randbits(62)) for pk in units], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("branches", "0009_live_version")]
    operations = [migrations.RunPython(first_tokens, migrations.RunPython.noop)]
