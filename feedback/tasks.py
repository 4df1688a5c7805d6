from celery import shared_task
from django.core.mail import BadHeaderError
from django.db import OperationalError

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
    from .services import submission_receipt_send

    return submission_receipt_send(submission_id=submission_id)


@shared_task(**MAIL_TASK_OPTIONS)
def letter_reply_email_task(case_id: int) -> bool:
    """E-mail an approved 市長への手紙 reply to its writer (idempotent)."""
    from .services import letter_reply_email_deliver

    return letter_reply_email_deliver(case_id=case_id)


@shared_task(**MAIL_TASK_OPTIONS)
def letter_reminders_send_task() -> int:
    """Periodic: remind 課 of letter due dates (each reminder once)."""
    from .services import letter_reminders_send

    return letter_reminders_send()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=30, retry_kwargs={"max_retries": 5})
def dashboard_stats_refresh_task(actor_id: int | None = None) -> int:
    """Rebuild the dashboard aggregate tables (idempotent); periodic, or asked for by staff."""
    from django.contrib.auth import get_user_model

    from .services import dashboard_stats_refresh

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    refresh = dashboard_stats_refresh(actor=actor)
    return refresh.submission_rows + refresh.letter_rows
