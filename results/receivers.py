"""A closed survey's answers are final: tally it and measure its 目標指標 at once."""

from django.dispatch import receiver

from consultations.models import Consultation
from consultations.signals import consultation_closed
from core.queue import enqueue_on_commit
from results.tasks import indicator_values_compute_task, survey_tallies_refresh_task


@receiver(consultation_closed, dispatch_uid="results.survey_closed")
def survey_closed(sender, consultation, **kwargs) -> None:
    if consultation.kind != Consultation.Kind.SURVEY:
        return
    pk = consultation.pk
    enqueue_on_commit(survey_tallies_refresh_task, pk)
    enqueue_on_commit(indicator_values_compute_task, pk)
