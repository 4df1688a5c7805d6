"""Reads for the staff dashboards, from the pre-counted aggregate tables.

Every function here reads ``SubmissionStat``/``LetterStat`` (a few thousand
rows at most), never the submissions themselves, so a page costs the same
with 1,000 or 1,000,000 submissions. Withdrawn submissions are not counted.
Submissions without a text to analyse (survey responses of choices only)
count in 受付件数 but never in 施策 counts or 同趣旨 figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.models import Department
from consultations.models import Consultation
from core.wareki import fiscal_year_label
from feedback.models import Channel, Submission
from letters.models import LetterCategory
from plans.indicator_math import percent
from plans.models import Policy
from results.models.dashboard import LetterStat, StatsRefresh, SubmissionStat

TOP_CONSULTATIONS = 20


@dataclass(frozen=True)
class DashboardFilters:
    kind: str = ""  # a Consultation.Kind value, or "" for every kind
    fiscal_year: int | None = None
    grain: str = "month"
    policy_id: int | None = None


@dataclass(frozen=True)
class CountRow:
    key: object
    label: str
    count: int
    share: Decimal | None  # percent of the table's total
    extra: dict = field(default_factory=dict)


def stats_refresh_get() -> StatsRefresh | None:
    return StatsRefresh.objects.order_by("-refreshed_at").first()


def stats_fiscal_years() -> list[int]:
    """年度 that have any submission, newest first."""
    return list(SubmissionStat.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


TEXTS = Sum("count", filter=Q(has_text=True))


def _stats(
    filters: DashboardFilters,
    dimension: str = SubmissionStat.Dimension.TOTAL,
    *,
    texts_only: bool = False,
) -> QuerySet[SubmissionStat]:
    rows = SubmissionStat.objects.filter(dimension=dimension)
    if texts_only:
        rows = rows.filter(has_text=True)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.fiscal_year:
        rows = rows.filter(fiscal_year=filters.fiscal_year)
    if filters.policy_id:
        rows = rows.filter(policy_id=filters.policy_id)
    return rows


def _rows(counts: list[tuple[object, str, int, dict]]) -> list[CountRow]:
    total = sum(count for _key, _label, count, _extra in counts)
    return [CountRow(key, label, count, percent(count, total), extra) for key, label, count, extra in counts]


def _grouped(filters: DashboardFilters, dimension: str) -> list[dict]:
    """Sum one dimension's rows by value, largest first."""
    return list(
        _stats(filters, dimension)
        .values("value")
        .annotate(n=Sum("count"), texts=TEXTS, confirmed=Sum("confirmed"), campaign=Sum("campaign"))
        .order_by("-n", "value")
    )


def submission_total(filters: DashboardFilters) -> dict:
    """Total, campaign members and confirmed-施策 counts for the filters.

    The 同趣旨 share is of the submissions with a text (``texts``): a survey
    response of choices only can be no campaign's copy.
    """
    sums = _stats(filters).aggregate(
        total=Sum("count"), texts=TEXTS, campaign=Sum("campaign"), confirmed=Sum("confirmed")
    )
    total = sums["total"] or 0
    return {
        "total": total,
        "texts": sums["texts"] or 0,
        "campaign": sums["campaign"] or 0,
        "confirmed": sums["confirmed"] or 0,
        "campaign_share": percent(sums["campaign"] or 0, sums["texts"] or 0),
        "confirmed_share": percent(sums["confirmed"] or 0, total),
    }


def _month_label(month: datetime.date) -> str:
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


def submissions_over_time(filters: DashboardFilters) -> list[CountRow]:
    """受付件数 per month or per 年度, oldest first, with no gaps between months."""
    if filters.grain == "fiscal_year":
        counts = _stats(filters).values("fiscal_year").annotate(n=Sum("count")).order_by("fiscal_year")
        return _rows([(r["fiscal_year"], fiscal_year_label(r["fiscal_year"]), r["n"], {}) for r in counts])
    counts = {r["month"]: r["n"] for r in _stats(filters).values("month").annotate(n=Sum("count"))}
    return _rows([(month, _month_label(month), counts.get(month, 0), {}) for month in _month_range(counts)])


