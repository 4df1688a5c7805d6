"""A Redis cache that keeps the site working while Redis is unreachable.

The cache holds the rate-limit counters (intake's django-ratelimit, allauth's
login lock) and the published results XLSX. With Django's RedisCache a Redis
outage raised ``ConnectionError`` from every one of those calls, so intake,
login and results.xlsx answered 500 while the database was fine.

While Redis is unreachable this backend answers from a local-memory cache of
its own process, and logs a warning once per outage. Why that rather than
failing open (every limiter saying "not limited"): the login lock is what
stands between a phished or guessed password and an account, and a campaign
submitting thousands of copies is exactly what the intake limit is for; with
a per-process counter both keep working during the outage, only per process
instead of per site (with N gunicorn workers a client gets up to N times the
limit), and nothing needs the database. Counters start again from zero when
Redis comes back; the XLSX is rebuilt once per process.

After a failure Redis is not tried again for KOE_CACHE_RETRY_SECONDS, so
requests during an outage do not each pay a connection attempt; the socket
timeouts are short (KOE_CACHE_TIMEOUT_SECONDS) and redis-py's own retries
with back-off are turned off, for the same reason.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# A refused or timed-out connection surfaces as redis' own errors or, from
# the socket layer, as OSError (ConnectionError, TimeoutError).
CACHE_ERRORS = (RedisError, OSError)
FALLBACK_MAX_ENTRIES = 10_000

# Outage state per Redis location, shared by the per-thread cache instances
# of this process.
_lock = threading.Lock()
_down_until: dict[str, float] = {}


def cache_outage_reset() -> None:
    """Forget any recorded outage (tests)."""
    with _lock:
        _down_until.clear()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        timeout = getattr(settings, "KOE_CACHE_TIMEOUT_SECONDS", 0.5)
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)
        self._fallback = LocMemCache(
            f"koe-cache-fallback:{self._location}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES},
            },
        )

    @property
    def in_outage(self) -> bool:
        """True while Redis is treated as down (answers come from memory)."""
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _mark_down(self, operation: str, exc: Exception) -> None:
        with _lock:
            first = self._location not in _down_until
            _down_until[self._location] = time.monotonic() + settings.KOE_CACHE_RETRY_SECONDS
        if first:
            logger.warning(
                "Redis cache unreachable (%s: %s): rate limits and cached files use this process's memory until it answers",
                operation,
                exc,
            )

    def _mark_up(self) -> None:
        with _lock:
            was_down = _down_until.pop(self._location, None) is not None
        if was_down:
            logger.warning("Redis cache answers again: rate limits are shared across processes again")

    def _call(self, operation: str, *args, **kwargs):
        if self.in_outage:
            return getattr(self._fallback, operation)(*args, **kwargs)
        try:
            result = getattr(RedisCache, operation)(self, *args, **kwargs)
        except CACHE_ERRORS as exc:
            self._mark_down(operation, exc)
            return getattr(self._fallback, operation)(*args, **kwargs)
        if self._location in _down_until:
            self._mark_up()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
