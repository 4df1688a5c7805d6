"""Workbench writes: split, group, answer and approve 意見要旨.

Every function checks access through the workbench selectors, runs in one
transaction and writes an audit row with the values before and after.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from accounts.access import can_view_personal_data
from consultations.models import Consultation
from core.services import audit_record
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from opinions import workflow
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.groups import (
    consultation_list_for_workbench,
)
from opinions.selectors.text import (
    latest_masked_texts,
    masked_span_to_original,
)

Review = OpinionGroup.Review

# The review steps (rows of opinions.workflow), as posted by the page and the API.
REVIEW_APPROVE_DEPARTMENT = workflow.APPROVE_DEPARTMENT
REVIEW_CHECK = workflow.CHECK
REVIEW_APPROVE = workflow.APPROVE
REVIEW_SEND_BACK = workflow.SEND_BACK
REVIEW_ACTIONS = workflow.REVIEW_ACTIONS

SEED_BATCH_SIZE = 1000
_GROUP_FIELDS = (
    "section_id",
    "summary",
    "response",
    "decision",
    "revised",
    "revised_text",
    "representative_id",
)


# ---- Guards ----


def _check_workbench(*, actor, consultation: Consultation) -> None:
    if not consultation_list_for_workbench(user=actor).filter(pk=consultation.pk).exists():
        raise PermissionDenied(_("この案件の意見要旨を編集する権限がありません。"))


def _lock_case(consultation_id: int) -> Consultation:
    """Lock the case row first: changes that renumber or add groups queue
    up per case, and always take their locks in the same order.

    FOR NO KEY UPDATE leaves foreign-key checks alone, so intake can still
    store new submissions for the case meanwhile.
    """
    return Consultation.objects.select_for_update(no_key=True).get(pk=consultation_id)


def _lock_group(*, actor, group: OpinionGroup, draft_only: bool = True) -> OpinionGroup:
    locked = OpinionGroup.objects.select_for_update().select_related("consultation").get(pk=group.pk)
    _check_workbench(actor=actor, consultation=locked.consultation)
    if draft_only and locked.review not in workflow.EDITABLE:
        raise ValidationError(
            _("確認・承認の手続中の意見要旨は変更できません。変更するには差し戻してください。"),
            code="not_draft",
        )
    return locked


def _group_state(group: OpinionGroup) -> dict:
    return {name: getattr(group, name) for name in (*_GROUP_FIELDS, "review", "withheld", "withheld_reason")}


def _items_state(items: Iterable[OpinionItem]) -> list[dict]:
    return [
        {
            "id": i.pk,
            "order": i.order,
            "start": i.start,
            "end": i.end,
            "group": i.group_id,
        }
        for i in items
    ]


def _next_number(consultation: Consultation) -> int:
    return (OpinionGroup.objects.filter(consultation=consultation).aggregate(m=Max("number"))["m"] or 0) + 1


def _renumber(consultation: Consultation) -> None:
    """Close gaps in 番号 so the published table runs 1, 2, 3 …"""
    groups = list(OpinionGroup.objects.filter(consultation=consultation).order_by("number").only("pk", "number"))
    if [g.number for g in groups] == list(range(1, len(groups) + 1)):
        return
    # Two passes keep the (consultation, number) constraint satisfied.
    offset = len(groups) + max(g.number for g in groups) + 1
    for group in groups:
        OpinionGroup.objects.filter(pk=group.pk).update(number=group.number + offset)
    for number, group in enumerate(groups, start=1):
        OpinionGroup.objects.filter(pk=group.pk).update(number=number)


def _tidy_groups(*, actor, group_ids: Iterable[int]) -> None:
    """Delete groups left without items and re-point representatives."""
    for group in OpinionGroup.objects.filter(pk__in=set(group_ids)).select_for_update():
        first = group.items.order_by("submission__submitted_at", "submission_id", "order").first()
        if first is None:
            audit_record(
                actor=actor,
                action="opinion_group.delete",
                target=group,
                before=_group_state(group),
                summary="意見が0件になった意見要旨を削除",
            )
            group.delete()
        elif group.representative_id is None or not group.items.filter(pk=group.representative_id).exists():
            group.representative = first
            group.save(update_fields=["representative", "updated_at"])


# ---- Splitting ----


def _locate_parts(*, source: str, parts: list[str]) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for number, part in enumerate(parts, start=1):
        found = source.find(part, cursor)
        if found < 0:
            raise ValidationError(
                _(
                    "%(number)s番目の部分が原文の連続した一部になっていません。原文のとおり、順番に、重ならないように指定してください。"
                ),
                code="not_excerpt",
                params={"number": number},
            )
        spans.append((found, found + len(part)))
        cursor = found + len(part)
    return spans


def _overlap(a: tuple[int, int], b: tuple[int | None, int | None]) -> int:
    if b[0] is None or b[1] is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@transaction.atomic
def opinion_items_split(*, actor, submission: Submission, parts: list[str]) -> list[OpinionItem]:
    """Split a submission into opinion items (意見件数) without changing it.

    Each part must be a contiguous excerpt of the text the actor can see:
    the original for staff who may see personal data, the masked text for
    everyone else (mapped back to the original). A new item joins the
    group of the old item it overlaps most.
    """
    _lock_case(submission.consultation_id)
    submission = (
        submission_list_visible_to(user=actor)
        .select_for_update(of=("self",))
        .select_related("consultation")
        .filter(pk=submission.pk)
        .first()
    )
    if submission is None:
        raise PermissionDenied(_("担当外の提出のため操作できません。"))
    _check_workbench(actor=actor, consultation=submission.consultation)
    if submission.status == Submission.Status.WITHDRAWN:
        raise ValidationError(_("取り下げられた提出は分割できません。"), code="withdrawn")
    parts = [p.replace("\r\n", "\n").strip() for p in parts]
    parts = [p for p in parts if p]
    if not parts:
        raise ValidationError(_("分割後の意見を1つ以上指定してください。"), code="no_parts")

    body = submission.body
    if can_view_personal_data(user=actor):
        spans = _locate_parts(source=body, parts=parts)
    else:
        masked = latest_masked_texts(submission_ids=[submission.pk]).get(submission.pk)
        if masked is None:
            raise ValidationError(
                _("個人情報のマスク処理が済んでいないため分割できません。広聴担当に依頼してください。"),
                code="not_masked",
            )
        spans = [
            masked_span_to_original(original=body, masked=masked, start=s, end=e)
            for s, e in _locate_parts(source=masked, parts=parts)
        ]
    if any(b[0] < a[1] for a, b in pairwise(spans)):
        raise ValidationError(_("分割した部分が重なっています。"), code="overlap")

    old_items = list(submission.items.select_for_update(of=("self",)).select_related("group"))
    if any(i.group_id and i.group.review != Review.DRAFT for i in old_items):
        raise ValidationError(
            _("確認・承認の手続中の意見要旨に入っている提出は分割できません。先に差し戻してください。"),
            code="not_draft",
        )
    before = _items_state(old_items)
    old_groups = {i.group_id for i in old_items if i.group_id}
    inherited = []
    for span in spans:
        best = max(old_items, key=lambda i: _overlap(span, (i.start, i.end)), default=None)
        inherited.append(best.group_id if best is not None and _overlap(span, (best.start, best.end)) else None)
    # Only one new item may take over an old item's group; the rest wait
    # to be placed, so a split never silently inflates 同趣旨 N件.
    taken: set[int] = set()
    for n, group_id in enumerate(inherited):
        if group_id in taken:
            inherited[n] = None
        elif group_id is not None:
            taken.add(group_id)
    submission.items.all().delete()
    items = OpinionItem.objects.bulk_create(
        [
            OpinionItem(
                submission=submission,
                order=n,
                text=body[s:e],
                start=s,
                end=e,
                section=submission.section,
                group_id=group_id,
            )
            for n, ((s, e), group_id) in enumerate(zip(spans, inherited, strict=True), start=1)
        ]
    )
    _tidy_groups(actor=actor, group_ids=old_groups)
    _renumber(submission.consultation)
    audit_record(
        actor=actor,
        action="opinion_item.split",
        target=submission,
        before={"items": before},
        after={"items": _items_state(OpinionItem.objects.filter(submission=submission))},
        summary=f"{len(items)}件の意見に分割",
    )
    return list(OpinionItem.objects.filter(submission=submission).order_by("order"))


# ---- Grouping ----


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


@transaction.atomic
def opinion_item_move(
    *,
    actor,
    item_ids: Iterable[int],
    group: OpinionGroup | None,
    consultation: Consultation | None = None,
) -> OpinionGroup:
    """Move items into ``group``, or into a new draft group when it is None.

    Groups left without items are deleted and 番号 closed up.
    """
    ids = sorted(set(item_ids))
    if not ids:
        raise ValidationError(_("移動する意見を選んでください。"), code="no_items")
    if group is not None:
        _lock_case(group.consultation_id)
        group = _lock_group(actor=actor, group=group)
        consultation = group.consultation
    elif consultation is None:
        raise ValueError("consultation is required when creating a group")
    else:
        consultation = _lock_case(consultation.pk)
    _check_workbench(actor=actor, consultation=consultation)
    items = list(
        OpinionItem.objects.select_for_update(of=("self",))
        .select_related("group", "submission")
        .filter(
            pk__in=ids,
            submission__consultation=consultation,
            submission__in=submission_list_visible_to(user=actor),
        )
        .order_by("submission__submitted_at", "submission_id", "order")
    )
    if len(items) != len(ids):
        raise PermissionDenied(_("担当外または他の案件の意見が含まれているため移動できません。"))
    if any(i.group_id and i.group.review != Review.DRAFT for i in items):
        raise ValidationError(
            _("確認・承認の手続中の意見要旨から意見は移動できません。"),
            code="not_draft",
        )
    before = _items_state(items)
    if group is None:
        group = OpinionGroup.objects.create(
            consultation=consultation,
            number=_next_number(consultation),
            section_id=items[0].section_id or items[0].submission.section_id,
            representative=items[0],
        )
        audit_record(
            actor=actor,
            action="opinion_group.create",
            target=group,
            after=_group_state(group),
        )
    sources = {i.group_id for i in items if i.group_id and i.group_id != group.pk}
    OpinionItem.objects.filter(pk__in=ids).update(group=group)
    _tidy_groups(actor=actor, group_ids={*sources, group.pk})
    _renumber(consultation)
    audit_record(
        actor=actor,
        action="opinion_item.move",
        target=group,
        before={"items": before},
        after={"group": group.pk, "items": ids},
        summary=f"{len(ids)}件の意見を移動",
    )
    group.refresh_from_db()
    return group


@transaction.atomic
def opinion_group_merge(*, actor, group: OpinionGroup, others: Iterable[OpinionGroup]) -> OpinionGroup:
    """Merge ``others`` into ``group``; their texts are kept in the audit row."""
    _lock_case(group.consultation_id)
    group = _lock_group(actor=actor, group=group)
    other_ids = {o.pk for o in others} - {group.pk}
    if not other_ids:
        raise ValidationError(_("統合する意見要旨を選んでください。"), code="no_groups")
    sources = list(OpinionGroup.objects.select_for_update().filter(pk__in=other_ids, consultation=group.consultation))
    if len(sources) != len(other_ids):
        raise PermissionDenied(_("他の案件の意見要旨は統合できません。"))
    if any(s.review != Review.DRAFT for s in sources):
        raise ValidationError(_("確認・承認の手続中の意見要旨は統合できません。"), code="not_draft")
    before = {
        "group": _group_state(group),
        "merged": {s.pk: {"number": s.number, **_group_state(s)} for s in sources},
    }
    OpinionItem.objects.filter(group_id__in=other_ids).update(group=group)
    _tidy_groups(actor=actor, group_ids=other_ids)
    _renumber(group.consultation)
    group.refresh_from_db()
    audit_record(
        actor=actor,
        action="opinion_group.merge",
        target=group,
        before=before,
        after={"group": _group_state(group), "item_count": group.items.count()},
    )
    return group
