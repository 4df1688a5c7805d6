from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "共通"

    def ready(self):
        from core import checks  # noqa: F401 - registers the system checks
        from core.converters import CodeConverter

        # Registered here, before any URLconf is imported, so every app's
        # urls.py can use <code:…>.
        register_converter(CodeConverter, "code")