def _month_range(counts: dict) -> list[datetime.date]:
    if not counts:
        return []
    month, last, months = min(counts), max(counts), []
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def submissions_by_policy(filters: DashboardFilters) -> list[CountRow]:
    """Per 施策 (confirmed, else suggested), with how many staff confirmed; texts only."""
    counts = list(
        _stats(filters, texts_only=True)
        .values("policy_id")
        .annotate(n=Sum("count"), confirmed=Sum("confirmed"))
        .order_by("-n", "policy_id")
    )
    policies = Policy.objects.in_bulk([r["policy_id"] for r in counts if r["policy_id"]])
    rows = []
    for r in counts:
        policy = policies.get(r["policy_id"])
        label = f"{_('施策')}{policy.number} {policy.title}" if policy else _("未分類")
        rows.append((policy, label, r["n"], {"confirmed": r["confirmed"] or 0}))
    return _rows(rows)


def submissions_by_channel(filters: DashboardFilters) -> list[CountRow]:
    labels = dict(Channel.choices)
    return _rows(
        [
            (r["value"], str(labels.get(r["value"], r["value"])), r["n"], {})
            for r in _grouped(filters, SubmissionStat.Dimension.CHANNEL)
        ]
    )


def submissions_by_department(filters: DashboardFilters) -> list[CountRow]:
    counts = _grouped(filters, SubmissionStat.Dimension.DEPARTMENT)
    # A 課's label names its 部 (Department.__str__): read both in one query.
    departments = Department.objects.select_related("parent").in_bulk([int(r["value"]) for r in counts if r["value"]])
    return _rows(
        [
            (
                r["value"],
                str(departments[int(r["value"])]) if r["value"] else _("未割り当て"),
                r["n"],
                {},
            )
            for r in counts
        ]
    )


def submissions_by_consultation(filters: DashboardFilters) -> list[CountRow]:
    """The consultations with most submissions, then one row for the rest."""
    counts = _grouped(filters, SubmissionStat.Dimension.CONSULTATION)
    top, rest = counts[:TOP_CONSULTATIONS], counts[TOP_CONSULTATIONS:]
    consultations = Consultation.objects.in_bulk([int(r["value"]) for r in top])
    rows = [
        (
            consultations[int(r["value"])],
            consultations[int(r["value"])].title,
            r["n"],
            {
                "campaign": r["campaign"] or 0,
                "campaign_share": percent(r["campaign"] or 0, r["texts"] or 0),
            },
        )
        for r in top
    ]
    if rest:
        rows.append(
            (
                None,
                _("その他 %(count)d件の案件") % {"count": len(rest)},
                sum(r["n"] for r in rest),
                {"campaign": sum(r["campaign"] or 0 for r in rest)},
            )
        )
    return _rows(rows)


def submissions_by_status(filters: DashboardFilters) -> list[CountRow]:
    labels = dict(Submission.Status.choices)
    return _rows(
        [(r["value"], str(labels[r["value"]]), r["n"], {}) for r in _grouped(filters, SubmissionStat.Dimension.STATUS)]
    )


@dataclass(frozen=True)
class LetterOutcomeRow:
    department: str
    counts: dict  # outcome → count
    total: int
    cells: tuple[int, ...]  # counts in LetterStat.Outcome order, for tables
    on_time_share: Decimal | None  # of the letters answered


def letter_outcomes_by_department(*, fiscal_year: int | None = None) -> list[LetterOutcomeRow]:
    """市長への手紙 per 所管課: answered on time or late, overdue, open, filed."""
    rows = LetterStat.objects.all()
    if fiscal_year:
        rows = rows.filter(fiscal_year=fiscal_year)
    table: dict[object, dict] = {}
    for r in rows.values("department_id", "outcome").annotate(n=Sum("count")):
        table.setdefault(r["department_id"], {})[r["outcome"]] = r["n"]
    departments = Department.objects.select_related("parent").in_bulk([key for key in table if key])
    out = []
    for key, counts in table.items():
        answered = counts.get("on_time", 0) + counts.get("late", 0)
        out.append(
            LetterOutcomeRow(
                str(departments[key]) if key else _("未回付"),
                counts,
                sum(counts.values()),
                tuple(counts.get(outcome, 0) for outcome in LetterStat.Outcome.values),
                percent(counts.get("on_time", 0), answered),
            )
        )
    return sorted(out, key=lambda row: (-row.counts.get("overdue", 0), -row.total, row.department))


