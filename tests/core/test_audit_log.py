"""The audit log is append-only: no code path rewrites or removes a row, except the audited purge."""

import datetime
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.models import AuditEvent
from core.services import audit_events_purge_before, audit_record
from tests.accounts.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

CUTOFF = timezone.make_aware(datetime.datetime(2020, 4, 1))


def _old_row(**kwargs):
    with mock.patch("django.utils.timezone.now", return_value=CUTOFF - datetime.timedelta(days=1)):
        return audit_record(target_type="t", target_id=1, **kwargs)


def test_the_orm_refuses_to_change_or_delete_rows():
    event = audit_record(action="x", target_type="t", target_id=1)
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="消した")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.delete()
    event.summary = "書き換え"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    ["UPDATE core_auditevent SET summary = 'x' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"],
    ids=["update", "delete"],
)
def test_postgresql_refuses_raw_sql_that_changes_a_row(sql):
    event = audit_record(action="x", target_type="t", target_id=1, summary="元の概要")
    with pytest.raises(DatabaseError, match="監査ログは変更・削除できません"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "元の概要"


def test_the_purge_removes_only_rows_before_the_cutoff_and_records_itself():
    admin = StaffUserFactory(roles=["admin"])
    old = _old_row(action="old")
    kept = audit_record(action="kept", target_type="t", target_id=2)

    deleted = audit_events_purge_before(cutoff=CUTOFF, actor=admin, reason="保存年限5年")

    assert deleted == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.actor_id == admin.pk
    assert purge.after == {"cutoff": CUTOFF.isoformat(), "deleted": 1, "reason": "保存年限5年"}
    assert "1件" in purge.summary and "保存年限5年" in purge.summary


def test_the_purge_needs_an_aware_cutoff():
    with pytest.raises(ValueError):
        audit_events_purge_before(cutoff=datetime.datetime(2020, 4, 1), actor=None)


@pytest.mark.postgres
def test_after_the_purge_the_database_refuses_deletes_again_in_the_same_transaction():
    _old_row(action="old")
    kept = audit_record(action="kept", target_type="t", target_id=2)
    with pytest.raises(DatabaseError, match="監査ログは変更・削除できません"):
        with transaction.atomic():
            audit_events_purge_before(cutoff=CUTOFF, actor=None)
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [kept.pk])
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
