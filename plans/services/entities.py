"""Edits of single plan rows (計画・めざす姿・施策・テーマ・単位施策・指標):
plan_entity_save / plan_entity_delete, each audited as plan.<kind>.<action>
with what it changed."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_record, audit_snapshot
from plans.models import Indicator, Plan, Policy, PolicyTheme, UnitPolicy, Vision

PlanEntity = Plan | Vision | Policy | PolicyTheme | UnitPolicy | Indicator
# Audit action names: plan.<kind>.create / .update / .delete
PLAN_ENTITY_KINDS: dict[type, str] = {
    Plan: "plan",
    Vision: "vision",
    Policy: "policy",
    PolicyTheme: "theme",
    UnitPolicy: "unit_policy",
    Indicator: "indicator",
}


def _entity_kind(entity: PlanEntity) -> str:
    try:
        return PLAN_ENTITY_KINDS[type(entity)]
    except KeyError:
        raise TypeError(f"not a plan entity: {type(entity).__name__}") from None


def _entity_summary(entity: PlanEntity) -> str:
    """Name the entity and, below a 施策, the 施策 it belongs to."""
    policy = getattr(entity, "policy", None)
    if isinstance(entity, Policy):
        return str(entity)  # 施策VI-1 …
    if policy is None:
        return f"{entity._meta.verbose_name}「{entity}」"
    return _("%(policy)s の%(kind)s「%(entity)s」") % {
        "policy": policy,
        "kind": entity._meta.verbose_name,
        "entity": entity,
    }


def _policy_code(entity: PlanEntity) -> str | None:
    if isinstance(entity, Policy):
        return entity.code
    policy = getattr(entity, "policy", None)
    return policy.code if policy is not None else None


def _editable_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]


@transaction.atomic
def plan_entity_save(*, entity: PlanEntity, actor, changes: dict[str, Any]) -> PlanEntity:
    """Create or change a plan row (計画・めざす姿・施策・テーマ・単位施策・指標).

    ``changes`` maps field names to new values. A new row is created with
    them (audit ``plan.<kind>.create``); a stored row is locked, and only
    the values that differ are written and audited with before/after
    (``plan.<kind>.update``, e.g. ``plan.policy.update``; a テーマ's
    キーワード is ``plan.theme.update`` naming its 施策).
    """
    kind = _entity_kind(entity)
    model = type(entity)
    allowed = set(_editable_fields(model))
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if entity.pk is None:
        for name, value in changes.items():
            setattr(entity, name, value)
        entity.full_clean()
        entity.save()
        audit_record(
            actor=actor,
            action=f"plan.{kind}.create",
            target=entity,
            summary=_entity_summary(entity),
            after={
                **audit_snapshot(entity, _editable_fields(model)),
                "policy_code": _policy_code(entity),
            },
        )
        return entity
    stored = model.objects.select_for_update().get(pk=entity.pk)
    changed = {name: value for name, value in changes.items() if getattr(stored, name) != value}
    if not changed:
        return stored
    before = audit_snapshot(stored, changed)
    for name, value in changed.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=[name for name in allowed if name not in changed])
    stored.save(update_fields=list(changed))
    audit_record(
        actor=actor,
        action=f"plan.{kind}.update",
        target=stored,
        summary=_entity_summary(stored),
        before={**before, "policy_code": _policy_code(stored)},
        after={**audit_snapshot(stored, changed), "policy_code": _policy_code(stored)},
    )
    return stored


@transaction.atomic
def plan_entity_delete(*, entity: PlanEntity, actor) -> None:
    """Delete a plan row (and what cascades from it) with an audit row."""
    kind = _entity_kind(entity)
    model = type(entity)
    stored = model.objects.select_for_update().get(pk=entity.pk)
    audit_record(
        actor=actor,
        action=f"plan.{kind}.delete",
        target=stored,
        summary=_entity_summary(stored),
        before={
            **audit_snapshot(stored, _editable_fields(model)),
            "policy_code": _policy_code(stored),
        },
    )
    stored.delete()
