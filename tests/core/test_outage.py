"""core.cache and core.queue: a Redis outage is logged, never raised."""

import logging
import os
import time
from unittest import mock

import pytest
from django.core.cache.backends.redis import RedisCache

from core import cache as resilient
from core.cache import ResilientRedisCache, cache_outage_reset
from core.queue import broker_outage_reset, enqueue
from tests.support.outage import DEAD_REDIS_URL, broker_unreachable, configured_caches


@pytest.fixture(autouse=True)
def _no_outage_recorded():
    cache_outage_reset()
    broker_outage_reset()
    yield
    cache_outage_reset()
    broker_outage_reset()


def _dead_cache() -> ResilientRedisCache:
    return ResilientRedisCache(DEAD_REDIS_URL, {})


def test_production_settings_use_the_resilient_cache_with_redis():
    caches = configured_caches(DEAD_REDIS_URL)
    assert caches["default"] == {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS_URL}


def test_every_operation_answers_from_memory_while_redis_is_down(caplog):
    cache = _dead_cache()
    caplog.set_level(logging.WARNING, logger="core.cache")

    assert cache.add("counter", 1, 60) is True
    assert cache.add("counter", 1, 60) is False
    assert cache.incr("counter") == 2
    cache.set("file", b"xlsx", 60)
    assert cache.get("file") == b"xlsx"
    assert cache.get_or_set("built", lambda: "once", 60) == "once"
    assert cache.get_many(["file", "missing"]) == {"file": b"xlsx"}
    assert cache.has_key("file")
    cache.set_many({"a": 1, "b": 2}, 60)
    cache.delete_many(["a"])
    assert cache.get("a") is None and cache.get("b") == 2
    assert cache.touch("b", 60)
    cache.delete("b")
    with pytest.raises(ValueError):
        cache.incr("never-set")  # as Django's caches do for a missing key
    cache.clear()

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, "one warning per outage, not one per call"
    assert "Redis cache unreachable" in warnings[0].getMessage()


def test_after_a_failure_redis_is_not_asked_again_until_the_retry_time(settings):
    settings.KOE_CACHE_RETRY_SECONDS = 60
    cache = _dead_cache()
    cache.get("x")
    assert cache.in_outage
    with mock.patch.object(RedisCache, "get", side_effect=AssertionError("Redis asked during the outage")):
        assert cache.get("x", "default") == "default"


def test_a_dead_redis_costs_milliseconds_not_seconds():
    cache = _dead_cache()
    started = time.monotonic()
    for _ in range(20):
        cache.add("k", 1, 60)
    assert time.monotonic() - started < 1.0


@pytest.mark.redis
def test_redis_is_used_again_once_it_answers(caplog):
    cache = ResilientRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "koe-test-outage"})
    resilient._down_until[cache._location] = time.monotonic() - 1  # an outage that has just expired
    caplog.set_level(logging.WARNING, logger="core.cache")

    cache.set("shared", "in redis", 30)

    assert not cache.in_outage
    assert RedisCache.get(cache, "shared") == "in redis"
    assert "answers again" in caplog.text
    cache.delete("shared")


def test_enqueue_logs_and_returns_false_when_the_broker_is_down(caplog):
    from nlp.tasks import submission_analyze_task

    caplog.set_level(logging.WARNING, logger="core.queue")
    with broker_unreachable():
        assert enqueue(submission_analyze_task, 1) is False
        started = time.monotonic()
        # Within KOE_BROKER_RETRY_SECONDS the broker is not tried again.
        assert enqueue(submission_analyze_task, 2) is False
        assert time.monotonic() - started < 0.1
    assert "broker unavailable" in caplog.text and "nlp.tasks.submission_analyze_task" in caplog.text


def test_enqueue_in_process_runs_the_task_and_lets_its_errors_through():
    from celery import shared_task

    @shared_task(name="tests.core.failing_task")
    def failing_task():
        raise RuntimeError("a bug, not an outage")

    with pytest.raises(RuntimeError):
        enqueue(failing_task)
