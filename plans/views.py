from django.shortcuts import render

from plans.selectors import plan_get_current


def plan_index(request):
    """Show the plan's めざす姿 and their 施策."""
    return render(request, "plans/index.html", {"plan": plan_get_current()})
