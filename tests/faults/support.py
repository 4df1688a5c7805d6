"""Residents at the real web form of a running gunicorn, and what the database then holds.

A resident opens the form, confirms, sends (the real three steps of
feedback.views.SubmitView, with the CSRF cookie and token a browser
holds) and, when answered with a redirect, opens the 受付番号 page with the
session cookie the answer set.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench.load.http import Client, csrf_token

RECEIPT_RE = re.compile(r"[A-Z]{2}-\d{4}-\d{6}")
JAPANESE_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@dataclass
class Outcome:
    body: str
    status: int
    receipt: str | None
    page: str

    @property
    def has_receipt_page(self) -> bool:
        return bool(self.receipt) and self.receipt in self.page and "受付番号" in self.page

    @property
    def kept_text_in_japanese(self) -> bool:
        """Not stored, but told so in Japanese on a page that still holds what was typed."""
        return (
            self.status < 500
            and bool(JAPANESE_RE.search(self.page))
            and html.escape(self.body, quote=False) in self.page
        )

    def describe(self) -> str:
        return f"status {self.status}, receipt {self.receipt}, page: {self.page[:300]!r}"


async def _open_form(client: Client, path: str) -> tuple[dict, str]:
    page = await client.request("GET", path)
    assert page.status == 200, (page.status, page.text()[:500])
    return page.cookies(), csrf_token(page.text())


async def _resident(client: Client, consultation_id: int, body: str, n: int, form=None, full=True) -> Outcome:
    path = f"/consultations/{consultation_id}/submit/"
    cookies, token = form or await _open_form(client, path)
    fields = {
        "csrfmiddlewaretoken": token,
        "section": "",
        "section_text": "",
        "body": body,
        "name": f"川口 花子{n}",
        "address": f"川口市青木{n % 9 + 1}-1-1",
    }
    if full:
        confirm = await client.request("POST", path, form={**fields, "step": "confirm"}, cookies=cookies)
        if confirm.status != 200:
            return Outcome(body=body, status=confirm.status, receipt=None, page=confirm.text())
    sent = await client.request("POST", path, form={**fields, "step": "submit"}, cookies=cookies)
    location = sent.header("Location") or ""
    if sent.status != 302 or "/receipt/" not in location:
        return Outcome(body=body, status=sent.status, receipt=None, page=sent.text())
    receipt = location.rstrip("/").rsplit("/", 1)[-1]
    if not full:
        return Outcome(body=body, status=sent.status, receipt=receipt, page=f"受付番号 {receipt}")
    shown = await client.request("GET", location, cookies={**cookies, **sent.cookies()})
    return Outcome(body=body, status=shown.status, receipt=receipt, page=shown.text())


def submit_opinions(
    port: int, consultation_id: int, bodies: list[str], *, concurrency: int = 3, full: bool = True
) -> list[Outcome]:
    """Residents send ``bodies`` through the web form, a few at a time.

    ``full``: each opens the form, confirms, sends and opens the 受付番号
    page; otherwise (many residents, when only the stored rows matter) they
    share one opened form and only send.
    """

    async def run():
        client = Client(port=port, timeout=60.0)
        gate = asyncio.Semaphore(concurrency)
        shared = None if full else await _open_form(client, f"/consultations/{consultation_id}/submit/")

        async def one(n, body):
            async with gate:
                return await _resident(client, consultation_id, body, n, form=shared, full=full)

        return await asyncio.gather(*(one(n, body) for n, body in enumerate(bodies)))

    # In a thread of its own: after a browser test, Playwright's event loop
    # runs in this one and asyncio.run() would refuse to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def opinions(count: int, tag: str) -> list[str]:
    return [f"{tag}の{i}件目の意見です。駅前の駐輪場を増やし、歩道を広げてください。" for i in range(count)]


def analysis_counts(pairs) -> tuple[set[int], dict[tuple[int, str], int], set[str]]:
    """From (submission_id, model_version) rows: analysed ids, pairs stored more than once, versions."""
    per_pair = Counter(pairs)
    twice = {pair: n for pair, n in per_pair.items() if n > 1}
    return {sid for sid, _ in per_pair}, twice, {version for _, version in per_pair}


class Clock:
    """Prints how far into the test each stage came (shown with a failure's captured output)."""

    def __init__(self):
        import time

        self._now = time.monotonic
        self.started = self._now()

    def __call__(self, what: str) -> None:
        print(f"[{self._now() - self.started:6.1f} s] {what}", flush=True)
