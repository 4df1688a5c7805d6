"""Open- and closed-loop request drivers with latency figures (asyncio, stdlib only).

An *open loop* starts requests on a fixed schedule (``rate`` per second)
whatever the server does, as residents arriving before a deadline do: if
the server falls behind, requests pile up and the latency shows it (a closed
loop would slow down with the server and hide it). A *closed loop* keeps a
fixed number of requests in flight and measures how many the server
completes per second: its capacity.

Both take ``send``, an async function returning True when the server's
answer is the expected one; a False or an exception is an error.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

Send = Callable[[int], Awaitable[bool]]

# A bounded generator: whatever a caller asks, it never offers more than
# this rate nor runs longer than this, so it cannot become a flood tool.
MAX_RATE_PER_S = 500.0
MAX_DURATION_S = 120.0
MAX_CONCURRENCY = 64


def run_in_own_loop(coroutine: Coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own.

    The calling thread may already run an event loop (after a browser test,
    Playwright's sync API leaves one in pytest's thread), in which
    ``asyncio.run`` refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of ``values``; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Phase:
    """What one phase measured: completions, errors and latencies in ms."""

    name: str
    offered_per_s: float | None
    duration_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return len(self.latencies_ms)

    @property
    def per_s(self) -> float:
        return self.completed / self.duration_s if self.duration_s else 0.0

    def record_error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what[:300])

    def summary(self) -> dict:
        return {
            "phase": self.name,
            "offered_per_s": self.offered_per_s,
            "completed": self.completed,
            "per_s": round(self.per_s, 1),
            "errors": self.errors,
            "p50_ms": round(percentile(self.latencies_ms, 50), 1),
            "p95_ms": round(percentile(self.latencies_ms, 95), 1),
            "p99_ms": round(percentile(self.latencies_ms, 99), 1),
            "error_samples": self.error_samples,
        }


async def _timed(phase: Phase, send: Send, n: int) -> None:
    started = time.perf_counter()
    try:
        ok = await send(n)
    except Exception as exc:  # a timeout or a reset is an error of the run, not of the bench
        phase.record_error(f"{type(exc).__name__}: {exc}")
        return
    if ok:
        phase.latencies_ms.append((time.perf_counter() - started) * 1000)
    else:
        phase.record_error("unexpected answer")


async def open_loop(name: str, send: Send, *, rate: float, duration: float, start_at: int = 0) -> Phase:
    """Start ``rate`` requests per second for ``duration`` s; wait for all to finish."""
    rate, duration = min(rate, MAX_RATE_PER_S), min(duration, MAX_DURATION_S)
    phase = Phase(name=name, offered_per_s=rate)
    total = int(rate * duration)
    began = time.perf_counter()
    tasks = []
    for i in range(total):
        # Scheduled against the start, not the previous request, so a slow
        # answer never delays the next arrival.
        delay = began + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_timed(phase, send, start_at + i)))
    await asyncio.gather(*tasks)
    phase.duration_s = max(duration, time.perf_counter() - began)
    return phase


async def closed_loop(name: str, send: Send, *, concurrency: int, duration: float, start_at: int = 0) -> Phase:
    """Keep ``concurrency`` requests in flight for ``duration`` s; the rate completed is the capacity."""
    concurrency, duration = min(concurrency, MAX_CONCURRENCY), min(duration, MAX_DURATION_S)
    phase = Phase(name=name, offered_per_s=None)
    counter = iter(range(start_at, start_at + 10**9))
    began = time.perf_counter()
    stop_at = began + duration

    async def lane():
        while time.perf_counter() < stop_at:
            await _timed(phase, send, next(counter))

    await asyncio.gather(*(lane() for _ in range(concurrency)))
    phase.duration_s = time.perf_counter() - began
    return phase


class Background:
    """Requests at a steady rate until stopped (citizens browsing while others submit)."""

    def __init__(self, name: str, send: Send, *, rate: float):
        self.phase = Phase(name=name, offered_per_s=min(rate, MAX_RATE_PER_S))
        self._send = send
        self._task: asyncio.Task | None = None
        self._began = 0.0

    async def _run(self):
        rate, n, pending = self.phase.offered_per_s, 0, set()
        try:
            while True:
                delay = self._began + n / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                task = asyncio.create_task(_timed(self.phase, self._send, n))
                pending.add(task)
                task.add_done_callback(pending.discard)
                n += 1
        except asyncio.CancelledError:
            await asyncio.gather(*pending, return_exceptions=True)
            raise

    def start(self) -> Background:
        self._began = time.perf_counter()
        self._task = asyncio.create_task(self._run())
        return self

    async def stop(self) -> Phase:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.phase.duration_s = time.perf_counter() - self._began
        return self.phase
