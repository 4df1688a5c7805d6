"""The public page of one 施策: the plan's text, its 目標指標 measured, and the published opinions linked to it."""

from django.shortcuts import get_object_or_404, render

from plans.selectors import policy_list_public
from results.selectors.policy_page import (
    policy_consultations_public,
    policy_indicator_progress,
    policy_opinions_published,
)


def policy_detail(request, code: str):
    """Show one 施策: keywords, unit policies, indicators and published opinions."""
    policy = get_object_or_404(policy_list_public(), code=code)
    context = {
        "policy": policy,
        "plan": policy.vision.plan,
        "indicator_rows": policy_indicator_progress(policy=policy),
        "opinions": policy_opinions_published(policy=policy),
        # Filled in by the consultations app's template include.
        "consultations": policy_consultations_public(policy=policy),
    }
    return render(request, "results/policy_detail.html", context)
