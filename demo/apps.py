from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only for its `load_demo` command: the demo has no models."""

    name = "demo"
    verbose_name = "演示数据"
