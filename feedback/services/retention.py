"""Removing a submitter's identity while the opinion stays (保存年限, account deletion).

The public record of a submission is its opinion text, 受付番号, dates and
channel; the identity (the SubmitterIdentity row: 氏名, ふりがな, 団体名, 代表者,
郵便番号, 住所, 電話, メール, 区分の詳細) and the link to the resident's account
are what goes. The row is deleted rather than blanked field by field, so a
field added to it later is removed too.

These functions take ids and write no audit row: their callers (the
retention run, the account deletion) write one row for the whole operation.
"""

from collections.abc import Iterable

from django.db import transaction

from feedback.models import Submission, SubmitterIdentity


def _batches(ids: Iterable[int], size: int = 1000):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@transaction.atomic
def submission_identities_erase(*, submission_ids: Iterable[int], detach_author: bool = True) -> int:
    """Delete the identity of these submissions (and their account link); return how many had one."""
    erased = 0
    for batch in _batches(submission_ids):
        erased += SubmitterIdentity.objects.filter(submission_id__in=batch).delete()[0]
        if detach_author:
            Submission.objects.filter(pk__in=batch, author__isnull=False).update(author=None)
    return erased


@transaction.atomic
def submission_originals_erase(*, submission_ids: Iterable[int]) -> int:
    """Erase the original text of these submissions (市長への手紙 past its 保存年限).

    Submission.save() refuses to change an original, because while it is
    kept it is evidence; the end of its 保存年限 is the one sanctioned end,
    so this writes with a queryset update, which bypasses save().
    """
    erased = 0
    for batch in _batches(submission_ids):
        erased += (
            Submission.objects.filter(pk__in=batch).exclude(body="", section_text="").update(body="", section_text="")
        )
    return erased
