"""The accessibility statement (#15) renders the browser-test run's report; the committed
report is complete and clean; a partial run never replaces it (tests/e2e/axe_report.py)."""

import datetime
import json
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from core.accessibility import load_report, parse_report
from tests.e2e.axe_report import (
    ARTIFACTS,
    COMMITTED,
    COMMITTED_REPORT,
    Recorder,
    SessionSummary,
    page_path,
    page_title,
    report_destination,
)

SITE = "｜川口市 市民の声"


def _axe(path, title, width, *, lang="ja", test="tests/e2e/test_x.py::test_y", violations=0, incomplete=0, checks=1):
    return {
        "path": path,
        "title": title + SITE,
        "lang": lang,
        "width": width,
        "test": test,
        "passes": 21,
        "violations": violations,
        "incomplete": incomplete,
        "checks": checks,
    }


def _report(**overrides):
    report = {
        "format": 1,
        "run_date": "2026-12-01",
        "axe_core_version": "4.99.0",
        "wcag_tags": ["wcag21a", "wcag21aa", "wcag2a", "wcag2aa"],
        "tests": 3,
        "axe_checks": [
            _axe("/consultations/<pk>/submit/", "入力内容の確認", 390),
            _axe("/consultations/<pk>/submit/", "入力内容の確認", 1280, checks=2),
            _axe("/letter/submit/", "市長への手紙", 320, incomplete=1),
            _axe("/consultations/", "Consultations", 1280, lang="en"),
            _axe("/staff/queue/", "受付一覧（トリアージ）", 1280),
        ],
        "other_checks": [
            {
                "check": "reflow",
                "path": "/letter/submit/",
                "title": "市長への手紙" + SITE,
                "lang": "ja",
                "width": 320,
                "test": "tests/e2e/test_x.py::test_y",
                "ok": True,
                "checks": 1,
            },
            {
                "check": "keyboard",
                "path": "/letter/submit/",
                "title": "市長への手紙" + SITE,
                "lang": "ja",
                "width": 1280,
                "test": "tests/e2e/test_x.py::test_y",
                "ok": True,
                "checks": 3,
            },
        ],
    }
    report.update(overrides)
    return report


@pytest.fixture
def report_file(settings, tmp_path):
    def write(data):
        path = tmp_path / "axe-report.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        settings.KOE_ACCESSIBILITY_REPORT = str(path)
        return path

    return write


# ---- the page ----


def test_the_page_renders_the_report_s_pages_date_and_result(client, report_file):
    report_file(_report())

    response = client.get(reverse("accessibility"))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "2026年12月1日（令和8年）" in html
    assert "axe-core 4.99.0" in html and "WCAG 2.0・2.1 のレベル A・AA" in html
    assert "適合レベル AA に準拠</strong>することを目標" in html
    assert "「JIS X 8341-3:2016 の適合レベル AA に配慮」" in html
    assert "ウェブコンテンツの JIS X 8341-3:2016 対応度表記ガイドライン" in html
    assert "すべてのページで、自動検査で問題なし" in html
    assert "4 ページ（市民向け 3、職員向け 1）" in html and "延べ 6 回" in html and "テスト 3 件" in html
    # One row per page (path + title), every width it was checked at, the other checks.
    assert '<th scope="row">入力内容の確認<br><code>/consultations/&lt;pk&gt;/submit/</code></th>' in html
    assert "自動検査で問題なし<br>幅 390・1280 px" in html
    assert "横スクロールなし（1.4.10） 幅 320 px" in html
    assert "キーボード操作（2.1.1）" in html
    assert "自動では判定できない規則 1 件" in html
    assert '<span lang="en">Consultations</span>（英語）' in html
    # Two tables with captions, each in a labelled scrolling region; staff pages apart.
    assert '<caption id="tested-resident">市民向けのページ（3 ページ）</caption>' in html
    assert '<caption id="tested-staff">職員向けのページ（1 ページ）</caption>' in html
    assert 'aria-labelledby="tested-staff"' in html
    staff_table = html[html.index('id="tested-staff"') :]
    assert "受付一覧（トリアージ）" in staff_table and "入力内容の確認" not in staff_table
    # The other checks and the idle-timeout warning of the staff pages.
    assert "1.4.12" in html and "2.2.1" in html and "30 分" in html and "120 秒前" in html
    assert "既知の制約" in html and "スクリーンリーダー" in html
    assert "広聴担当" in html and reverse("letters:index") in html


