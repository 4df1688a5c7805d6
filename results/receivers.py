"""A closed survey's answers are final: tally it and measure its 目標指標 at once."""

from django.db import transaction
from django.dispatch import receiver

from consultations.models import Consultation
from consultations.signals import consultation_closed
from results.tasks import indicator_values_compute_task, survey_tallies_refresh_task


@receiver(consultation_closed, dispatch_uid="results.survey_closed")
def survey_closed(sender, consultation, **kwargs) -> None:
    if consultation.kind != Consultation.Kind.SURVEY:
        return
    pk = consultation.pk
    transaction.on_commit(lambda: survey_tallies_refresh_task.delay(pk))
    transaction.on_commit(lambda: indicator_values_compute_task.delay(pk))
