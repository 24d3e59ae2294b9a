from django.db import migrations

FIVE = ("镇干部", "村干部", "网格员", "乡村医生", "民警")


def add_roles(apps, schema_editor):
    """The five roles of 五包一 to start with; an admin renames or adds them in the admin."""
    KeeperRole = apps.get_model("governance", "KeeperRole")
    for order, name in enumerate(FIVE, start=1):
        KeeperRole.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_keeperrole_checkpoint_checkpointstaff_and_more")]

    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
