from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "市長への手紙"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # App registry hooks must be imported once the models are loaded.
        from letters import receivers  # noqa: F401
