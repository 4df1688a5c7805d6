"""Erasing the text the analysis keeps of a submission whose original was erased.

An analysis holds a normalised and a masked copy of the original, and the
spans and phrases taken from it; when the original goes (a 市長への手紙 past its
保存年限) these go too. The topics and confidences stay: they hold no text and
the dashboards count them. Callers write the audit row.
"""

from collections.abc import Iterable

from django.db.models import Q

from nlp.models import SubmissionAnalysis

TEXT_FIELDS_EMPTY = Q(normalized_text="", masked_text="", pii_spans=[], key_phrases=[])


def analyses_text_erase(*, submission_ids: Iterable[int]) -> int:
    """Blank the text of every analysis of these submissions; return how many changed."""
    return (
        SubmissionAnalysis.objects.filter(submission_id__in=list(submission_ids))
        .exclude(TEXT_FIELDS_EMPTY)
        .update(normalized_text="", masked_text="", pii_spans=[], key_phrases=[])
    )


def analyses_with_text(*, submission_ref):
    """Analyses of ``submission_ref`` (an OuterRef) that still hold text."""
    return SubmissionAnalysis.objects.filter(submission=submission_ref).exclude(TEXT_FIELDS_EMPTY)
