"""Staff dashboards: what was received, about which 施策, and how it was answered.

Counts only (no text, no identities), read from the aggregate tables that a
worker rebuilds, so every staff role may see them.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES, has_role
from core.charts import bar_chart, column_chart
from core.queue import enqueue
from core.wareki import fiscal_year_label
from plans.models import Policy
from results.forms import DashboardFilterForm
from results.models.dashboard import LetterStat
from results.selectors import dashboard as stats
from results.tasks import dashboard_stats_refresh_task


def _chart(rows, *, over_time=False):
    data = [(row.label, row.count) for row in rows]
    return column_chart(data) if over_time else bar_chart(data)


def _common(request, filters):
    over_time = stats.submissions_over_time(filters)
    return {
        "filters": filters,
        "refresh": stats.stats_refresh_get(),
        "perms_refresh": has_role(request.user, *CITYWIDE_ROLES),
        "totals": stats.submission_total(filters),
        "over_time": over_time,
        "over_time_chart": _chart(over_time, over_time=True),
    }


@staff_member_required()
def dashboard(request):
    """Overview: 推移, 施策, 提出方法, 所管課, 案件, 状態, and letters' response status, 分野 and 課."""
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    sections = {
        "by_policy": stats.submissions_by_policy(filters),
        "by_channel": stats.submissions_by_channel(filters),
        "by_department": stats.submissions_by_department(filters),
        "by_consultation": stats.submissions_by_consultation(filters),
        "by_status": stats.submissions_by_status(filters),
    }
    charts = {f"{name}_chart": _chart(rows) for name, rows in sections.items()}
    letter_categories = stats.letter_counts_by_category(fiscal_year=filters.fiscal_year)
    return render(
        request,
        "results/dashboard/index.html",
        {
            "form": form,
            **_common(request, filters),
            **sections,
            **charts,
            "letters": stats.letter_outcomes_by_department(fiscal_year=filters.fiscal_year),
            "letter_outcomes": LetterStat.Outcome.choices,
            "letter_categories": letter_categories,
            "letter_by_category_chart": _chart(letter_categories.by_category),
            "letter_by_department_chart": _chart(letter_categories.by_department),
            "fiscal_year_label": fiscal_year_label(filters.fiscal_year) if filters.fiscal_year else _("すべての年度"),
        },
    )


@staff_member_required()
def policies(request):
    """施策ダッシュボード: every 施策 by 年度, with the share staff confirmed."""
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    years, matrix = stats.policy_fiscal_year_matrix(kind=filters.kind)
    by_policy = stats.submissions_by_policy(filters)
    return render(
        request,
        "results/dashboard/policies.html",
        {
            "form": form,
            "filters": filters,
            "refresh": stats.stats_refresh_get(),
            "years": years,
            "matrix": matrix,
            "by_policy": by_policy,
            "by_policy_chart": _chart(by_policy),
        },
    )


@staff_member_required()
def policy(request, code):
    """One 施策: its submissions over time, by channel and consultation, and its indicators."""
    policy = get_object_or_404(Policy.objects.select_related("vision"), code=code)
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters(policy_id=policy.pk)
    by_channel = stats.submissions_by_channel(filters)
    by_consultation = stats.submissions_by_consultation(filters)
    return render(
        request,
        "results/dashboard/policy.html",
        {
            "form": form,
            "policy": policy,
            **_common(request, filters),
            "by_channel": by_channel,
            "by_channel_chart": _chart(by_channel),
            "by_consultation": by_consultation,
            "by_consultation_chart": _chart(by_consultation),
            "indicators": policy.indicators.prefetch_related("values").order_by("order", "pk"),
        },
    )


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def refresh(request):
    """Ask a worker to recount now instead of waiting for the periodic run."""
    if enqueue(dashboard_stats_refresh_task, actor_id=request.user.pk):
        messages.success(request, _("集計の更新を依頼しました。数分以内に反映されます。"))
    else:
        messages.warning(
            request,
            _("いまは集計の更新を依頼できません。10分ごとの定期集計で反映されますので、しばらくお待ちください。"),
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("staff:dashboard")
    return redirect(target)
