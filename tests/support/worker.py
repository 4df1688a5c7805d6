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


@contextmanager
def running_worker(*, concurrency: int = 1, extra_env: dict | None = None):
    """Yield a worker process consuming fresh queues; route this process's tasks to them.

    The worker takes both the default and the lifecycle queue (each under a
    fresh name), so routed tasks run too and nothing lands on a real queue.
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    lifecycle = f"{queue}-lifecycle"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "KOE_CELERY_QUEUE": queue,
        "KOE_CELERY_LIFECYCLE_QUEUE": lifecycle,
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
            f"{queue},{lifecycle}",
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
    _set_routes(
        {
            name: {
                **route,
                "queue": lifecycle if route.get("queue") == settings.KOE_LIFECYCLE_QUEUE else queue,
            }
            for name, route in (saved[2] or {}).items()
        }
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
