from celery import shared_task
from django.core.mail import BadHeaderError
from django.db import InterfaceError, OperationalError

SEND_RETRY_BACKOFF_SECONDS = 30
SEND_MAX_RETRIES = 8
# Mail tasks retry on transient network errors, never on a malformed header.
MAIL_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (ConnectionError, TimeoutError, OSError),
    "dont_autoretry_for": (BadHeaderError,),
    "retry_backoff": SEND_RETRY_BACKOFF_SECONDS,
    "retry_kwargs": {"max_retries": SEND_MAX_RETRIES},
}


@shared_task(**MAIL_TASK_OPTIONS)
def submission_receipt_send_task(submission_id: int) -> bool:
    """E-mail the 受付番号 to the submitter (idempotent)."""
    from feedback.services import submission_receipt_send

    return submission_receipt_send(submission_id=submission_id)


# The import job retries on a lost database connection or a broker hiccup;
# each run resumes after the last committed batch (never re-inserts a row).
IMPORT_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (ConnectionError, TimeoutError, OperationalError, InterfaceError),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task(name="feedback.tasks.submission_import_run_task", **IMPORT_TASK_OPTIONS)
def submission_import_run_task(import_id: int) -> str:
    """Run one CSV import job (idempotent: a finished job is left as it is)."""
    from feedback.services.imports import submission_import_run

    job = submission_import_run(import_id=import_id)
    return job.status if job is not None else "missing"


@shared_task(acks_late=True)
def submission_receipts_sweep_task() -> int:
    """Periodic: queue receipts, and 結果公表のお知らせ, that were never sent (broker down at the time)."""
    from feedback.services.receipts import results_notices_sweep, submission_receipts_sweep

    return submission_receipts_sweep() + results_notices_sweep()


@shared_task(acks_late=True)
def submission_imports_sweep_task() -> int:
    """Periodic: queue again CSV imports that stalled (their worker died)."""
    from feedback.services.imports import submission_imports_sweep

    return submission_imports_sweep()


@shared_task(**MAIL_TASK_OPTIONS)
def submission_results_notice_send_task(submission_id: int) -> bool:
    """E-mail one resident who asked that the results are published (idempotent)."""
    from feedback.services.intake import submission_results_notice_send

    return submission_results_notice_send(submission_id=submission_id)


@shared_task(acks_late=True)
def consultation_results_notices_task(consultation_id: int) -> int:
    """Queue a 結果公表のお知らせ for everyone on a published case who asked (idempotent: each is sent once)."""
    from feedback.services.receipts import results_notices_queue

    return results_notices_queue(consultation_id=consultation_id)
