"""Seeding 意見要旨: a draft group for every 意見 not yet in one.

Unsplit copies in the same NLP campaign group (同趣旨) share one group; the
write checks access, runs in one transaction and writes one audit row.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from consultations.models import Consultation
from core.services import audit_record
from feedback.models import Submission
from opinions.models import OpinionGroup, OpinionItem
from opinions.services.groups import _next_number, _renumber, _tidy_groups
from opinions.services.guards import _check_workbench, _lock_case

Review = OpinionGroup.Review

SEED_BATCH_SIZE = 1000


@dataclass(frozen=True)
class SeedResult:
    items_created: int
    groups_created: int
    items_grouped: int


@transaction.atomic
def opinion_groups_seed(*, actor, consultation: Consultation) -> SeedResult:
    """Create draft groups for every item not yet in one (idempotent).

    A submission not split yet becomes one item. Unsplit copies in the same
    NLP campaign group (``duplicate_group_key``) share one group, so they
    appear as 同趣旨 N件; every other item gets a group of its own.
    """
    consultation = _lock_case(consultation.pk)
    _check_workbench(actor=actor, consultation=consultation)
    # Items of withdrawn submissions leave their (draft) groups: they are
    # not counted, and a group of only such items would show 0件.
    stale = OpinionItem.objects.filter(
        submission__consultation=consultation,
        submission__status=Submission.Status.WITHDRAWN,
        group__review=Review.DRAFT,
    )
    stale_groups = set(stale.values_list("group_id", flat=True))
    withdrawn_removed = stale.update(group=None)
    _tidy_groups(actor=actor, group_ids=stale_groups)
    counted = Submission.objects.filter(consultation=consultation).exclude(status=Submission.Status.WITHDRAWN)
    unsplit = counted.filter(items__isnull=True).order_by("submitted_at", "id")
    new_items = OpinionItem.objects.bulk_create(
        [
            OpinionItem(
                submission=s,
                order=1,
                text=s.body,
                start=0,
                end=len(s.body),
                section_id=s.section_id,
            )
            for s in unsplit.only("id", "body", "section_id")
        ]
    )
    pending = list(
        OpinionItem.objects.filter(submission__in=counted, group__isnull=True)
        .select_related("submission")
        .order_by("submission__submitted_at", "submission_id", "order")
    )
    item_counts = dict(
        OpinionItem.objects.filter(submission_id__in={i.submission_id for i in pending})
        .order_by()
        .values("submission_id")
        .annotate(n=Count("id"))
        .values_list("submission_id", "n")
    )
    by_key = {
        g.campaign_key: g
        for g in OpinionGroup.objects.filter(consultation=consultation, review=Review.DRAFT)
        .exclude(campaign_key="")
        .order_by("-number")
    }
    number = _next_number(consultation)
    created: list[OpinionGroup] = []
    placement: list[tuple[OpinionItem, OpinionGroup]] = []
    for item in pending:
        key = item.submission.duplicate_group_key if item_counts.get(item.submission_id) == 1 else ""
        group = by_key.get(key) if key else None
        if group is None:
            group = OpinionGroup(
                consultation=consultation,
                number=number,
                campaign_key=key,
                section_id=item.section_id or item.submission.section_id,
                representative=item,
            )
            number += 1
            created.append(group)
            if key:
                by_key[key] = group
        placement.append((item, group))
    # One INSERT per batch rather than per group: a case may have 10,000s.
    OpinionGroup.objects.bulk_create(created, batch_size=SEED_BATCH_SIZE)
    for item, group in placement:
        item.group = group
    OpinionItem.objects.bulk_update(pending, ["group"], batch_size=SEED_BATCH_SIZE)
    if stale_groups:
        _renumber(consultation)
    result = SeedResult(
        items_created=len(new_items),
        groups_created=len(created),
        items_grouped=len(pending),
    )
    if pending or new_items or withdrawn_removed:
        audit_record(
            actor=actor,
            action="opinion_group.seed",
            target=consultation,
            before={"ungrouped_items": len(pending) - len(new_items)},
            after={
                "items_created": result.items_created,
                "groups_created": [g.pk for g in created],
                "items_grouped": result.items_grouped,
                "withdrawn_items_removed": withdrawn_removed,
            },
        )
    return result
