from django.apps import AppConfig


class FifthLineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tests.fifth_line"
    label = "fifth_line"
    verbose_name = "支部+人才回引"
