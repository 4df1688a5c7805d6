"""Fault tests with real processes: gunicorn (production settings), Celery
workers and beat, a private Redis and, where a test restarts it, a private
PostgreSQL cluster — never the machine's own services.

Every test here is marked ``faults`` (and ``worker``/``postgres``, so it is
skipped with a reason without DATABASE_URL and REDIS_URL, like the other
real-service tests) and is skipped when redis-server or PostgreSQL's server
programs are missing. Processes, the private services and their temporary
directory are removed by fixture finalisers whether the test passes or
not; the logs of a failed test are kept in ``test-artifacts/faults/``.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest

from bench.processes import (
    PostgresCluster,
    Process,
    RedisServer,
    app_env,
    celery_beat,
    celery_worker,
    gunicorn,
    make_workdir,
    manage,
    missing_binaries,
    queue_names,
    tls_certificate,
)

# Playwright's sync API runs an event loop in the test's thread; the ORM
# calls of the browser test would otherwise be refused as "async-unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FAULTS_DIR = Path(__file__).resolve().parent
ARTIFACTS = FAULTS_DIR.parents[1] / "test-artifacts" / "faults"


def pytest_collection_modifyitems(config, items):
    reason = missing_binaries()
    for item in items:
        if FAULTS_DIR not in Path(str(item.path)).parents:
            continue
        for mark in (pytest.mark.faults, pytest.mark.worker, pytest.mark.postgres):
            item.add_marker(mark)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_faults_report_{report.when}", report)
    return report


@pytest.fixture
def faults_dir(request):
    """A temporary directory for one test's services and logs."""
    path = make_workdir("koe-faults-")
    yield path
    failed = any(
        getattr(getattr(request.node, f"_faults_report_{when}", None), "failed", True) for when in ("setup", "call")
    )
    if failed:
        kept = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:]
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir(parents=True, exist_ok=True)
        for log in path.glob("*.log"):
            shutil.copy(log, kept / log.name)
    shutil.rmtree(path, ignore_errors=True)


class Stack:
    """The production processes of one test against one database and a private Redis."""

    def __init__(self, workdir: Path, database_url: str):
        self.workdir = workdir
        self.database_url = database_url
        self.prefix = f"faults-{uuid.uuid4().hex[:6]}"
        self.queues = queue_names(self.prefix)
        self.redis = RedisServer(workdir)
        self.processes: list[Process] = []
        self.port: int | None = None

    def env(self, **extra) -> dict:
        return app_env(
            database_url=self.database_url,
            redis_url=self.redis.url(0),
            queue=self.prefix,
            # Residents of a test all come from 127.0.0.1.
            KOE_SUBMIT_RATE="100000/h",
            **extra,
        )

    def web(self, *, workers: int = 2, tls: bool = False, **extra) -> int:
        certificate = tls_certificate(self.workdir) if tls else None
        env = self.env(**extra)
        if tls:
            # The browser speaks HTTPS to gunicorn itself: no proxy header to trust.
            env["KOE_TRUSTED_PROXIES"] = ""
        process, self.port = gunicorn(env=env, log_dir=self.workdir, workers=workers, preload=True, tls=certificate)
        self.processes.append(process)
        return self.port

    def worker(
        self, name: str, *, queues: list[str] | None = None, concurrency: int = 1, wait: bool = True, **extra
    ) -> Process:
        """A worker on every queue but lifecycle (analysis, themes, default) unless told otherwise.

        ``wait=False`` returns while it is still starting (``ready()`` waits
        for every process), so the slow imports of several run side by side.
        """
        if queues is None:
            queues = [self.queues["analysis"], self.queues["themes"], self.queues["default"]]
        process = celery_worker(
            env=self.env(**extra), log_dir=self.workdir, queues=queues, name=name, concurrency=concurrency, wait=wait
        )
        self.processes.append(process)
        return process

    def lifecycle_worker(self, name: str = "lifecycle", *, wait: bool = True) -> Process:
        return self.worker(name, queues=[self.queues["lifecycle"]], wait=wait)

    def beat(self, *, sweep_seconds: float = 3.0, lifecycle_seconds: float = 60.0, wait: bool = True) -> Process:
        env = self.env(KOE_BENCH_SWEEP_SECONDS=str(sweep_seconds), KOE_BENCH_LIFECYCLE_SECONDS=str(lifecycle_seconds))
        process = celery_beat(env=env, log_dir=self.workdir, schedule=self.workdir / "beat-schedule", wait=wait)
        self.processes.append(process)
        return process

    def ready(self) -> None:
        for process in self.processes:
            process.wait_ready()

    def stop(self) -> None:
        # Nothing to finish gracefully at the end of a test: a short warm
        # shutdown, then the process group is killed.
        for process in reversed(self.processes):
            process.stop(timeout=3)
        self.processes.clear()
        self.redis.stop()


def database_url_of_tests() -> str:
    """The URL of pytest-django's test database, for the processes a test starts."""
    from django.db import connection

    cfg = connection.settings_dict
    password = f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else ""
    return f"postgres://{cfg['USER']}{password}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


@pytest.fixture
def stack(transactional_db, roles, faults_dir):
    """Processes on pytest-django's test database; stopped before it is flushed."""
    running = Stack(faults_dir, database_url_of_tests())
    running.redis.start()
    yield running
    running.stop()


@pytest.fixture
def private_postgres(faults_dir):
    """A private PostgreSQL cluster with a migrated database ``koe_faults`` (may be restarted)."""
    cluster = PostgresCluster(faults_dir).init().start()
    url = cluster.create_database("koe_faults")
    yield cluster, url
    cluster.stop("immediate")


@pytest.fixture
def stack_on_private_postgres(private_postgres, faults_dir):
    cluster, url = private_postgres
    running = Stack(faults_dir, url)
    running.redis.start()
    manage("migrate", "--noinput", "-v0", env=running.env())
    yield running, cluster
    running.stop()
