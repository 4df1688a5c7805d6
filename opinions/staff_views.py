"""Workbench pages: from submissions to the 意見の概要と市の考え方 table.

Every page works without JavaScript. Access to a case is decided by
``consultation_list_for_workbench``; unknown or foreign cases are 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can_view_personal_data
from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from core.exports import csv_bytes, csv_response
from core.http import client_ip
from opinions import workflow
from opinions.forms import (
    GroupForm,
    MergeForm,
    MoveForm,
    ReviewForm,
    SplitForm,
    WithholdForm,
)
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.groups import (
    consultation_get_for_workbench,
    opinion_counts,
    opinion_group_actions,
    opinion_group_get_for_workbench,
    opinion_group_list,
    opinion_group_review_actions,
    opinion_group_review_waits_for,
    opinion_item_list_for_group,
    opinion_item_list_ungrouped,
    opinion_table_ready,
    opinion_table_rows,
    submission_list_for_workbench,
)
from opinions.selectors.text import (
    opinion_group_summary_draft,
    opinion_item_views,
    shown_submissions,
    submission_text_for,
    with_diffs,
)
from opinions.services.answers import (
    opinion_group_review,
    opinion_group_unwithhold,
    opinion_group_update,
    opinion_group_withhold,
)
from opinions.services.groups import opinion_group_merge
from opinions.services.items import opinion_item_move, opinion_items_split
from opinions.services.seeding import opinion_groups_seed
from triage.services import originals_viewed

ITEMS_PER_PAGE = 50
SUBMISSIONS_PER_PAGE = 50


def _consultation(request, pk):
    consultation = consultation_get_for_workbench(user=request.user, pk=pk)
    if consultation is None:
        raise Http404
    return consultation


def _group(request, pk, group_pk):
    group = opinion_group_get_for_workbench(user=request.user, pk=group_pk, consultation_pk=pk)
    if group is None:
        raise Http404
    return group


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _move_form(*, consultation, views, data=None):
    choices = [(v.item.pk, v.item.submission.receipt_number) for v in views if v.in_scope]
    groups = opinion_group_list(consultation=consultation).filter(review=OpinionGroup.Review.DRAFT)
    return MoveForm(data, item_choices=choices, groups=groups, prefix="move")


@staff_member_required(*STAFF_WORKING_ROLES)
def overview(request, pk):
    consultation = _consultation(request, pk)
    ungrouped = opinion_item_views(
        user=request.user,
        items=opinion_item_list_ungrouped(consultation=consultation)[:ITEMS_PER_PAGE],
    )
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
            "counts": opinion_counts(consultation=consultation),
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


@staff_member_required(*STAFF_WORKING_ROLES)
def split(request, pk, submission_pk):
    consultation = _consultation(request, pk)
    submission = get_object_or_404(
        submission_list_for_workbench(user=request.user, consultation=consultation),
        pk=submission_pk,
    )
    text, masked = submission_text_for(user=request.user, submission=submission)
    current = opinion_item_views(
        user=request.user,
        items=submission.items.select_related("submission").order_by("order"),
    )
    initial = "\n---\n".join(v.text for v in current if v.text) if current else (text or "")
    form = SplitForm(request.POST or None, initial={"parts_text": initial})
    if request.method == "POST" and form.is_valid():
        try:
            items = opinion_items_split(actor=request.user, submission=submission, parts=form.parts())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(count)s件の意見に分割しました。") % {"count": len(items)})
            return redirect("staff:workbench", pk=consultation.pk)
    status = 400 if request.method == "POST" else 200
    originals_viewed(actor=request.user, submissions=[submission], ip_address=client_ip(request))
    return render(
        request,
        "opinions/workbench/split.html",
        {
            "consultation": consultation,
            "submission": submission,
            "text": text,
            "masked": masked,
            "current": current,
            "form": form,
        },
        status=status,
    )


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
def items_move(request, pk):
    consultation = _consultation(request, pk)
    views = opinion_item_views(user=request.user, items=_posted_items(request, consultation))
    form = _move_form(consultation=consultation, views=views, data=request.POST)
    if form.is_valid():
        target = form.cleaned_data["target"]
        group = (
            None if target == MoveForm.NEW else get_object_or_404(OpinionGroup, pk=target, consultation=consultation)
        )
        try:
            group = opinion_item_move(
                actor=request.user,
                item_ids=form.cleaned_data["items"],
                group=group,
                consultation=consultation,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("意見要旨 %(number)s に移動しました。") % {"number": group.number},
            )
            return redirect("staff:workbench_group", pk=pk, group_pk=group.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    back = request.POST.get("from_group", "")
    if back.isdigit() and opinion_group_get_for_workbench(user=request.user, pk=int(back), consultation_pk=pk):
        return redirect("staff:workbench_group", pk=pk, group_pk=int(back))
    return redirect("staff:workbench", pk=pk)


def _posted_items(request, consultation):
    ids = [int(v) for v in request.POST.getlist("move-items") if v.isdigit()]
    return OpinionItem.objects.filter(pk__in=ids, submission__consultation=consultation).select_related("submission")


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
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("意見要旨 %(number)s を「%(state)s」にしました。")
                % {"number": group.number, "state": group.get_review_display()},
            )
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


TABLE_CSV_HEADER = [
    "番号",
    "該当箇所",
    "意見の概要",
    "同趣旨件数",
    "市の考え方",
    "対応区分",
    "修正の有無",
    "修正後の文案",
]


@staff_member_required(*STAFF_WORKING_ROLES)
def table(request, pk):
    """Preview the 意見の概要と市の考え方 table as it would be published."""
    consultation = _consultation(request, pk)
    counts = opinion_counts(consultation=consultation)
    return render(
        request,
        "opinions/workbench/table.html",
        {
            "consultation": consultation,
            "counts": counts,
            "rows": opinion_table_rows(consultation=consultation),
            "ready": opinion_table_ready(consultation=consultation, counts=counts),
        },
    )


@staff_member_required(*STAFF_WORKING_ROLES)
def table_csv(request, pk):
    """The same table as CSV (UTF-8 with BOM, CRLF), without personal data."""
    consultation = _consultation(request, pk)
    rows = [
        [
            g.number,
            str(g.section or ""),
            g.summary,
            g.item_count,
            g.response,
            g.get_decision_display() if g.decision else "",
            "有" if g.revised else "無",
            g.revised_text,
        ]
        for g in opinion_table_rows(consultation=consultation)
    ]
    return csv_response(
        content=csv_bytes(header=TABLE_CSV_HEADER, rows=rows),
        filename=f"opinion-table-{consultation.pk}.csv",
    )
