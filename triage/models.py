"""Staff triage: notes on a submission (assignment and status are fields of feedback.Submission)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import STAFF_WORKING_ROLES
from core.models import TimeStampedModel
from core.personal_data import PersonalData


class InternalNote(TimeStampedModel):
    """A staff-only note on a submission (never published)."""

    PERSONAL_DATA = PersonalData(
        file="提出への内部メモ",
        purpose="職員間の引き継ぎと対応の記録（公開しません）",
        fields=("author", "text"),
        subjects="メモを書いた職員、メモに書かれた提出者",
        retention=("letter", "パブリック・コメントへのメモは意見本文と同じく保存"),
        seen_by=STAFF_WORKING_ROLES,
        source="職員が入力",
    )

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
