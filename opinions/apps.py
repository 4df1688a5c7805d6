from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "opinions"
    verbose_name = "意見の概要と市の考え方"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # App registry hooks must be imported once the models are loaded:
        # the 対応区分 system check, and the queue's 意見要旨に加える action.
        from opinions import checks  # noqa: F401
        from opinions.services.queue_actions import submissions_add_to_group_action
        from triage.staff_views import EXTRA_BULK_ACTIONS

        EXTRA_BULK_ACTIONS["group"] = submissions_add_to_group_action
