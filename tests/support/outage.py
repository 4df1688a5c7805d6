"""Redis as cache and as broker at a closed port, for the outage tests.

``cache_down`` uses the CACHES that config.settings builds for production
from ``REDIS_URL`` (read in a subprocess, so the test exercises the real
configuration, not a hand-made one) with REDIS_URL at a port nothing listens
on. ``broker_down`` turns off eager tasks and points Celery's broker there.
Import the fixtures into a test module to use them.
"""

import functools
import json
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.cache import cache_outage_reset
from core.queue import broker_outage_reset

ROOT = Path(__file__).resolve().parents[2]
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


@functools.lru_cache(maxsize=4)
def configured_caches(redis_url: str) -> dict:
    """settings.CACHES of config.settings.production when REDIS_URL is ``redis_url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="koe.city.example.jp",
        REDIS_URL=redis_url,
    )
    code = "import json, config.settings.production as s; print(json.dumps(s.CACHES))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


@contextmanager
def broker_unreachable():
    """Tasks are published to a broker that does not answer (not run in-process)."""
    from config.celery_app import app

    conf = app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_write_url, app._pool, app.amqp._producer_pool)
    broker_outage_reset()
    conf.task_always_eager = False
    conf.broker_url = conf.broker_write_url = DEAD_REDIS_URL
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, conf.broker_write_url = saved[:3]
        app._pool, app.amqp._producer_pool = saved[3:]
        broker_outage_reset()


@pytest.fixture
def cache_down(settings):
    """The default cache is production's Redis cache, and Redis does not answer."""
    cache_outage_reset()
    settings.CACHES = configured_caches(DEAD_REDIS_URL)
    settings.RATELIMIT_USE_CACHE = "default"
    yield
    cache_outage_reset()


@pytest.fixture
def broker_down():
    with broker_unreachable():
        yield
