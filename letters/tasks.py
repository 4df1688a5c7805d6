from celery import shared_task

from feedback.tasks import MAIL_TASK_OPTIONS
from letters.services import letter_reminders_send, letter_replies_sweep, letter_reply_email_deliver


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
