"""The sweeper queues at most one 同趣旨 regroup per consultation."""

import datetime

import pytest
from django.utils import timezone

from nlp import services
from nlp.engine import engine_reset
from nlp.models import SubmissionAnalysis
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_engine():
    engine_reset()
    yield
    engine_reset()


def test_sweep_queues_one_regroup_per_consultation_not_per_analysis(monkeypatch):
    # given: many analyses awaiting regroup, spread over two consultations,
    # each analysed at its own moment (the model orders by -analysed_at)
    road, tax = ConsultationFactory(), ConsultationFactory()
    ids = [submit(c, body=f"{i}番目の意見です。道路の補修をお願いします。").pk for i, c in enumerate([road, tax] * 6)]
    services.analysis_run_batch(submission_ids=ids)
    start = timezone.now() - datetime.timedelta(hours=1)
    for n, analysis in enumerate(SubmissionAnalysis.objects.filter(submission_id__in=ids)):
        SubmissionAnalysis.objects.filter(pk=analysis.pk).update(
            analysed_at=start + datetime.timedelta(seconds=n), grouped_at=None
        )
    regroups = []
    monkeypatch.setattr("nlp.tasks.analysis_batch_task.delay", lambda ids: None)
    monkeypatch.setattr("nlp.tasks.duplicate_groups_refresh_task.delay", regroups.append)

    # when
    services.analysis_sweep()

    # then: exactly one regroup per consultation
    assert sorted(regroups) == sorted([road.pk, tax.pk])
