"""Reads for the published results (意見の概要と市の考え方) of a consultation.

What the public may see of the results is decided here: only published
パブリック・コメント, only approved groups that are not withheld, and only
the staff-written, masked 意見の概要 and 市の考え方 — never a submission's
text or its submitter. Counts come from the workbench selectors so the
public page always equals what staff approved.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from consultations.models import Consultation
from core.site import absolute_url
from core.wareki import fiscal_year, fiscal_year_label
from opinions.models import OpinionGroup
from opinions.selectors.groups import (
    OpinionCounts,
    opinion_counts,
    opinion_table_rows,
)

# (ASCII field name, Japanese label) of every export column, in order.
RESULT_FIELDS = (
    ("municipality_code", "団体コード"),
    ("consultation_id", "案件番号"),
    ("title", "案件名"),
    ("department", "担当課"),
    ("fiscal_year", "年度"),
    ("decided_on", "決定日"),
    ("published_on", "公表日"),
    ("number", "番号"),
    ("section", "該当箇所"),
    ("summary", "意見の概要"),
    ("item_count", "同趣旨件数"),
    ("response", "市の考え方"),
    ("revised", "修正の有無"),
    ("decision", "対応区分"),
    ("revised_text", "修正後の文案"),
)


def consultation_list_published() -> QuerySet[Consultation]:
    """Return the パブリック・コメント whose results are published, newest first."""
    return (
        Consultation.objects.filter(
            kind=Consultation.Kind.PUBLIC_COMMENT,
            status=Consultation.Status.PUBLISHED,
        )
        .select_related("department")
        .order_by("-published_at", "-id")
    )


def consultation_get_published(*, pk: int) -> Consultation | None:
    return consultation_list_published().filter(pk=pk).first()


def result_rows(*, consultation: Consultation, counted: bool = True) -> QuerySet[OpinionGroup]:
    """Return the published table rows: approved groups not withheld."""
    return opinion_table_rows(consultation=consultation, counted=counted).filter(review=OpinionGroup.Review.APPROVED)


@dataclass(frozen=True)
class PublishedResults:
    consultation: Consultation
    counts: OpinionCounts
    rows: list[OpinionGroup]

    @property
    def published_on(self) -> datetime.date | None:
        published_at = self.consultation.published_at
        return timezone.localdate(published_at) if published_at else None

    @property
    def fiscal_year(self) -> int | None:
        day = self.consultation.decided_on or self.published_on
        return fiscal_year(day) if day else None

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year) if self.fiscal_year else ""


def published_results_get(*, pk: int) -> PublishedResults | None:
    """Return the results of a published consultation, or None."""
    consultation = consultation_get_published(pk=pk)
    if consultation is None:
        return None
    rows = list(result_rows(consultation=consultation, counted=False))
    counts = published_counts(consultation=consultation)
    for row in rows:
        row.item_count = counts.by_group.get(row.pk, 0)
    return PublishedResults(consultation=consultation, counts=counts, rows=rows)


def published_counts(*, consultation: Consultation) -> OpinionCounts:
    """Return the counts stored at publication (counted now for older publications)."""
    if consultation.results_counts is None:
        return opinion_counts(consultation=consultation)
    return OpinionCounts.from_json(consultation.results_counts)


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def result_records(results: PublishedResults) -> list[dict]:
    """Return one flat record per row, keyed by the ASCII field names."""
    c = results.consultation
    common = {
        "municipality_code": settings.MUNICIPALITY_CODE,
        "consultation_id": c.pk,
        "title": c.title,
        "department": str(c.department or ""),
        "fiscal_year": results.fiscal_year or "",
        "decided_on": _iso(c.decided_on),
        "published_on": _iso(results.published_on),
    }
    return [
        {
            **common,
            "number": g.number,
            "section": str(g.section or ""),
            "summary": g.summary,
            "item_count": g.item_count,
            "response": g.response,
            "revised": "有" if g.revised else "無",
            "decision": g.get_decision_display() if g.decision else "",
            "revised_text": g.revised_text if g.revised else "",
        }
        for g in results.rows
    ]


def _local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value else None


def results_document(results: PublishedResults) -> dict:
    """Return the open-data JSON document of one consultation's results."""
    c, counts = results.consultation, results.counts
    return {
        "municipality_code": settings.MUNICIPALITY_CODE,
        "consultation": {
            "id": c.pk,
            "title": c.title,
            "department": str(c.department or ""),
            "announced_on": _iso(c.announced_on),
            "opens_on": _iso(_local_date(c.opens_at)),
            "closes_on": _iso(_local_date(c.closes_at)),
            "decided_on": _iso(c.decided_on),
            "published_on": _iso(results.published_on),
            "fiscal_year": results.fiscal_year,
            "fiscal_year_label": results.fiscal_year_label,
            # 決定版 and 差異 (行政手続法43条1項4号).
            "final_url": c.final_url,
            "final_file_url": absolute_url(c.final_file.url) if c.final_file else "",
            "revision_summary": c.revision_summary,
            "unrevised": c.unrevised,
        },
        "counts": {
            # 提出者数 under submitter_count_rule (KOE_SUBMITTER_COUNT when published):
            # "signers" counts a 連名 per named person, "submissions" each 提出 once.
            "submitters": counts.submitters,
            "submitter_count_rule": counts.submitter_rule,
            "submissions": counts.submissions,
            "organizations": counts.organizations,
            "joint_submissions": counts.joint_submissions,
            "joint_signers": counts.joint_signers,
            "opinions": counts.items,
            "by_channel": [
                {
                    "channel": ch.channel,
                    "label": ch.label,
                    "submitters": ch.submitters,
                    "submissions": ch.submissions,
                    "opinions": ch.items,
                }
                for ch in counts.by_channel
            ],
            "revised": counts.revised_groups,
            "withheld_groups": counts.withheld_groups,
        },
        "rows": [
            {
                key: value
                for key, value in record.items()
                if key
                not in (
                    "municipality_code",
                    "consultation_id",
                    "title",
                    "department",
                    "fiscal_year",
                    "decided_on",
                    "published_on",
                )
            }
            for record in result_records(results)
        ],
    }
