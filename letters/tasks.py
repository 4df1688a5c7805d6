from celery import shared_task

from feedback.tasks import MAIL_TASK_OPTIONS
from letters.services import (
    letter_reminders_send,
    letter_replies_sweep,
    letter_reply_email_deliver,
    letter_themes_refresh,
)
from nlp.tasks import MAX_RETRIES, RETRY_BACKOFF_MAX_SECONDS, RETRY_BACKOFF_SECONDS, TRANSIENT_ERRORS

# The nightly theme request retries on a lost database connection or a broker
# hiccup, as nlp's tasks do; a second run the same night requests nothing more.
THEMES_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": RETRY_BACKOFF_MAX_SECONDS,
    "retry_kwargs": {"max_retries": MAX_RETRIES},
}


@shared_task(**MAIL_TASK_OPTIONS)
def letter_reply_email_task(case_id: int) -> bool:
    """E-mail an approved 市長への手紙 reply to its writer (idempotent)."""
    return letter_reply_email_deliver(case_id=case_id)


@shared_task(**MAIL_TASK_OPTIONS)
def letter_reminders_send_task() -> int:
    """Periodic: remind 課 of letter due dates (each reminder once)."""
    return letter_reminders_send()


@shared_task(acks_late=True)
def letter_replies_sweep_task() -> int:
    """Periodic: queue reply e-mails that were never sent (broker down when sent)."""
    return letter_replies_sweep()


@shared_task(**THEMES_TASK_OPTIONS)
def letter_themes_refresh_task() -> int:
    """Periodic (nightly): request the current 年度's letter themes where letters arrived since the last run."""
    return len(letter_themes_refresh())