def policy_fiscal_year_matrix(*, kind: str = "") -> tuple[list[int], list[tuple[Policy | None, list[int], int]]]:
    """施策 × 年度 counts of texts: (years oldest first, [(policy, counts per year, total)])."""
    rows = (
        _stats(DashboardFilters(kind=kind), texts_only=True).values("policy_id", "fiscal_year").annotate(n=Sum("count"))
    )
    years = sorted({r["fiscal_year"] for r in rows})
    cells: dict[object, dict[int, int]] = {}
    for r in rows:
        cells.setdefault(r["policy_id"], {})[r["fiscal_year"]] = r["n"]
    policies = Policy.objects.order_by("vision__order", "order", "number").select_related("vision")
    ordered = [(p, cells.get(p.pk, {})) for p in policies] + [(None, cells.get(None, {}))]
    return years, [(p, [c.get(y, 0) for y in years], sum(c.values())) for p, c in ordered]


@dataclass(frozen=True)
class LetterCategoryCounts:
    """市長への手紙 of a 年度 by 分野 and by 所管課, and the 課 × 分野 table; all from one count."""

    by_category: list[CountRow]  # in the 分野 list's order, 分野なし last
    by_department: list[CountRow]  # most letters first, 未回付 last
    columns: list[str]  # the 分野 of the table, as by_category
    rows: list[tuple[str, tuple[int, ...], int]]  # (課, counts per column, total), as by_department
    column_totals: tuple[int, ...]
    total: int


def letter_counts_by_category(*, fiscal_year: int | None = None) -> LetterCategoryCounts:
    """市長への手紙 by 分野 and 所管課 (受付 in the 年度; every 年度 when None), withdrawn ones left out.

    Only 分野 and 課 that have letters are listed; a letter not routed yet
    (or filed unrouted) has neither and is counted as 分野なし and 未回付.
    The same letters as ``letter_outcomes_by_department``'s 受付 column.
    """
    rows = LetterStat.objects.all()
    if fiscal_year:
        rows = rows.filter(fiscal_year=fiscal_year)
    cells: dict[tuple[object, object], int] = {
        (r["category_id"], r["department_id"]): r["n"]
        for r in rows.values("category_id", "department_id").annotate(n=Sum("count")).order_by()
    }
    category_ids = {category for category, _department in cells}
    categories = [c for c in LetterCategory.objects.all() if c.pk in category_ids]
    column_keys = [c.pk for c in categories] + ([None] if None in category_ids else [])
    column_labels = [c.name for c in categories] + ([_("分野なし（未回付など）")] if None in category_ids else [])
    departments = Department.objects.select_related("parent").in_bulk(
        [department for _category, department in cells if department]
    )
    per_department: dict[object, int] = {}
    for (_category, department), n in cells.items():
        per_department[department] = per_department.get(department, 0) + n
    row_keys = sorted(
        per_department,
        key=lambda key: (key is None, -per_department[key], str(departments[key]) if key else ""),
    )
    row_labels = {key: str(departments[key]) if key else _("未回付") for key in row_keys}
    rows = [
        (row_labels[key], tuple(cells.get((column, key), 0) for column in column_keys), per_department[key])
        for key in row_keys
    ]
    column_totals = tuple(sum(cells.get((column, key), 0) for key in row_keys) for column in column_keys)
    return LetterCategoryCounts(
        by_category=_rows(
            [(key, label, n, {}) for key, label, n in zip(column_keys, column_labels, column_totals, strict=True)]
        ),
        by_department=_rows([(key, row_labels[key], per_department[key], {}) for key in row_keys]),
        columns=column_labels,
        rows=rows,
        column_totals=column_totals,
        total=sum(column_totals),
    )
