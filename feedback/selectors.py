"""Reads of submissions; who may see what is decided here."""

from django.db.models import QuerySet

from .models import Submission


def submission_list_for_author(*, user) -> QuerySet[Submission]:
    return Submission.objects.filter(author=user).select_related("consultation").order_by("-submitted_at")


def submission_get_receipt(*, receipt_number: str, user, session_receipts: list[str]) -> Submission | None:
    """Return the submission if this browser sent it or the user owns it."""
    submission = Submission.objects.select_related("consultation").filter(receipt_number=receipt_number).first()
    if submission is None:
        return None
    owns = user.is_authenticated and submission.author_id == user.pk
    return submission if owns or receipt_number in session_receipts else None
