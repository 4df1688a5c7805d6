"""/healthz: is the database, the broker, each queue's workers and beat alive?

Container health checks and monitoring read it without logging in, so it
says nothing but statuses and ages: no personal data, no host names, no
exception messages (they can carry URLs with passwords), only the class of
an error. Each check is bounded by KOE_HEALTH_TIMEOUT.

Workers and beat cannot be asked directly over HTTP, so they leave stamps in
the cache (Redis): beat sends core.heartbeat.worker_heartbeat_task to every
queue each KOE_HEARTBEAT_INTERVAL, and the worker that takes it writes the
time; beat writes its own stamp on every tick (core.beat). A queue's stamp
older than KOE_HEARTBEAT_MAX_AGE means no worker consumes it, or its backlog
is that long. Without a broker (tasks run in-process) there is no worker or
beat to check and those checks report "ok" with a note.
"""

import time

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

OK = "ok"
FAIL = "fail"
CHECK_NAMES = ("database", "broker", "worker", "beat")
BEAT_KEY = "koe:heartbeat:beat"
# Stamps outlive their age limit, so the report can say how old they are.
STAMP_TIMEOUT_SECONDS = 7 * 24 * 3600


def heartbeat_key(queue: str) -> str:
    return f"koe:heartbeat:queue:{queue}"


def heartbeat_record(queue: str) -> float:
    """Stamp "a worker of ``queue`` ran a task now" (core.heartbeat.worker_heartbeat_task)."""
    now = time.time()
    cache.set(heartbeat_key(queue), now, timeout=STAMP_TIMEOUT_SECONDS)
    return now


def beat_heartbeat_record() -> float:
    """Stamp "beat is scheduling" (core.beat.HeartbeatScheduler, every tick)."""
    now = time.time()
    cache.set(BEAT_KEY, now, timeout=STAMP_TIMEOUT_SECONDS)
    return now


def _in_process() -> bool:
    return bool(current_app.conf.task_always_eager)


def _error(exc: Exception) -> dict:
    return {"status": FAIL, "error": type(exc).__name__}


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is "fail", reported by class
        return _error(exc)
    return {"status": OK}


def check_broker() -> dict:
    if _in_process():
        return {"status": OK, "note": "in-process"}
    url = current_app.conf.broker_url or ""
    timeout = settings.KOE_HEALTH_TIMEOUT
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=timeout,
                socket_timeout=timeout,
                retry=Retry(NoBackoff(), 0),
            )
            try:
                client.ping()
            finally:
                client.close()
        else:
            with current_app.connection_for_write(connect_timeout=timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    return {"status": OK}


def _age(stamp, now: float) -> float | None:
    return round(now - stamp, 1) if isinstance(stamp, int | float) else None


def check_workers(queues: list[str] | None = None) -> dict:
    if _in_process():
        return {"status": OK, "note": "in-process"}
    queues = list(queues or settings.KOE_CELERY_QUEUES)
    max_age = settings.KOE_HEARTBEAT_MAX_AGE
    stamps = cache.get_many([heartbeat_key(q) for q in queues])
    now = time.time()
    report = {}
    for queue in queues:
        age = _age(stamps.get(heartbeat_key(queue)), now)
        if age is None:
            report[queue] = {"status": FAIL, "error": "no heartbeat"}
        else:
            report[queue] = {"status": OK if age <= max_age else FAIL, "age_seconds": age}
    status = OK if all(row["status"] == OK for row in report.values()) else FAIL
    return {"status": status, "max_age_seconds": max_age, "queues": report}


def check_beat() -> dict:
    if _in_process():
        return {"status": OK, "note": "in-process"}
    max_age = settings.KOE_BEAT_MAX_AGE
    age = _age(cache.get(BEAT_KEY), time.time())
    if age is None:
        return {"status": FAIL, "error": "no heartbeat", "max_age_seconds": max_age}
    return {"status": OK if age <= max_age else FAIL, "age_seconds": age, "max_age_seconds": max_age}


def health_report(checks: list[str] | None = None, queues: list[str] | None = None) -> dict:
    """{"status": "ok"|"fail", "checks": {name: {...}}} for the named checks (default all)."""
    names = [name for name in CHECK_NAMES if not checks or name in checks]
    run = {
        "database": check_database,
        "broker": check_broker,
        "worker": lambda: check_workers(queues),
        "beat": check_beat,
    }
    results = {name: run[name]() for name in names}
    status = OK if all(result["status"] == OK for result in results.values()) else FAIL
    return {"status": status, "checks": results}


@require_safe
def healthz(request):
    """GET /healthz[?check=database&check=…][&queue=analysis]: 200 when all named checks pass, else 503.

    A load balancer should ask only ``?check=database`` (the web process
    works even while Redis is down); monitoring asks for everything.
    """
    checks, queues = request.GET.getlist("check"), request.GET.getlist("queue")
    if set(checks) - set(CHECK_NAMES) or set(queues) - set(settings.KOE_CELERY_QUEUES):
        message = _("check には %(checks)s、queue には %(queues)s のいずれかを指定してください。") % {
            "checks": ", ".join(CHECK_NAMES),
            "queues": ", ".join(settings.KOE_CELERY_QUEUES),
        }
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    report = health_report(checks or None, queues or None)
    response = JsonResponse(report, status=200 if report["status"] == OK else 503)
    response["Cache-Control"] = "no-store"
    return response
