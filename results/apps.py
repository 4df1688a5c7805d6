from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = "結果の公表・集計"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # App registry hooks must be imported once the models are loaded.
        from results import receivers  # noqa: F401