def test_a_violation_in_the_report_is_shown_as_such(client, report_file):
    report_file(_report(axe_checks=[_axe("/letter/", "市長への手紙", 1280, violations=2)]))

    html = client.get(reverse("accessibility")).content.decode()

    assert "自動検査で 2 件の問題あり" in html and "問題あり（2 件）" in html
    assert "自動検査で問題なし" not in html
    # A page with only other checks does not claim an automated check.
    assert "自動検査なし" in html


@pytest.mark.parametrize("content", [None, "{not json", json.dumps({"format": 1}), json.dumps(_report(format=99))])
def test_a_missing_or_malformed_report_leaves_the_policy_and_says_so(client, report_file, settings, content):
    path = report_file(_report())
    if content is None:
        path.unlink()
    else:
        path.write_text(content, encoding="utf-8")

    response = client.get(reverse("accessibility"))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "試験結果の記録を読み込めませんでした" in html
    assert "目標とする適合レベルと対応度" in html and "お問い合わせ" in html


def test_the_page_reads_the_committed_report_by_default(settings):
    assert settings.KOE_ACCESSIBILITY_REPORT == str(COMMITTED_REPORT)


# ---- the committed report ----


def test_the_committed_report_is_well_formed_complete_and_clean():
    raw = json.loads(COMMITTED_REPORT.read_text(encoding="utf-8"))
    report = load_report(COMMITTED_REPORT)

    assert report is not None, "core/accessibility/axe-report.json is missing or malformed"
    assert report["run_date"] <= datetime.date.today() + datetime.timedelta(days=1)
    assert report["axe_core_version"] and report["tests"] > 0
    assert {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"} <= set(report["wcag_tags"])
    assert all(entry["violations"] == 0 for entry in raw["axe_checks"])
    assert report["violations"] == 0
    # Deterministic: sorted, no per-entry dates.
    assert raw["axe_checks"] == sorted(
        raw["axe_checks"], key=lambda e: (e["path"], e["title"], e["lang"], e["width"], e["test"], e["passes"])
    )
    assert all(set(entry) == set(_axe("/", "", 1)) for entry in raw["axe_checks"])
    titles = {(page.path, page.title) for page in report["pages"]}
    paths = {path for path, _ in titles}
    # The resident submission flows, start to receipt, and staff pages.
    for path in (
        "/consultations/<pk>/",
        "/consultations/<pk>/submit/",
        "/letter/submit/",
        "/receipt/<receipt_number>/",
    ):
        assert path in paths, path
    submit_titles = {title for path, title in titles if path == "/consultations/<pk>/submit/"}
    assert "入力内容の確認" in submit_titles
    assert report["staff_pages"] and {"/staff/", "/staff/queue/"} <= paths
    # Phone and desk widths.
    widths = {width for page in report["pages"] for width in page.widths}
    assert {390, 1280} <= widths


def test_the_committed_report_has_no_run_dependent_values():
    text = COMMITTED_REPORT.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text.count(data["run_date"]) == 1
    assert "127.0.0.1" not in text and "localhost" not in text
    assert page_title("PC-2026-000123｜x") == "<受付番号>｜x"
    assert not any(re.search(r"/\d+(/|$)", entry["path"]) for entry in data["axe_checks"])


# ---- the writer (tests/e2e/axe_report.py) ----

ALL = {"test_pages.py", "test_intake.py", "test_layouts.py"}


def _summary(**overrides):
    values = {
        "browser_available": True,
        "modules_on_disk": ALL,
        "modules_collected": set(ALL),
        "axe_checks": 120,
    }
    values.update(overrides)
    return SessionSummary(**values)


def test_a_complete_passing_run_writes_the_committed_report():
    assert report_destination(_summary())[0] == COMMITTED


@pytest.mark.parametrize(
    "overrides",
    [
        {"modules_collected": {"test_pages.py"}},
        {"node_ids_given": True},
        {"deselected": 3},
        {"unfinished": 1},
        {"failed": 1},
    ],
    ids=["one-file", "node-ids", "deselected", "stopped-early", "failed"],
)
def test_a_partial_or_failing_run_writes_only_the_artifact(overrides):
    destination, reason = report_destination(_summary(**overrides))

    assert destination == ARTIFACTS
    assert reason.startswith("一部の実行")


@pytest.mark.parametrize("overrides", [{"browser_available": False}, {"axe_checks": 0}])
def test_a_run_without_the_browser_writes_nothing(overrides):
    assert report_destination(_summary(**overrides))[0] is None


def test_page_paths_name_the_url_pattern_and_drop_query_strings():
    assert page_path("http://127.0.0.1:5000/consultations/12/submit/?code=AB12CD34") == "/consultations/<pk>/submit/"
    assert page_path("http://live/") == "/"
    assert page_path("http://live/no-such-page/12/") == "/no-such-page/<id>/"
    assert page_path("about:blank") is None
    assert page_path("data:text/html,<p>x") is None


class _Page:
    def __init__(self, url, title, width):
        self.url, self._title, self.viewport_size = url, title, {"width": width}

    def evaluate(self, script):
        return {"title": self._title, "lang": "ja", "width": self.viewport_size["width"]}


def test_the_recorded_report_is_sorted_counted_and_the_same_in_any_order():
    result = {
        "testEngine": {"version": "4.12.1"},
        "toolOptions": {"runOnly": {"values": ["wcag2a", "wcag2aa"]}},
        "passes": [{}] * 20,
        "violations": [],
        "incomplete": [{}],
    }
    calls = [
        ("t::b", _Page("http://x/letter/", "市長への手紙", 390)),
        ("t::a", _Page("http://x/consultations/3/", "案件", 1280)),
        ("t::a", _Page("http://x/consultations/4/", "案件", 1280)),
        ("t::a", _Page("about:blank", "悪い例", 1280)),
    ]
    reports = []
    for order in (calls, calls[::-1]):
        recorder = Recorder()
        for test, page in order:
            recorder.current_test = test
            recorder.record_axe(page, result)
            recorder.record_check(page, "reflow", [])
        recorder.current_test = ""
        recorder.record_axe(calls[0][1], result)  # outside a test: not recorded
        reports.append(recorder.report(run_date=datetime.date(2026, 12, 1), tests=2))

    assert reports[0] == reports[1]
    report = reports[0]
    assert report["run_date"] == "2026-12-01" and report["axe_core_version"] == "4.12.1"
    assert [(e["path"], e["width"], e["checks"]) for e in report["axe_checks"]] == [
        ("/consultations/<pk>/", 1280, 2),
        ("/letter/", 390, 1),
    ]
    assert report["axe_checks"][0] | {"test": ""} == {
        "path": "/consultations/<pk>/",
        "title": "案件",
        "lang": "ja",
        "width": 1280,
        "test": "",
        "passes": 20,
        "violations": 0,
        "incomplete": 1,
        "checks": 2,
    }
    assert len(report["other_checks"]) == 2 and all(e["ok"] for e in report["other_checks"])
    parsed = parse_report(json.loads(json.dumps(report)))
    assert [page.other for page in parsed["pages"]] == [{"reflow": [1280]}, {"reflow": [390]}]
