"""Helpers shared by the database benchmarks (own database, staff users, p95)."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPEATS = 40
ROOT = Path(__file__).resolve().parents[1]


def database_url(name: str) -> str:
    """The benchmark's own PostgreSQL database, next to DATABASE_URL's."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/koe")
    return base.rsplit("/", 1)[0] + "/" + name


def run_child(module: str, *, database: str, override_env: str) -> None:
    """Run ``python -m <module> --inner`` against its own PostgreSQL database."""
    url = os.environ.get(override_env) or database_url(database)
    if not url.startswith(("postgres://", "postgresql://")):
        print(f"{module}: skipped (needs PostgreSQL)")
        return
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    subprocess.run([sys.executable, "-m", module, "--inner"], cwd=ROOT, env=env, check=True)


def setup_django() -> None:
    """In the child: create the database if needed, set Django up and migrate."""
    import warnings

    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic in a bench
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


def ensure_database() -> None:
    import psycopg

    server, name = os.environ["DATABASE_URL"].rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def staff_user(roles, department=None):
    """A staff user with a TOTP device, so the MFA middleware lets it through."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, _ = User.objects.get_or_create(email=f"bench-{roles[0]}@example.jp", defaults={"department": department})
    user.groups.set(Group.objects.filter(name__in=roles))
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})
    return user


def p95(client, url, repeats: int = REPEATS) -> tuple[float, float]:
    """Return (p95, median) in ms of full requests through Django's test client."""
    client.get(url)  # warm caches
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return samples[int(len(samples) * 0.95) - 1], statistics.median(samples)


def print_table(cases, target_ms: float, what: str) -> None:
    """Time each (label, client, url); the first case is the baseline."""
    print(f"{'page':44s} {'p95 ms':>8s} {'median':>8s} {'×baseline':>10s}")
    baseline = None
    worst = 0.0
    for label, client, url in cases:
        high, median = p95(client, url)
        baseline = baseline or high
        if not label.startswith("baseline"):
            worst = max(worst, high)
        print(f"{label:44s} {high:8.1f} {median:8.1f} {high / baseline:10.2f}", flush=True)
    print(f"worst {what} p95: {worst:.1f} ms (target < {target_ms:.0f} ms): {'PASS' if worst < target_ms else 'FAIL'}")
