"""Staff triage: notes on a submission (assignment and status are fields of feedback.Submission)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class InternalNote(TimeStampedModel):
    """A staff-only note on a submission (never published)."""

    submission = models.ForeignKey(
        "feedback.Submission",
        verbose_name=_("提出"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記入者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("メモ"))

    class Meta:
        verbose_name = _("内部メモ")
        verbose_name_plural = _("内部メモ")
        ordering = ["created_at"]
