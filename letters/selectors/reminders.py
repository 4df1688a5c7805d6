"""Which 市長への手紙 cases are due a reminder, and to whom it goes.

A 課 is reminded 2 開庁日 before a due date and once after it; while the
reply waits for the 部長, the 部's approvers are reminded too.
"""

import datetime

from accounts.models import User
from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_ROLES
from core.calendar import add_working_days
from letters import workflow
from letters.models import LetterApproval, LetterCase
from letters.selectors.actions import letter_pending_stage

# States in which the 所管課 owes something (a draft or an approval).
DEPARTMENT_STATUSES = workflow.WITH_DEPARTMENT
REMINDER_WORKING_DAYS_BEFORE = 2


def letter_reminder_due_cases(*, today: datetime.date) -> tuple[list[int], list[int]]:
    """Return ids of cases needing the pre-deadline and the overdue reminder."""
    active = LetterCase.objects.filter(
        status__in=DEPARTMENT_STATUSES,
        due_on__isnull=False,
        submission__department__isnull=False,
    )
    soon = add_working_days(today, REMINDER_WORKING_DAYS_BEFORE)
    before = active.filter(reminded_before_at__isnull=True, due_on__gt=today, due_on__lte=soon)
    overdue = active.filter(reminded_overdue_at__isnull=True, due_on__lt=today)
    return list(before.values_list("pk", flat=True)), list(overdue.values_list("pk", flat=True))


def letter_department_recipients(*, department) -> list[str]:
    """Return the e-mail addresses of the 課's active staff and approvers."""
    return _active_emails(
        User.objects.filter(
            department=department,
            groups__name__in=DEPARTMENT_ROLES,
        )
    )


def letter_reminder_recipients(*, case: LetterCase) -> list[str]:
    """The 課 of the case and, while it waits for the 部長's approval, the 部's approvers."""
    department = case.submission.department
    recipients = letter_department_recipients(department=department)
    if department.parent_id and letter_pending_stage(case=case) == LetterApproval.Stage.BUCHO:
        bucho = _active_emails(
            User.objects.filter(department_id=department.parent_id, groups__name=DEPARTMENT_APPROVER)
        )
        recipients = sorted(set(recipients) | set(bucho))
    return recipients


def _active_emails(users) -> list[str]:
    return list(
        users.filter(is_active=True).exclude(email="").order_by("email").values_list("email", flat=True).distinct()
    )
