import os

import pytest

from nlp.models import SubmissionAnalysis
from tests.consultations.factories import ConsultationFactory
from tests.support.worker import running_worker, wait_for

from .factories import submit

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_analyses_a_submission_after_commit():
    consultation = ConsultationFactory()
    with running_worker() as worker:
        submission = submit(
            consultation,
            body="町会の加入率を上げる取り組みをしてください。電話は090-1234-5678です。",
        )
        analysis = wait_for(lambda: SubmissionAnalysis.objects.filter(submission=submission).first())
        assert worker.poll() is None, "worker died"
    assert analysis.normalized_text
    # The worker ran in its own process against the same PostgreSQL database.
    assert os.environ["DATABASE_URL"].startswith("postgres")
    assert SubmissionAnalysis.objects.filter(submission=submission).count() == 1
