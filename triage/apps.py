from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "振り分け（トリアージ）"
    default_auto_field = "django.db.models.BigAutoField"
