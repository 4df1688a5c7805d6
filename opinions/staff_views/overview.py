"""The workbench overview of a case: counts, 意見要旨, ungrouped 意見 and submissions; seeding 意見要旨."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from core.http import client_ip
from opinions.selectors.groups import (
    opinion_counts,
    opinion_group_list,
    opinion_item_list_ungrouped,
    submission_list_for_workbench,
)
from opinions.selectors.text import opinion_item_views, shown_submissions
from opinions.services.seeding import opinion_groups_seed
from opinions.staff_views.base import ITEMS_PER_PAGE, _consultation
from opinions.staff_views.items import _move_form
from triage.services import originals_viewed

SUBMISSIONS_PER_PAGE = 50


@staff_member_required(*STAFF_WORKING_ROLES)
def overview(request, pk):
    consultation = _consultation(request, pk)
    ungrouped_items = opinion_item_list_ungrouped(consultation=consultation)
    ungrouped = opinion_item_views(user=request.user, items=ungrouped_items[:ITEMS_PER_PAGE])
    counts = opinion_counts(consultation=consultation)
    submissions = Paginator(
        submission_list_for_workbench(user=request.user, consultation=consultation),
        SUBMISSIONS_PER_PAGE,
    )
    originals_viewed(
        actor=request.user,
        submissions=shown_submissions(ungrouped),
        ip_address=client_ip(request),
    )
    return render(
        request,
        "opinions/workbench/overview.html",
        {
            "consultation": consultation,
            "counts": counts,
            # Counted as ungrouped 意見 (opinion_counts) but not in the list: not split yet.
            "unsplit_ungrouped": max(counts.ungrouped_items - ungrouped_items.count(), 0),
            "groups": opinion_group_list(consultation=consultation),
            "ungrouped": ungrouped,
            "ungrouped_limit": ITEMS_PER_PAGE,
            "move_form": _move_form(consultation=consultation, views=ungrouped),
            "submissions": submissions.get_page(request.GET.get("page")),
        },
    )


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def seed(request, pk):
    consultation = _consultation(request, pk)
    result = opinion_groups_seed(actor=request.user, consultation=consultation)
    messages.success(
        request,
        _("意見要旨を%(groups)s件作成し、%(items)s件の意見を振り分けました。")
        % {"groups": result.groups_created, "items": result.items_grouped},
    )
    return redirect("staff:workbench", pk=consultation.pk)
