"""Celery tasks for analysis: thin, idempotent, keyed by submission id."""

from celery import shared_task

# Transient failures worth retrying: a lost DB connection or broker hiccup.
RETRY_BACKOFF_SECONDS = 5
MAX_RETRIES = 5


@shared_task(
    acks_late=True,
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_kwargs={"max_retries": MAX_RETRIES},
)
def submission_analyze_task(submission_id: int) -> int | None:
    """Analyse one submission with the current model (no-op if done)."""
    from .services import submission_analysis_run

    analysis = submission_analysis_run(submission_id=submission_id)
    return analysis.pk if analysis else None


@shared_task(acks_late=True)
def analysis_sweep_task() -> int:
    """Re-enqueue submissions that have no analysis for the current model."""
    from .services import analysis_sweep

    return analysis_sweep()
