"""Reads for the published 市長への手紙 (意見の要旨・回答の要旨) and their exports.

What the public may see of letters is decided here: only cases staff
marked published (which requires the writer's consent), only the
staff-written 要旨, never the letter or its writer.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from letters.models import LetterCase


def letter_cases_published(*, year: int) -> QuerySet[LetterCase]:
    """Return the 年度's published letters in 部, 課 and date order."""
    return (
        LetterCase.objects.filter(published=True, published_fiscal_year=year)
        .select_related("submission__department__parent")
        .order_by(
            "submission__department__parent__order",
            "submission__department__order",
            "submission__submitted_at",
            "pk",
        )
    )


def letter_group_by_bu(cases) -> list[tuple[object, list[LetterCase]]]:
    """Group cases (already in 部 order) as (部, cases)."""
    groups: dict = {}
    for case in cases:
        department = case.submission.department
        bu = department.parent if department and department.parent_id else department
        groups.setdefault(bu, []).append(case)
    return list(groups.items())


def letter_list_published(*, year: int) -> list[tuple[object, list[LetterCase]]]:
    """Return the 年度's published letters as (部, cases) in 部 order."""
    return letter_group_by_bu(letter_cases_published(year=year))


# (field name, Japanese label) of the published-letters export, in order.
LETTER_EXPORT_FIELDS = (
    ("municipality_code", "団体コード"),
    ("fiscal_year", "年度"),
    ("bu", "部"),
    ("ka", "課"),
    ("received_on", "受付日"),
    ("summary", "意見の要旨"),
    ("reply_summary", "回答の要旨"),
    ("replied_on", "回答日"),
)


def letter_published_records(*, year: int, groups=None) -> list[dict]:
    """Return one flat record per published letter of the 年度.

    ``groups`` is letter_list_published(year=year) when the caller already
    holds it; the rows are always that selector's, so the export shows
    exactly the letters the page shows.
    """
    if groups is None:
        groups = letter_list_published(year=year)
    records = []
    for bu, cases in groups:
        for case in cases:
            department = case.submission.department
            sent_at = case.sent_at
            records.append(
                {
                    "municipality_code": settings.MUNICIPALITY_CODE,
                    "fiscal_year": year,
                    "bu": str(bu or ""),
                    # A letter routed to a 部 itself has no 課.
                    "ka": department.name if department and department.parent_id else "",
                    "received_on": timezone.localdate(case.submission.submitted_at).isoformat(),
                    "summary": case.published_summary,
                    "reply_summary": case.published_reply_summary,
                    "replied_on": timezone.localdate(sent_at).isoformat() if sent_at else "",
                }
            )
    return records


def letter_published_years() -> list[int]:
    """Return the 年度 that have published letters, newest first."""
    years = LetterCase.objects.filter(published=True).values_list("published_fiscal_year", flat=True)
    return sorted({year for year in years.distinct().order_by() if year}, reverse=True)
