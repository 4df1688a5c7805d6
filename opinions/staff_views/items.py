"""Workbench pages on 意見: split a submission into 意見, move 意見 to another (or a new) 意見要旨."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from core.http import client_ip
from opinions.forms import MoveForm, SplitForm
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.groups import opinion_group_get_for_workbench, opinion_group_list, submission_list_for_workbench
from opinions.selectors.text import opinion_item_views, submission_text_for
from opinions.services.items import opinion_item_move, opinion_items_split
from opinions.staff_views.base import _add_errors, _consultation
from triage.services import originals_viewed


def _move_form(*, consultation, views, data=None):
    choices = [(v.item.pk, v.item.submission.receipt_number) for v in views if v.in_scope]
    groups = opinion_group_list(consultation=consultation).filter(review=OpinionGroup.Review.DRAFT)
    return MoveForm(data, item_choices=choices, groups=groups, prefix="move")


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
