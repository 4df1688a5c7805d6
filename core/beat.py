"""Beat's scheduler, stamping its own liveness for /healthz on every tick."""

import logging

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)


class HeartbeatScheduler(PersistentScheduler):
    """The default file-backed scheduler, plus a stamp in the cache per tick.

    Beat wakes at least once per KOE_HEARTBEAT_INTERVAL (it sends the queue
    heartbeats), so a stamp older than KOE_BEAT_MAX_AGE means beat stopped.
    """

    def tick(self, *args, **kwargs):
        from core.health import beat_heartbeat_record

        try:
            beat_heartbeat_record()
        except Exception:  # noqa: BLE001 - a stamp must never stop the schedule
            logger.warning("beat could not record its heartbeat", exc_info=True)
        return super().tick(*args, **kwargs)
