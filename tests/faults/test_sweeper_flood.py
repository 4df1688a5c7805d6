"""A 3,000-row CSV import floods analysis while beat's sweeper re-queues what is not analysed yet.

Opening and closing consultations on time runs on its own queue and worker,
so it keeps its schedule while the analysis queue is backlogged; every
imported row is stored once and analysed once for the model version.
"""

import datetime
import time
import types

from celery import Celery
from django.utils import timezone

from bench.processes import wait_until
from consultations.models import Consultation
from feedback.models import Submission, SubmissionImport
from feedback.services import submission_import_upload
from nlp.models import SubmissionAnalysis
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.imports_support import many_rows

from .support import Clock, analysis_counts

ROWS = 3000
LIFECYCLE_EVERY_S = 1.0
# Beat every second plus a lifecycle worker on a busy 2-core machine.
ON_TIME_S = 15.0


def _queue_through(stack, monkeypatch):
    """Jobs uploaded in this (eager) test process go to the stack's Redis and analysis queue."""
    # set_as_current=False: a second app made current would take over every
    # shared task's .delay() in this process, pointing later tests at this
    # stack's Redis after it is gone.
    sender = Celery("faults-sender", broker=stack.redis.url(0), set_as_current=False)
    sender.conf.task_serializer = "json"

    def delay(job_id):
        sender.send_task("feedback.tasks.submission_import_run_task", args=[job_id], queue=stack.queues["analysis"])

    monkeypatch.setattr("feedback.services.imports.submission_import_run_task", types.SimpleNamespace(delay=delay))
    return sender


def test_the_lifecycle_keeps_its_schedule_while_a_3000_row_import_floods_analysis(stack, monkeypatch):
    clock = Clock()
    target = ConsultationFactory(title="取込試験の計画（案）")
    # The analysis service as deployed (H1's queues): two pool processes, the
    # import job takes one. The themes queue (同趣旨 regrouping, which the
    # sweeper also queues) has no worker here: it is not what is measured.
    stack.worker("analysis", queues=[stack.queues["analysis"], stack.queues["default"]], concurrency=2, wait=False)
    stack.lifecycle_worker(wait=False)
    stack.beat(sweep_seconds=3, lifecycle_seconds=LIFECYCLE_EVERY_S, wait=False)
    stack.ready()
    clock("workers and beat up")
    sender = _queue_through(stack, monkeypatch)
    job = submission_import_upload(
        consultation=target, file_name="郵送分.csv", raw=many_rows(ROWS), actor=StaffUserFactory()
    )
    sender.close()
    submissions = Submission.objects.filter(consultation=target)
    wait_until(lambda: submissions.exists(), timeout=180, interval=0.2, what="first imported rows")
    clock("import running")

    # when: two consultations fall due while the import and its analysis are under way
    now = timezone.now()
    opening = ConsultationFactory(
        title="開始試験", status=Consultation.Status.SCHEDULED, opens_at=now + datetime.timedelta(seconds=2)
    )
    closing = ConsultationFactory(title="締切試験", closes_at=now + datetime.timedelta(seconds=4))
    seen = {}
    deadline = time.monotonic() + 90
    while len(seen) < 2 and time.monotonic() < deadline:
        statuses = dict(Consultation.objects.filter(pk__in=[opening.pk, closing.pk]).values_list("pk", "status"))
        backlog = submissions.count() - SubmissionAnalysis.objects.filter(submission__consultation=target).count()
        importing = not SubmissionImport.objects.get(pk=job.pk).is_finished
        for pk, due, done in ((opening.pk, opening.opens_at, "open"), (closing.pk, closing.closes_at, "closed")):
            if pk not in seen and statuses[pk] == done:
                seen[pk] = ((timezone.now() - due).total_seconds(), backlog or importing, submissions.count())
        time.sleep(0.2)
    clock(f"lifecycle: {seen}")

    # then: both moved on time, while analysis still had work queued
    assert set(seen) == {opening.pk, closing.pk}, f"not moved within 90 s: {seen}"
    for pk, (late, busy, _stored) in seen.items():
        assert late < ON_TIME_S, f"consultation {pk} moved {late:.1f} s after it was due"
        # The analysis worker was still importing or had rows queued; if it
        # was idle the schedule was never under pressure and this proved nothing.
        assert busy, "analysis had caught up before the lifecycle ran: the test proved nothing"

    wait_until(lambda: SubmissionImport.objects.get(pk=job.pk).is_finished, timeout=300, interval=1, what="import")
    job.refresh_from_db()
    assert (job.status, job.created_count) == (SubmissionImport.Status.DONE, ROWS)
    assert submissions.count() == ROWS
    ids = set(submissions.values_list("id", flat=True))
    wait_until(
        lambda: (
            SubmissionAnalysis.objects.filter(submission_id__in=ids).values("submission_id").distinct().count() == ROWS
        ),
        timeout=600,
        interval=2,
        what="analysis of every imported row",
    )
    clock("all analysed")
    rows = SubmissionAnalysis.objects.filter(submission_id__in=ids).values_list("submission_id", "model_version")
    analysed, twice, versions = analysis_counts(list(rows))
    assert analysed == ids
    assert not twice, f"analysed more than once: {len(twice)} submissions"
    assert len(versions) == 1
