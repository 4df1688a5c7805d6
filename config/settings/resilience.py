"""Surviving a dependency that blinks, proxies, health and Celery queues.

Imported at the end of base.py, so every environment gets these. Where this
module extends a value base.py already defines (the cache backend, the
middleware list and the beat schedule) it reads base's value: base.py is
executing its last lines when it imports this module, so those names are
already bound in the half-initialised module. CELERY_TASK_ROUTES and
KOE_LIFECYCLE_QUEUE here replace base's.
"""

import ipaddress

import environ
from celery.schedules import crontab
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
    # CSV imports whose worker died (feedback.services.imports.STALLED_AFTER).
    "feedback-sweep-stalled-imports": {
        "task": "feedback.tasks.submission_imports_sweep_task",
        "schedule": 300.0,
    },
}

# ---- Queues ----
# Three kinds of work, each on its own queue and worker service, so a surge
# of one never delays another:
# - lifecycle: opening/closing consultations on time and every mail
#   (受付番号 receipts, letter replies and reminders) — small and urgent;
# - analysis: analysing submissions (and the CSV import that feeds it);
#   scale this one with `--scale worker-analysis=N`;
# - themes: heavy recomputations — 同趣旨 regrouping, model training,
#   dashboard aggregates, survey tallies, 目標指標 values.
# The default queue (KOE_CELERY_QUEUE, "celery") takes only tasks nobody
# routed; the analysis workers consume it too (tests check that every task
# of the project has a route).
KOE_LIFECYCLE_QUEUE = env("KOE_CELERY_LIFECYCLE_QUEUE", default="lifecycle")
KOE_ANALYSIS_QUEUE = env("KOE_CELERY_ANALYSIS_QUEUE", default="analysis")
KOE_THEMES_QUEUE = env("KOE_CELERY_THEMES_QUEUE", default="themes")
KOE_CELERY_QUEUES = [KOE_LIFECYCLE_QUEUE, KOE_ANALYSIS_QUEUE, KOE_THEMES_QUEUE]
# Exact names are looked up before patterns, patterns in this order.
CELERY_TASK_ROUTES = {
    "feedback.tasks.submission_receipt_send_task": {"queue": KOE_LIFECYCLE_QUEUE},
    "feedback.tasks.submission_receipts_sweep_task": {"queue": KOE_LIFECYCLE_QUEUE},
    # 結果公表のお知らせ are mail, like the receipts (#15).
    "feedback.tasks.submission_results_notice_send_task": {"queue": KOE_LIFECYCLE_QUEUE},
    "feedback.tasks.consultation_results_notices_task": {"queue": KOE_LIFECYCLE_QUEUE},
    "feedback.tasks.submission_import_run_task": {"queue": KOE_ANALYSIS_QUEUE},
    "feedback.tasks.submission_imports_sweep_task": {"queue": KOE_ANALYSIS_QUEUE},
    "nlp.tasks.duplicate_groups_refresh_task": {"queue": KOE_THEMES_QUEUE},
    "nlp.tasks.theme_run_task": {"queue": KOE_THEMES_QUEUE},
    "letters.tasks.letter_themes_refresh_task": {"queue": KOE_THEMES_QUEUE},
    "consultations.tasks.*": {"queue": KOE_LIFECYCLE_QUEUE},
    "letters.tasks.*": {"queue": KOE_LIFECYCLE_QUEUE},
    "core.heartbeat.*": {"queue": KOE_LIFECYCLE_QUEUE},
    # core's housekeeping (the retention job): heavy, never urgent.
    "core.tasks.*": {"queue": KOE_THEMES_QUEUE},
    "nlp.tasks.*train*": {"queue": KOE_THEMES_QUEUE},
    "nlp.tasks.*": {"queue": KOE_ANALYSIS_QUEUE},
    "results.tasks.*": {"queue": KOE_THEMES_QUEUE},
}

# ---- Nightly themes of 市長への手紙 (#14) ----
# Letters never close, so the current 年度's themes are requested again each
# night at 02:00 JST (letters.services.themes): citywide, and for each 課 with
# at least KOE_LETTER_THEMES_MIN_LETTERS letters of the 年度 (fewer make no
# themes worth reading), each only when letters arrived since that scope's
# last finished run. The request is light; the runs go to the themes queue.
KOE_LETTER_THEMES_MIN_LETTERS = env.int("KOE_LETTER_THEMES_MIN_LETTERS", default=20)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "letters-refresh-themes": {
        "task": "letters.tasks.letter_themes_refresh_task",
        "schedule": crontab(hour=2, minute=0),
    },
}

# ---- Health (/healthz) ----
# Beat sends core.heartbeat.worker_heartbeat_task to each queue every
# KOE_HEARTBEAT_INTERVAL seconds; the worker that runs it stamps the time in
# the cache. /healthz fails a queue whose stamp is older than
# KOE_HEARTBEAT_MAX_AGE (its workers are down or that far behind), and beat
# when its own stamp (core.beat.HeartbeatScheduler, every tick) is older
# than KOE_BEAT_MAX_AGE. Each check gives up after KOE_HEALTH_TIMEOUT.
KOE_HEARTBEAT_INTERVAL = env.float("KOE_HEARTBEAT_INTERVAL", default=60.0)
KOE_HEARTBEAT_MAX_AGE = env.float("KOE_HEARTBEAT_MAX_AGE", default=300.0)
KOE_BEAT_MAX_AGE = env.float("KOE_BEAT_MAX_AGE", default=300.0)
KOE_HEALTH_TIMEOUT = env.float("KOE_HEALTH_TIMEOUT", default=2.0)
CELERY_BEAT_SCHEDULER = "core.beat:HeartbeatScheduler"
# Workers import the heartbeat task at start (it is not in an app's tasks.py).
CELERY_IMPORTS = ["core.heartbeat"]
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    **{
        f"heartbeat-{queue}": {
            "task": "core.heartbeat.worker_heartbeat_task",
            "schedule": KOE_HEARTBEAT_INTERVAL,
            "args": [queue],
            # A heartbeat nobody took within its interval is dropped, so a
            # queue whose workers were down does not replay a pile of them.
            "options": {"queue": queue, "expires": KOE_HEARTBEAT_INTERVAL},
        }
        for queue in KOE_CELERY_QUEUES
    },
}
# Container health checks speak plain HTTP to gunicorn; everything else is
# redirected to HTTPS in production (SECURE_SSL_REDIRECT).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
