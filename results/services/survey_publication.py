"""Publishing a closed survey's results (調査結果の公表), and taking them down again."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import CITYWIDE_ROLES, has_role
from consultations.models import Consultation
from consultations.services import (
    consultation_survey_results_publish,
    consultation_survey_results_unpublish,
)
from results.services.survey_tally import survey_tallies_refresh


def _check_actor(actor) -> None:
    # 広聴 answer for what the city publishes (and admins); the pages ask the
    # same (staff_member_required(*CITYWIDE_ROLES)).
    if not has_role(actor, *CITYWIDE_ROLES):
        raise PermissionDenied(_("調査結果の公表と取り消しは広聴担当とシステム管理者だけができます。"))


@transaction.atomic
def survey_results_publish(*, consultation: Consultation, actor) -> Consultation:
    """Tally every answer received, then publish that tally; it is frozen from then on.

    The tally is taken once more here, so what is published counts every
    response entered up to this moment (paper ones entered after the close
    too); once published, paper entry stops (status 結果公表済み) and the
    tally is not refreshed again until the publication is taken down.
    """
    _check_actor(actor)
    if consultation.kind != Consultation.Kind.SURVEY:
        raise ValidationError(_("調査結果を公表できるのはアンケートだけです。"), code="wrong_kind")
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(_("募集終了（集計中）のアンケートだけを結果公表できます。"), code="wrong_state")
    tally = survey_tallies_refresh(consultation=consultation, actor=actor)
    if not tally.respondents:
        raise ValidationError(_("有効な回答がないため、調査結果を公表できません。"), code="no_responses")
    return consultation_survey_results_publish(
        consultation=consultation,
        actor=actor,
        counts={"respondents": tally.respondents, "tallied_at": tally.computed_at.isoformat()},
    )


@transaction.atomic
def survey_results_unpublish(*, consultation: Consultation, actor, reason: str) -> Consultation:
    """Take the published results down (the public page answers 404 again), with a reason."""
    _check_actor(actor)
    return consultation_survey_results_unpublish(consultation=consultation, actor=actor, reason=reason)
