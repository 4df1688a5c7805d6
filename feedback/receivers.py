"""Intake answers the consultation lifecycle: residents who asked are told when results are published."""

from django.dispatch import receiver

from consultations.signals import consultation_results_published
from core.queue import enqueue_on_commit
from feedback.tasks import consultation_results_notices_task


@receiver(consultation_results_published, dispatch_uid="feedback.results_notices")
def results_notices_on_publish(sender, consultation, **kwargs) -> None:
    enqueue_on_commit(consultation_results_notices_task, consultation.pk)
