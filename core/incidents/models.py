"""漏えい等事案: one row per incident, written only by core.incidents.services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.incidents.rules import Facts
from core.personal_data import PersonalData


class Incident(models.Model):
    """A 漏えい・滅失・毀損 of 保有個人情報 (or its おそれ), from 発覚 to 終結.

    The facts (what, which data, how many persons, 不正の目的, 財産的被害,
    systems, containment) are what the 報告義務 is judged on
    (core.incidents.rules); the reports to the 個人情報保護委員会, the
    本人への通知 (or why it was difficult and what replaced it) and the
    closure are recorded as they happen. Each write is an audit row, which
    is the incident's timeline.
    """

    PERSONAL_DATA = PersonalData(
        file="漏えい等事案の記録",
        purpose="個人情報の漏えい等事案の記録、個人情報保護委員会への報告と本人への通知の管理",
        fields=("recorded_by",),
        subjects="事案を記録した職員",
        retention=("自動削除の対象外（文書管理規程の保存期間により管理）",),
        seen_by=("kouchou", "admin"),
        source="広聴担当・システム管理者が入力",
        note="被害を受けた本人の氏名等は記録せず、人数と情報の項目で記録します。",
    )

    class Status(models.TextChoices):
        OPEN = "open", _("対応中")
        CLOSED = "closed", _("終結")

    class Report(models.TextChoices):
        PRELIMINARY = "preliminary", _("速報")
        FINAL = "final", _("確報")
        BOTH = "both", _("速報と確報を兼ねる報告")

    class Notice(models.TextChoices):
        NOTIFIED = "notified", _("本人へ通知した")
        SUBSTITUTE = "substitute", _("通知が困難なため代替措置をとった")

    number = models.CharField(_("事案番号"), max_length=20, unique=True)
    title = models.CharField(_("件名"), max_length=200)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    discovered_at = models.DateTimeField(_("発覚日時"))
    occurred_at = models.DateTimeField(_("発生日時"), null=True, blank=True)
    description = models.TextField(_("事案の概要"))
    data_items = models.TextField(_("漏えい等した個人情報の項目"))
    sensitive = models.BooleanField(_("要配慮個人情報を含む"), default=False)
    ordinance_sensitive = models.BooleanField(_("条例要配慮個人情報を含む"), default=False)
    financial_harm = models.BooleanField(_("財産的被害が生じるおそれ"), default=False)
    improper_purpose = models.BooleanField(_("不正の目的をもって行われたおそれ"), default=False)
    protected = models.BooleanField(_("高度な暗号化等の措置"), default=False)
    persons = models.PositiveIntegerField(_("本人の数"))
    persons_estimated = models.BooleanField(_("本人の数は推定"), default=False)
    systems = models.TextField(_("関係するシステム・ページ"))
    containment = models.TextField(_("被害の拡大防止の措置"))
    cause = models.TextField(_("原因"), blank=True)
    prevention = models.TextField(_("再発防止策"), blank=True)

    preliminary_reported_at = models.DateTimeField(_("速報の日時"), null=True, blank=True)
    preliminary_report_note = models.CharField(_("速報の備考"), max_length=500, blank=True)
    final_reported_at = models.DateTimeField(_("確報の日時"), null=True, blank=True)
    final_report_note = models.CharField(_("確報の備考"), max_length=500, blank=True)

    notice = models.CharField(_("本人への対応"), max_length=12, choices=Notice.choices, blank=True)
    notice_at = models.DateTimeField(_("本人への対応の日時"), null=True, blank=True)
    notice_method = models.CharField(_("通知の方法"), max_length=200, blank=True)
    notice_difficulty = models.TextField(_("通知が困難な理由"), blank=True)
    notice_substitute = models.TextField(_("代替措置"), blank=True)

    closed_at = models.DateTimeField(_("終結日時"), null=True, blank=True)
    closing_note = models.TextField(_("終結の記録"), blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録した職員"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("漏えい等事案")
        verbose_name_plural = _("漏えい等事案")
        ordering = ["-discovered_at", "-id"]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def facts(self) -> Facts:
        return Facts(
            sensitive=self.sensitive,
            financial_harm=self.financial_harm,
            improper_purpose=self.improper_purpose,
            persons=self.persons,
            ordinance_sensitive=self.ordinance_sensitive,
            protected=self.protected,
        )

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
