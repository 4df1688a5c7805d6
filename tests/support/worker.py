"""Start a real Celery worker against the test database and Redis."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    cfg = connection.settings_dict
    return f"postgres://{cfg['USER']}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


def fresh_queue_names(queue: str) -> dict[str, str]:
    """Fresh names for the default queue and each routed queue (setting → name)."""
    return {
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "KOE_LIFECYCLE_QUEUE": f"{queue}-lifecycle",
        "KOE_ANALYSIS_QUEUE": f"{queue}-analysis",
        "KOE_THEMES_QUEUE": f"{queue}-themes",
    }


@contextmanager
def running_worker(*, concurrency: int = 1, extra_env: dict | None = None, queues: list[str] | None = None):
    """Yield a worker process consuming fresh queues; route this process's tasks to them.

    The worker takes the default and every routed queue (lifecycle, analysis,
    themes), each under a fresh name, so routed tasks run too and nothing
    lands on a real queue. ``queues`` (setting names such as
    "KOE_ANALYSIS_QUEUE") narrows what it consumes, as a production worker
    service does; the others are still routed to their fresh names.
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    names = fresh_queue_names(queue)
    consumed = [names[key] for key in (queues or names)]
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "KOE_CELERY_QUEUE": names["CELERY_TASK_DEFAULT_QUEUE"],
        "KOE_CELERY_LIFECYCLE_QUEUE": names["KOE_LIFECYCLE_QUEUE"],
        "KOE_CELERY_ANALYSIS_QUEUE": names["KOE_ANALYSIS_QUEUE"],
        "KOE_CELERY_THEMES_QUEUE": names["KOE_THEMES_QUEUE"],
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        **(extra_env or {}),
    }
    log = ROOT / "test-artifacts"
    log.mkdir(exist_ok=True)
    logfile = open(log / f"worker-{queue}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery_app",
            "worker",
            "-Q",
            ",".join(consumed),
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    saved = (
        celery_app.conf.task_always_eager,
        celery_app.conf.task_default_queue,
        celery_app.conf.task_routes,
    )
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    # Each real queue name (lifecycle, analysis, themes) → its fresh name.
    renamed = {getattr(settings, key): name for key, name in names.items() if key != "CELERY_TASK_DEFAULT_QUEUE"}
    _set_routes(
        {name: {**route, "queue": renamed.get(route.get("queue"), queue)} for name, route in (saved[2] or {}).items()}
    )
    try:
        yield proc
    finally:
        (
            celery_app.conf.task_always_eager,
            celery_app.conf.task_default_queue,
            routes,
        ) = saved
        _set_routes(routes)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        logfile.close()


def _set_routes(routes) -> None:
    # The router is built once from task_routes; rebuild it after a change.
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


def wait_for(predicate, *, timeout: float = 120.0, interval: float = 0.25):
    """Poll until predicate() is truthy; return its value or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"condition not met within {timeout}s")
