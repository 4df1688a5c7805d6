"""Rate limits keyed on the client address, and the Retry-After they answer with.

Counters live in the default cache (core.cache.ResilientRedisCache in
production, so a Redis outage does not turn them into 500s). The key is the
client address from core.http.client_ip (RATELIMIT_IP_META_KEY), so behind
a trusted proxy every resident has a bucket of their own.

A refused request says how long to wait: views call ``retry_after_mark``
(``rate_limit_consume`` does it for them) and RetryAfterMiddleware adds
``Retry-After`` to the answer. A page that shows the refusal as a form error
(the login lock re-shows the login form) is answered 429, not 200. A 429 from
code that cannot say (allauth's own limits) gets KOE_RETRY_AFTER_SECONDS.
"""

import math

from django.conf import settings
from django_ratelimit.core import get_usage

from core.http import client_ip

RETRY_AFTER_ATTR = "koe_retry_after"
TOO_MANY_REQUESTS = 429
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_period_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate such as "30/h" or "5/15m"."""
    _count, _, period = rate.partition("/")
    unit = period[-1:] or "s"
    return math.ceil(float(period[:-1] or 1) * _PERIODS.get(unit, 1))


def retry_after_mark(request, seconds: float) -> int:
    """Have the answer to ``request`` carry Retry-After (at least 1 s); returns it."""
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    value = max(1, math.ceil(seconds))
    setattr(request, RETRY_AFTER_ATTR, value)
    return value


def _NO_ADDRESS_KEY(group, request) -> str:  # noqa: N802 - a django-ratelimit key, named like one
    return "no-address"


def rate_limit_consume(request, *, group: str, rate: str) -> int | None:
    """Count one hit for the client; seconds to wait when over ``rate``, else None."""
    # A peer with no address (gunicorn on a Unix socket without a trusted
    # proxy, a WSGI server that leaves REMOTE_ADDR out) shares one bucket:
    # django-ratelimit's "ip" key would fail on it and the request with it.
    key = "ip" if client_ip(request) else _NO_ADDRESS_KEY
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    # time_left is -1 when the counter could not be read; wait a window then.
    wait = usage["time_left"] if usage["time_left"] > 0 else rate_period_seconds(rate)
    return retry_after_mark(request, wait)


class RetryAfterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = getattr(request, RETRY_AFTER_ATTR, None)
        if seconds is not None:
            if response.status_code < 300:
                # The refusal was rendered as a form error (the login lock).
                response.status_code = TOO_MANY_REQUESTS
            if response.status_code == TOO_MANY_REQUESTS:
                response["Retry-After"] = str(seconds)
        elif response.status_code == TOO_MANY_REQUESTS and not response.has_header("Retry-After"):
            response["Retry-After"] = str(settings.KOE_RETRY_AFTER_SECONDS)
        return response
