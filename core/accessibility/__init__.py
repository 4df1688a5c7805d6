"""The accessibility statement's evidence: the report of the last complete browser-test run.

``tests/e2e`` records every axe-core check of a run (page path with ids as
``<pk>``, title, ``<html lang>``, viewport width, rules passed / violated /
undecided) and the reflow, text-spacing and keyboard checks, and writes them to
``axe-report.json`` beside this module after a complete, passing run of the
directory (tests/e2e/axe_report.py). The accessibility page (``/accessibility/``)
renders that file, so what it says was tested cannot drift from what was tested.
``KOE_ACCESSIBILITY_REPORT`` points at another file (tests use a fixture).
"""

from __future__ import annotations

import datetime
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_REPORT = Path(__file__).resolve().parent / "axe-report.json"
REPORT_FORMAT = 1
STAFF_PREFIXES = ("/staff/", "/admin/")

# 情報通信アクセス協議会 ウェブアクセシビリティ基盤委員会「ウェブコンテンツの JIS X 8341-3:2016
# 対応度表記ガイドライン」: 「準拠」「一部準拠」 need a test after 附属書JB (every 達成基準 of
# the level judged on every page tested, the result published); the automated checks and
# the checks listed on the page are not that test, so the honest wording is 「配慮」.
TARGET_LEVEL = "AA"
CONFORMANCE_WORDING = "配慮"

# Short names for the table; the page explains each under 「ほかの確認」.
CHECK_LABELS = {
    "keyboard": "キーボード操作（2.1.1）",
    "reflow": "横スクロールなし（1.4.10）",
    "text_spacing": "文字の間隔（1.4.12）",
}
LANGUAGE_LABELS = {"ja": "日本語", "en": "英語", "zh-hans": "中国語（簡体字）"}


class ReportError(ValueError):
    """The report file is missing a field or has one of the wrong type."""


@dataclass
class TestedPage:
    title: str
    path: str
    lang: str
    widths: list[int] = field(default_factory=list)
    checks: int = 0
    violations: int = 0
    incomplete: int = 0
    other: dict[str, list[int]] = field(default_factory=dict)

    @property
    def staff(self) -> bool:
        return self.path.startswith(STAFF_PREFIXES)

    @property
    def language_label(self) -> str:
        return LANGUAGE_LABELS.get(self.lang.lower(), self.lang)

    @property
    def other_checks(self) -> list[dict]:
        return [
            {"kind": kind, "label": CHECK_LABELS.get(kind, kind), "widths": widths}
            for kind, widths in sorted(self.other.items())
        ]


def report_path() -> Path:
    return Path(getattr(settings, "KOE_ACCESSIBILITY_REPORT", "") or DEFAULT_REPORT)


def _require(mapping: dict, key: str, kind: type | tuple[type, ...]):
    value = mapping.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise ReportError(f"{key}: {value!r}")
    return value


def parse_report(data: dict) -> dict:
    """Check the report's shape and return it as the page needs it (pages grouped, dates parsed)."""
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise ReportError(f"format: {data.get('format') if isinstance(data, dict) else data!r}")
    run_date = datetime.date.fromisoformat(_require(data, "run_date", str))
    version = _require(data, "axe_core_version", str)
    tags = _require(data, "wcag_tags", list)
    tests = _require(data, "tests", int)
    pages: dict[tuple[str, str, str], TestedPage] = {}

    def page_for(entry: dict) -> TestedPage:
        key = (_require(entry, "path", str), _require(entry, "title", str), _require(entry, "lang", str))
        if key not in pages:
            pages[key] = TestedPage(title=_short_title(key[1]), path=key[0], lang=key[2])
        return pages[key]

    for entry in _require(data, "axe_checks", list):
        page = page_for(entry)
        width = _require(entry, "width", int)
        if width not in page.widths:
            page.widths.append(width)
        page.checks += _require(entry, "checks", int)
        page.violations += _require(entry, "violations", int) * entry["checks"]
        page.incomplete = max(page.incomplete, _require(entry, "incomplete", int))
        _require(entry, "passes", int)
        _require(entry, "test", str)
    other: dict[tuple[str, str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for entry in _require(data, "other_checks", list):
        kind = _require(entry, "check", str)
        _require(entry, "test", str)
        if _require(entry, "ok", bool):
            page = page_for(entry)
            other[(page.path, entry["title"], page.lang)][kind].add(_require(entry, "width", int))
    for key, kinds in other.items():
        pages[key].other = {kind: sorted(widths) for kind, widths in kinds.items()}
    ordered = sorted(pages.values(), key=lambda p: (p.path, p.title, p.lang))
    for page in ordered:
        page.widths.sort()
    return {
        "run_date": run_date,
        "axe_core_version": version,
        "wcag_tags": tags,
        "wcag_levels": _levels(tags),
        "tests": tests,
        "checks": sum(p.checks for p in ordered),
        "violations": sum(p.violations for p in ordered),
        "pages_with_incomplete": sum(1 for p in ordered if p.incomplete),
        "resident_pages": [p for p in ordered if not p.staff],
        "staff_pages": [p for p in ordered if p.staff],
        "pages": ordered,
    }


def _short_title(title: str) -> str:
    """「ログイン｜川口市 市民の声」 → 「ログイン」 (every page ends with the site's name)."""
    head, sep, tail = title.rpartition("｜")
    return head if sep and head and tail == settings.SITE_TITLE else title


def _levels(tags: list[str]) -> str:
    """['wcag21a', 'wcag21aa', 'wcag2a', 'wcag2aa'] → 'WCAG 2.0・2.1 のレベル A・AA'."""
    versions, levels = set(), set()
    for tag in tags:
        digits, _, level = tag.removeprefix("wcag").partition("a")
        if digits.isdigit() and level in ("", "a", "aa"):
            versions.add(f"{digits[0]}.{digits[1:] or '0'}")
            levels.add("A" * (len(level) + 1))
    return f"WCAG {'・'.join(sorted(versions))} のレベル {'・'.join(sorted(levels))}"


def load_report(path: Path | None = None) -> dict | None:
    """The parsed report, or None (logged) when the file is missing or malformed."""
    path = path or report_path()
    try:
        return parse_report(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        logger.warning("accessibility report %s not found", path)
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning("accessibility report %s is malformed: %s", path, exc)
    return None
