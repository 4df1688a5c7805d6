"""Intake hands every new submission to the analysis worker, after commit."""

from django.db import transaction
from django.dispatch import receiver

from feedback.signals import submission_received
from nlp.tasks import submission_analyze_task


@receiver(submission_received, dispatch_uid="nlp.analyse_new_submission")
def analyse_new_submission(sender, submission, **kwargs) -> None:
    submission_id = submission.pk
    transaction.on_commit(lambda: submission_analyze_task.delay(submission_id))
