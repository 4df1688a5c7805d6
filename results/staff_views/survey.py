"""Staff view of a survey's tabulated results, the indicators it measures, and 調査結果の公表."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES, STAFF_WORKING_ROLES, has_role
from consultations.models import Consultation
from core.views import form_action
from feedback.selectors import can_work_on_consultation
from results.forms import SurveyUnpublishForm
from results.matrix import scatter_chart
from results.selectors.matrix import survey_matrix, survey_matrix_scales
from results.selectors.survey import (
    indicator_values_for_consultation,
    survey_get_for_staff,
    survey_response_rate,
    survey_results,
    survey_tally_get,
)
from results.selectors.survey_published import survey_min_cell
from results.services.indicators import indicator_values_compute
from results.services.survey_publication import survey_results_publish, survey_results_unpublish
from results.services.survey_tally import survey_tallies_refresh


def _survey(request, pk):
    """The survey, or 404 when it is another department's (can_work_on_consultation)."""
    consultation = survey_get_for_staff(pk)
    if not can_work_on_consultation(user=request.user, consultation=consultation):
        raise Http404
    return consultation


def _context(request, consultation) -> dict:
    tally = survey_tally_get(consultation=consultation)
    min_cell = survey_min_cell()
    # The matrix as residents will see it (items answered by fewer than the
    # minimum cell size are not placed); the cross-tabs below are staff's, in full.
    matrix_items, matrix = survey_matrix(consultation=consultation, tally=tally, min_cell=min_cell)
    return {
        "consultation": consultation,
        "tally": tally,
        # The tally's count, so the figures on the page are of one moment.
        "rate": survey_response_rate(consultation=consultation, responses=tally.respondents),
        "results": survey_results(consultation=consultation, tally=tally),
        "indicator_rows": indicator_values_for_consultation(consultation=consultation),
        "can_compute": has_role(request.user, *CITYWIDE_ROLES),
        "can_publish": has_role(request.user, *CITYWIDE_ROLES),
        "published": consultation.status == Consultation.Status.PUBLISHED,
        "closed": consultation.status == Consultation.Status.CLOSED,
        "matrix_rows": list(zip(matrix_items, matrix.points, strict=True)),
        "matrix": matrix,
        "chart": scatter_chart(matrix),
        "scales": survey_matrix_scales(items=matrix_items),
        "min_cell": min_cell,
    }


@staff_member_required(*STAFF_WORKING_ROLES)
def results(request, pk):
    consultation = _survey(request, pk)
    context = _context(request, consultation)
    context["unpublish_form"] = SurveyUnpublishForm()
    return render(request, "results/survey_results.html", context)


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def publish(request, pk):
    """広聴's approval: tally once more and publish that tally for residents."""
    consultation = _survey(request, pk)
    try:
        survey_results_publish(consultation=consultation, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("staff:survey_results", pk=consultation.pk)
    messages.success(request, _("調査結果を公表しました。"))
    return redirect("results:survey_detail", pk=consultation.pk)


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def unpublish(request, pk):
    consultation = _survey(request, pk)
    form = SurveyUnpublishForm(data=request.POST)

    def act(data) -> str:
        survey_results_unpublish(consultation=consultation, actor=request.user, reason=data["reason"])
        return _("調査結果の公表を取り消しました。公表ページは表示されなくなりました。")

    def context():
        page = _context(request, consultation)
        page["unpublish_form"] = form
        return page

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:survey_results", args=[consultation.pk]),
        template="results/survey_results.html",
        context=context,
    )


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def indicators_compute(request, pk):
    consultation = _survey(request, pk)
    try:
        values = indicator_values_compute(consultation=consultation, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("目標指標 %(count)d 件の値を算出しました。") % {"count": len(values)},
        )
    return redirect("staff:survey_results", pk=consultation.pk)


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def tallies_refresh(request, pk):
    # Anyone who may read the results may refresh them: it changes no
    # decision, only how current the figures are.
    consultation = _survey(request, pk)
    try:
        tally = survey_tallies_refresh(consultation=consultation, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(count)d 件の回答を再集計しました。") % {"count": tally.respondents},
        )
    return redirect("staff:survey_results", pk=consultation.pk)
