"""Intake hands every new submission to the analysis worker, after commit."""

import logging

from django.db import transaction
from django.dispatch import receiver
from kombu.exceptions import OperationalError as BrokerError

from consultations.signals import consultation_closed
from core.queue import enqueue_on_commit
from feedback.signals import submission_received, submissions_imported
from nlp.services import ANALYSIS_BATCH_SIZE
from nlp.tasks import analysis_batch_task, submission_analyze_task

logger = logging.getLogger(__name__)


@receiver(submission_received, dispatch_uid="nlp.analyse_new_submission")
def analyse_new_submission(sender, submission, batched=False, **kwargs) -> None:
    if batched:
        # Queued with its batch by analyse_imported_submissions.
        return
    submission_id = submission.pk
    # Never raises into the request: with the broker down, analysis_sweep_task
    # finds the submission when it is back.
    enqueue_on_commit(submission_analyze_task, submission_id)


@receiver(submissions_imported, dispatch_uid="nlp.analyse_imported_submissions")
def analyse_imported_submissions(sender, submission_ids, **kwargs) -> None:
    """A CSV import batch: a few batch messages instead of one per submission."""
    ids = list(submission_ids)

    def send():
        for start in range(0, len(ids), ANALYSIS_BATCH_SIZE):
            try:
                analysis_batch_task.delay(ids[start : start + ANALYSIS_BATCH_SIZE])
            except (BrokerError, ConnectionError, TimeoutError):
                # The import goes on; analysis_sweep_task queues what has no
                # analysis once the broker is back.
                logger.warning("analysis of %s imported submissions left to the sweeper", len(ids) - start)
                return

    transaction.on_commit(send)


@receiver(consultation_closed, dispatch_uid="nlp.themes_on_close")
def themes_on_close(sender, consultation, **kwargs) -> None:
    """A パブリック・コメント that closes gets its themes computed (the 作業台 starts from them)."""
    if consultation.kind == consultation.Kind.PUBLIC_COMMENT:
        from nlp.services import theme_run_request

        theme_run_request(actor=None, consultation=consultation)
