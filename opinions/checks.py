"""System checks for the city's configuration of the feedback app."""

from django.conf import settings
from django.core import checks


@checks.register()
def decision_labels_check(app_configs, **kwargs):
    """KOE_DECISION_LABELS may only rename the known 対応区分 keys."""
    from opinions.models import OpinionGroup

    unknown = sorted(set(getattr(settings, "KOE_DECISION_LABELS", {})) - set(OpinionGroup.Decision.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"KOE_DECISION_LABELS に未知の対応区分があります: {', '.join(unknown)}",
            hint="使える区分: " + ", ".join(OpinionGroup.Decision.values),
            id="feedback.E001",
        )
    ]
