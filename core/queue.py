"""Enqueue Celery tasks without letting a broker outage break the request.

Work is enqueued after the transaction commits (``transaction.on_commit``).
An exception in such a callback reaches the request even though the data
is already saved: with Redis down, a resident whose opinion was stored saw a
500 and no 受付番号. Here a publish that fails is logged as a warning and
dropped; every task enqueued this way has a periodic sweeper that finds the
work from the database when the broker is back (nlp.tasks.analysis_sweep_task
for analysis, feedback.tasks.submission_receipts_sweep_task for receipts,
beat's own schedule for recomputations).

After a failure nothing is published for KOE_BROKER_RETRY_SECONDS, so the
requests of an outage do not each wait for a connection attempt.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a dependency of the project
    RedisError = OSError

# What a publish raises when the broker cannot be reached: kombu wraps
# connection errors in OperationalError; a timed-out socket is an OSError.
BROKER_ERRORS = (OperationalError, RedisError, OSError)

_lock = threading.Lock()
_state = {"down_until": 0.0}


def broker_outage_reset() -> None:
    """Forget a recorded broker failure (tests)."""
    with _lock:
        _state["down_until"] = 0.0


def enqueue(task, *args, **kwargs) -> bool:
    """Publish ``task(*args, **kwargs)``; False (logged) if the broker cannot take it."""
    if task.app.conf.task_always_eager:
        # In-process (no broker): run it as Celery would, errors and all.
        task.delay(*args, **kwargs)
        return True
    if time.monotonic() < _state["down_until"]:
        logger.warning("broker unavailable: %s%r not queued; its sweeper will find the work", task.name, args)
        return False
    try:
        task.delay(*args, **kwargs)
    except BROKER_ERRORS as exc:
        with _lock:
            _state["down_until"] = time.monotonic() + settings.KOE_BROKER_RETRY_SECONDS
        logger.warning(
            "broker unavailable (%s): %s%r not queued; its sweeper will find the work",
            exc,
            task.name,
            args,
        )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue ``task`` once the current transaction commits (never raising)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
