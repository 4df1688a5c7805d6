"""Scheduled work of core: the daily 保存年限 run."""

from celery import shared_task
from django.db import OperationalError

from core.retention import retention_apply


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    retry_kwargs={"max_retries": 5},
)
def retention_apply_task() -> dict[str, int]:
    """Erase what is past its 保存年限 (idempotent: a rerun finds nothing left to erase)."""
    return {outcome.kind.key: outcome.changed for outcome in retention_apply(source="beat")}
