"""意見の概要と市の考え方: submissions split into 意見, grouped into 意見要旨, answered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import STAFF_WORKING_ROLES
from core.models import TimeStampedModel
from core.personal_data import PersonalData


class OpinionGroup(TimeStampedModel):
    """意見要旨: one row of the published 意見の概要と市の考え方 table."""

    class Decision(models.TextChoices):
        REFLECTED = "reflected", _("反映")
        PARTLY = "partly", _("一部反映")
        ALREADY = "already", _("既に記載")
        REFERENCE = "reference", _("参考")
        DIFFICULT = "difficult", _("対応困難")

    class Review(models.TextChoices):
        DRAFT = "draft", _("作成中")
        DEPARTMENT_APPROVED = "dept_approved", _("課長承認済み")
        KOUCHOU_CHECKED = "kouchou_checked", _("広聴確認済み")
        APPROVED = "approved", _("承認済み")

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="opinion_groups",
    )
    number = models.PositiveIntegerField(_("番号"))
    section = models.ForeignKey(
        "consultations.DraftSection",
        verbose_name=_("該当箇所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("意見の概要"), blank=True)
    response = models.TextField(_("市の考え方"), blank=True)
    decision = models.CharField(_("対応区分"), max_length=20, choices=Decision.choices, blank=True)
    revised = models.BooleanField(_("修正の有無"), default=False)
    revised_text = models.TextField(_("修正後の文案"), blank=True)
    review = models.CharField(
        _("確認状況"),
        max_length=20,
        choices=Review.choices,
        default=Review.DRAFT,
        db_index=True,
    )
    withheld = models.BooleanField(
        _("公表しない"),
        default=False,
        help_text=_("第三者の利益を害するおそれ等（行政手続法43条3項の趣旨）"),
    )
    withheld_reason = models.TextField(_("公表しない理由"), blank=True)
    # The NLP campaign group (Submission.duplicate_group_key) this row was
    # seeded from, so copies that arrive later join the same row.
    campaign_key = models.CharField(_("同趣旨グループ"), max_length=64, blank=True, db_index=True)
    representative = models.ForeignKey(
        "opinions.OpinionItem",
        verbose_name=_("代表意見"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def get_decision_display(self) -> str:
        """The city's label for the 対応区分 (KOE_DECISION_LABELS), else the default."""
        return decision_label(self.decision)

    class Meta:
        verbose_name = _("意見要旨")
        verbose_name_plural = _("意見要旨")
        ordering = ["consultation", "number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"], name="uniq_group_number")]

    def __str__(self):
        return f"{self.consultation_id}-{self.number}"


class OpinionItem(TimeStampedModel):
    """One point (意見) split from a submission; counted in 意見件数."""

    PERSONAL_DATA = PersonalData(
        file="意見の分割",
        purpose="提出を意見ごとに分け、意見の概要と市の考え方を作成すること",
        fields=("text",),
        subjects="パブリック・コメントを提出した者（本文に書かれた個人情報）",
        retention=("意見本文と同じく保存",),
        seen_by=STAFF_WORKING_ROLES,
        source="職員が提出の本文から切り出す",
        note="所管課職員・課長には、個人情報を伏せた本文を表示します。",
    )

    submission = models.ForeignKey(
        "feedback.Submission",
        verbose_name=_("提出"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    order = models.PositiveIntegerField(_("順番"), default=1)
    text = models.TextField(_("意見（該当部分）"))
    # Where the excerpt sits in Submission.body (start inclusive, end
    # exclusive); masking for staff without PII access is derived from it.
    start = models.PositiveIntegerField(_("開始位置"), null=True, blank=True)
    end = models.PositiveIntegerField(_("終了位置"), null=True, blank=True)
    section = models.ForeignKey(
        "consultations.DraftSection",
        verbose_name=_("該当箇所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    group = models.ForeignKey(
        OpinionGroup,
        verbose_name=_("意見要旨"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )

    class Meta:
        verbose_name = _("意見")
        verbose_name_plural = _("意見")
        ordering = ["submission", "order"]
        constraints = [models.UniqueConstraint(fields=["submission", "order"], name="uniq_item_order")]


def decision_label(key: str) -> str:
    """Return the label of a 対応区分 key, as the city names it."""
    if not key:
        return ""
    custom = getattr(settings, "KOE_DECISION_LABELS", {})
    return custom.get(key) or str(dict(OpinionGroup.Decision.choices).get(key, key))


def decision_choices() -> list[tuple[str, str]]:
    """The 対応区分 choices with the city's labels, in their fixed order."""
    return [(key, decision_label(key)) for key in OpinionGroup.Decision.values]


class InspectionRedaction(TimeStampedModel):
    """墨塗り: a staff decision to leave a submission, or a passage of it, out of the 閲覧用の写し.

    The 閲覧用の写し (行政手続法43条2項: the opinions as received, kept for
    閲覧 at the counter or given on request) shows every submission's masked
    text; a staff member may withhold more — the whole submission or one
    passage — for harm to a third party or another legitimate reason
    (43条3項の趣旨), which is required and printed in the 墨塗り記録. A
    passage is kept as offsets into ``Submission.body`` (immutable), never as
    text, so the record does not repeat what it hides and survives a new
    analysis. Withdrawing a redaction keeps the row (who, when, why), so the
    log stays complete.
    """

    class Scope(models.TextChoices):
        SUBMISSION = "submission", _("提出全体")
        PASSAGE = "passage", _("本文の一部")

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="inspection_redactions",
    )
    submission = models.ForeignKey(
        "feedback.Submission",
        verbose_name=_("提出"),
        on_delete=models.CASCADE,
        related_name="inspection_redactions",
    )
    scope = models.CharField(_("範囲"), max_length=12, choices=Scope.choices)
    # Where the passage sits in Submission.body (start inclusive, end exclusive).
    start = models.PositiveIntegerField(_("開始位置"), null=True, blank=True)
    end = models.PositiveIntegerField(_("終了位置"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_label = models.CharField(_("記録した職員（表示名）"), max_length=255, blank=True)
    revoked_at = models.DateTimeField(_("取り消し日時"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取り消した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_by_label = models.CharField(_("取り消した職員（表示名）"), max_length=255, blank=True)
    revoke_reason = models.TextField(_("取り消しの理由"), blank=True)

    class Meta:
        verbose_name = _("閲覧用の写しの墨塗り")
        verbose_name_plural = _("閲覧用の写しの墨塗り")
        ordering = ["consultation", "submission", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="submission", start__isnull=True, end__isnull=True)
                | models.Q(scope="passage", start__isnull=False, end__isnull=False, start__lt=models.F("end")),
                name="inspection_redaction_span",
            )
        ]

    def __str__(self):
        return f"{self.submission_id}:{self.scope}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
