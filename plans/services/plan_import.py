"""plan_import: create or update a plan from a plan file's data, all or nothing,
matching rows by their natural keys and counting what changed."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_record
from plans.loader import Path, PlanFileError
from plans.models import Indicator, Plan, Policy, PolicyTheme, UnitPolicy, Vision
from plans.schema.document import validate_plan


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
