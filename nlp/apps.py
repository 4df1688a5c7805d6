from django.apps import AppConfig


class NlpConfig(AppConfig):
    name = "nlp"
    verbose_name = "自然言語処理"

    def ready(self):
        # App registry hooks must be imported once the models are loaded.
        from nlp import receivers  # noqa: F401
