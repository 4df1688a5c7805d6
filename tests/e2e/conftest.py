"""Real-browser fixtures: Debian's Chromium driven by Playwright, checked with axe-core.

The browser is ``CHROMIUM_PATH`` or ``/usr/bin/chromium``; when neither exists
every test in this directory is skipped with the reason. Playwright's own
browser downloads are never used (``playwright install`` needs the network).

    def test_x(live_server, page, axe_check):
        page.goto(live_server.url + "/")
        axe_check(page)          # WCAG 2.0/2.1 A + AA, fails listing each violation

A failing test leaves a full-page screenshot and the page's HTML in
``test-artifacts/e2e/``.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from . import axe_report
from .support import axe_check_page

# Playwright's sync API runs an event loop in this thread; Django would
# otherwise refuse ORM calls made from the test body ("async-unsafe").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # No network on CI machines: keep Chromium from calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's default is 30 s; a page on the live server answers in well under a second.
TIMEOUT_MS = 10_000


def _chromium_missing_reason() -> str | None:
    path = shutil.which(CHROMIUM_PATH) or (CHROMIUM_PATH if os.access(CHROMIUM_PATH, os.X_OK) else None)
    if path is None or not os.path.isfile(path):
        return f"Chromium が見つからないためブラウザテストをスキップ（CHROMIUM_PATH={CHROMIUM_PATH}）"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright（Python パッケージ）が未インストールのためブラウザテストをスキップ"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _chromium_missing_reason()
    for item in items:
        if E2E_DIR not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


# --- the accessibility report (axe_report) ---------------------------------

_RUN = {"deselected": 0, "finished": set(), "failed": set()}


def _in_e2e(path) -> bool:
    return E2E_DIR in Path(str(path)).resolve().parents


def pytest_deselected(items):
    _RUN["deselected"] += sum(1 for item in items if _in_e2e(item.path))


def pytest_runtest_logreport(report):
    # Node ids are relative to the rootdir, this checkout.
    if not _in_e2e(ROOT / report.nodeid.split("::")[0]):
        return
    if report.failed:
        _RUN["failed"].add(report.nodeid)
    if report.when == "teardown":
        _RUN["finished"].add(report.nodeid)


@pytest.fixture(autouse=True)
def _axe_report_test(request):
    """Name the running test in the checks it records."""
    axe_report.RECORDER.current_test = request.node.nodeid
    yield
    axe_report.RECORDER.current_test = ""


def pytest_sessionfinish(session, exitstatus):
    """Write the session's checks: the committed report after a complete run of
    tests/e2e, else test-artifacts/axe-report.json (axe_report.report_destination)."""
    items = [item for item in session.items if _in_e2e(item.path)]
    if not items or session.config.option.collectonly:
        return
    recorder = axe_report.RECORDER
    summary = axe_report.SessionSummary(
        browser_available=_chromium_missing_reason() is None,
        modules_on_disk={path.name for path in E2E_DIR.glob("test_*.py")},
        modules_collected={Path(str(item.path)).name for item in items},
        node_ids_given=any(
            "::" in arg and _in_e2e(session.config.invocation_params.dir / arg.split("::")[0])
            for arg in session.config.args
        ),
        deselected=_RUN["deselected"],
        unfinished=sum(1 for item in items if item.nodeid not in _RUN["finished"]),
        failed=len(_RUN["failed"]),
        axe_checks=sum(recorder.axe.values()),
    )
    destination, reason = axe_report.report_destination(summary)
    if destination is None:
        return
    path = axe_report.COMMITTED_REPORT if destination == axe_report.COMMITTED else axe_report.ARTIFACT_REPORT
    report = recorder.report(run_date=axe_report.today_in_japan(), tests=len(items))
    axe_report.write_report(report, path)
    terminal = session.config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None:
        terminal.write_line("")
        terminal.write_line(f"accessibility report ({reason}): {path.relative_to(ROOT)}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


# ``browser`` is the session-wide Chromium from tests/conftest.py: Playwright's
# sync API allows one instance per thread, shared by every browser test.


@pytest.fixture
def context(browser):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(request, context):
    stem = _artifact_stem(request.node.nodeid)
    for stale in ARTIFACTS.glob(f"{stem}.*"):
        stale.unlink()
    page = context.new_page()
    console_errors = []
    page.on(
        "console",
        lambda msg: console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.console_errors = console_errors
    yield page
    failed = any(
        getattr(getattr(request.node, f"_e2e_report_{when}", None), "failed", False) for when in ("setup", "call")
    )
    if failed and not page.is_closed():
        _save_artifacts(stem, page)
    blocked = [text for text in console_errors if "Content Security Policy" in text]
    assert not blocked, f"the page's CSP blocked something: {blocked}"


def _artifact_stem(nodeid: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodeid)[-150:]


def _save_artifacts(stem: str, page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # a crashed page must not hide the real failure
        (ARTIFACTS / f"{stem}.txt").write_text(f"screenshot failed: {exc!r}\nurl: {page.url}\n", encoding="utf-8")


@pytest.fixture
def axe_check():
    """``axe_check(page)`` fails the test listing each WCAG 2.1 AA violation."""
    return axe_check_page


# --- data -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _e2e_fresh_cache():
    """Rate-limit counters and used TOTP codes live in the (in-process) cache."""
    from django.core.cache import caches

    for alias in ("default",):
        caches[alias].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def city(transactional_db, roles):
    """The demo data of ``manage.py load_demo``: 地区, 部課, 総合計画, open/closed
    パブリック・コメント, 市民意識調査, an invitation-only survey and 市長への手紙."""
    from io import StringIO

    from django.core.management import call_command

    from consultations.models import Consultation

    call_command("load_demo", force=True, no_submissions=True, stdout=StringIO())
    _warm_analysis()
    open_ = Consultation.objects.filter(status=Consultation.Status.OPEN)
    return {
        "public_comment": open_.get(kind=Consultation.Kind.PUBLIC_COMMENT),
        "closed": Consultation.objects.filter(status=Consultation.Status.CLOSED).first(),
        "survey": open_.get(kind=Consultation.Kind.SURVEY, invitation_required=False),
        "letter": open_.get(kind=Consultation.Kind.LETTER),
    }


_ANALYSIS_WARM = False


def _warm_analysis() -> None:
    """Load the Japanese analyser and the topic engine once per process.

    Analysis runs eagerly inside the submit request in tests; the first run
    costs ~6 s (Sudachi, vectors), which would otherwise land in one test's
    page timeout. Warming the engine's word table with a real sentence also
    sidesteps a bug outside this suite: ``nlp.zeroshot`` fails with
    ``TypeError: object of type 'NoneType' has no len()`` when the first text a
    fresh engine scores has no content words (a survey answer has no body).
    """
    global _ANALYSIS_WARM
    if _ANALYSIS_WARM:
        return
    from nlp.analysis import analyze_texts
    from nlp.services import current_engine

    classifier, _version = current_engine()
    analyze_texts(["公園にベンチを増やしてください。"], classifier)
    _ANALYSIS_WARM = True
