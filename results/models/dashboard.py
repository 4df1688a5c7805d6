"""Aggregate tables behind the staff dashboards, rebuilt by a worker.

Dashboards read these small tables instead of counting up to millions of
submissions per request. They hold counts only, never text or identities.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStat(models.Model):
    """Submissions per month, kind and 施策, broken down along one dimension.

    One row counts the submissions of a month with one value of one
    dimension (e.g. channel = "post"). Keeping each dimension separate keeps
    the table to a few thousand rows: the sum, not the product, of the
    dimensions' sizes. Withdrawn submissions are left out when counting.
    """

    class Dimension(models.TextChoices):
        TOTAL = "total", _("合計")
        CHANNEL = "channel", _("提出方法")
        DEPARTMENT = "department", _("所管課")
        CONSULTATION = "consultation", _("案件")
        STATUS = "status", _("状態")

    month = models.DateField(_("月（初日）"))
    fiscal_year = models.PositiveIntegerField(_("年度（西暦）"))
    kind = models.CharField(_("案件の種類"), max_length=20)
    # The confirmed 施策 when staff set one, else the NLP suggestion.
    policy = models.ForeignKey(
        "plans.Policy",
        verbose_name=_("施策"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    dimension = models.CharField(_("内訳の種類"), max_length=20, choices=Dimension.choices)
    value = models.CharField(
        _("内訳の値"),
        max_length=40,
        blank=True,
        help_text=_("提出方法・課や案件のID・状態"),
    )
    # Submissions with a text to analyse (a body or 自由記述 answers). The
    # others (survey responses of choices only) are counted in totals but
    # never in 施策 counts or 同趣旨 figures.
    has_text = models.BooleanField(_("本文・自由記述あり"), default=True)
    count = models.PositiveIntegerField(_("件数"))
    confirmed = models.PositiveIntegerField(_("うち施策確定"))
    campaign = models.PositiveIntegerField(_("うち同趣旨グループ（2件以上）"))

    class Meta:
        verbose_name = _("受付件数の集計")
        verbose_name_plural = _("受付件数の集計")
        indexes = [models.Index(fields=["dimension", "fiscal_year", "kind"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.dimension}={self.value} {self.count}"


class LetterStat(models.Model):
    """市長への手紙 per month received, 所管課, 分野 and response outcome."""

    class Outcome(models.TextChoices):
        ON_TIME = "on_time", _("期限内に回答")
        LATE = "late", _("期限後に回答")
        OVERDUE = "overdue", _("期限超過・未回答")
        OPEN = "open", _("対応中（期限内）")
        FILED = "filed", _("回答せず受理")

    month = models.DateField(_("月（初日）"))
    fiscal_year = models.PositiveIntegerField(_("年度（西暦）"))
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("所管課"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # 分野 chosen by 広聴 at routing; null for a letter not routed (yet).
    category = models.ForeignKey(
        "letters.LetterCategory",
        verbose_name=_("分野"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    outcome = models.CharField(_("対応状況"), max_length=10, choices=Outcome.choices)
    count = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("市長への手紙の対応状況の集計")
        verbose_name_plural = _("市長への手紙の対応状況の集計")
        indexes = [models.Index(fields=["fiscal_year"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.outcome} {self.count}"


class StatsRefresh(models.Model):
    """When the aggregate tables were last rebuilt (one row)."""

    refreshed_at = models.DateTimeField(_("集計日時"))
    duration_ms = models.PositiveIntegerField(_("所要時間（ミリ秒）"))
    submission_rows = models.PositiveIntegerField(_("集計行数（受付）"))
    letter_rows = models.PositiveIntegerField(_("集計行数（手紙）"))

    class Meta:
        verbose_name = _("集計の更新")
        verbose_name_plural = _("集計の更新")

    def __str__(self):
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
