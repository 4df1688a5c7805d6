"""The one place that reads the latest analysis of submissions.

"Latest" is the newest ``analysed_at`` (then the highest id), whatever model
version wrote it: every page, API, search and export agrees on which masked
copy a department reads.
"""

from collections import Counter
from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery

from nlp.models import SubmissionAnalysis

LATEST_ORDER = ("-analysed_at", "-id")


def latest_analysis(submission) -> SubmissionAnalysis | None:
    return SubmissionAnalysis.objects.filter(submission_id=submission.pk).order_by(*LATEST_ORDER).first()


def _latest_rows(submission_ids: Iterable[int], *fields: str):
    return (
        SubmissionAnalysis.objects.filter(submission_id__in=list(submission_ids))
        .order_by("submission_id", *LATEST_ORDER)
        .values_list("submission_id", *fields)
    )


def latest_masked_texts(*, submission_ids: Iterable[int]) -> dict[int, str]:
    """Return the newest analysis's masked text per submission (left out when empty)."""
    found: dict[int, str] = {}
    for submission_id, masked in _latest_rows(submission_ids, "masked_text"):
        found.setdefault(submission_id, masked or "")
    return {pk: text for pk, text in found.items() if text}


def latest_key_phrases(*, submission_ids: Iterable[int]) -> list[str]:
    """Return key phrases of the newest analyses, most frequent first."""
    seen: set[int] = set()
    counts: Counter[str] = Counter()
    for submission_id, phrases in _latest_rows(submission_ids, "key_phrases"):
        if submission_id in seen:
            continue
        seen.add(submission_id)
        for phrase in phrases if isinstance(phrases, list) else []:
            text = phrase.get("text") or phrase.get("phrase") if isinstance(phrase, dict) else phrase
            if isinstance(text, str) and text.strip():
                counts[text.strip()] += 1
    return [phrase for phrase, _n in counts.most_common()]


def submission_ids_with_masked_text_containing(q: str) -> QuerySet:
    """Submission ids whose latest masked copy contains ``q`` (a subquery)."""
    latest = (
        SubmissionAnalysis.objects.filter(submission_id=OuterRef("submission_id"))
        .order_by(*LATEST_ORDER)
        .values("pk")[:1]
    )
    return (
        SubmissionAnalysis.objects.filter(masked_text__contains=q).filter(pk=Subquery(latest)).values("submission_id")
    )
