"""Staff page of a survey's 重要度×満足度 items: which two questions make one point.

Whoever may work on the survey (its 課, 広聴, admins) sets the items up;
every change is audited (results.services.survey_matrix) and refused once
the results are published.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from consultations.models import Consultation
from core.views import form_action
from feedback.selectors import can_work_on_consultation
from plans.models import Policy
from results.forms import SurveyMatrixItemForm
from results.models.survey import SurveyMatrixItem
from results.selectors.matrix import survey_matrix_items, survey_scale_questions
from results.selectors.survey import survey_get_for_staff
from results.services.survey_matrix import (
    survey_matrix_item_create,
    survey_matrix_item_delete,
    survey_matrix_item_update,
)

TEMPLATE = "results/staff/survey_matrix.html"


def _survey(request, pk) -> Consultation:
    consultation = survey_get_for_staff(pk)
    if not can_work_on_consultation(user=request.user, consultation=consultation):
        raise Http404
    return consultation


def _form(consultation, request, **kwargs) -> SurveyMatrixItemForm:
    return SurveyMatrixItemForm(
        data=request.POST if request.method == "POST" else None,
        questions=survey_scale_questions(consultation=consultation),
        policies=Policy.objects.order_by("vision__order", "order", "number"),
        **kwargs,
    )


def _context(consultation, item=None) -> dict:
    return {
        "consultation": consultation,
        "items": list(survey_matrix_items(consultation=consultation)),
        "item": item,
        "published": consultation.status == Consultation.Status.PUBLISHED,
        "has_scale_questions": survey_scale_questions(consultation=consultation).count() >= 2,
    }


@staff_member_required(*STAFF_WORKING_ROLES)
def matrix_items(request, pk):
    consultation = _survey(request, pk)
    form = _form(consultation, request)

    def act(data) -> str:
        item = survey_matrix_item_create(
            consultation=consultation,
            actor=request.user,
            label=data["label"],
            importance_question=data["importance_question"],
            satisfaction_question=data["satisfaction_question"],
            policy=data["policy"],
            order=data["order"] or 0,
        )
        return _("「%(label)s」を追加しました。") % {"label": item.label}

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:survey_matrix", args=[consultation.pk]),
        template=TEMPLATE,
        context=lambda: _context(consultation),
    )


def _item(consultation, item_pk) -> SurveyMatrixItem:
    return get_object_or_404(SurveyMatrixItem, consultation=consultation, pk=item_pk)


@staff_member_required(*STAFF_WORKING_ROLES)
def matrix_item_edit(request, pk, item_pk):
    consultation = _survey(request, pk)
    item = _item(consultation, item_pk)
    form = _form(
        consultation,
        request,
        initial={
            "label": item.label,
            "importance_question": item.importance_question_id,
            "satisfaction_question": item.satisfaction_question_id,
            "policy": item.policy_id,
            "order": item.order,
        },
    )

    def act(data) -> str:
        survey_matrix_item_update(
            item=item,
            actor=request.user,
            label=data["label"],
            importance_question=data["importance_question"],
            satisfaction_question=data["satisfaction_question"],
            policy=data["policy"],
            order=data["order"] or 0,
        )
        return _("「%(label)s」を変更しました。") % {"label": data["label"]}

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:survey_matrix", args=[consultation.pk]),
        template=TEMPLATE,
        context=lambda: _context(consultation, item),
    )


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def matrix_item_delete(request, pk, item_pk):
    consultation = _survey(request, pk)
    item = _item(consultation, item_pk)
    label = item.label
    try:
        survey_matrix_item_delete(item=item, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("「%(label)s」を削除しました。") % {"label": label})
    return redirect("staff:survey_matrix", pk=consultation.pk)
