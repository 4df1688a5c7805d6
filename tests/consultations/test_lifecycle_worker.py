"""A real worker started by the test helper runs routed lifecycle tasks too."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Consultation
from consultations.tasks import consultation_advance_lifecycle_task
from tests.support.worker import running_worker, wait_for

from .factories import ConsultationFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_lifecycle_queue_is_consumed_and_a_due_consultation_opens():
    due = ConsultationFactory(
        status=Consultation.Status.SCHEDULED,
        opens_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    with running_worker() as worker:
        result = consultation_advance_lifecycle_task.delay()
        assert result.id
        wait_for(
            lambda: Consultation.objects.filter(pk=due.pk, status=Consultation.Status.OPEN).exists(),
            timeout=120,
        )
        assert worker.poll() is None, "worker died"
