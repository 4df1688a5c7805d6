"""The CSV import job: idempotent per file and per run, resumable, and every
imported submission is handed to analysis in a few batch messages."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.models import AuditEvent
from feedback.models import Submission, SubmissionImport
from feedback.services import (
    DuplicateImport,
    submission_import_resume,
    submission_import_run,
    submission_import_upload,
)
from feedback.services import imports as import_service
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory

from .imports_support import many_rows, run_import

Status = SubmissionImport.Status


@pytest.mark.django_db
def test_a_rerun_of_a_finished_import_does_nothing():
    consultation = ConsultationFactory()
    job = run_import(consultation, many_rows(3))
    assert (job.status, job.created_count, job.attempts) == (Status.DONE, 3, 1)
    again = submission_import_run(import_id=job.pk)
    assert (again.status, again.created_count, again.attempts) == (Status.DONE, 3, 1)
    assert Submission.objects.count() == 3
    assert submission_import_run(import_id=999_999) is None


@pytest.mark.django_db(transaction=True)
def test_a_job_that_dies_mid_way_resumes_after_its_last_batch_without_duplicates(roles, monkeypatch):
    """A worker killed mid-import (the task is acks_late, so it is redelivered)
    must neither lose rows nor import any twice."""
    monkeypatch.setattr(import_service, "BATCH_ROWS", 10)
    consultation = ConsultationFactory()
    with mock.patch.object(import_service.submission_import_run_task, "delay") as delay:
        job = submission_import_upload(
            consultation=consultation, file_name="x.csv", raw=many_rows(35), actor=StaffUserFactory()
        )
    delay.assert_called_once_with(job.pk)
    real_create = import_service.submission_create
    calls = {"n": 0}

    def dies_on_row_17(**kwargs):
        calls["n"] += 1
        if calls["n"] == 17:
            raise SystemExit("worker killed")
        return real_create(**kwargs)

    analysis = mock.patch("nlp.tasks.analysis_batch_task.delay")
    analysis.start()
    with mock.patch.object(import_service, "submission_create", dies_on_row_17), pytest.raises(SystemExit):
        submission_import_run(import_id=job.pk)
    job.refresh_from_db()
    # The first batch was committed and recorded; the second rolled back whole.
    assert (job.status, job.created_count, Submission.objects.count()) == (Status.RUNNING, 10, 10)

    job = submission_import_run(import_id=job.pk)
    analysis.stop()
    assert (job.status, job.created_count, job.attempts) == (Status.DONE, 35, 2)
    bodies = list(Submission.objects.values_list("identity__address", flat=True))
    assert len(bodies) == len(set(bodies)) == 35
    assert sorted(bodies) == sorted(f"川口市青木{n}-1-1" for n in range(35))


@pytest.mark.django_db
def test_the_same_file_is_refused_for_the_same_case_and_the_database_enforces_it():
    consultation = ConsultationFactory()
    raw = many_rows(2)
    first = run_import(consultation, raw, file_name="第1回.csv")
    with pytest.raises(DuplicateImport) as excinfo:
        submission_import_upload(consultation=consultation, file_name="再送.csv", raw=raw, actor=StaffUserFactory())
    assert excinfo.value.earlier == first
    assert "同じ内容のファイルを" in excinfo.value.messages[0]
    assert "第1回.csv" in excinfo.value.messages[0] and "状態：完了" in excinfo.value.messages[0]
    assert Submission.objects.count() == 2
    # Not just the check: a second row for the same file cannot be stored.
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionImport.objects.create(
            consultation=consultation, file_name="y.csv", content_sha256=first.content_sha256, size=1
        )
    # The same file for another case is another import.
    assert run_import(ConsultationFactory(), raw).status == Status.DONE


@pytest.mark.django_db
def test_a_queued_upload_blocks_the_same_file_and_a_failed_one_that_created_nothing_does_not():
    consultation = ConsultationFactory()
    raw = b"\xff\xfe not a csv"
    submission_import_upload(consultation=consultation, file_name="x.csv", raw=raw, actor=StaffUserFactory())
    with pytest.raises(DuplicateImport):
        submission_import_upload(consultation=consultation, file_name="x.csv", raw=raw, actor=StaffUserFactory())
    job = SubmissionImport.objects.get()
    assert submission_import_run(import_id=job.pk).status == Status.FAILED
    # Nothing was imported, so the same bytes may be tried again.
    again = submission_import_upload(consultation=consultation, file_name="x.csv", raw=raw, actor=StaffUserFactory())
    assert again.status == Status.QUEUED


@pytest.mark.django_db
def test_a_case_closing_mid_import_stops_says_what_is_in_and_still_blocks_the_file(monkeypatch):
    monkeypatch.setattr(import_service, "BATCH_ROWS", 10)
    consultation = ConsultationFactory()
    real_create = import_service.submission_create
    calls = {"n": 0}

    def publishes_after_ten(**kwargs):
        calls["n"] += 1
        if calls["n"] == 10:
            type(consultation).objects.filter(pk=consultation.pk).update(status="published")
        return real_create(**kwargs)

    raw = many_rows(25)
    with mock.patch.object(import_service, "submission_create", publishes_after_ten):
        job = run_import(consultation, raw)
    assert (job.status, job.created_count, Submission.objects.count()) == (Status.FAILED, 10, 10)
    message = job.errors[0]["message"]
    assert "12行目の取り込み前に、この案件の受付が終了しました" in message
    assert f"10件（受付番号 {job.first_receipt_number}〜{job.last_receipt_number}）は取り込み済みです" in message
    with pytest.raises(DuplicateImport):
        submission_import_upload(consultation=consultation, file_name="x.csv", raw=raw, actor=StaffUserFactory())


@pytest.mark.django_db
def test_every_imported_submission_is_queued_for_analysis_in_batch_messages(django_capture_on_commit_callbacks):
    """Before: one analysis message per row (2,000 for a 2,000-row file)."""
    from nlp.services import ANALYSIS_BATCH_SIZE

    with (
        mock.patch("nlp.tasks.submission_analyze_task.delay") as one_by_one,
        mock.patch("nlp.tasks.analysis_batch_task.delay") as batches,
        mock.patch.object(import_service.submission_import_run_task, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_import(ConsultationFactory(), many_rows(250))
    queued = [submission_id for call in batches.call_args_list for submission_id in call.args[0]]
    assert sorted(queued) == sorted(Submission.objects.values_list("pk", flat=True))
    assert len(queued) == 250
    assert all(len(call.args[0]) <= ANALYSIS_BATCH_SIZE for call in batches.call_args_list)
    assert batches.call_count == 5  # batches of 100, 100 and 50 rows, in messages of ≤50
    one_by_one.assert_not_called()


@pytest.mark.django_db
def test_analysis_not_queued_during_a_broker_outage_is_picked_up_by_the_sweeper(django_capture_on_commit_callbacks):
    from nlp.services import analysis_sweep

    with (
        mock.patch("nlp.tasks.analysis_batch_task.delay", side_effect=BrokerError("redis down")),
        mock.patch.object(import_service.submission_import_run_task, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = run_import(ConsultationFactory(), many_rows(30))
    assert job.status == Status.DONE
    with (
        mock.patch("nlp.tasks.analysis_batch_task.delay") as batches,
        mock.patch("nlp.tasks.duplicate_groups_refresh_task.delay"),
    ):
        analysis_sweep()
    swept = {submission_id for call in batches.call_args_list for submission_id in call.args[0]}
    assert swept == set(Submission.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_file_bytes_are_dropped_when_the_job_ends_and_upload_and_end_are_audited():
    staff = StaffUserFactory()
    done = run_import(ConsultationFactory(), many_rows(2), actor=staff)
    failed = run_import(ConsultationFactory(), "提出方法,到着日,意見\r\n電話,2026-11-20,x\r\n".encode(), actor=staff)
    for job in (done, failed):
        job.refresh_from_db()
        assert bytes(job.content) == b""
        assert len(job.content_sha256) == 64
    actions = list(
        AuditEvent.objects.filter(target_type="feedback.submissionimport")
        .order_by("pk")
        .values_list("action", "target_id")
    )
    assert actions == [
        ("submission_import.upload", str(done.pk)),
        ("submission_import.done", str(done.pk)),
        ("submission_import.upload", str(failed.pk)),
        ("submission_import.failed", str(failed.pk)),
    ]
    assert AuditEvent.objects.filter(action="submission_import.done", actor=staff).exists()


@pytest.mark.django_db
def test_the_upload_queues_its_job_after_commit_and_a_broker_outage_leaves_it_queued(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory()
    with (
        mock.patch.object(import_service.submission_import_run_task, "delay", side_effect=BrokerError("down")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = submission_import_upload(consultation=consultation, file_name="x.csv", raw=many_rows(2), actor=None)
    delay.assert_called_once_with(job.pk)
    job.refresh_from_db()
    assert job.status == Status.QUEUED and bytes(job.content) == many_rows(2)
    # Nothing has moved for a while: staff may ask again, and it is audited.
    assert not import_service.submission_import_is_stalled(job)
    SubmissionImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=6))
    job.refresh_from_db()
    assert import_service.submission_import_is_stalled(job)
    staff = StaffUserFactory()
    with (
        mock.patch.object(import_service.submission_import_run_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        submission_import_resume(job=job, actor=staff)
    delay.assert_called_once_with(job.pk)
    assert AuditEvent.objects.filter(action="submission_import.resume", actor=staff).exists()
    # Just resumed, so not stalled: a second click is refused.
    job.refresh_from_db()
    with pytest.raises(Exception, match="再開の必要はありません"):
        submission_import_resume(job=job, actor=staff)


@pytest.mark.django_db
def test_a_hostile_file_name_is_stored_cleaned():
    job = submission_import_upload(
        consultation=ConsultationFactory(),
        file_name="C:\\Users\\職員\\意見\x00<b>.csv",
        raw=many_rows(1),
        actor=None,
    )
    assert job.file_name == "意見<b>.csv"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_job_at_once_import_each_row_once(roles, monkeypatch):
    """A redelivered message while the first worker still runs (or a resume
    clicked too early): the job row's lock per batch keeps the count true."""
    import threading

    from django.db import connection

    monkeypatch.setattr(import_service, "BATCH_ROWS", 7)
    with mock.patch.object(import_service.submission_import_run_task, "delay"):
        job = submission_import_upload(
            consultation=ConsultationFactory(), file_name="x.csv", raw=many_rows(120), actor=StaffUserFactory()
        )
    start = threading.Barrier(2)
    failures = []

    def worker():
        try:
            start.wait()
            submission_import_run(import_id=job.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    with mock.patch("nlp.tasks.analysis_batch_task.delay"):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not failures
    job.refresh_from_db()
    assert (job.status, job.created_count, job.attempts) == (Status.DONE, 120, 2)
    addresses = list(Submission.objects.values_list("identity__address", flat=True))
    assert len(addresses) == len(set(addresses)) == 120


@pytest.mark.django_db
def test_beat_queues_a_stalled_job_again_without_staff_and_gives_up_after_three_runs(
    django_capture_on_commit_callbacks,
):
    """A worker killed mid-import left the job 処理中 until someone pressed 再開; the sweep resumes it."""
    consultation = ConsultationFactory()
    with mock.patch.object(import_service.submission_import_run_task, "delay"):
        stalled = submission_import_upload(consultation=consultation, file_name="a.csv", raw=many_rows(2), actor=None)
        fresh = submission_import_upload(consultation=consultation, file_name="b.csv", raw=many_rows(3), actor=None)
    long_ago = timezone.now() - datetime.timedelta(minutes=6)
    SubmissionImport.objects.filter(pk=stalled.pk).update(status=Status.RUNNING, attempts=1, updated_at=long_ago)

    with (
        mock.patch.object(import_service.submission_import_run_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert import_service.submission_imports_sweep() == 1
    delay.assert_called_once_with(stalled.pk)
    assert AuditEvent.objects.filter(action="submission_import.resume", target_id=str(stalled.pk)).count() == 1
    # Just queued again: the next sweep leaves it to the worker; the fresh job was never touched.
    with mock.patch.object(import_service.submission_import_run_task, "delay") as delay:
        assert import_service.submission_imports_sweep() == 0
    delay.assert_not_called()
    fresh.refresh_from_db()
    assert fresh.status == Status.QUEUED

    # A job that stalled on each of its three runs waits for staff.
    SubmissionImport.objects.filter(pk=stalled.pk).update(attempts=3, updated_at=long_ago)
    with mock.patch.object(import_service.submission_import_run_task, "delay") as delay:
        assert import_service.submission_imports_sweep() == 0
    delay.assert_not_called()
