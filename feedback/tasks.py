from celery import shared_task
from django.core.mail import BadHeaderError

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
