"""A real worker killed mid-batch loses nothing and duplicates nothing."""

import os
import signal
from pathlib import Path

import pytest

from nlp.engine import current_engine, engine_reset
from nlp.models import SubmissionAnalysis
from nlp.tasks import analysis_batch_task
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.support.worker import running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
N_SUBMISSIONS = 300


def _pool_children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_a_worker_killed_mid_batch_loses_nothing(monkeypatch):
    # given: submissions whose on-commit analysis never ran
    monkeypatch.setattr("nlp.tasks.submission_analyze_task.delay", lambda pk: None)
    consultation = ConsultationFactory()
    ids = [
        submit(consultation, body=f"{i}番目の意見です。公園の遊具を増やしてください。").pk for i in range(N_SUBMISSIONS)
    ]
    engine_reset()
    _, version = current_engine()
    stored = SubmissionAnalysis.objects.filter(submission_id__in=ids, model_version=version)
    with running_worker() as worker:
        # when: the pool process dies while the batch is half stored
        analysis_batch_task.delay(ids)
        wait_for(lambda: stored.exists(), timeout=180, interval=0.05)
        children = _pool_children(worker.pid)
        assert children, "no pool process to kill"
        assert stored.count() < N_SUBMISSIONS, "batch finished before the kill"
        os.kill(children[0], signal.SIGKILL)
        # then: the redelivered batch completes the rest
        wait_for(lambda: stored.count() == N_SUBMISSIONS, timeout=180)
        assert worker.poll() is None, "worker died"
    assert stored.count() == N_SUBMISSIONS
    assert set(stored.values_list("submission_id", flat=True)) == set(ids)
