"""The staff queue: filters over indexed columns, low confidence first."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.utils.functional import cached_property

from accounts.access import can_view_personal_data
from core.towns import town_search_names
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from nlp.selectors import submission_ids_with_masked_text_containing
from plans.models import Policy

PAGE_SIZE = 50
# Counting every match of a broad text search costs more than the page
# itself; past this many the queue says "N件以上" and asks for a filter.
COUNT_CAP = 5000


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (one bounded query)."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


@dataclass(frozen=True)
class QueueFilters:
    consultation: int | None = None
    channel: str = ""
    policy: str = ""  # 施策 code: confirmed, else suggested
    status: str = ""
    department: int | None = None
    group: str = ""  # NLP campaign group key
    confidence_below: float | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""
    town: str = ""  # 提出者の住所の町名 (広聴・管理者 only): 青木2丁目, 青木二丁目, 青木2-…
    order: str = "confidence"  # confidence | newest | oldest


ORDERINGS = {
    "confidence": (F("suggestion_confidence").asc(nulls_first=True), "id"),
    "newest": ("-submitted_at", "-id"),
    "oldest": ("submitted_at", "id"),
}


def submission_queue(*, user, filters: QueueFilters) -> QuerySet[Submission]:
    """Return the user's visible submissions matching the filters, in queue order."""
    qs = submission_list_visible_to(user=user)
    exact = {
        "consultation_id": filters.consultation,
        "channel": filters.channel,
        "status": filters.status,
        "department_id": filters.department,
        "duplicate_group_key": filters.group,
    }
    qs = qs.filter(**{key: value for key, value in exact.items() if value})
    if filters.policy:
        # Resolve the code first so the filter stays on indexed columns.
        policy_id = Policy.objects.filter(code=filters.policy).values_list("pk", flat=True).first()
        qs = qs.filter(Q(policy_id=policy_id) | Q(policy__isnull=True, suggested_policy_id=policy_id))
    if filters.confidence_below is not None:
        qs = qs.filter(suggestion_confidence__lt=filters.confidence_below)
    if filters.date_from:
        qs = qs.filter(submitted_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(submitted_at__date__lte=filters.date_to)
    if filters.q:
        qs = _text_search(qs, user=user, q=filters.q)
    if filters.town and can_view_personal_data(user=user):
        # The stored 町名 (SubmitterIdentity.address_town) is the listed one,
        # so 二丁目 / 2丁目 / ２丁目 / 2- in the address or the query all match.
        qs = qs.filter(identity__address_town__in=town_search_names(filters.town))
    ordering = ORDERINGS.get(filters.order, ORDERINGS["confidence"])
    # department__parent: a 課 is shown as "部 課" (Department.__str__).
    return qs.select_related(
        "consultation",
        "department",
        "department__parent",
        "policy",
        "suggested_policy",
    ).order_by(*ordering)


def _text_search(qs: QuerySet[Submission], *, user, q: str) -> QuerySet[Submission]:
    """Match q against the text the user may read, never against what is hidden.

    Case-sensitive LIKE on purpose: Japanese has no case, and PostgreSQL
    answers LIKE (not UPPER() LIKE) from the pg_trgm GIN indexes on
    feedback_submission.body and nlp_submissionanalysis.masked_text.
    """
    if can_view_personal_data(user=user):
        return qs.filter(body__contains=q)
    # Departments read the masked text of the latest analysis (shown_text), so
    # that is what they search; matching the original would let them recover
    # a masked name or phone number by trying q until a row appears. A
    # submission not analysed yet (or whose masking came out empty) is never
    # matched: its masking is unknown, and its page shows no text either.
    return qs.filter(pk__in=submission_ids_with_masked_text_containing(q))


def duplicate_group_sizes(*, keys: list[str]) -> dict[str, int]:
    """Return how many submissions share each campaign key (同趣旨 N件)."""
    from django.db.models import Count

    rows = (
        Submission.objects.filter(duplicate_group_key__in=[k for k in keys if k])
        .values("duplicate_group_key")
        .annotate(n=Count("id"))
    )
    return {row["duplicate_group_key"]: row["n"] for row in rows}
