"""PostgreSQL connections are kept between requests and checked before reuse (config/settings/database.py).

Settings only, read in a fresh interpreter as production would; the
behaviour itself (a restart between two requests costs a reconnect, not a
500) is tests/faults/test_postgres_restart.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_DATABASE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({k: settings.DATABASES['default'].get(k) for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')}))"
)


def _production_database(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOE_DB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="settings-test-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="example.jp",
        DATABASE_URL=database_url,
        **extra,
    )
    done = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_postgres_connections_are_kept_and_health_checked():
    db = _production_database("postgres://koe@db.example.jp:5432/koe")
    assert db == {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


def test_the_age_comes_from_the_environment_and_a_url_option_wins():
    assert _production_database("postgres://koe@db:5432/koe", KOE_DB_CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0
    db = _production_database("postgres://koe@db:5432/koe?conn_max_age=5")
    assert db == {"CONN_MAX_AGE": 5, "CONN_HEALTH_CHECKS": True}
