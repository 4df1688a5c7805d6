"""The accessibility evidence of a browser-test run (issue #15).

Every axe-core check made through ``tests/e2e/support.py`` (``axe_check`` and
``run_axe``) is recorded with the page's path (ids as ``<pk>``, from the URL
pattern; no query string), ``document.title``, ``<html lang>``, the viewport
width, the numbers of rules passed, violated and left undecided by axe, and the
test's node id; so are the reflow (``wider_than_viewport``), text-spacing
(``clipped_with_text_spacing``) and keyboard (``tab_to``) checks. At the end of
the session the records are written, sorted and without timestamps (one run
date at the top), to the report the accessibility page renders
(``core/accessibility/axe-report.json``) — but only after a complete run:
Chromium ran the tests, every ``tests/e2e`` module was collected whole (no node
ids, no ``-k``/``-m``/``--deselect``), every selected e2e test finished and none
failed (``report_destination``). Any other run writes
``test-artifacts/axe-report.json`` instead, so running one file never replaces
the published evidence with a partial one.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parents[1]
COMMITTED_REPORT = ROOT / "core" / "accessibility" / "axe-report.json"
ARTIFACT_REPORT = ROOT / "test-artifacts" / "axe-report.json"
REPORT_FORMAT = 1

COMMITTED = "committed"
ARTIFACTS = "artifacts"

# Titles carry a 受付番号 on receipt and staff pages; its sequence depends on the run.
_RECEIPT_NUMBER = re.compile(r"\b[A-Z]{2,3}-\d{4}-\d{6}\b")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def page_path(url: str) -> str | None:
    """The page's path with its variable parts named after the URL pattern.

    ``/consultations/12/submit/?step=2`` → ``/consultations/<pk>/submit/``; a path
    no pattern matches keeps its digits as ``<id>``; ``about:blank`` and pages
    set with ``set_content`` → None (not the site's pages).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    path = parts.path or "/"
    try:
        from django.urls import Resolver404, resolve

        route = resolve(path).route
    except (Resolver404, ImportError):
        route = None
    if route is None or any(c in route for c in "^$(?\\"):
        return re.sub(r"/\d+(?=/|$)", "/<id>", path)
    return "/" + _CONVERTER.sub(r"<\1>", route)


def page_title(title: str) -> str:
    return _RECEIPT_NUMBER.sub("<受付番号>", " ".join((title or "").split()))


@dataclass
class Recorder:
    """The checks of one session, counted by what they found (order does not matter)."""

    current_test: str = ""
    axe: Counter = field(default_factory=Counter)
    checks: Counter = field(default_factory=Counter)
    axe_versions: set = field(default_factory=set)
    wcag_tags: set = field(default_factory=set)

    def _page(self, page) -> tuple[str, str, str, int] | None:
        if not self.current_test:
            return None
        path = page_path(page.url)
        if path is None:
            return None
        info = page.evaluate(
            "() => ({title: document.title, lang: document.documentElement.lang || '', width: window.innerWidth})"
        )
        width = (page.viewport_size or {}).get("width") or info["width"]
        return path, page_title(info["title"]), info["lang"], int(width)

    def record_axe(self, page, result: dict) -> None:
        where = self._page(page)
        if where is None:
            return
        self.axe_versions.add(result.get("testEngine", {}).get("version", ""))
        self.wcag_tags.update(result.get("toolOptions", {}).get("runOnly", {}).get("values", []))
        self.axe[
            (
                *where,
                self.current_test,
                len(result.get("passes", [])),
                len(result.get("violations", [])),
                len(result.get("incomplete", [])),
            )
        ] += 1

    def record_check(self, page, kind: str, problems: list) -> None:
        where = self._page(page)
        if where is not None:
            self.checks[(kind, *where, self.current_test, not problems)] += 1

    def report(self, *, run_date: datetime.date, tests: int) -> dict:
        axe = [
            {
                "path": path,
                "title": title,
                "lang": lang,
                "width": width,
                "test": test,
                "passes": passes,
                "violations": violations,
                "incomplete": incomplete,
                "checks": count,
            }
            for (path, title, lang, width, test, passes, violations, incomplete), count in self.axe.items()
        ]
        other = [
            {
                "check": kind,
                "path": path,
                "title": title,
                "lang": lang,
                "width": width,
                "test": test,
                "ok": ok,
                "checks": count,
            }
            for (kind, path, title, lang, width, test, ok), count in self.checks.items()
        ]
        return {
            "format": REPORT_FORMAT,
            "run_date": run_date.isoformat(),
            "axe_core_version": ", ".join(sorted(v for v in self.axe_versions if v)),
            "wcag_tags": sorted(self.wcag_tags),
            "tests": tests,
            "axe_checks": sorted(
                axe, key=lambda e: (e["path"], e["title"], e["lang"], e["width"], e["test"], e["passes"])
            ),
            "other_checks": sorted(
                other, key=lambda e: (e["check"], e["path"], e["title"], e["lang"], e["width"], e["test"], e["ok"])
            ),
        }


RECORDER = Recorder()


@dataclass
class SessionSummary:
    """What the session ran, as far as the decision below needs it."""

    browser_available: bool
    modules_on_disk: set[str]
    modules_collected: set[str]
    node_ids_given: bool = False
    deselected: int = 0
    unfinished: int = 0
    failed: int = 0
    axe_checks: int = 0


def report_destination(summary: SessionSummary) -> tuple[str | None, str]:
    """Where this session's report goes: ``COMMITTED``, ``ARTIFACTS`` or nowhere (None), and why."""
    if not summary.browser_available:
        return None, "Chromium がないためブラウザテストは実行されていません"
    if not summary.axe_checks:
        return None, "axe-core の検査が1件も実行されていません"
    missing = sorted(summary.modules_on_disk - summary.modules_collected)
    reasons = []
    if missing:
        reasons.append(f"tests/e2e のうち実行されなかったファイル: {', '.join(missing)}")
    if summary.node_ids_given:
        reasons.append("テストを個別に指定した実行（::）")
    if summary.deselected:
        reasons.append(f"{summary.deselected} 件のテストが選択から外れた（-k/-m/--deselect）")
    if summary.unfinished:
        reasons.append(f"{summary.unfinished} 件のテストが最後まで実行されなかった")
    if summary.failed:
        reasons.append(f"{summary.failed} 件のテストが失敗した")
    if reasons:
        return ARTIFACTS, "一部の実行: " + "; ".join(reasons)
    return COMMITTED, "tests/e2e の全テストが成功"


def today_in_japan() -> datetime.date:
    return datetime.datetime.now(ZoneInfo("Asia/Tokyo")).date()


def write_report(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
