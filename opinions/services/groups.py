"""Workbench writes on 意見要旨 as a whole: merging, and the upkeep after any change.

Deleting groups left without items, re-pointing representatives, closing up
番号, and the group state kept in audit rows. Every function runs in one
transaction and writes an audit row with the values before and after.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from consultations.models import Consultation
from core.services import audit_record
from opinions.models import OpinionGroup, OpinionItem
from opinions.services.guards import _lock_case, _lock_group

Review = OpinionGroup.Review

_GROUP_FIELDS = (
    "section_id",
    "summary",
    "response",
    "decision",
    "revised",
    "revised_text",
    "representative_id",
)


def _group_state(group: OpinionGroup) -> dict:
    return {name: getattr(group, name) for name in (*_GROUP_FIELDS, "review", "withheld", "withheld_reason")}


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


# ---- Merging ----


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
