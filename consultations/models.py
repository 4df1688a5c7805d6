"""Consultations: パブリック・コメント, アンケート/市民意識調査, 市長への手紙."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

# 年代・性別・地区・居住年数: what every survey asked before the attributes
# became a choice per survey (#15), and still the default of a new one.
DEFAULT_RESPONDENT_ATTRIBUTES = ("age_band", "gender", "district", "residence_years")


def default_respondent_attributes() -> list[str]:
    return list(DEFAULT_RESPONDENT_ATTRIBUTES)


def validate_respondent_attributes(value) -> None:
    known = set(Consultation.RespondentAttribute.values)
    if not isinstance(value, list) or not all(isinstance(item, str) and item in known for item in value):
        raise ValidationError(
            _("回答者に尋ねる属性は、%(known)s から選んでください。")
            % {"known": "・".join(str(label) for label in Consultation.RespondentAttribute.labels)}
        )


class Consultation(TimeStampedModel):
    class Kind(models.TextChoices):
        PUBLIC_COMMENT = "public_comment", _("パブリック・コメント")
        SURVEY = "survey", _("アンケート・市民意識調査")
        LETTER = "letter", _("市長への手紙")

    class Status(models.TextChoices):
        DRAFT = "draft", _("準備中")
        SCHEDULED = "scheduled", _("公開予定")
        OPEN = "open", _("募集中")
        CLOSED = "closed", _("募集終了（集計中）")
        PUBLISHED = "published", _("結果公表済み")
        WITHDRAWN = "withdrawn", _("取り下げ")

    class Eligibility(models.TextChoices):
        RESIDENT = "resident", _("市内に在住")
        WORKER = "worker", _("市内に在勤")
        STUDENT = "student", _("市内に在学")
        BUSINESS = "business", _("市内に事務所・事業所を有する")
        TAXPAYER = "taxpayer", _("市に納税義務を有する")
        STAKEHOLDER = "stakeholder", _("本案件に利害関係を有する")
        ACTIVITY = "activity", _("公益を目的として市内で活動する")
        OTHER = "other", _("その他")

    class IdentityField(models.TextChoices):
        NAME = "name", _("氏名")
        ADDRESS = "address", _("住所")
        CONTACT = "contact", _("連絡先（電話またはメール）")
        ELIGIBILITY = "eligibility", _("提出資格の区分")

    class PostalRule(models.TextChoices):
        ARRIVAL = "arrival", _("必着")
        POSTMARK = "postmark", _("消印有効")

    class RespondentAttribute(models.TextChoices):
        """The respondent's attributes a survey may ask after its questions (the form's order)."""

        AGE_BAND = "age_band", _("年代")
        GENDER = "gender", _("性別")
        DISTRICT = "district", _("地区")
        RESIDENCE_YEARS = "residence_years", _("居住年数")
        OCCUPATION = "occupation", _("職業")
        HOUSEHOLD = "household", _("世帯構成")

    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("状態"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("案件名"), max_length=200)
    summary = models.TextField(_("概要"), blank=True)
    legal_basis = models.CharField(_("根拠（条例・要綱の条項）"), max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("担当課"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    policies = models.ManyToManyField(
        "plans.Policy",
        verbose_name=_("関連する施策"),
        blank=True,
        related_name="consultations",
    )
    announced_on = models.DateField(_("公示日"), null=True, blank=True)
    opens_at = models.DateTimeField(_("募集開始"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("募集締切"),
        null=True,
        blank=True,
        help_text=_("締切日の23時59分59秒（日本時間）"),
    )
    short_period_reason = models.TextField(_("期間を短縮する理由"), blank=True)
    eligibility = models.JSONField(_("提出できる方"), default=list, blank=True)
    required_identity = models.JSONField(_("必須の本人情報"), default=list, blank=True)
    allow_anonymous_account = models.BooleanField(
        _("アカウントなしで提出可"),
        default=True,
        help_text=_("オフにするとログインした方だけが提出できます"),
    )
    submission_address = models.TextField(_("提出先（郵送・持参・FAX・メール）"), blank=True)
    postal_rule = models.CharField(
        _("郵送の締切"),
        max_length=10,
        choices=PostalRule.choices,
        default=PostalRule.ARRIVAL,
    )
    max_opinion_chars = models.PositiveIntegerField(_("意見の最大文字数"), default=4000)
    invitation_required = models.BooleanField(_("招待コードが必要（標本調査）"), default=False)
    target_population = models.CharField(_("調査対象"), max_length=200, blank=True)
    sample_size = models.PositiveIntegerField(_("標本数（配布数）"), null=True, blank=True)
    respondent_attributes = models.JSONField(
        _("回答者に尋ねる属性"),
        default=default_respondent_attributes,
        blank=True,
        validators=[validate_respondent_attributes],
        help_text=_(
            "アンケートの最後に尋ねる属性（年代・性別・地区・居住年数・職業・世帯構成）。尋ねないものは外します。"
        ),
    )
    published_at = models.DateTimeField(_("結果公表日時"), null=True, blank=True)
    decided_on = models.DateField(_("決定日"), null=True, blank=True)
    # 提出者数・意見件数 as approved at publication: the published record does
    # not change afterwards, so the public pages read it instead of recounting.
    results_counts = models.JSONField(_("公表時の件数"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("取り下げの理由"), blank=True)
    # 案の取り下げ (行政手続法43条4項): set only by consultation_withdraw.
    withdrawn_at = models.DateTimeField(_("取り下げ日時"), null=True, blank=True, editable=False)
    # 案の版: 1 as announced, +1 for every change of the draft after 公示
    # (consultations.drafts.consultation_draft_revise, one DraftVersion each).
    draft_version = models.PositiveIntegerField(_("案の版"), default=1, editable=False)
    # 決定版 and 差異, recorded with the results (行政手続法43条1項4号).
    final_url = models.URLField(
        _("決定版のURL"),
        max_length=500,
        blank=True,
        help_text=_("決定した計画・条例等を掲載したページ（決定版のファイルを登録する場合は不要）。"),
    )
    final_file = models.FileField(_("決定版のファイル"), upload_to="consultations/final/%Y/", blank=True)
    revision_summary = models.TextField(
        _("案からの修正内容（差異）"),
        blank=True,
        help_text=_("提出された意見を踏まえて案から修正した箇所と内容。修正していなければ「修正なし」を選びます。"),
    )
    unrevised = models.BooleanField(
        _("修正なし（案のとおり決定）"),
        default=False,
        help_text=_("案から修正せずに決定したことを明示します。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("意見募集案件")
        verbose_name_plural = _("意見募集案件")
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["kind", "status", "closes_at"])]

    def __str__(self):
        return self.title

    @property
    def receipt_prefix(self) -> str:
        return {"public_comment": "PC", "survey": "SV", "letter": "ML"}[self.kind]

    @property
    def is_always_open(self) -> bool:
        return self.kind == self.Kind.LETTER

    def period_days(self) -> int | None:
        """Days from the 公示日 to the closing day, both counted (行政手続法39条3項)."""
        if not (self.announced_on and self.closes_at):
            return None
        from django.utils import timezone

        closing_day = timezone.localtime(self.closes_at).date()
        return (closing_day - self.announced_on).days + 1


class DraftSection(models.Model):
    """A numbered section of the draft (the 該当箇所 a comment refers to)."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    number = models.CharField(_("番号"), max_length=20)
    heading = models.CharField(_("見出し"), max_length=200)
    body = models.TextField(_("本文"), blank=True)
    page_label = models.CharField(_("ページ"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("案の項目（該当箇所）")
        verbose_name_plural = _("案の項目（該当箇所）")
        ordering = ["consultation", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"], name="uniq_section_number")]

    def __str__(self):
        return f"{self.number} {self.heading}"


class Attachment(models.Model):
    """The draft document and related materials (案・関連資料)."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(_("ファイル"), upload_to="consultations/%Y/")
    is_draft = models.BooleanField(_("案本体"), default=False)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("資料")
        verbose_name_plural = _("資料")
        ordering = ["consultation", "order", "id"]

    def __str__(self):
        return self.title


class DraftVersion(models.Model):
    """One change of the draft after 公示 (案の版 2, 3, …): what changed, when and why.

    Written only by consultations.drafts.consultation_draft_revise; version 1
    is the draft as announced and has no row. ``changes`` lists one entry per
    該当箇所 or 資料 touched: ``{"kind": "section"|"attachment", "action":
    "added"|"changed"|"removed", "label": …, "fields": {name: [before, after]}}``
    (a file as its stored name), so every earlier text can be shown again.
    """

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="draft_versions",
    )
    number = models.PositiveIntegerField(_("版"))
    changes = models.JSONField(_("変更内容"), default=list)
    reason = models.TextField(_("変更の理由"))
    created_at = models.DateTimeField(_("変更日時"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("変更した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("案の変更履歴")
        verbose_name_plural = _("案の変更履歴")
        ordering = ["consultation", "number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"], name="uniq_draft_version_number")]

    def __str__(self):
        return f"{self.consultation_id}: 第{self.number}版"


class Question(models.Model):
    """A survey question; may measure a 施策's 目標指標."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("単一回答")
        MULTIPLE = "multiple", _("複数回答")
        SCALE5 = "scale5", _("5段階評価")
        FREE_TEXT = "free_text", _("自由記述")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("アンケート"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    number = models.PositiveIntegerField(_("問番号"))
    text = models.TextField(_("設問"))
    kind = models.CharField(_("回答形式"), max_length=20, choices=Kind.choices)

    class OverLimit(models.TextChoices):
        """What a paper answer with more choices than 「Nつまで」 allows counts as.

        The web form always asks the resident to choose again; the rule is
        for answers staff type in from paper, where nobody can be asked.
        """

        REFUSE = "refuse", _("受け付けない（上限を超えた回答はエラーにする）")
        KEEP_FIRST = "keep_first", _("番号の小さい選択肢から上限の数まで有効とする")

    required = models.BooleanField(_("必須"), default=False)
    max_choices = models.PositiveIntegerField(_("選択できる数の上限"), null=True, blank=True)
    over_limit = models.CharField(
        _("上限を超えて選ばれた紙の回答"),
        max_length=12,
        choices=OverLimit.choices,
        default=OverLimit.REFUSE,
        help_text=_("複数回答で上限（Nつまで）を超えて○が付いた調査票の扱い。ウェブでは常に選び直してもらいます。"),
    )
    indicator = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("測定する目標指標"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    help_text = models.CharField(_("補足"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering = ["consultation", "number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"], name="uniq_question_number")]

    def __str__(self):
        return f"問{self.number} {self.text[:30]}"


class Choice(models.Model):
    question = models.ForeignKey(
        Question,
        verbose_name=_("設問"),
        on_delete=models.CASCADE,
        related_name="choices",
    )
    label = models.CharField(_("選択肢"), max_length=200)
    # For 5-point scales: 5 = most positive … 1 = most negative, 0 = わからない.
    value = models.IntegerField(_("値"))
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("選択肢")
        verbose_name_plural = _("選択肢")
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.label


class InvitationBatch(models.Model):
    """One issue of invitation codes (招待コードの発行): how many, when and by whom — never the codes.

    The plain codes exist only in the response that issued them
    (consultations.services.surveys.invitation_codes_issue); a batch whose
    sheets were lost can be voided, which deletes its unused codes so the
    response rate is not computed over codes nobody received.
    """

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("アンケート"),
        on_delete=models.CASCADE,
        related_name="invitation_batches",
    )
    count = models.PositiveIntegerField(_("発行数"))
    note = models.CharField(_("備考"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("発行した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("未使用分を無効にした日時"), null=True, blank=True)
    voided_count = models.PositiveIntegerField(_("無効にした数"), default=0)

    class Meta:
        verbose_name = _("招待コードの発行")
        verbose_name_plural = _("招待コードの発行")
        ordering = ["consultation", "issued_at", "id"]

    def __str__(self):
        return f"{self.consultation_id}: {self.count}件（{self.issued_at:%Y-%m-%d}）"


class InvitationCode(models.Model):
    """One code per sampled resident; never linked to the response it allows."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("アンケート"),
        on_delete=models.CASCADE,
        related_name="invitation_codes",
    )
    batch = models.ForeignKey(
        InvitationBatch,
        verbose_name=_("発行"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="codes",
    )
    code_hash = models.CharField(_("コードのハッシュ"), max_length=64, unique=True)
    # Midnight of the day it was used (feedback.services.intake): the time
    # would match the answer's and link the two.
    used_at = models.DateTimeField(
        _("使用日"), null=True, blank=True, help_text=_("回答と結び付かないよう、日付だけを記録します。")
    )

    class Meta:
        verbose_name = _("招待コード")
        verbose_name_plural = _("招待コード")

    def __str__(self):
        return f"{self.consultation_id}:{self.code_hash[:8]}"


class ReminderWave(models.Model):
    """One 督促 (reminder) mailing of a survey, as staff record it after sending.

    The staff survey page splits the responses at each wave's 発送日 to show
    how many came in after each reminder.
    """

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("アンケート"),
        on_delete=models.CASCADE,
        related_name="reminder_waves",
    )
    sent_on = models.DateField(_("発送日"))
    sent_count = models.PositiveIntegerField(_("発送数"))
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("督促")
        verbose_name_plural = _("督促")
        ordering = ["consultation", "sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "sent_on"], name="uniq_reminder_wave_day")]

    def __str__(self):
        return f"{self.consultation_id}: {self.sent_on}（{self.sent_count}通）"
