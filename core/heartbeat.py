"""The per-queue heartbeat task that /healthz reads (core.health).

Not in core/tasks.py (autodiscovered) but named in CELERY_IMPORTS, so the
worker registers it at start whatever else core's tasks module holds.
"""

from celery import shared_task

from core.health import heartbeat_record


# Beat sends one to each queue (options.queue in CELERY_BEAT_SCHEDULE); the
# worker that takes it proves the queue is consumed. No retries: the next
# heartbeat is at most KOE_HEARTBEAT_INTERVAL away.
@shared_task(ignore_result=True)
def worker_heartbeat_task(queue: str) -> float:
    """Stamp the time a worker of ``queue`` ran this (idempotent)."""
    return heartbeat_record(queue)
