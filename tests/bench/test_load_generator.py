"""The load generator: its schedule, its bounds, its figures, and one short real run."""

import asyncio
import time

import pytest

from bench import load_bench
from bench.load.generator import MAX_RATE_PER_S, Background, closed_loop, open_loop, percentile, run_in_own_loop
from bench.load.http import Client, NotLoopback
from bench.processes import missing_binaries
from bench.support import database_url


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([], 99) == 0.0


def test_an_open_loop_keeps_its_schedule_when_the_server_is_slow():
    """Arrivals do not wait for answers: a slow server shows as latency, not as a lower offered rate."""

    async def slow(_n):
        await asyncio.sleep(0.3)
        return True

    started = time.perf_counter()
    phase = run_in_own_loop(open_loop("slow", slow, rate=50, duration=1.0))
    elapsed = time.perf_counter() - started
    assert phase.completed == 50 and phase.errors == 0
    # Serially this would take 15 s; scheduled arrivals finish in about 1.3 s.
    assert elapsed < 5
    assert percentile(phase.latencies_ms, 50) >= 300


def test_errors_and_exceptions_are_counted_not_raised():
    async def flaky(n):
        if n % 3 == 0:
            raise ConnectionResetError("reset by peer")
        return n % 3 == 1

    phase = run_in_own_loop(open_loop("flaky", flaky, rate=100, duration=0.3))
    assert phase.completed + phase.errors == 30
    assert phase.errors == 20
    assert any("ConnectionResetError" in s for s in phase.error_samples)


def test_the_generator_is_bounded():
    calls = []

    async def record(n):
        calls.append(n)
        return True

    phase = run_in_own_loop(open_loop("bounded", record, rate=10**6, duration=0.01))
    assert phase.offered_per_s == MAX_RATE_PER_S
    assert len(calls) == int(MAX_RATE_PER_S * 0.01)


def test_a_closed_loop_measures_capacity():
    async def ten_ms(_n):
        await asyncio.sleep(0.01)
        return True

    phase = run_in_own_loop(closed_loop("capacity", ten_ms, concurrency=4, duration=0.5))
    # Four lanes of 10 ms requests: about 400/s (sleep granularity makes it less).
    assert 150 < phase.per_s <= 400


def test_background_browsing_stops_cleanly():
    async def run():
        async def page(_n):
            return True

        browsing = Background("browse", page, rate=100).start()
        await asyncio.sleep(0.2)
        return await browsing.stop()

    phase = run_in_own_loop(run())
    assert phase.completed >= 10 and phase.errors == 0


@pytest.mark.parametrize("host", ["192.0.2.10", "example.jp", "0.0.0.0"])
def test_only_loopback_is_ever_a_target(host):
    with pytest.raises(NotLoopback):
        Client(port=8000, host=host)


def test_the_verdict_names_each_missed_target():
    figures = {
        "ratio": 0.2,
        "p99_ms_at_100_per_s": 450.0,
        "errors": 3,
        "accepted": 10,
        "stored": 9,
        "analysed": 8,
        "accepted_not_stored": 1,
        "analysed_twice": 0,
    }
    missed = " | ".join(load_bench.verdict(figures))
    for part in ("ratio 0.20", "p99 at 100/s 450.0", "3 errors", "stored 9", "analysed 8 of 9"):
        assert part in missed
    good = {**figures, "ratio": 0.7, "p99_ms_at_100_per_s": 120.0, "errors": 0, "stored": 10, "analysed": 10}
    assert load_bench.verdict({**good, "accepted_not_stored": 0}) == []


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.skipif(bool(missing_binaries()), reason=missing_binaries() or "")
def test_a_short_real_run_accounts_for_every_submission():
    """gunicorn, PostgreSQL, Redis and a worker: every accepted 受付番号 is stored and analysed once."""
    figures = load_bench.measure(
        rates=(10,), stage_s=2.0, capacity_s=1.5, concurrency=4, url=database_url("koe_test_load_bench"), log=print
    )
    assert set(figures) >= {
        "submissions_per_s",
        "bare_insert_per_s",
        "ratio",
        "p99_ms_at_100_per_s",
        "errors",
        "accepted",
        "stored",
        "analysed",
    }
    assert figures["errors"] == 0, figures["phases"]
    assert figures["accepted"] > 20
    assert figures["stored"] == figures["accepted"] and figures["accepted_not_stored"] == 0
    assert figures["analysed"] == figures["stored"] and figures["analysed_twice"] == 0
    assert figures["submissions_per_s"] > 0 and figures["bare_insert_per_s"] > 0
    assert figures["p99_ms_at_100_per_s"] is None  # no 100/s stage in this short run
