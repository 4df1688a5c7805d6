"""Reads for the public plan pages."""

from django.db.models import Prefetch, QuerySet

from .models import Plan, Policy, Vision

# Consultations shown publicly next to a 施策 (drafts and withdrawn hidden).
PUBLIC_CONSULTATION_STATUSES = ("open", "closed", "published")


def plan_get_current() -> Plan | None:
    """Return the plan shown on the public pages, with visions and policies."""
    visions = Vision.objects.order_by("order").prefetch_related(
        Prefetch("policies", queryset=Policy.objects.order_by("order", "number"))
    )
    return Plan.objects.order_by("-pk").prefetch_related(Prefetch("visions", queryset=visions)).first()


def policy_list_public() -> QuerySet[Policy]:
    """Return policies with everything their detail page shows."""
    return Policy.objects.select_related("vision__plan").prefetch_related(
        "themes", "unit_policies", "indicators"
    )


def policy_consultations_public(*, policy: Policy) -> QuerySet:
    """Return the policy's consultations residents may see, newest first."""
    return policy.consultations.filter(status__in=PUBLIC_CONSULTATION_STATUSES).order_by("-opens_at", "-pk")
