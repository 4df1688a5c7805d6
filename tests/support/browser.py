"""One Chromium for every browser test, plus axe-core and login helpers.

Playwright's sync API allows one instance per thread, so every browser test
module must use the session-scoped ``browser`` fixture from tests/conftest.py
rather than starting its own.
"""

import os
import shutil

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
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE_SOURCE = None


def chromium_missing_reason() -> str | None:
    """Return why browser tests cannot run here, or None when they can."""
    path = shutil.which(CHROMIUM_PATH) or (CHROMIUM_PATH if os.access(CHROMIUM_PATH, os.X_OK) else None)
    if path is None or not os.path.isfile(path):
        return f"Chromium が見つからないためブラウザテストをスキップ（CHROMIUM_PATH={CHROMIUM_PATH}）"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright（Python パッケージ）が未インストールのためブラウザテストをスキップ"
    return None


def axe_source() -> str:
    """axe-core as shipped inside axe-playwright-python (MPL-2.0), read once."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        from axe_playwright_python.base import AXE_FILE_PATH

        _AXE_SOURCE = AXE_FILE_PATH.read_text(encoding="utf-8")
    return _AXE_SOURCE


def _run_axe(page) -> list[dict]:
    # Injected through the DevTools protocol, so the page's own CSP stays in force.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)["violations"]


def axe_violations(page) -> list[str]:
    """Return one line per WCAG 2.0/2.1 A/AA violation, plus CSP errors seen.

    axe needs timers, which a page with JavaScript off never runs, so such a
    page is checked in a JavaScript-enabled copy of its session and URL.
    """
    if getattr(page, "javascript_enabled", True):
        violations = _run_axe(page)
    else:
        context = page.context.browser.new_context(locale="ja-JP", storage_state=page.context.storage_state())
        checker = context.new_page()
        checker.goto(page.url)
        violations = _run_axe(checker)
        context.close()
    lines = [f"[{v['id']}] {v['help']}: " + "; ".join(n["html"][:120] for n in v["nodes"]) for v in violations]
    return lines + list(getattr(page, "csp_errors", []))


def page_as(browser, live_server, user, *, javascript: bool = True):
    """Return a page whose session is logged in as ``user`` (TOTP enrolled)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    page = context.new_page()
    page.javascript_enabled = javascript
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page
