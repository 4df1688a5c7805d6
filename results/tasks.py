import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.db.models import Q
from django.utils import timezone

from consultations.models import Consultation
from results.services.dashboard import dashboard_stats_refresh
from results.services.indicators import indicator_values_compute
from results.services.survey_tally import survey_tallies_refresh

RECOMPUTE_RETRY_BACKOFF_SECONDS = 30
RECOMPUTE_MAX_RETRIES = 5
# Surveys closed this recently are still refreshed: late withdrawals and
# staff-entered paper responses keep arriving just after the close.
TALLY_RECENTLY_CLOSED = datetime.timedelta(days=1)
# Every recompute replaces its stored rows, so a retry after a dropped
# database connection is safe.
RECOMPUTE_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": RECOMPUTE_RETRY_BACKOFF_SECONDS,
    "retry_kwargs": {"max_retries": RECOMPUTE_MAX_RETRIES},
}


def _survey(consultation_id: int) -> Consultation | None:
    return Consultation.objects.filter(pk=consultation_id, kind=Consultation.Kind.SURVEY).first()


@shared_task(**RECOMPUTE_TASK_OPTIONS)
def indicator_values_compute_task(consultation_id: int) -> int:
    """Recompute a survey's indicator values (idempotent: upserts per indicator and 年度)."""
    consultation = _survey(consultation_id)
    return len(indicator_values_compute(consultation=consultation)) if consultation else 0


@shared_task(**RECOMPUTE_TASK_OPTIONS)
def survey_tallies_refresh_task(consultation_id: int) -> int:
    """Recompute one survey's tallies (idempotent: replaces the stored rows).

    A survey published meanwhile keeps the tally it was published with.
    """
    consultation = _survey(consultation_id)
    if consultation is None:
        return 0
    if consultation.status == Consultation.Status.PUBLISHED:
        tally = getattr(consultation, "tally", None)
        return tally.respondents if tally else 0
    return survey_tallies_refresh(consultation=consultation).respondents


@shared_task(acks_late=True)
def survey_tallies_refresh_due_task() -> int:
    """Enqueue a tally refresh of every open or just-closed survey (beat, 10 min)."""
    since = timezone.now() - TALLY_RECENTLY_CLOSED
    ids = list(
        Consultation.objects.filter(kind=Consultation.Kind.SURVEY)
        .filter(Q(status=Consultation.Status.OPEN) | Q(status=Consultation.Status.CLOSED, closes_at__gte=since))
        .values_list("pk", flat=True)
    )
    for pk in ids:
        survey_tallies_refresh_task.delay(pk)
    return len(ids)


@shared_task(**RECOMPUTE_TASK_OPTIONS)
def dashboard_stats_refresh_task(actor_id: int | None = None) -> int:
    """Rebuild the dashboard aggregate tables (idempotent); periodic, or asked for by staff."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    refresh = dashboard_stats_refresh(actor=actor)
    return refresh.submission_rows + refresh.letter_rows
