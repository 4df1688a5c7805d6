"""Deadline load: residents submitting to an open consultation while others browse.

``python -m bench load [--json OUT] [--quick]`` (``make bench`` runs it too).

Against the production processes on this machine — gunicorn (sync workers,
``bench.settings``), the machine's PostgreSQL (database ``koe_bench_load``,
rebuilt each run), a private Redis, and one Celery worker on every queue —
and only over loopback (``bench.load.http``):

1. capacity: a closed loop of submissions through the real web form's final
   step (validation, 受付番号, identity, audit row, session, enqueue) and, in
   the same run, alternating with it, of the bare-insert view
   (``bench.views``: same gunicorn, middleware and database, one INSERT);
   the ratio of the two rates is intake's own cost;
2. rising rates: an open loop of submissions at each rate (25, 50, 100 per
   second by default), latency p50/p95/p99 per rate;
3. all the while, citizens browse the public pages at a steady rate;
4. afterwards, the count check: every accepted 受付番号 stored, every stored
   submission analysed by the worker, none analysed twice for one model
   version.

All residents come from 127.0.0.1, so the per-address limit
(``KOE_SUBMIT_RATE``) is raised for the run: the bench measures intake, not
the limiter. The worker runs at a lower CPU priority (``nice``) as a
separate analysis host would not compete with gunicorn; its backlog is
what the count check waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench.load.generator import Background, Phase, closed_loop, open_loop, run_in_own_loop
from bench.load.http import Client, csrf_token
from bench.processes import (
    RedisServer,
    app_env,
    celery_worker,
    gunicorn,
    make_workdir,
    manage,
    queue_names,
)
from bench.support import database_url

DATABASE = "koe_bench_load"
TARGET_RATIO = 0.60
TARGET_P99_MS = 300.0
BODY = "{n}件目の意見です。締切間際ですが、駅前の駐輪場を増やし、通学路の歩道を広げてください。"

# Run in the app's environment: an open パブリック・コメント and the bare-insert table.
PREPARE = """
import datetime
from django.db import connection
from django.utils import timezone
from consultations.models import Consultation
from consultations.services import closing_moment
today = timezone.localdate()
c = Consultation.objects.create(
    kind=Consultation.Kind.PUBLIC_COMMENT, status=Consultation.Status.OPEN,
    title="負荷試験の計画（案）", summary="締切前の集中を測ります。",
    announced_on=today - datetime.timedelta(days=30),
    opens_at=timezone.now() - datetime.timedelta(days=30),
    closes_at=closing_moment(today + datetime.timedelta(days=1)),
    eligibility=["resident", "worker", "student"], required_identity=[],
    submission_address="〒332-8601 川口市青木2-1-1",
)
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE bench_bare_insert (id bigserial PRIMARY KEY, body text NOT NULL)")
print(c.pk)
"""


def _drop_database(url: str, *, create_again: bool = False) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create_again:
            conn.execute(f'CREATE DATABASE "{name}"')


def _counts(url: str, consultation_id: int) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        stored, receipts = conn.execute(
            "SELECT count(*), array_agg(receipt_number) FROM feedback_submission WHERE consultation_id = %s",
            (consultation_id,),
        ).fetchone()
        analysed, rows, pairs = conn.execute(
            "SELECT count(DISTINCT a.submission_id), count(*), count(DISTINCT (a.submission_id, a.model_version))"
            " FROM nlp_submissionanalysis a JOIN feedback_submission s ON s.id = a.submission_id"
            " WHERE s.consultation_id = %s",
            (consultation_id,),
        ).fetchone()
    return {"stored": stored, "receipts": set(receipts or []), "analysed": analysed, "twice": rows - pairs}


class Residents:
    """The requests of the run: a submission, a bare insert, a public page."""

    def __init__(self, client: Client, consultation_id: int):
        self.client = client
        self.consultation_id = consultation_id
        self.form_path = f"/consultations/{consultation_id}/submit/"
        self.accepted: set[str] = set()
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.pages = ["/", f"/consultations/{consultation_id}/", "/consultations/", "/plan/"]

    async def open_form(self) -> None:
        page = await self.client.request("GET", self.form_path)
        if page.status != 200:
            raise RuntimeError(f"the form answered {page.status}: {page.text()[:300]}")
        self.cookies, self.token = page.cookies(), csrf_token(page.text())

    async def submit(self, n: int) -> bool:
        fields = {
            "csrfmiddlewaretoken": self.token,
            "step": "submit",
            "section": "",
            "section_text": "",
            "body": BODY.format(n=n),
            "name": f"川口 花子{n}",
            "address": f"川口市青木{n % 9 + 1}-1-1",
        }
        sent = await self.client.request("POST", self.form_path, form=fields, cookies=self.cookies)
        location = sent.header("Location") or ""
        if sent.status != 302 or "/receipt/" not in location:
            return False
        self.accepted.add(location.rstrip("/").rsplit("/", 1)[-1])
        return True

    async def bare_insert(self, n: int) -> bool:
        fields = {"csrfmiddlewaretoken": self.token, "body": BODY.format(n=n)}
        sent = await self.client.request("POST", "/bench/bare-insert/", form=fields, cookies=self.cookies)
        return sent.status == 302

    async def browse(self, n: int) -> bool:
        page = await self.client.request("GET", self.pages[n % len(self.pages)])
        return page.status == 200


async def _drive(residents: Residents, *, rates, stage_s: float, capacity_s: float, concurrency: int, browse: float):
    await residents.open_form()
    # Warm every gunicorn worker's caches and connections.
    await closed_loop("warm-up", residents.submit, concurrency=concurrency, duration=2, start_at=10**7)
    await closed_loop("warm-up", residents.bare_insert, concurrency=concurrency, duration=2)
    browsing = Background("browse", residents.browse, rate=browse).start()
    intake, bare, rising = [], [], []
    counter = 0
    for _ in range(2):  # alternating, so neither gets the emptier database or the cooler machine
        bare.append(
            await closed_loop("bare insert", residents.bare_insert, concurrency=concurrency, duration=capacity_s)
        )
        phase = await closed_loop(
            "intake", residents.submit, concurrency=concurrency, duration=capacity_s, start_at=counter
        )
        counter += phase.completed + phase.errors + 1
        intake.append(phase)
    for rate in rates:
        phase = await open_loop(f"intake at {rate}/s", residents.submit, rate=rate, duration=stage_s, start_at=counter)
        counter += int(rate * stage_s) + 1
        rising.append(phase)
    return intake, bare, rising, await browsing.stop()


def _merged(name: str, phases: list[Phase]) -> Phase:
    merged = Phase(name=name, offered_per_s=None)
    for phase in phases:
        merged.latencies_ms += phase.latencies_ms
        merged.errors += phase.errors
        merged.error_samples += phase.error_samples[: 5 - len(merged.error_samples)]
        merged.duration_s += phase.duration_s
    return merged


def measure(
    *,
    rates=(25, 50, 100),
    stage_s: float = 10.0,
    capacity_s: float = 10.0,
    concurrency: int = 8,
    browse_per_s: float = 5.0,
    web_workers: int = 5,
    url: str | None = None,
    analysis_timeout_s: float = 900.0,
    log=print,
) -> dict:
    """Run the whole load bench once and return its figures (the JSON of ``--json``)."""
    url = url or database_url(DATABASE)
    workdir = make_workdir("koe-load-")
    redis = RedisServer(workdir)
    processes = []
    try:
        _drop_database(url, create_again=True)
        redis.start()
        env = app_env(database_url=url, redis_url=redis.url(0), queue="load", KOE_SUBMIT_RATE="100000000/h")
        manage("migrate", "--noinput", "-v0", env=env)
        consultation_id = int(manage("shell", "-c", PREPARE, env=env).strip().splitlines()[-1])
        log(f"load: database {url.rsplit('/', 1)[-1]} migrated, consultation {consultation_id}")
        web, port = gunicorn(env=env, log_dir=workdir, workers=web_workers, preload=True)
        processes.append(web)
        queues = list(queue_names("load").values())
        processes.append(celery_worker(env=env, log_dir=workdir, queues=queues, name="load-worker", nice=10))
        residents = Residents(Client(port=port, timeout=30.0), consultation_id)
        started = time.monotonic()
        intake, bare, rising, browsing = run_in_own_loop(
            _drive(
                residents,
                rates=rates,
                stage_s=stage_s,
                capacity_s=capacity_s,
                concurrency=concurrency,
                browse=browse_per_s,
            )
        )
        log(f"load: requests done in {time.monotonic() - started:.0f} s; waiting for the worker's analysis")
        counts = _wait_for_analysis(url, consultation_id, analysis_timeout_s, log)
    finally:
        for process in reversed(processes):
            process.stop(timeout=5)
        if redis.process:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    result = _figures(intake, bare, rising, browsing, residents.accepted, counts)
    _drop_database(url)
    return result


def _wait_for_analysis(url: str, consultation_id: int, timeout: float, log) -> dict:
    deadline, last, last_change = time.monotonic() + timeout, -1, time.monotonic()
    while True:
        counts = _counts(url, consultation_id)
        if counts["analysed"] >= counts["stored"]:
            return counts
        if counts["analysed"] != last:
            last, last_change = counts["analysed"], time.monotonic()
        if time.monotonic() > deadline or time.monotonic() - last_change > 120:
            log(f"load: analysis stopped at {counts['analysed']} of {counts['stored']}")
            return counts
        time.sleep(2)


def _figures(intake, bare, rising, browsing, accepted: set[str], counts: dict) -> dict:
    intake_all, bare_all = _merged("intake", intake), _merged("bare insert", bare)
    at_100 = next((p for p in rising if p.offered_per_s == 100), None)
    submission_errors = intake_all.errors + sum(p.errors for p in rising)
    return {
        "submissions_per_s": round(intake_all.per_s, 1),
        "bare_insert_per_s": round(bare_all.per_s, 1),
        "ratio": round(intake_all.per_s / bare_all.per_s, 3) if bare_all.per_s else 0.0,
        "p99_ms_at_100_per_s": at_100.summary()["p99_ms"] if at_100 else None,
        "errors": submission_errors + bare_all.errors + browsing.errors,
        "accepted": len(accepted),
        "stored": counts["stored"],
        "analysed": counts["analysed"],
        "accepted_not_stored": len(accepted - counts["receipts"]),
        "analysed_twice": counts["twice"],
        "phases": [p.summary() for p in (*intake, *bare, *rising, browsing)],
        "cpu_count": os.cpu_count(),
    }


def verdict(figures: dict) -> list[str]:
    """The issue's targets that this run missed (empty when all are met)."""
    missed = []
    if figures["ratio"] < TARGET_RATIO:
        missed.append(f"ratio {figures['ratio']:.2f} < {TARGET_RATIO:.2f}")
    p99 = figures["p99_ms_at_100_per_s"]
    if p99 is None or p99 >= TARGET_P99_MS:
        missed.append(f"p99 at 100/s {p99} ms ≥ {TARGET_P99_MS:.0f} ms")
    if figures["errors"]:
        missed.append(f"{figures['errors']} errors")
    if figures["accepted_not_stored"] or figures["stored"] != figures["accepted"]:
        missed.append(f"accepted {figures['accepted']}, stored {figures['stored']}")
    if figures["analysed"] != figures["stored"] or figures["analysed_twice"]:
        missed.append(f"analysed {figures['analysed']} of {figures['stored']}, twice {figures['analysed_twice']}")
    return missed


