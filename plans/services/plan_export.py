"""plan_export: a stored plan in the file format plan_import reads."""

from decimal import Decimal

from plans.models import Indicator, Plan, Policy
from plans.schema.validator import MAX_DECIMAL_PLACES

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(MAX_DECIMAL_PLACES + 1)}


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
