from celery import shared_task


@shared_task(acks_late=True)
def consultation_advance_lifecycle_task() -> dict[str, int]:
    """Open and close consultations on time (run every minute by beat)."""
    from .services import consultation_advance_lifecycle

    return consultation_advance_lifecycle()
