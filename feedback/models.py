"""Submissions: the opinions, answers and letters residents send."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import CITYWIDE_ROLES, STAFF_WORKING_ROLES
from core.personal_data import PersonalData


class Channel(models.TextChoices):
    WEB = "web", _("ウェブフォーム")
    API = "api", _("API")
    EMAIL = "email", _("電子メール")
    FAX = "fax", _("FAX")
    POST = "post", _("郵送")
    COUNTER = "counter", _("持参（窓口）")

    @classmethod
    def staff_entry(cls):
        return [cls.EMAIL, cls.FAX, cls.POST, cls.COUNTER]


class AgeBand(models.TextChoices):
    UNDER_20 = "u20", _("19歳以下")
    S20 = "20s", _("20歳代")
    S30 = "30s", _("30歳代")
    S40 = "40s", _("40歳代")
    S50 = "50s", _("50歳代")
    S60 = "60s", _("60歳代")
    S70 = "70s", _("70歳以上")
    NO_ANSWER = "na", _("回答しない")


class Gender(models.TextChoices):
    FEMALE = "female", _("女性")
    MALE = "male", _("男性")
    OTHER = "other", _("その他")
    NO_ANSWER = "na", _("回答しない")


class ResidenceYears(models.TextChoices):
    UNDER_1 = "lt1", _("1年未満")
    Y1_5 = "1to5", _("1年以上5年未満")
    Y5_10 = "5to10", _("5年以上10年未満")
    Y10_20 = "10to20", _("10年以上20年未満")
    OVER_20 = "gte20", _("20年以上")
    NON_RESIDENT = "non", _("市外在住")
    NO_ANSWER = "na", _("回答しない")


class Occupation(models.TextChoices):
    """職業, in the categories 市民意識調査 reports tabulate by."""

    SELF_EMPLOYED = "self", _("自営業・自由業（家族従業を含む）")
    EMPLOYEE = "employee", _("会社員・公務員・団体職員")
    PART_TIME = "parttime", _("パート・アルバイト・派遣・契約社員")
    STUDENT = "student", _("学生")
    HOMEMAKER = "home", _("家事専業")
    UNEMPLOYED = "none", _("無職")
    OTHER = "other", _("その他")
    NO_ANSWER = "na", _("回答しない")


class Household(models.TextChoices):
    """世帯構成 (単身・一世代・二世代・三世代), as 市民意識調査 and 世論調査 ask it."""

    SINGLE = "single", _("ひとり暮らし")
    COUPLE = "couple", _("夫婦のみ")
    TWO_GENERATIONS = "two_gen", _("親と子（二世代）")
    THREE_GENERATIONS = "three_gen", _("親と子と孫（三世代）")
    OTHER = "other", _("その他の世帯")
    NO_ANSWER = "na", _("回答しない")


class Submission(models.Model):
    """One 提出 as received; the text never changes after it is stored."""

    PERSONAL_DATA = PersonalData(
        file="提出された意見・回答・手紙",
        purpose="意見の受付・集計・分析、意見の概要と市の考え方の作成と公表（個人情報を除く）、市長への手紙への回答",
        fields=("author", "body", "age_band", "gender", "district", "residence_years", "occupation", "household"),
        subjects="パブリック・コメント、アンケート、市長への手紙を提出した者",
        retention=(
            "submission_identity",
            "letter",
            "パブリック・コメントとアンケートの本文・受付番号は公的な記録として保存",
        ),
        seen_by=(*CITYWIDE_ROLES, "self"),
        source="本人がウェブフォーム・API で入力、または紙・FAX・メール・窓口で受けたものを職員が入力・CSV 取込",
        sensitive="本文に病歴・障害などが書かれることがあります",
        note="所管課職員・課長には個人情報を伏せた本文だけを表示します。年代・性別・地区・居住年数・職業・世帯構成はアンケートの属性です（調査ごとに尋ねるものを選びます）。",
    )

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付済み")
        IN_REVIEW = "in_review", _("確認中")
        ANSWERED = "answered", _("回答済み")
        FILED = "filed", _("参考意見として受理")
        WITHDRAWN = "withdrawn", _("取り下げ")

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    receipt_number = models.CharField(_("受付番号"), max_length=32, unique=True)
    channel = models.CharField(_("提出方法"), max_length=10, choices=Channel.choices, db_index=True)
    status = models.CharField(
        _("状態"),
        max_length=20,
        choices=Status.choices,
        default=Status.RECEIVED,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出者アカウント"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代理入力した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("受付日時"), db_index=True)
    received_on = models.DateField(_("到着日（紙・FAX等）"), null=True, blank=True)
    section = models.ForeignKey(
        "consultations.DraftSection",
        verbose_name=_("該当箇所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    section_text = models.CharField(_("該当箇所（自由記入）"), max_length=200, blank=True)
    # 案の版 when it was sent (a paper one: on its 到着日); パブリック・コメント only.
    draft_version = models.PositiveIntegerField(_("提出時の案の版"), null=True, blank=True, editable=False)
    body = models.TextField(_("意見（原文）"), blank=True)
    reply_requested = models.BooleanField(_("回答希望"), default=False)
    publication_consent = models.BooleanField(_("公表してもよい"), default=False)
    # The page's language when it was sent (#15), set by intake's caller; the
    # text itself is stored as written, never translated.
    language = models.CharField(
        _("提出時の言語"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="ja",
    )
    identity_incomplete = models.BooleanField(
        _("要件不備"),
        default=False,
        help_text=_("必須の本人情報が欠けています（参考意見として扱います）"),
    )
    age_band = models.CharField(_("年代"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("性別"), max_length=8, choices=Gender.choices, blank=True)
    district = models.ForeignKey(
        "core.District",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    residence_years = models.CharField(_("居住年数"), max_length=8, choices=ResidenceYears.choices, blank=True)
    occupation = models.CharField(_("職業"), max_length=12, choices=Occupation.choices, blank=True)
    household = models.CharField(_("世帯構成"), max_length=12, choices=Household.choices, blank=True)
    withdrawn_at = models.DateTimeField(_("取り下げ日時"), null=True, blank=True)
    # Triage: which 所管課 handles it and which 施策 staff confirmed.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("所管課"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    policy = models.ForeignKey(
        "plans.Policy",
        verbose_name=_("施策（確定）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    # Denormalised from the current model's analysis so the queue can filter
    # and sort 100,000s of rows on indexed columns.
    suggested_policy = models.ForeignKey(
        "plans.Policy",
        verbose_name=_("施策（推定）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggestion_confidence = models.FloatField(_("推定の確信度"), null=True, blank=True)
    duplicate_group_key = models.CharField(_("同趣旨グループ"), max_length=64, blank=True, db_index=True)
    receipt_sent_at = models.DateTimeField(_("受付メール送信日時"), null=True, blank=True)
    # 結果公表のお知らせ (#15): the resident asked, on the web form, to be told by e-mail
    # when the results are published; sent once (results_notice_sent_at).
    results_notice = models.BooleanField(_("結果公表のお知らせを希望"), default=False)
    results_notice_sent_at = models.DateTimeField(_("結果公表のお知らせ送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("提出")
        verbose_name_plural = _("提出")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["consultation", "status", "submitted_at"]),
            models.Index(fields=["author", "submitted_at"]),
            models.Index(fields=["department", "status", "submitted_at"]),
            # The queue-order indexes (confidence ASC NULLS FIRST) are created
            # in migration 0007 with SQL: SQLite cannot declare NULLS FIRST.
        ]

    def __str__(self):
        return self.receipt_number

    def save(self, *args, **kwargs):
        # The original is evidence (情報公開, 43条2項): never rewrite it.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("body", flat=True).first()
            if stored is not None and stored != self.body:
                raise PermissionError("提出された原文は変更できません。")
        super().save(*args, **kwargs)


class SubmitterIdentity(models.Model):
    """Personal data of the submitter, kept apart from the opinion text."""

    PERSONAL_DATA = PersonalData(
        file="提出者の個人情報",
        purpose="提出者の確認（提出資格・要件）、回答の送付、内容についての問い合わせ",
        fields=(
            "submitter_kind",
            "name",
            "name_kana",
            "organization",
            "representative",
            "postcode",
            "address",
            "address_building",
            "address_town",
            "phone",
            "email",
            "contact_method",
            "eligibility",
            "eligibility_detail",
        ),
        subjects="パブリック・コメント、市長への手紙を提出した者（団体の場合はその代表者、連名の場合は連絡先の者）",
        retention=("submission_identity", "letter"),
        seen_by=CITYWIDE_ROLES,
        source="本人がウェブフォーム・API で入力、または紙・FAX・メール・窓口で受けたものを職員が入力・CSV 取込",
        note="所管課職員・課長には表示しません。広聴・管理者の閲覧は監査ログに記録します。",
    )

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("電子メール")
        POST = "post", _("郵送")

    class Kind(models.TextChoices):
        """Who the submission is from (#15): one person, a 団体, or several people (連名)."""

        INDIVIDUAL = "individual", _("個人")
        ORGANIZATION = "organization", _("団体")
        JOINT = "joint", _("連名")

    submission = models.OneToOneField(
        Submission,
        verbose_name=_("提出"),
        on_delete=models.CASCADE,
        related_name="identity",
    )
    submitter_kind = models.CharField(
        _("提出者の種別"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.INDIVIDUAL,
    )
    # 連名: the first signer (the one the city contacts); the others are Signer rows.
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    name_kana = models.CharField(_("ふりがな"), max_length=100, blank=True)
    organization = models.CharField(_("団体名"), max_length=200, blank=True)
    representative = models.CharField(_("代表者氏名"), max_length=100, blank=True)
    postcode = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    address_building = models.CharField(_("方書（建物名・部屋番号）"), max_length=200, blank=True)
    # The listed 町名 the address is in (core.towns.town_match: 青木2-1-1 → 青木二丁目),
    # set by identity_clean, so a search or a 地区 lookup matches however 丁目 was written.
    address_town = models.CharField(_("町名（住所から照合）"), max_length=50, blank=True, db_index=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    contact_method = models.CharField(_("回答の送付方法"), max_length=10, choices=ContactMethod.choices, blank=True)
    eligibility = models.CharField(_("提出資格の区分"), max_length=20, blank=True)
    eligibility_detail = models.CharField(_("区分の詳細（勤務先・学校名など）"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("提出者の個人情報")
        verbose_name_plural = _("提出者の個人情報")

    def __str__(self):
        return f"{self.submission.receipt_number} の提出者"

    @property
    def full_address(self) -> str:
        """住所 and 方書 as one line, as a letter is addressed."""
        return "　".join(part for part in (self.address, self.address_building) if part)


class Signer(models.Model):
    """One more person named on a 連名 submission (#15).

    The first signer is the identity's own 氏名 (the one the city contacts);
    these are the others, in the order written (position 2, 3, …). Personal
    data like the identity, erased with it (CASCADE).
    """

    PERSONAL_DATA = PersonalData(
        file="提出者の個人情報（連名者）",
        purpose="連名で提出された意見の提出者の確認、提出者数の集計",
        fields=("name", "address"),
        subjects="パブリック・コメントを連名で提出した者",
        retention=("submission_identity", "letter"),
        seen_by=CITYWIDE_ROLES,
        source="本人がウェブフォームで入力、または紙・FAX・メール・窓口で受けたものを職員が入力・CSV 取込",
        note="所管課職員・課長には表示しません。広聴・管理者の閲覧は監査ログに記録します。提出者の個人情報とともに消去します。",
    )

    identity = models.ForeignKey(
        SubmitterIdentity,
        verbose_name=_("提出者の個人情報"),
        on_delete=models.CASCADE,
        related_name="signers",
    )
    position = models.PositiveSmallIntegerField(_("連名の順番"))
    name = models.CharField(_("氏名"), max_length=100)
    address = models.CharField(_("住所"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("連名者")
        verbose_name_plural = _("連名者")
        ordering = ["identity", "position"]
        constraints = [models.UniqueConstraint(fields=["identity", "position"], name="uniq_signer_position")]

    def __str__(self):
        return f"{self.identity_id}: {self.position}"


class Answer(models.Model):
    """One survey answer; choices stay linked so tallies can be recomputed."""

    PERSONAL_DATA = PersonalData(
        file="アンケートの回答",
        purpose="アンケート・市民意識調査の集計と目標指標の算出",
        fields=("text",),
        subjects="アンケートに回答した者（自由記述に書かれた個人情報）",
        retention=("回答は集計の基礎として保存（氏名等は収集しません）",),
        seen_by=STAFF_WORKING_ROLES,
        source="本人がウェブフォームで入力、または紙の回答を職員が入力",
        note="無作為抽出の招待コードは回答と結び付けません。",
    )

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("回答"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        "consultations.Question",
        verbose_name=_("設問"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    choices = models.ManyToManyField(
        "consultations.Choice",
        verbose_name=_("選択肢"),
        blank=True,
        related_name="answers",
    )
    text = models.TextField(_("自由記述"), blank=True)

    class Meta:
        verbose_name = _("設問への回答")
        verbose_name_plural = _("設問への回答")
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="uniq_answer")]

    def __str__(self):
        return f"{self.submission_id}:{self.question_id}"


class ReceiptSequence(models.Model):
    """Last 受付番号 issued per prefix and year; locked row by row."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="uniq_receipt_sequence")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


class SubmissionImport(models.Model):
    """One CSV file of paper/FAX/e-mail submissions and the job that imports it.

    The upload only stores the file; a worker validates every row, then inserts
    them in short committed batches, recording how many rows are in, so a
    crashed job resumes where it stopped instead of importing rows twice.
    The bytes hold personal data and are cleared when the job ends; the
    SHA-256 stays, so the same file cannot be imported twice into one case.
    """

    PERSONAL_DATA = PersonalData(
        file="紙・FAX 等の意見の一括取込ファイル",
        purpose="紙・FAX・メールで受けた意見を CSV で一括して受け付けること",
        fields=("uploaded_by", "file_name", "content"),
        subjects="CSV に記載された提出者、取り込んだ職員",
        retention=("ファイルの内容は取込の終了時に消去（ハッシュ値と件数は残す）",),
        seen_by=STAFF_WORKING_ROLES,
        source="職員がアップロード",
        note="ファイル名に個人名を含めない運用としてください。",
    )

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("処理中")
        DONE = "done", _("完了")
        FAILED = "failed", _("取り込めませんでした")

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="submission_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取り込んだ職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("ファイル名"), max_length=255)
    content_sha256 = models.CharField(_("内容のハッシュ（SHA-256）"), max_length=64)
    size = models.PositiveBigIntegerField(_("ファイルの大きさ（バイト）"))
    content = models.BinaryField(_("ファイルの内容"), blank=True, editable=False)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    row_count = models.PositiveIntegerField(_("データ行数"), null=True, blank=True)
    processed_count = models.PositiveIntegerField(_("確認済みの行数"), default=0)
    created_count = models.PositiveIntegerField(_("取り込んだ件数"), default=0)
    error_count = models.PositiveIntegerField(_("誤りの数"), default=0)
    # [{"line": Excel の行番号 (0 = ファイル全体), "column": 列名, "message": 文}]; never the cell's value.
    errors = models.JSONField(_("誤りの一覧"), default=list, blank=True)
    first_receipt_number = models.CharField(_("最初の受付番号"), max_length=32, blank=True)
    last_receipt_number = models.CharField(_("最後の受付番号"), max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("処理の回数"), default=0)
    created_at = models.DateTimeField(_("アップロード日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("処理開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("処理終了日時"), null=True, blank=True)
    # Heartbeat: set at every step, so a job no worker is running shows as stopped.
    updated_at = models.DateTimeField(_("最終更新日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("CSV一括取込")
        verbose_name_plural = _("CSV一括取込")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same file once per case. Only a failed job that created
            # nothing steps aside, so that file may be uploaded again.
            models.UniqueConstraint(
                fields=["consultation", "content_sha256"],
                condition=models.Q(created_count__gt=0) | ~models.Q(status="failed"),
                name="uniq_submission_import_file",
            )
        ]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
