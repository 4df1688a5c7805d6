"""Writes for the comprehensive plan: import from and export to a file, and edits.

The 施策 (with their キーワード, 背景, 単位施策) are the NLP taxonomy, so every
edit of the plan goes through plan_entity_save / plan_entity_delete and is
audited with what it changed.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_record, audit_snapshot
from plans.loader import Path, PlanFileError
from plans.models import Indicator, Plan, Policy, PolicyTheme, UnitPolicy, Vision
from plans.schema import MAX_DECIMAL_PLACES, validate_plan

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(MAX_DECIMAL_PLACES + 1)}


@dataclass
class PlanImportResult:
    plan: Plan | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def plan_import(*, data: Any, source_name: str, actor=None, lines: dict[Path, int] | None = None) -> PlanImportResult:
    """Create or update a plan from parsed file data, all or nothing.

    Rows are matched by their natural keys (plan name, vision and policy
    codes, theme numbers, unit policy titles, indicator names), so ids that
    consultations point at survive a re-import. Rows missing from the file
    are deleted. Raise PlanFileError, writing nothing, if the data is bad.
    """
    cleaned = validate_plan(data, source_name=source_name, lines=lines)
    result = PlanImportResult()
    plan_keys = {key: cleaned["plan"][key] for key in ("municipality", "name")}
    plan = result.plan = _upsert(result, Plan, plan_keys, cleaned["plan"])
    _check_policy_codes_free(plan, cleaned["policies"], source_name)

    visions = {
        item["code"]: _upsert(result, Vision, {"plan": plan, "code": item["code"]}, item) for item in cleaned["visions"]
    }
    kept_policies = []
    for item in cleaned["policies"]:
        policy = _upsert(
            result,
            Policy,
            {"code": item["code"]},
            {
                "vision": visions[item["vision"]],
                **_fields(item, exclude={"vision", "themes", "unit_policies", "indicators"}),
            },
        )
        kept_policies.append(policy.pk)
        _sync_children(result, policy.themes, PolicyTheme, "number", item["themes"], policy=policy)
        _sync_children(
            result,
            policy.unit_policies,
            UnitPolicy,
            "title",
            item["unit_policies"],
            policy=policy,
        )
        _sync_children(
            result,
            policy.indicators,
            Indicator,
            "name",
            item["indicators"],
            policy=policy,
        )

    stale = Policy.objects.filter(vision__plan=plan).exclude(pk__in=kept_policies)
    linked = stale.filter(consultations__isnull=False).distinct()
    if linked.exists():
        codes = ", ".join(p.code for p in linked)
        raise PlanFileError(
            [
                f"{source_name}: "
                + _("施策 %(codes)s はファイルにありませんが、意見募集と関連付けられているため削除できません")
                % {"codes": codes}
            ]
        )
    _delete(result, stale)
    _delete(result, plan.visions.exclude(pk__in=[v.pk for v in visions.values()]))

    audit_record(
        actor=actor,
        action="plan.import",
        target=plan,
        summary=_("%(source)s から総合計画を取り込みました") % {"source": source_name},
        after={
            "created": result.created,
            "updated": result.updated,
            "deleted": result.deleted,
        },
    )
    return result


def plan_export(*, plan: Plan) -> dict:
    """Return the plan in the file format plan_import reads."""
    policies = (
        Policy.objects.filter(vision__plan=plan)
        .select_related("vision")
        .prefetch_related("themes", "unit_policies", "indicators")
        .order_by("vision__order", "order", "number")
    )
    return {
        "plan": {
            "name": plan.name,
            "municipality": plan.municipality,
            "period_label": plan.period_label,
            "is_sample": plan.is_sample,
        },
        "visions": [
            {"code": v.code, "title": v.title, "is_sample": v.is_sample} for v in plan.visions.order_by("order")
        ],
        "policies": [_policy_export(policy) for policy in policies],
    }


def _policy_export(policy: Policy) -> dict:
    return {
        "code": policy.code,
        "vision": policy.vision.code,
        "number": policy.number,
        "title": policy.title,
        "basic_policy": policy.basic_policy,
        "related_plans": list(policy.related_plans),
        "themes": [
            {
                "number": t.number,
                "keywords": list(t.keywords),
                "backgrounds": list(t.backgrounds),
            }
            for t in policy.themes.all()
        ],
        "indicators": [_indicator_export(i) for i in policy.indicators.all()],
        "unit_policies": [{"title": u.title, "initiatives": list(u.initiatives)} for u in policy.unit_policies.all()],
        "reference_tables": list(policy.reference_tables),
    }


def _indicator_export(indicator: Indicator) -> dict:
    def value(number):
        return None if number is None else number.quantize(_QUANTA[indicator.decimal_places])

    data = {
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline_value": value(indicator.baseline_value),
        "baseline_year_label": indicator.baseline_year_label,
        "baseline_fiscal_year": indicator.baseline_fiscal_year,
        "target_value": value(indicator.target_value),
        "target_text": indicator.target_text,
        "target_fiscal_year": indicator.target_fiscal_year,
        "measurement": indicator.measurement,
        "measurement_note": indicator.measurement_note,
        "decimal_places": indicator.decimal_places,
    }
    return {key: val for key, val in data.items() if val not in (None, "")}


def _fields(item: dict, *, exclude: set[str]) -> dict:
    return {key: val for key, val in item.items() if key not in exclude}


def _upsert(result: PlanImportResult, model, keys: dict, values: dict):
    """Update the row matching ``keys`` (or create it) and count the change."""
    label = model._meta.model_name
    obj = model.objects.filter(**keys).first()
    created = obj is None
    if created:
        obj = model(**keys)
    changed = [name for name, val in values.items() if getattr(obj, name, None) != val]
    for name in changed:
        setattr(obj, name, values[name])
    if created or changed:
        # Rows are looked up by their natural key just above, and the
        # database constraints back that up; skip the per-row queries.
        obj.full_clean(validate_unique=False, validate_constraints=False)
        if created:
            obj.save()
        else:
            obj.save(update_fields=changed)
        bucket = result.created if created else result.updated
        bucket[label] = bucket.get(label, 0) + 1
    return obj


def _sync_children(
    result: PlanImportResult,
    related,
    model,
    key: str,
    items: list[dict],
    *,
    policy: Policy,
) -> None:
    kept = [_upsert(result, model, {"policy": policy, key: item[key]}, item).pk for item in items]
    _delete(result, related.exclude(pk__in=kept))


def _delete(result: PlanImportResult, queryset) -> None:
    label = queryset.model._meta.model_name
    count = queryset.count()
    if count:
        queryset.delete()
        result.deleted[label] = result.deleted.get(label, 0) + count


def _check_policy_codes_free(plan: Plan, policies: list[dict], source_name: str) -> None:
    """Refuse codes that belong to another plan: Policy.code is global."""
    codes = [p["code"] for p in policies]
    taken = Policy.objects.filter(code__in=codes).exclude(vision__plan=plan).values_list("code", flat=True)
    if taken:
        raise PlanFileError(
            [
                f"{source_name}: "
                + _("施策コード %(codes)s は別の総合計画で使われています") % {"codes": ", ".join(sorted(taken))}
            ]
        )


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
