"""Celery tasks for analysis: thin, idempotent, keyed by submission id."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

# Transient failures worth retrying: a lost DB connection or broker hiccup.
TRANSIENT_ERRORS = (ConnectionError, TimeoutError, OperationalError, InterfaceError)
RETRY_BACKOFF_SECONDS = 5
RETRY_BACKOFF_MAX_SECONDS = 300
MAX_RETRIES = 5
_RETRY = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": RETRY_BACKOFF_MAX_SECONDS,
    "retry_kwargs": {"max_retries": MAX_RETRIES},
}


@shared_task(**_RETRY)
def submission_analyze_task(submission_id: int) -> int | None:
    """Analyse one submission with the current model (no-op if done)."""
    from nlp.services import submission_analysis_run

    analysis = submission_analysis_run(submission_id=submission_id)
    return analysis.pk if analysis else None


@shared_task(**_RETRY)
def analysis_batch_task(submission_ids: list[int]) -> int:
    """Analyse a bounded batch of submissions (backlogs, re-analysis)."""
    from nlp.services import analysis_run_batch

    return len(analysis_run_batch(submission_ids=submission_ids))


@shared_task(**_RETRY)
def duplicate_groups_refresh_task(consultation_id: int) -> int:
    """Regroup one consultation's submissions into 同趣旨 groups."""
    from nlp.services import duplicate_groups_refresh

    return duplicate_groups_refresh(consultation_id=consultation_id)


@shared_task(acks_late=True)
def analysis_sweep_task() -> int:
    """Re-enqueue submissions that have no analysis for the current model."""
    from nlp.services import analysis_sweep

    return analysis_sweep()


@shared_task(**_RETRY)
def topic_model_train_task() -> str:
    """Retrain from staff-confirmed labels; promoted only when not worse.

    Scheduled weekly by beat. Too few labels is a normal state for a new
    city, not a failure: the task says so and leaves the current model.
    """
    from django.conf import settings

    from nlp.training import NotEnoughLabels, topic_model_train

    try:
        outcome = topic_model_train(encoder_name=settings.KOE_NLP_ENCODER)
    except NotEnoughLabels as exc:
        return f"skipped: {exc}"
    return f"{outcome.row.version} {'promoted' if outcome.promoted else 'kept the current model'}"


@shared_task(**_RETRY)
def theme_run_task(run_id: int) -> str:
    """Compute one ThemeRun (idempotent: a finished run is left as it is)."""
    from nlp.services import theme_run_compute

    return theme_run_compute(run_id=run_id)
