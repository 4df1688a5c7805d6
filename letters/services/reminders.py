"""Due-date reminders to the 課 holding a 市長への手紙, each sent at most once per kind."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.calendar import is_working_day
from core.services import audit_record
from letters.models import LetterCase
from letters.selectors.reminders import letter_reminder_due_cases, letter_reminder_recipients


def _remind(case_id: int, kind: str) -> bool:
    field = "reminded_before_at" if kind == "before" else "reminded_overdue_at"
    with transaction.atomic():
        case = (
            LetterCase.objects.select_for_update(of=("self",))
            .select_related("submission", "submission__department")
            .filter(pk=case_id, **{f"{field}__isnull": True})
            .first()
        )
        if case is None:
            return False
        recipients = letter_reminder_recipients(case=case)
        context = {"case": case, "submission": case.submission, "kind": kind}
        if recipients:
            send_mail(
                subject=render_to_string("letters/staff/email/reminder_subject.txt", context).strip(),
                message=render_to_string("letters/staff/email/reminder_body.txt", context),
                from_email=None,
                recipient_list=recipients,
            )
        setattr(case, field, timezone.now())
        case.save(update_fields=[field, "updated_at"])
        audit_record(
            action=f"letter.remind_{kind}",
            target=case,
            summary=f"{len(recipients)}件に通知" if recipients else "通知先の職員がいません",
            after={"recipients": len(recipients)},
        )
    return True


def letter_reminders_send(*, today=None) -> int:
    """Remind 課 2 開庁日 before a due date and once after it; return mails sent.

    Runs only on 開庁日, so a reminder due over a weekend goes out on the
    next working morning. Each case is reminded at most once per kind.
    """
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    before_ids, overdue_ids = letter_reminder_due_cases(today=today)
    sent = sum(_remind(case_id, "before") for case_id in before_ids)
    return sent + sum(_remind(case_id, "overdue") for case_id in overdue_ids)
