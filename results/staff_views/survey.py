"""Staff view of a survey's tabulated results and the indicators it measures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES, STAFF_WORKING_ROLES, has_role
from feedback.selectors import can_work_on_consultation
from results.selectors.survey import (
    indicator_values_for_consultation,
    survey_get_for_staff,
    survey_response_rate,
    survey_results,
    survey_tally_get,
)
from results.services.indicators import indicator_values_compute
from results.services.survey_tally import survey_tallies_refresh


def _survey(request, pk):
    """The survey, or 404 when it is another department's (can_work_on_consultation)."""
    consultation = survey_get_for_staff(pk)
    if not can_work_on_consultation(user=request.user, consultation=consultation):
        raise Http404
    return consultation


@staff_member_required(*STAFF_WORKING_ROLES)
def results(request, pk):
    consultation = _survey(request, pk)
    tally = survey_tally_get(consultation=consultation)
    context = {
        "consultation": consultation,
        "tally": tally,
        # The tally's count, so the figures on the page are of one moment.
        "rate": survey_response_rate(consultation=consultation, responses=tally.respondents),
        "results": survey_results(consultation=consultation, tally=tally),
        "indicator_rows": indicator_values_for_consultation(consultation=consultation),
        "can_compute": has_role(request.user, *CITYWIDE_ROLES),
    }
    return render(request, "results/survey_results.html", context)


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
    tally = survey_tallies_refresh(consultation=consultation, actor=request.user)
    messages.success(
        request,
        _("%(count)d 件の回答を再集計しました。") % {"count": tally.respondents},
    )
    return redirect("staff:survey_results", pk=consultation.pk)
