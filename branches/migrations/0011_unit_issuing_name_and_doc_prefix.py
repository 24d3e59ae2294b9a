from django.db import migrations, models


def fields():
    return [
        ("issuing_name", models.CharField(blank=True, default="", help_text="公文版头上的发文机关全称，如“中共双峰县井字镇委员会”。",
                                          max_length=60, verbose_name="发文机关名称")),
        ("doc_prefix", models.CharField(blank=True, default="", help_text="文号中的机关代字，如“井”（井发〔2026〕12号）。",
                                        max_length=8, verbose_name="发文机关代字")),
    ]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("branches", "0010_live_version_tokens")]
    operations = [
        migrations.AddField(model_name=model, name=name, field=field)
        for model in ("unit", "historicalunit")
        for name, field in fields()
    ]
