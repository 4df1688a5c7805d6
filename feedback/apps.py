from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "提出意見"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
