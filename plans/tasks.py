from celery import shared_task
from django.db import OperationalError

COMPUTE_RETRY_BACKOFF_SECONDS = 30
COMPUTE_MAX_RETRIES = 5


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=COMPUTE_RETRY_BACKOFF_SECONDS,
    retry_kwargs={"max_retries": COMPUTE_MAX_RETRIES},
)
def indicator_values_compute_task(consultation_id: int) -> int:
    """Recompute a survey's indicator values (idempotent: upserts per indicator and 年度)."""
    from consultations.models import Consultation

    from .services_indicators import indicator_values_compute

    consultation = Consultation.objects.filter(pk=consultation_id, kind=Consultation.Kind.SURVEY).first()
    if consultation is None:
        return 0
    return len(indicator_values_compute(consultation=consultation))
