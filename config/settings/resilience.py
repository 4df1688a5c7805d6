"""Surviving a dependency that blinks (Redis as cache and broker), and proxies.

Imported at the end of base.py, so every environment gets these. Where this
module changes a value base.py already defines (the cache backend, the
middleware list and the beat schedule) it reads base's
value: base.py is executing its last lines when it imports this module, so
those names are already bound in the half-initialised module.
"""

import ipaddress

import environ
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import CACHES as _BASE_CACHES
from config.settings.base import CELERY_BEAT_SCHEDULE as _BASE_BEAT_SCHEDULE
from config.settings.base import MIDDLEWARE as _BASE_MIDDLEWARE
from config.settings.base import REDIS_URL as _REDIS_URL

env = environ.Env()

# ---- Proxies ----
# Addresses or networks (CIDR) of the reverse proxies / TLS terminators in
# front of gunicorn, e.g. "10.0.0.0/8,192.0.2.5". Only a request whose
# REMOTE_ADDR is one of them may say, in X-Forwarded-For, who the client is
# (the rightmost address that is not a trusted proxy) and, in
# X-Forwarded-Proto, that it came over HTTPS; from anyone else both headers
# are dropped (core.http.TrustedProxyMiddleware). Empty: no proxy is
# trusted, REMOTE_ADDR is the client.
KOE_TRUSTED_PROXIES = env.list("KOE_TRUSTED_PROXIES", default=[])
for _proxy in KOE_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"KOE_TRUSTED_PROXIES: {_proxy!r} is not an address or network") from _exc
# django-ratelimit keys "ip" limits on the same client address as the audit
# rows (allauth's limits go through accounts.adapters.AccountAdapter).
RATELIMIT_IP_META_KEY = "core.http.client_ip"

# The proxy check runs first, before SecurityMiddleware reads
# X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) for its HTTPS redirect; the
# Retry-After middleware sits just inside it, so it sees every final answer.
MIDDLEWARE = [
    "core.http.TrustedProxyMiddleware",
    "core.ratelimit.RetryAfterMiddleware",
    *_BASE_MIDDLEWARE,
]

# ---- Rate limits ----
# Retry-After (seconds) on a 429 whose limiter did not say how long to wait
# (allauth's per-IP limits answer through its own 429 page).
KOE_RETRY_AFTER_SECONDS = env.int("KOE_RETRY_AFTER_SECONDS", default=60)

# ---- Cache (rate-limit counters, the login lock, the results XLSX) ----
# A Redis outage must not break intake or login: core.cache.ResilientRedisCache
# answers from a per-process memory cache while Redis is unreachable (see its
# docstring for why this and not "fail open"), and stops trying Redis for
# KOE_CACHE_RETRY_SECONDS after a failure so requests do not each pay a
# connection attempt. Timeouts are short for the same reason.
KOE_CACHE_TIMEOUT_SECONDS = env.float("KOE_CACHE_TIMEOUT_SECONDS", default=0.5)
KOE_CACHE_RETRY_SECONDS = env.float("KOE_CACHE_RETRY_SECONDS", default=15.0)
if _REDIS_URL:
    CACHES = {
        **_BASE_CACHES,
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": _REDIS_URL,
        },
    }

# ---- Broker ----
# Enqueuing after commit (core.queue.enqueue) never raises into a request:
# with the broker down the submission is already committed, the failure is
# logged, and the sweepers (nlp analysis, receipts) enqueue the work when
# the broker is back (see Mail sweeps below). After a failure no publish is
# tried for this long.
KOE_BROKER_RETRY_SECONDS = env.float("KOE_BROKER_RETRY_SECONDS", default=15.0)
# One quick retry, not Celery's default three, so the first request after
# the broker dies waits well under a second.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("KOE_BROKER_CONNECT_TIMEOUT", default=2.0)

# ---- Mail sweeps ----
# Receipts and letter replies whose mail could not be queued (broker down at
# submit / send time) are queued again every 10 minutes. They look at what
# is older than KOE_MAIL_SWEEP_AFTER_MINUTES (its own task had its chance)
# and younger than KOE_MAIL_SWEEP_WITHIN_HOURS (a receipt days late is worse
# than none, and rows from before receipts existed are left alone).
KOE_MAIL_SWEEP_AFTER_MINUTES = env.int("KOE_MAIL_SWEEP_AFTER_MINUTES", default=10)
KOE_MAIL_SWEEP_WITHIN_HOURS = env.int("KOE_MAIL_SWEEP_WITHIN_HOURS", default=24)
CELERY_BEAT_SCHEDULE = {
    **_BASE_BEAT_SCHEDULE,
    "feedback-sweep-receipts": {
        "task": "feedback.tasks.submission_receipts_sweep_task",
        "schedule": 600.0,
    },
    "letters-sweep-reply-mails": {
        "task": "letters.tasks.letter_replies_sweep_task",
        "schedule": 600.0,
    },
}
