"""The workbench page of one 意見要旨: its 意見, the answer (市の考え方), merging, review and withholding."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can_view_personal_data
from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from core.http import client_ip
from opinions import workflow
from opinions.forms import GroupForm, MergeForm, ReviewForm, WithholdForm
from opinions.selectors.groups import (
    opinion_counts,
    opinion_group_actions,
    opinion_group_history_rows,
    opinion_group_list,
    opinion_group_review_actions,
    opinion_group_review_waits_for,
    opinion_group_separation_notes,
    opinion_item_list_for_group,
)
from opinions.selectors.text import opinion_group_summary_draft, opinion_item_views, shown_submissions, with_diffs
from opinions.services.answers import (
    opinion_group_review,
    opinion_group_unwithhold,
    opinion_group_update,
    opinion_group_withhold,
)
from opinions.services.groups import opinion_group_merge
from opinions.staff_views.base import ITEMS_PER_PAGE, _add_errors, _group
from opinions.staff_views.items import _move_form
from triage.services import originals_viewed


def _own_items(request, group):
    return opinion_item_list_for_group(group=group, user=request.user)


def _group_context(request, group, **forms):
    items = Paginator(opinion_item_list_for_group(group=group), ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    representative = None
    if group.representative_id:
        representative = opinion_item_views(user=request.user, items=[group.representative])[0]
    views = with_diffs(
        views=opinion_item_views(user=request.user, items=items.object_list),
        base=representative,
    )
    consultation = group.consultation
    summary_draft = "" if group.summary else opinion_group_summary_draft(group=group, user=request.user)
    return {
        "consultation": consultation,
        "group": group,
        "page": items,
        "item_views": views,
        "representative": representative,
        "counts": opinion_counts(consultation=consultation),
        "item_count": opinion_group_list(consultation=consultation).get(pk=group.pk).item_count,
        "summary_draft": summary_draft,
        "editable": group.review in workflow.EDITABLE,
        "may_see_personal_data": can_view_personal_data(user=request.user),
        "review_actions": opinion_group_review_actions(user=request.user, group=group),
        "review_waits_for": opinion_group_review_waits_for(group=group),
        "separation_notes": opinion_group_separation_notes(user=request.user, group=group),
        "history": opinion_group_history_rows(group=group),
        "group_actions": opinion_group_actions(user=request.user, group=group),
        "form": forms.get("form")
        or GroupForm(
            group=group,
            items=_own_items(request, group),
            initial={
                "section": group.section_id,
                "summary": group.summary or summary_draft,
                "response": group.response,
                "decision": group.decision,
                "revised": group.revised,
                "revised_text": group.revised_text,
            },
        ),
        "move_form": forms.get("move_form") or _move_form(consultation=consultation, views=views),
        "merge_form": forms.get("merge_form") or MergeForm(group=group, prefix="merge"),
        "review_form": forms.get("review_form") or ReviewForm(prefix="review"),
        "withhold_form": forms.get("withhold_form") or WithholdForm(prefix="withhold"),
    }


def _render_group(request, group, status=200, **forms):
    context = _group_context(request, group, **forms)
    shown = shown_submissions(
        context["item_views"] + ([context["representative"]] if context["representative"] else [])
    )
    originals_viewed(actor=request.user, submissions=shown, ip_address=client_ip(request))
    return render(request, "opinions/workbench/group.html", context, status=status)


@staff_member_required(*STAFF_WORKING_ROLES)
def group_detail(request, pk, group_pk):
    group = _group(request, pk, group_pk)
    if request.method != "POST":
        return _render_group(request, group)
    form = GroupForm(request.POST, group=group, items=_own_items(request, group))
    if form.is_valid():
        try:
            opinion_group_update(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("意見要旨 %(number)s を保存しました。") % {"number": group.number},
            )
            return redirect("staff:workbench_group", pk=pk, group_pk=group.pk)
    return _render_group(request, group, status=400, form=form)


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def group_merge(request, pk, group_pk):
    group = _group(request, pk, group_pk)
    form = MergeForm(request.POST, group=group, prefix="merge")
    if form.is_valid():
        try:
            opinion_group_merge(actor=request.user, group=group, others=form.cleaned_data["others"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            group.refresh_from_db()
            messages.success(
                request,
                _("意見要旨 %(number)s に統合しました。") % {"number": group.number},
            )
            return redirect("staff:workbench_group", pk=pk, group_pk=group.pk)
    return _render_group(request, group, status=400, merge_form=form)


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def group_review(request, pk, group_pk):
    group = _group(request, pk, group_pk)
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            group = opinion_group_review(
                actor=request.user,
                group=group,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
                screen_override=form.cleaned_data["screen_override"],
                screen_override_reason=form.cleaned_data["screen_override_reason"],
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if form.cleaned_data["action"] == workflow.SEND_BACK:
                message = _("意見要旨 %(number)s を差し戻しました（「%(state)s」、理由は経過に記録しました）。")
            else:
                message = _("意見要旨 %(number)s を「%(state)s」にしました。")
            messages.success(request, message % {"number": group.number, "state": group.get_review_display()})
            return redirect("staff:workbench_group", pk=pk, group_pk=group.pk)
    return _render_group(request, group, status=400, review_form=form)


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def group_withhold(request, pk, group_pk):
    group = _group(request, pk, group_pk)
    if request.POST.get("withhold-undo"):
        opinion_group_unwithhold(actor=request.user, group=group)
        messages.success(request, _("公表する扱いに戻しました。"))
        return redirect("staff:workbench_group", pk=pk, group_pk=group.pk)
    form = WithholdForm(request.POST, prefix="withhold")
    if form.is_valid():
        try:
            opinion_group_withhold(actor=request.user, group=group, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("公表しない意見要旨として記録しました。"))
            return redirect("staff:workbench_group", pk=pk, group_pk=group.pk)
    return _render_group(request, group, status=400, withhold_form=form)
