"""SIGKILL the whole analysis worker mid-batch (an OOM kill, a host lost), start a new one:
every submission analysed, exactly once for the model version."""

import signal

from bench.processes import pool_children, wait_until
from feedback.models import Submission
from nlp.models import SubmissionAnalysis
from tests.consultations.factories import ConsultationFactory

from .support import Clock, analysis_counts, opinions, submit_opinions

N_RESIDENTS = 60


def _analysed(ids) -> set[int]:
    return set(SubmissionAnalysis.objects.filter(submission_id__in=ids).values_list("submission_id", flat=True))


def test_a_worker_killed_mid_batch_and_restarted_analyses_everything_once(stack):
    clock = Clock()
    consultation = ConsultationFactory()
    port = stack.web()
    clock("gunicorn up")
    # Residents send while no worker runs: their analyses wait on the queue.
    outcomes = submit_opinions(port, consultation.pk, opinions(N_RESIDENTS, "停止試験"), full=False)
    assert all(o.has_receipt_page for o in outcomes), [o.describe() for o in outcomes if not o.has_receipt_page][:3]
    ids = set(Submission.objects.filter(consultation=consultation).values_list("id", flat=True))
    assert len(ids) == N_RESIDENTS
    clock(f"{N_RESIDENTS} residents have their 受付番号")

    first = stack.worker("analysis-1")
    # when: the worker and its pool die while the queue is half worked off
    wait_until(lambda: len(_analysed(ids)) >= 3, timeout=180, interval=0.05, what="first analyses")
    clock("worker 1 analysing")
    assert pool_children(first.pid), "no pool process"
    first.signal_group(signal.SIGKILL)
    done_at_kill = len(_analysed(ids))
    assert done_at_kill < N_RESIDENTS, "the worker finished before it was killed"
    first.stop()

    # then: a new worker and beat's sweeper (what a restart brings back) finish the rest
    second = stack.worker("analysis-2", wait=False)
    stack.beat(sweep_seconds=3, wait=False)
    stack.ready()
    clock(f"killed at {done_at_kill}/{N_RESIDENTS}; worker 2 and beat up")
    wait_until(lambda: _analysed(ids) == ids, timeout=240, interval=0.5, what="every submission analysed")
    assert second.alive(), "the new worker died"
    clock("all analysed")

    rows = list(SubmissionAnalysis.objects.filter(submission_id__in=ids).values_list("submission_id", "model_version"))
    analysed, twice, versions = analysis_counts(rows)
    assert analysed == ids
    assert not twice, f"analysed more than once: {twice}"
    assert len(versions) == 1
    assert len(rows) == N_RESIDENTS
    print(f"\nkilled with {done_at_kill}/{N_RESIDENTS} analysed; all {N_RESIDENTS} analysed once after the restart")
