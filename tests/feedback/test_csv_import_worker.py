"""A 2,000-row CSV import through a real Celery worker, PostgreSQL and Redis:
every row stored once and analysed, also when the worker is SIGKILLed mid-import."""

import os
import signal
import time

import pytest

from feedback.models import Submission, SubmissionImport
from feedback.services import submission_import_upload
from feedback.tasks import submission_import_run_task
from nlp.engine import current_engine
from nlp.models import SubmissionAnalysis
from nlp.tasks import analysis_sweep_task
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.support.worker import running_worker, wait_for

from .imports_support import many_rows

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROWS = 2000


def _analysed(consultation) -> int:
    _, version = current_engine()
    return SubmissionAnalysis.objects.filter(submission__consultation=consultation, model_version=version).count()


def _kill_tree(pid: int) -> None:
    """SIGKILL a worker and its pool children (no warm shutdown, no ack)."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        children.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    for child in (*children, pid):
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_real_worker_imports_2000_rows_and_every_one_is_analysed(roles):
    consultation = ConsultationFactory()
    with running_worker(concurrency=2) as worker:
        started = time.monotonic()
        job = submission_import_upload(
            consultation=consultation, file_name="x.csv", raw=many_rows(ROWS), actor=StaffUserFactory()
        )
        wait_for(lambda: SubmissionImport.objects.get(pk=job.pk).is_finished, timeout=300)
        imported = time.monotonic() - started
        wait_for(lambda: _analysed(consultation) == ROWS, timeout=300)
        assert worker.poll() is None, "worker died"
    job.refresh_from_db()
    print(f"\nreal worker: {ROWS:,} rows imported in {imported:.1f} s ({ROWS / imported:,.0f} rows/s)")
    assert (job.status, job.created_count) == ("done", ROWS)
    assert Submission.objects.filter(consultation=consultation).count() == ROWS


def test_a_worker_killed_mid_import_loses_nothing_and_imports_nothing_twice(roles):
    consultation = ConsultationFactory()
    with running_worker() as worker:
        job = submission_import_upload(
            consultation=consultation, file_name="x.csv", raw=many_rows(ROWS), actor=StaffUserFactory()
        )
        wait_for(lambda: SubmissionImport.objects.get(pk=job.pk).created_count >= 300, timeout=300, interval=0.05)
        _kill_tree(worker.pid)
        worker.wait(timeout=30)
    job.refresh_from_db()
    assert job.status == "running" and 0 < job.created_count < ROWS, job.created_count
    # Redelivery (acks_late) or the page's 再開 button queue it again.
    with running_worker() as worker:
        submission_import_run_task.delay(job.pk)
        wait_for(lambda: SubmissionImport.objects.get(pk=job.pk).is_finished, timeout=300)
        # Analysis messages the killed worker had taken are gone with it (Redis
        # gives them back only after the visibility timeout): beat's sweeper
        # queues whatever has no analysis, here run as beat would.
        deadline = time.monotonic() + 600
        while _analysed(consultation) < ROWS and time.monotonic() < deadline:
            analysis_sweep_task.delay()
            time.sleep(20)
        assert _analysed(consultation) == ROWS
        assert worker.poll() is None, "worker died"
    job.refresh_from_db()
    assert (job.status, job.created_count, job.attempts) == ("done", ROWS, 2)
    addresses = list(Submission.objects.filter(consultation=consultation).values_list("identity__address", flat=True))
    assert len(addresses) == len(set(addresses)) == ROWS
    _, version = current_engine()
    per_submission = SubmissionAnalysis.objects.filter(model_version=version).values_list("submission_id", flat=True)
    assert len(per_submission) == len(set(per_submission)) == ROWS  # none analysed twice
