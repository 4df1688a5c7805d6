"""Reads of the plan for public pages."""

from django.db.models import Prefetch, QuerySet

from plans.models import Indicator, IndicatorValue, Plan, Policy, Vision


def plan_get_current() -> Plan | None:
    """Return the plan shown on the public pages, with visions and policies."""
    visions = Vision.objects.order_by("order").prefetch_related(
        Prefetch("policies", queryset=Policy.objects.order_by("order", "number"))
    )
    return Plan.objects.order_by("-pk").prefetch_related(Prefetch("visions", queryset=visions)).first()


def policy_list_public() -> QuerySet[Policy]:
    """Return policies with everything their detail page shows."""
    indicators = Indicator.objects.order_by("order", "pk").prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.order_by("fiscal_year")), "comparisons"
    )
    return Policy.objects.select_related("vision__plan").prefetch_related(
        "themes", "unit_policies", Prefetch("indicators", queryset=indicators)
    )


def statistic_indicator_list() -> QuerySet[Indicator]:
    """Return the indicators staff enter values for, with their values (newest year first)."""
    return (
        Indicator.objects.filter(measurement=Indicator.Measurement.STATISTIC)
        .select_related("policy")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("entered_by").order_by("-fiscal_year")),
            "comparisons",
        )
        .order_by("policy__order", "policy__number", "order", "pk")
    )
