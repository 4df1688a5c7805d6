from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "総合計画"
