from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "提出意見（受付）"

    def ready(self):
        # The lifecycle's signals (consultations.signals) are answered here.
        from feedback import receivers  # noqa: F401
