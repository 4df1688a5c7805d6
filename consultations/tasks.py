from celery import shared_task

from consultations.services import consultation_advance_lifecycle


@shared_task(acks_late=True)
def consultation_advance_lifecycle_task() -> dict[str, int]:
    """Open and close consultations on time (run every minute by beat, on its own queue)."""
    return consultation_advance_lifecycle()
