"""Mail of the committees app: the 受付番号 and the selection result, sent after commit (idempotent)."""

from celery import shared_task

from feedback.tasks import MAIL_TASK_OPTIONS


@shared_task(name="committees.tasks.application_receipt_send_task", **MAIL_TASK_OPTIONS)
def application_receipt_send_task(application_id: int) -> bool:
    """E-mail the applicant their 受付番号 (a repeated run sends nothing)."""
    from committees.services.applications import application_receipt_send

    return application_receipt_send(application_id=application_id)


@shared_task(name="committees.tasks.application_notice_send_task", **MAIL_TASK_OPTIONS)
def application_notice_send_task(application_id: int) -> bool:
    """E-mail the applicant the selection result (a repeated run sends nothing)."""
    from committees.services.selection import application_notice_send

    return application_notice_send(application_id=application_id)
