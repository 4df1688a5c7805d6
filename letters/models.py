"""市長への手紙 case handling: routing, due dates, approvals, reply."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU, MAYOR
from core.models import TimeStampedModel
from core.personal_data import PersonalData


class LetterCase(TimeStampedModel):
    PERSONAL_DATA = PersonalData(
        file="市長への手紙の回付・回答",
        purpose="市長への手紙を所管課に回付し、回答を作成・決裁・送付すること；同意を得た手紙の要旨の公表",
        fields=("routed_text", "reply_text"),
        subjects="市長への手紙を提出した者",
        retention=("letter",),
        seen_by=(DEPARTMENT_STAFF, DEPARTMENT_APPROVER, KOUCHOU, MAYOR, ADMIN),
        source="広聴が手紙から個人情報を伏せて作成（回付用の本文）、所管課が作成（回答）",
        sensitive="手紙の内容により、病歴・障害などが含まれることがあります",
        note="所管課は個人情報を伏せた回付用の本文だけを読みます。公表する要旨は個人情報がないことを確認してから公表します。",
    )

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        ROUTED = "routed", _("担当課へ回付")
        DRAFTED = "drafted", _("回答案作成済み")
        KACHO_APPROVED = "kacho_approved", _("課長承認")
        BUCHO_APPROVED = "bucho_approved", _("部長承認")
        # Only a letter marked 市長確認が必要: 広聴 approved, the 市長 has not yet.
        KOUCHOU_APPROVED = "kouchou_approved", _("広聴確認済み（市長確認待ち）")
        APPROVED = "approved", _("広聴確認済み")
        SENT = "sent", _("回答送付済み")
        FILED = "filed", _("回答せず受理（参考意見）")

    class Disposition(models.TextChoices):
        ANONYMOUS = "anonymous", _("匿名・連絡先なし")
        NO_REPLY_WANTED = "no_reply", _("回答希望なし")
        DEFAMATION = "defamation", _("誹謗中傷・プライバシー侵害")
        COMMERCIAL = "commercial", _("営利・宗教・違法・公序良俗違反")
        OUT_OF_SCOPE = "out_of_scope", _("市政に関係しない")
        UNCLEAR = "unclear", _("内容が不明確")
        DUPLICATE = "duplicate", _("既出と同一主旨")

    submission = models.OneToOneField(
        "feedback.Submission",
        verbose_name=_("手紙"),
        on_delete=models.CASCADE,
        related_name="letter_case",
    )
    status = models.CharField(
        _("状態"),
        max_length=20,
        choices=Status.choices,
        default=Status.RECEIVED,
        db_index=True,
    )
    # 分野: chosen by 広聴 when routing (required then); counted on the dashboard.
    category = models.ForeignKey(
        "letters.LetterCategory",
        verbose_name=_("分野"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # 市長確認が必要: set by 広聴 at routing or later, before sending; the reply
    # then waits for the 市長 (秘書課) after 広聴's approval (letters.workflow).
    mayor_review = models.BooleanField(_("市長確認が必要"), default=False)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回付した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routed_at = models.DateTimeField(_("回付日時"), null=True, blank=True)
    due_on = models.DateField(_("回答期限"), null=True, blank=True, db_index=True)
    # What the 所管課 reads: the letter with personal data masked by 広聴.
    routed_text = models.TextField(_("回付用の本文（個人情報を伏せたもの）"), blank=True)
    reply_text = models.TextField(_("回答"), blank=True)
    reply_channel = models.CharField(_("回答方法"), max_length=10, blank=True)
    sent_at = models.DateTimeField(_("回答送付日時"), null=True, blank=True)
    # Set by the mail task; a second delivery of the task sends nothing.
    reply_emailed_at = models.DateTimeField(_("回答メール送信日時"), null=True, blank=True)
    disposition = models.CharField(_("回答しない理由"), max_length=20, choices=Disposition.choices, blank=True)
    reminded_before_at = models.DateTimeField(_("期限前の通知日時"), null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(_("期限超過の通知日時"), null=True, blank=True)
    published = models.BooleanField(_("公表する"), default=False)
    published_summary = models.TextField(_("意見の要旨（公表用）"), blank=True)
    published_reply_summary = models.TextField(_("回答の要旨（公表用）"), blank=True)
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    # The public table is per 年度 of receipt; stored so that page filters one
    # indexed column instead of joining every submission.
    published_fiscal_year = models.PositiveIntegerField(_("公表する年度（受付日の年度）"), null=True, blank=True)

    class Meta:
        verbose_name = _("市長への手紙の案件")
        verbose_name_plural = _("市長への手紙の案件")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["published_fiscal_year"],
                condition=models.Q(published=True),
                name="letter_published_year",
            )
        ]


class LetterApproval(models.Model):
    PERSONAL_DATA = PersonalData(
        file="市長への手紙の回答の決裁",
        purpose="回答案の決裁（課長・部長・広聴、市長確認が必要な手紙は市長）の記録",
        fields=("approver", "comment"),
        subjects="決裁した職員（コメントに手紙の内容が含まれることがあります）",
        retention=("letter",),
        seen_by=(DEPARTMENT_STAFF, DEPARTMENT_APPROVER, KOUCHOU, MAYOR, ADMIN),
        source="決裁した職員が入力",
    )

    class Stage(models.TextChoices):
        """Who approves a reply draft, in order (letters.workflow.APPROVAL_CHAIN).

        The 市長 (or 秘書課) only for a letter marked 市長確認が必要.
        """

        KACHO = "kacho", _("課長")
        BUCHO = "bucho", _("部長")
        KOUCHOU = "kouchou", _("広聴")
        MAYOR = "mayor", _("市長")

    case = models.ForeignKey(
        LetterCase,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    stage = models.CharField(_("段階"), max_length=10, choices=Stage.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承認者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved = models.BooleanField(_("承認"), default=True)
    comment = models.TextField(_("コメント"), blank=True)
    decided_at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("回答の承認")
        verbose_name_plural = _("回答の承認")
        ordering = ["decided_at"]

    def __str__(self):
        return f"{self.case_id} {self.get_stage_display()} {'承認' if self.approved else '差し戻し'}"


class LetterCategory(models.Model):
    """分野 of a 市長への手紙 (福祉・医療, 道路・交通…), chosen by 広聴 when routing.

    Edited in the Django admin: the order is the order of the routing form's
    choices and of the dashboard; a category no longer used is made inactive
    (it stays on the letters that have it), never deleted while in use.
    """

    code = models.SlugField(
        _("コード"), max_length=30, unique=True, help_text=_("API と CSV で使う英数字（例：welfare）")
    )
    name = models.CharField(_("分野"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使用中"), default=True, help_text=_("外すと、回付の画面で選べなくなります。"))

    class Meta:
        verbose_name = _("市長への手紙の分野")
        verbose_name_plural = _("市長への手紙の分野")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class PolicyDepartment(models.Model):
    """Which 課 usually answers letters about a 施策 (routing suggestion)."""

    policy = models.OneToOneField(
        "plans.Policy",
        verbose_name=_("施策"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("所管課"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("施策の所管課")
        verbose_name_plural = _("施策の所管課")

    def __str__(self):
        return f"{self.policy_id} → {self.department_id}"
