from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "アカウント"

    def ready(self):
        from accounts import deletion_audit, signals  # noqa: F401
