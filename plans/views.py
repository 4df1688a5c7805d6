from django.shortcuts import get_object_or_404, render

from .selectors import (
    plan_get_current,
    policy_consultations_public,
    policy_indicator_progress,
    policy_list_public,
    policy_opinions_published,
)


def plan_index(request):
    """Show the plan's めざす姿 and their 施策."""
    return render(request, "plans/index.html", {"plan": plan_get_current()})


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
    return render(request, "plans/policy_detail.html", context)
