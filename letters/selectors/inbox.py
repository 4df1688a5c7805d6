"""The 市長への手紙 cases a user may see, the inbox lists and their due dates.

Who sees a case is accounts.access's rule, applied through
``submission_list_visible_to`` (and ``gives_mayor_approval``: 市長・秘書課
see the letters marked 市長確認が必要); this module only narrows it to
letters and adds the order, the 分野 filter and the 開庁日 left that the
inbox shows.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.access import gives_mayor_approval
from core.calendar import add_working_days, working_days_between
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from letters import workflow
from letters.models import LetterCase

CLOSED_STATUSES = workflow.CLOSED


def letter_case_list_visible_to(*, user) -> QuerySet[LetterCase]:
    """Return the letter cases the user may see, with their joins."""
    visible = Q(submission__in=submission_list_visible_to(user=user).values("pk"))
    if gives_mayor_approval(user):
        visible |= Q(mayor_review=True)
    return LetterCase.objects.filter(visible).select_related(
        "category",
        "submission",
        "submission__department",
        "submission__department__parent",
        "submission__suggested_policy",
        "submission__policy",
    )


def letter_case_get_visible(*, user, pk: int) -> LetterCase | None:
    return letter_case_list_visible_to(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class LetterRow:
    case: LetterCase
    days_left: int | None  # 開庁日; negative once overdue

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0 and self.case.status not in CLOSED_STATUSES


# The 分野 filter's value for letters without one (not routed yet, or filed unrouted).
NO_CATEGORY = "none"


def letter_inbox_cases(*, user, closed: bool = False, category: str = "") -> QuerySet[LetterCase]:
    """Open cases unrouted first, then by due date; or closed cases, newest first.

    ``category``: a LetterCategory code, ``NO_CATEGORY``, or "" for every 分野.
    """
    qs = letter_case_list_visible_to(user=user)
    if category == NO_CATEGORY:
        qs = qs.filter(category__isnull=True)
    elif category:
        qs = qs.filter(category__code=category)
    if closed:
        return qs.filter(status__in=CLOSED_STATUSES).order_by("-submission__submitted_at", "-pk")
    return qs.exclude(status__in=CLOSED_STATUSES).order_by(
        F("due_on").asc(nulls_first=True),
        "submission__submitted_at",
        "pk",
    )


def letter_rows(cases, *, today: datetime.date | None = None) -> list[LetterRow]:
    """Pair each case with the 開庁日 left until its due date."""
    today = today or timezone.localdate()
    return [
        LetterRow(
            case=case,
            days_left=working_days_between(today, case.due_on) if case.due_on else None,
        )
        for case in cases
    ]


def letter_received_on(*, submission: Submission) -> datetime.date:
    """Return the day the letter reached the city (paper: its arrival)."""
    return submission.received_on or timezone.localdate(submission.submitted_at)


def letter_due_on(*, submission: Submission) -> datetime.date:
    return add_working_days(letter_received_on(submission=submission), settings.KOE_LETTER_DUE_WORKING_DAYS)
