"""Workbench writes on 意見 (opinion items): split a submission into items, move items between groups.

Every function checks access through the workbench selectors, runs in one
transaction and writes an audit row with the values before and after.
"""

from collections.abc import Iterable
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import can_view_personal_data
from consultations.models import Consultation
from core.services import audit_record
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.text import (
    latest_masked_texts,
    masked_span_to_original,
)
from opinions.services.groups import _group_state, _next_number, _renumber, _tidy_groups
from opinions.services.guards import _check_workbench, _lock_case, _lock_group

Review = OpinionGroup.Review


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


# ---- Moving ----


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
