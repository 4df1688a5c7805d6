"""附属機関等 (advisory committees), their members, 公募 rounds and the applications to them.

Written only by committees.services; read through committees.selectors,
which also hold who may see an applicant's personal data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.roles import ADMIN, COMMITTEE_SECRETARIAT
from committees.eligibility import CapCheck
from core.personal_data import PersonalData
from core.wareki import fiscal_year
from feedback.models import AgeBand, Gender

# 性別 and 年代 are the ones intake and surveys use (one word per concept), so
# members' composition and the 市民意識調査 count alike.
__all__ = ["AgeBand", "Gender"]


class Residence(models.TextChoices):
    """応募資格の区分: how the applicant is connected to the city."""

    LIVES = "lives", _("市内在住")
    WORKS = "works", _("市内在勤")
    STUDIES = "studies", _("市内在学")
    NONE = "none", _("いずれにも当たらない")


class Committee(models.Model):
    """A 附属機関等 (審議会・協議会・委員会) in the city's registry."""

    class LegalBasis(models.TextChoices):
        ORDINANCE = "ordinance", _("条例")
        REGULATION = "regulation", _("規則")
        GUIDELINE = "guideline", _("要綱")
        OTHER = "other", _("その他")

    name = models.CharField(_("名称"), max_length=120, unique=True)
    purpose = models.TextField(_("設置目的・所掌事務"), max_length=2000, blank=True)
    legal_basis_kind = models.CharField(
        _("設置根拠の種類"), max_length=12, choices=LegalBasis.choices, default=LegalBasis.ORDINANCE
    )
    legal_basis = models.CharField(
        _("設置根拠"), max_length=200, blank=True, help_text=_("例: 川口市自治基本条例第20条")
    )
    secretariat = models.ForeignKey(
        Department, verbose_name=_("事務局（所管課）"), on_delete=models.PROTECT, related_name="committees"
    )
    total_seats = models.PositiveSmallIntegerField(_("委員定数"))
    public_seats = models.PositiveSmallIntegerField(_("公募委員の定数"), default=0)
    no_public_seat_reason = models.CharField(
        _("公募しない理由"), max_length=300, blank=True, help_text=_("公募委員の定数が0のときに公表します")
    )
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=2)
    meeting_frequency = models.CharField(_("会議の開催頻度"), max_length=100, blank=True, help_text=_("例: 年3回程度"))
    remuneration = models.CharField(_("報酬"), max_length=100, blank=True, help_text=_("例: 日額 9,000円"))
    meeting_records_url = models.URLField(_("会議録の掲載先"), blank=True)
    female_target_percent = models.DecimalField(
        _("女性委員比率の目標（%）"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("空欄のときは市の既定値（KOE_COMMITTEE_FEMALE_TARGET_PERCENT）"),
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("附属機関等")
        verbose_name_plural = _("附属機関等")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    """A seat held for one term: who, whether a 公募委員, and the composition fields.

    The name and birth date identify the person across committees (the
    兼職 and 在任期間 rules); both are shown only to the committee's
    secretariat and to admins. Public pages show counts only.

    A seat given although the person had reached the 兼職 or 在任期間 cap on
    its 委嘱日 is an exception (例外): flagged per cap, with its basis and
    reason (committees.services.rounds.member_exception_clean), and counted
    per 年度 of the 委嘱日 and per committee on the public 応募倍率 page.
    """

    class ExceptionBasis(models.TextChoices):
        EXPERTISE = "expertise", _("専門的知見が必要")
        EX_OFFICIO = "ex_officio", _("法令等で職が指定されている（充て職）")
        NO_SUCCESSOR = "no_successor", _("後任となる人が得られない")
        OTHER = "other", _("その他")

    committee = models.ForeignKey(
        Committee, verbose_name=_("附属機関等"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("氏名"), max_length=100)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    is_public = models.BooleanField(_("公募委員"), default=False)
    gender = models.CharField(_("性別"), max_length=12, choices=Gender.choices, default=Gender.NO_ANSWER)
    age_band = models.CharField(_("年代"), max_length=8, choices=AgeBand.choices, default=AgeBand.NO_ANSWER)
    term_start = models.DateField(_("任期の始まり"))
    term_end = models.DateField(_("任期の終わり"))
    application = models.OneToOneField(
        "Application",
        verbose_name=_("選任のもとになった応募"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership",
    )
    over_concurrent_cap = models.BooleanField(
        _("兼職上限超え（例外）"), default=False, help_text=_("委嘱日に兼職の上限に達していたが、例外として委嘱した")
    )
    over_tenure_cap = models.BooleanField(
        _("在任期間超え（例外）"),
        default=False,
        help_text=_("この附属機関での在任が上限に達していたが、例外として委嘱（再任）した"),
    )
    exception_basis = models.CharField(_("例外の区分"), max_length=16, choices=ExceptionBasis.choices, blank=True)
    exception_reason = models.CharField(
        _("例外の理由"),
        max_length=300,
        blank=True,
        help_text=_("上限を超えて委嘱する理由（例: 〇〇法第5条により会長職が委員に充てられるため）"),
    )

    PERSONAL_DATA = PersonalData(
        file="附属機関等の委員名簿",
        purpose="委員の委嘱、兼職・在任期間の確認、男女・年代構成の集計",
        fields=("name", "birth_date", "exception_reason"),
        subjects="附属機関等の委員",
        retention=("委員の任期の終了後、附属機関等の名簿として保存（文書管理規程による）",),
        seen_by=(COMMITTEE_SECRETARIAT, ADMIN),
        source="事務局が委嘱時に入力（公募委員は応募内容から）",
        note="事務局は自課の附属機関の委員のみ閲覧できます。公開画面は人数の集計のみです。",
    )

    class Meta:
        verbose_name = _("委員")
        verbose_name_plural = _("委員")
        ordering = ["committee", "-term_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(term_end__gte=models.F("term_start")), name="member_term_order"),
            # An exception is never recorded without its basis and reason.
            models.CheckConstraint(
                condition=models.Q(over_concurrent_cap=False, over_tenure_cap=False)
                | (~models.Q(exception_basis="") & ~models.Q(exception_reason="")),
                name="member_exception_reason",
            ),
        ]

    def __str__(self):
        return f"{self.committee_id}:{self.pk}"

    @property
    def is_exception(self) -> bool:
        return self.over_concurrent_cap or self.over_tenure_cap


class RecruitmentRound(models.Model):
    """A 公募 (募集): the notice, the eligibility rules and the selection."""

    class SelectionMethod(models.TextChoices):
        DOCUMENT = "document", _("書類選考")
        LOTTERY = "lottery", _("抽選")
        INTERVIEW = "interview", _("書類選考と面接")

    committee = models.ForeignKey(
        Committee, verbose_name=_("附属機関等"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("募集の名称"), max_length=200)
    seats_offered = models.PositiveSmallIntegerField(_("募集人数"))
    notice_starts_on = models.DateField(_("受付開始日"))
    notice_ends_on = models.DateField(_("受付締切日"))
    term_start = models.DateField(_("委嘱日（任期の始まり）"))
    term_end = models.DateField(_("任期の終わり"))
    how_to_apply = models.TextField(
        _("応募方法"),
        max_length=2000,
        blank=True,
        help_text=_("紙の申込書の提出先・郵送先など（ウェブの応募はこの画面から）"),
    )
    contact = models.CharField(_("問い合わせ先"), max_length=300, blank=True)
    # Eligibility (japanese-practice §4.2): every rule configurable per round.
    min_age = models.PositiveSmallIntegerField(_("応募できる年齢（以上）"), default=18)
    age_reference_date = models.DateField(_("年齢の基準日"), null=True, blank=True, help_text=_("空欄のときは委嘱日"))
    residence_allowed = models.JSONField(
        _("応募できる区分"), default=list, help_text=_("市内在住・在勤・在学のうち応募できるもの")
    )
    exclude_city_staff = models.BooleanField(_("市職員は応募できない"), default=True)
    exclude_councillors = models.BooleanField(_("市議会議員は応募できない"), default=True)
    max_concurrent_seats = models.PositiveSmallIntegerField(
        _("兼職の上限（附属機関等の数）"),
        default=3,
        help_text=_("委嘱日に既にこの数の委員を務めている人は応募資格がありません"),
    )
    max_tenure_years = models.PositiveSmallIntegerField(
        _("同一機関での在任期間の上限（年）"),
        default=10,
        help_text=_("この附属機関での在任が通算この年数に達した人は応募資格がありません"),
    )
    essay_theme = models.CharField(_("小論文のテーマ"), max_length=200, blank=True)
    essay_min_chars = models.PositiveIntegerField(_("小論文の最少字数"), default=0)
    essay_max_chars = models.PositiveIntegerField(_("小論文の最大字数"), default=800)
    selection_method = models.CharField(
        _("選考方法"), max_length=12, choices=SelectionMethod.choices, default=SelectionMethod.DOCUMENT
    )
    published = models.BooleanField(_("公開"), default=True)
    lottery_seed = models.CharField(_("抽選のシード"), max_length=64, blank=True)
    lottery_drawn_at = models.DateTimeField(_("抽選日時"), null=True, blank=True)
    lottery_order = models.JSONField(_("抽選の結果（受付番号の順）"), default=list, blank=True)
    decided_at = models.DateTimeField(_("選考結果の確定日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("委員の公募")
        verbose_name_plural = _("委員の公募")
        ordering = ["-notice_starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_ends_on__gte=models.F("notice_starts_on")), name="round_notice_order"
            ),
            models.CheckConstraint(condition=models.Q(term_end__gte=models.F("term_start")), name="round_term_order"),
        ]

    def __str__(self):
        return self.title

    @property
    def fiscal_year(self) -> int:
        """The 年度 a round counts in: the one its applications are received in."""
        return fiscal_year(self.notice_ends_on)

    @property
    def age_on(self):
        return self.age_reference_date or self.term_start


class Application(models.Model):
    """An application to a 公募: kept whatever its eligibility, never dropped."""

    class Channel(models.TextChoices):
        WEB = "web", _("ウェブ")
        PAPER = "paper", _("申込書（郵送・持参）")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("選考中")
        APPOINTED = "appointed", _("選任")
        NOT_APPOINTED = "not_appointed", _("選任されませんでした")
        WITHDRAWN = "withdrawn", _("取り下げ")

    class NoticeMethod(models.TextChoices):
        EMAIL = "email", _("電子メール")
        LETTER = "letter", _("郵送（文書）")

    round = models.ForeignKey(
        RecruitmentRound, verbose_name=_("公募"), on_delete=models.PROTECT, related_name="applications"
    )
    receipt_number = models.CharField(_("受付番号"), max_length=40, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("応募者のアカウント"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_applications",
    )
    channel = models.CharField(_("受付方法"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("ふりがな"), max_length=100, blank=True)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)  # None once erased (保存年限)
    gender = models.CharField(_("性別"), max_length=12, choices=Gender.choices, default=Gender.NO_ANSWER)
    address = models.CharField(_("住所"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    residence = models.CharField(_("応募資格の区分"), max_length=8, choices=Residence.choices)
    occupation = models.CharField(_("職業"), max_length=100, blank=True)
    activities = models.TextField(_("活動歴"), max_length=1000, blank=True)
    is_city_staff = models.BooleanField(_("市職員である"), default=False)
    is_councillor = models.BooleanField(_("市議会議員である"), default=False)
    declaration = models.BooleanField(_("応募資格を満たすことの申告"), default=False)
    essay = models.TextField(_("小論文"), blank=True)
    # Eligibility as checked at entry (committees.eligibility), with its reasons.
    eligible = models.BooleanField(_("応募資格あり"), default=True)
    ineligible_reasons = models.JSONField(_("応募資格がない理由"), default=list, blank=True)
    concurrent_seats = models.PositiveSmallIntegerField(_("委嘱日に務めている附属機関等の数"), default=0)
    tenure_months = models.PositiveIntegerField(_("この附属機関での在任（月）"), default=0)
    score = models.DecimalField(_("書類選考の評点"), max_digits=5, decimal_places=1, null=True, blank=True)
    interview_note = models.TextField(_("面接の記録"), max_length=2000, blank=True)
    lottery_position = models.PositiveSmallIntegerField(_("抽選の順位"), null=True, blank=True)
    outcome = models.CharField(_("選考結果"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    notice_method = models.CharField(_("結果の通知方法"), max_length=8, choices=NoticeMethod.choices, blank=True)
    notified_at = models.DateTimeField(_("結果を通知した日時"), null=True, blank=True)
    receipt_sent_at = models.DateTimeField(_("受付メールの送信日時"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("受付日時"))
    erased_at = models.DateTimeField(_("個人情報の消去日時"), null=True, blank=True)

    PERSONAL_DATA = PersonalData(
        file="附属機関等の公募委員の応募",
        purpose="公募委員の応募資格の確認、選考、選考結果の通知、委員の委嘱",
        fields=(
            "name",
            "name_kana",
            "birth_date",
            "gender",
            "address",
            "phone",
            "email",
            "occupation",
            "activities",
            "essay",
        ),
        subjects="附属機関等の公募委員に応募した者",
        retention=("application",),
        seen_by=(COMMITTEE_SECRETARIAT, ADMIN),
        source="本人がウェブの応募画面で入力、または申込書を事務局が入力",
        note="その附属機関の事務局（所管課）とシステム管理者だけが閲覧でき、閲覧はすべて記録されます。",
    )

    class Meta:
        verbose_name = _("公募委員の応募")
        verbose_name_plural = _("公募委員の応募")
        ordering = ["round", "submitted_at", "pk"]
        indexes = [models.Index(fields=["round", "outcome"], name="application_round_outcome")]

    def __str__(self):
        return self.receipt_number

    @property
    def counted(self) -> bool:
        """Counted among 応募者 (all applicants): everyone but a withdrawn application."""
        return self.outcome != self.Outcome.WITHDRAWN

    @property
    def caps_at_entry(self) -> CapCheck:
        """The 兼職・在任 counts stored at entry, against the round's caps."""
        return CapCheck(
            concurrent_seats=self.concurrent_seats,
            tenure_months=self.tenure_months,
            max_concurrent_seats=self.round.max_concurrent_seats,
            max_tenure_years=self.round.max_tenure_years,
        )

    @property
    def ineligible_for_caps_only(self) -> bool:
        """Ineligible at entry for the 兼職・在任 caps and nothing else: appointable only as a recorded exception.

        Counted, not compared as text: the reasons are stored in the words of
        the page the applicant used, the counts are not.
        """
        caps = self.caps_at_entry
        reached = int(caps.over_concurrent_cap) + int(caps.over_tenure_cap)
        return not self.eligible and reached > 0 and len(self.ineligible_reasons) == reached
