"""Aggregate tables behind the staff dashboards, rebuilt by a worker.

Dashboards read these small tables instead of counting up to millions of
submissions per request. They hold counts only, never text or identities.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStat(models.Model):
    """Number of submissions per month and per combination of dimensions."""

    month = models.DateField(_("月（初日）"))
    fiscal_year = models.PositiveIntegerField(_("年度（西暦）"))
    consultation = models.ForeignKey(
        "consultations.Consultation", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+",
    )
    kind = models.CharField(_("案件の種類"), max_length=20)
    channel = models.CharField(_("提出方法"), max_length=10)
    # The confirmed 施策 when staff set one, else the NLP suggestion.
    policy = models.ForeignKey(
        "plans.Policy", verbose_name=_("施策"), null=True, on_delete=models.CASCADE, related_name="+",
    )
    policy_confirmed = models.BooleanField(_("施策確定済み"))
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("所管課"), null=True, on_delete=models.CASCADE, related_name="+",
    )
    in_campaign = models.BooleanField(_("同趣旨グループ（2件以上）に属する"))
    status = models.CharField(_("状態"), max_length=20)
    count = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("受付件数の集計")
        verbose_name_plural = _("受付件数の集計")
        indexes = [models.Index(fields=["fiscal_year", "kind"]), models.Index(fields=["policy", "month"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.kind} {self.count}"


class LetterStat(models.Model):
    """市長への手紙 per month received, 所管課 and response outcome."""

    class Outcome(models.TextChoices):
        ON_TIME = "on_time", _("期限内に回答")
        LATE = "late", _("期限後に回答")
        OVERDUE = "overdue", _("期限超過・未回答")
        OPEN = "open", _("対応中（期限内）")
        FILED = "filed", _("回答せず受理")

    month = models.DateField(_("月（初日）"))
    fiscal_year = models.PositiveIntegerField(_("年度（西暦）"))
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("所管課"), null=True, on_delete=models.CASCADE, related_name="+",
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
