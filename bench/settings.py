"""Production settings plus the bench-only bare-insert view, for the load bench and the fault tests.

Run by gunicorn, Celery workers and beat started from ``bench.processes``;
never by a deployment. Differences from ``config.settings.production``, each
because a throw-away loopback instance needs it:

- ``ROOT_URLCONF`` adds ``/bench/bare-insert/`` (``bench.urls``) beside every
  real URL, so the load bench compares intake with a one-row insert served
  by the same gunicorn, middleware and database;
- static files without the collectstatic manifest (nothing is collected for
  a throw-away instance; the pages still link their assets);
- beat intervals of the sweeper and the lifecycle from ``KOE_BENCH_*`` so a
  fault test sees them run within seconds.
"""

import environ

from config.settings.production import *  # noqa: F403
from config.settings.production import CELERY_BEAT_SCHEDULE, STORAGES

env = environ.Env()

ROOT_URLCONF = "bench.urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "consultations-advance-lifecycle": {
        **CELERY_BEAT_SCHEDULE["consultations-advance-lifecycle"],
        "schedule": env.float("KOE_BENCH_LIFECYCLE_SECONDS", default=60.0),
    },
    "nlp-sweep-unanalysed": {
        **CELERY_BEAT_SCHEDULE["nlp-sweep-unanalysed"],
        "schedule": env.float("KOE_BENCH_SWEEP_SECONDS", default=600.0),
    },
}
