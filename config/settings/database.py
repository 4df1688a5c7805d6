"""Database connections: kept open between requests, checked before reuse.

Imported at the end of base.py (it reads base's DATABASES, already bound in
the half-initialised module, as config.settings.resilience does).

With Django's default (CONN_MAX_AGE 0) every request and every task opened
its own PostgreSQL connection: about 3 ms of the web process's CPU, a new
server backend (fork, authentication, cold catalog caches) and, on the
loaded 2-core bench machine, ~90 ms of waiting per request (bench/load).
A connection is now kept for KOE_DB_CONN_MAX_AGE seconds; since a kept
connection can die under it (PostgreSQL restarted, a failover, an idle
timeout in a pooler), CONN_HEALTH_CHECKS tests it before the first query
of each request or task and reconnects, so a restart between two requests
costs the next one a reconnect, not a 500 (tests/faults/test_postgres_restart.py).
A DATABASE_URL carrying ``?conn_max_age=…`` keeps its own value.
"""

import environ

from config.settings.base import DATABASES as _BASE_DATABASES

env = environ.Env()

# Seconds a PostgreSQL connection is reused (0: one per request, Django's default).
KOE_DB_CONN_MAX_AGE = env.int("KOE_DB_CONN_MAX_AGE", default=60)

_default = dict(_BASE_DATABASES["default"])
if "postgresql" in _default.get("ENGINE", ""):
    _default.setdefault("CONN_MAX_AGE", KOE_DB_CONN_MAX_AGE)
    _default.setdefault("CONN_HEALTH_CHECKS", True)
DATABASES = {**_BASE_DATABASES, "default": _default}
