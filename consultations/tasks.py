import datetime

from celery import shared_task
from django.db import OperationalError

TALLY_RETRY_BACKOFF_SECONDS = 30
TALLY_MAX_RETRIES = 5
# Surveys closed this recently are still refreshed: late withdrawals and
# staff-entered paper responses keep arriving just after the close.
TALLY_RECENTLY_CLOSED = datetime.timedelta(days=1)


@shared_task(acks_late=True)
def consultation_advance_lifecycle_task() -> dict[str, int]:
    """Open and close consultations on time (run every minute by beat)."""
    from .services import consultation_advance_lifecycle

    return consultation_advance_lifecycle()


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=TALLY_RETRY_BACKOFF_SECONDS,
    retry_kwargs={"max_retries": TALLY_MAX_RETRIES},
)
def survey_tallies_refresh_task(consultation_id: int) -> int:
    """Recompute one survey's tallies (idempotent: replaces the stored rows)."""
    from .models import Consultation
    from .services_tally import survey_tallies_refresh

    consultation = Consultation.objects.filter(pk=consultation_id, kind=Consultation.Kind.SURVEY).first()
    if consultation is None:
        return 0
    return survey_tallies_refresh(consultation=consultation).respondents


@shared_task(acks_late=True)
def survey_tallies_refresh_due_task() -> int:
    """Enqueue a tally refresh of every open or just-closed survey (beat, 10 min)."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import Consultation

    since = timezone.now() - TALLY_RECENTLY_CLOSED
    ids = list(
        Consultation.objects.filter(kind=Consultation.Kind.SURVEY)
        .filter(Q(status=Consultation.Status.OPEN) | Q(status=Consultation.Status.CLOSED, closes_at__gte=since))
        .values_list("pk", flat=True)
    )
    for pk in ids:
        survey_tallies_refresh_task.delay(pk)
    return len(ids)
