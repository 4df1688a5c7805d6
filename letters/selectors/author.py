"""The writer's own 市長への手紙: their letters and the reply sent to one."""

from django.db.models import QuerySet

from feedback.models import Submission
from feedback.selectors import submission_list_for_author
from letters.models import LetterCase


def letter_reply_for_author(*, user, receipt_number: str) -> LetterCase | None:
    """Return the sent reply to the user's own letter, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        LetterCase.objects.select_related("submission", "submission__consultation")
        .filter(
            submission__author=user,
            submission__receipt_number=receipt_number,
            status=LetterCase.Status.SENT,
        )
        .first()
    )


def submission_list_for_author_with_replies(*, user) -> QuerySet[Submission]:
    return submission_list_for_author(user=user).select_related("letter_case")
