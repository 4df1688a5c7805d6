from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("監査ログは変更できません。")

    def delete(self):
        raise PermissionError("監査ログは削除できません。")


class AuditEvent(models.Model):
    """One append-only row per state change or view of personal data.

    Nothing rewrites a row once written: the model and its queryset refuse
    save/update/delete, and on PostgreSQL a trigger refuses UPDATE and
    DELETE (core migration 0003); the one way to remove rows is
    ``core.services.audit_events_purge_before`` for 保存年限.
    """

    # Roles by name: core cannot import accounts.roles ("admin" = システム管理者).
    PERSONAL_DATA = PersonalData(
        file="監査ログ",
        purpose="個人情報の閲覧・出力と状態の変更の記録、不正な操作の調査",
        fields=("actor", "actor_label", "ip_address", "before", "after"),
        subjects="操作した職員・市民（市民は番号のみ）、変更前後の値に含まれる者",
        retention=("audit",),
        seen_by=("admin",),
        source="操作時にシステムが記録",
        note="追記のみで、保存年限の経過による削除（core.services.audit_events_purge_before）以外では変更・削除できません。",
    )

    occurred_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    # The actor's user id as written, never touched again: no database
    # constraint and DO_NOTHING, so deleting the account neither rewrites
    # the row (SET_NULL would UPDATE it) nor is refused. ``actor`` of a
    # deleted account raises DoesNotExist; actor_id and actor_label remain.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The actor's display name at the time (kept after the account is deleted).
    actor_label = models.CharField(_("操作者表示"), max_length=255, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("対象種別"), max_length=64, db_index=True)
    target_id = models.CharField(_("対象ID"), max_length=64, db_index=True)
    summary = models.CharField(_("概要"), max_length=500, blank=True)
    before = models.JSONField(_("変更前"), null=True, blank=True)
    after = models.JSONField(_("変更後"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("監査ログは変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("監査ログは削除できません。")


class District(models.Model):
    """地区 used for survey attributes; self-reported, not derived from 町字."""

    code = models.SlugField(_("コード"), max_length=32, unique=True)
    name = models.CharField(_("地区名"), max_length=50)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


# 漏えい等事案 lives with its rules and services (core.incidents); imported
# here so the app registry and migrations find it.
from core.incidents.models import Incident  # noqa: E402, F401
