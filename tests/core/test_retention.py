"""保存年限: the cutoff rule, the declared kinds, one audit row per run, the command."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from core import services as core_services
from core.models import AuditEvent
from core.retention import retention_apply, retention_cutoff, retention_kind, retention_kinds, retention_preview
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

JST = timezone.get_default_timezone()


def jst(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=JST)


def closed_long_ago(consultation, *, days: int = 6 * 366):
    """Close a consultation (submissions were sent while it was open) ``days`` ago."""
    closes_at = timezone.now() - datetime.timedelta(days=days)
    type(consultation).objects.filter(pk=consultation.pk).update(status="closed", closes_at=closes_at)
    return closes_at


# ---- the cutoff ----


def test_years_count_from_the_next_fiscal_year_by_default(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = True
    # 2020年度 (2020-04-01 … 2021-03-31) kept 5 years ends on 2026-03-31.
    assert retention_cutoff(years=5, now=jst(2026, 3, 31, 23, 59)) == jst(2020, 4, 1)
    assert retention_cutoff(years=5, now=jst(2026, 4, 1, 0, 0)) == jst(2021, 4, 1)


def test_years_may_count_from_the_day_itself(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    assert retention_cutoff(years=5, now=jst(2026, 6, 15, 10, 0)) == jst(2021, 6, 15, 10, 0)
    # 2月29日 has no twin five years back.
    assert retention_cutoff(years=5, now=jst(2028, 2, 29, 12, 0)) == jst(2023, 2, 28, 12, 0)


def test_a_retention_below_one_year_is_refused():
    with pytest.raises(ImproperlyConfigured, match="1年以上"):
        retention_cutoff(years=0, now=timezone.now())


# ---- the declared kinds ----


def test_every_record_kind_of_the_issue_is_declared_with_its_setting():
    kinds = {kind.key: kind for kind in retention_kinds()}

    assert set(kinds) >= {"submission_identity", "letter", "application", "audit"}
    assert kinds["submission_identity"].setting == "KOE_RETENTION_YEARS_SUBMISSION_IDENTITY"
    assert kinds["letter"].setting == "KOE_RETENTION_YEARS_LETTER"
    assert kinds["application"].setting == "KOE_RETENTION_YEARS_APPLICATION"
    assert kinds["audit"].setting == "KOE_RETENTION_YEARS_AUDIT"
    assert kinds["submission_identity"].applied and kinds["letter"].applied and kinds["application"].applied


def test_the_years_come_from_settings(settings):
    settings.KOE_RETENTION_YEARS_LETTER = 7
    assert retention_kind("letter").years == 7


def test_audit_retention_is_applied_only_through_the_audited_purge_service():
    audit = retention_kind("audit")
    assert audit.applied == hasattr(core_services, "audit_events_purge_before")


# ---- one audit row per run ----


@pytest.mark.django_db
def test_a_run_writes_one_audit_row_with_the_count_of_every_kind(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    old = ConsultationFactory()
    submit(old, identity={"name": "川口 花子", "email": "hanako@example.jp"})
    submit(old, identity={"name": "川口 次郎"})
    closed_long_ago(old)
    before = AuditEvent.objects.filter(action="retention.apply").count()

    retention_apply(source="test")

    rows = AuditEvent.objects.filter(action="retention.apply")
    assert rows.count() == before + 1
    row = rows.first()
    assert row.after["source"] == "test"
    assert row.after["kinds"]["submission_identity"]["count"] == 2
    assert row.after["kinds"]["letter"]["count"] == 0
    assert row.after["kinds"]["application"] == {**row.after["kinds"]["application"], "applied": True, "count": 0}
    assert "提出者の個人情報 2件" in row.summary
    # Counts and dates only: no name or address of the erased identities.
    assert "川口" not in str(row.after) and "hanako" not in str(row.after)


@pytest.mark.django_db
def test_a_second_run_finds_nothing_left(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    old = ConsultationFactory()
    submit(old, identity={"name": "川口 花子"})
    closed_long_ago(old)

    first = {o.kind.key: o.changed for o in retention_apply()}
    second = {o.kind.key: o.changed for o in retention_apply()}

    assert first["submission_identity"] == 1
    assert second["submission_identity"] == 0


@pytest.mark.django_db
def test_the_preview_changes_nothing_and_writes_no_audit_row(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    old = ConsultationFactory()
    submission = submit(old, identity={"name": "川口 花子"})
    closed_long_ago(old)

    outcomes = {o.kind.key: o for o in retention_preview()}

    assert outcomes["submission_identity"].affected.count == 1
    assert not AuditEvent.objects.filter(action="retention.apply").exists()
    submission.refresh_from_db()
    assert submission.identity.name == "川口 花子"


# ---- the command ----


@pytest.mark.django_db
def test_dry_run_lists_counts_and_dates_without_personal_data(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    old = ConsultationFactory()
    submission = submit(old, identity={"name": "川口 花子", "address": "川口市青木2-1-1"})
    closed_at = closed_long_ago(old)
    out = StringIO()

    call_command("retention_apply", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "試行" in text
    assert "提出者の個人情報（submission_identity）" in text
    assert "消去する対象 1件" in text
    assert f"最も古い {timezone.localdate(closed_at).isoformat()}" in text
    assert "公募委員の応募（application）" in text and "未適用（宣言のみ）" not in text
    assert "花子" not in text and "青木" not in text
    assert not AuditEvent.objects.filter(action="retention.apply").exists()
    submission.refresh_from_db()
    assert submission.identity.name == "川口 花子"


@pytest.mark.django_db
def test_without_dry_run_the_command_applies_and_audits(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    old = ConsultationFactory()
    submission = submit(old, identity={"name": "川口 花子"})
    closed_long_ago(old)
    out = StringIO()

    call_command("retention_apply", stdout=out)

    assert "消去 1件" in out.getvalue()
    assert AuditEvent.objects.filter(action="retention.apply").count() == 1
    assert AuditEvent.objects.get(action="retention.apply").after["source"] == "manage.py retention_apply"
    submission.refresh_from_db()
    assert not hasattr(submission, "identity")


@pytest.mark.django_db
def test_the_beat_task_runs_the_same_service(settings):
    from core.tasks import retention_apply_task

    assert settings.CELERY_BEAT_SCHEDULE["core-retention-apply"]["task"] == "core.tasks.retention_apply_task"
    result = retention_apply_task.delay().get()

    assert result["submission_identity"] == 0
    assert AuditEvent.objects.get(action="retention.apply").after["source"] == "beat"


@pytest.mark.django_db
@pytest.mark.skipif(
    not hasattr(core_services, "audit_events_purge_before"), reason="監査ログの削除サービスがまだありません"
)
def test_audit_rows_past_their_years_are_purged_through_the_audited_service(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    settings.KOE_RETENTION_YEARS_AUDIT = 5
    core_services.audit_record(action="test.old", target_type="test", target_id=1)
    later = timezone.now() + datetime.timedelta(days=5 * 366)

    preview = {o.kind.key: o for o in retention_preview(now=later)}
    outcomes = {o.kind.key: o for o in retention_apply(now=later, source="test")}

    assert preview["audit"].affected.count == 1
    assert outcomes["audit"].changed == 1
    assert not AuditEvent.objects.filter(action="test.old").exists()
    # The purge says so itself, and the run's own row counts it.
    assert AuditEvent.objects.filter(action="audit.purge").count() == 1
    assert AuditEvent.objects.get(action="retention.apply").after["kinds"]["audit"]["count"] == 1


@pytest.mark.django_db
def test_audit_rows_inside_their_years_stay(settings):
    settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = False
    settings.KOE_RETENTION_YEARS_AUDIT = 5
    core_services.audit_record(action="test.recent", target_type="test", target_id=1)

    retention_apply(now=timezone.now() + datetime.timedelta(days=4 * 365))

    assert AuditEvent.objects.filter(action="test.recent").exists()