def report(figures: dict) -> None:
    print(f"{'phase':22s} {'offered/s':>9s} {'done/s':>7s} {'errors':>6s} {'p50':>7s} {'p95':>7s} {'p99 ms':>7s}")
    for p in figures["phases"]:
        offered = f"{p['offered_per_s']:.0f}" if p["offered_per_s"] else "closed"
        print(
            f"{p['phase']:22s} {offered:>9s} {p['per_s']:7.1f} {p['errors']:6d}"
            f" {p['p50_ms']:7.1f} {p['p95_ms']:7.1f} {p['p99_ms']:7.1f}"
        )
        for sample in p["error_samples"][:2]:
            print(f"    error: {sample}")
    print(
        f"intake {figures['submissions_per_s']}/s, bare insert {figures['bare_insert_per_s']}/s,"
        f" ratio {figures['ratio']:.2f} (target ≥ {TARGET_RATIO:.2f});"
        f" p99 at 100/s {figures['p99_ms_at_100_per_s']} ms (target < {TARGET_P99_MS:.0f});"
        f" errors {figures['errors']}; accepted {figures['accepted']}, stored {figures['stored']},"
        f" analysed {figures['analysed']} (twice {figures['analysed_twice']})"
    )
    missed = verdict(figures)
    print("load targets: PASS" if not missed else "load targets: FAIL: " + "; ".join(missed), flush=True)


def _needs_postgres() -> str | None:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/koe")
    if not url.startswith(("postgres://", "postgresql://")):
        return "load: skipped (needs PostgreSQL in DATABASE_URL)"
    if not shutil.which("redis-server"):
        return "load: skipped (needs redis-server)"
    return None


def run(shared_dir=None) -> None:
    """``python -m bench``: the whole load bench with its default rates."""
    why = _needs_postgres()
    if why:
        print(why)
        return
    report(measure())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--quick", action="store_true", help="short stages (a smoke run, not a measurement)")
    parser.add_argument("--rates", default="25,50,100", help="open-loop submission rates per second")
    args = parser.parse_args(argv)
    why = _needs_postgres()
    if why:
        print(why, file=sys.stderr)
        return 2
    rates = tuple(float(r) for r in args.rates.split(","))
    stage = {"stage_s": 3.0, "capacity_s": 3.0} if args.quick else {}
    figures = measure(rates=rates, **stage)
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    return 0 if not verdict(figures) else 1
