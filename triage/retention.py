"""Deleting staff notes on a submission whose 保存年限 is over (市長への手紙).

Notes are staff working text about one letter and may repeat its details;
they have no public role. Callers write the audit row.
"""

from collections.abc import Iterable

from triage.models import InternalNote


def internal_notes_delete(*, submission_ids: Iterable[int]) -> int:
    return InternalNote.objects.filter(submission_id__in=list(submission_ids)).delete()[0]


def internal_notes_of(*, submission_ref):
    """Notes on ``submission_ref`` (an OuterRef)."""
    return InternalNote.objects.filter(submission=submission_ref)
