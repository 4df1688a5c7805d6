"""The idle-timeout warning in real Chromium under the real CSP (WCAG 2.2.1), with a tiny timeout.

Skipped when Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium) or Playwright is missing.
"""

import os
import re

import pytest

from accounts.roles import KOUCHOU
from tests.support.browser import axe_violations, page_as

from .factories import StaffUserFactory

pytestmark = [pytest.mark.e2e]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Long enough for a first page render on a busy 2-core machine.
TIMEOUT_SECONDS = 15
WARNING_SECONDS = 10


@pytest.fixture
def tiny_timeout(settings):
    settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES = TIMEOUT_SECONDS / 60
    settings.KOE_STAFF_IDLE_WARNING_SECONDS = WARNING_SECONDS


def test_the_warning_opens_with_focus_extends_by_keyboard_and_then_logs_out(
    live_server, browser, transactional_db, roles, tiny_timeout
):
    staff = StaffUserFactory(roles=[KOUCHOU])
    page = page_as(browser, live_server, staff)
    page.goto(live_server.url + "/staff/")
    dialog = page.get_by_role("alertdialog", name="まもなく自動的にログアウトします")

    # Opens WARNING_SECONDS before the end, with the focus on 「延長する」.
    dialog.wait_for(state="visible", timeout=(TIMEOUT_SECONDS - WARNING_SECONDS + 3) * 1000)
    assert page.evaluate("document.activeElement.textContent.trim()") == "延長する"
    assert re.search(r"残り\d+秒です。", dialog.inner_text())
    assert axe_violations(page) == []

    # The keyboard extends: Enter on the focused button; the dialog closes.
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=3000)
    assert "/staff/" in page.url

    # It comes back; Esc extends too.
    dialog.wait_for(state="visible", timeout=(TIMEOUT_SECONDS + 3) * 1000)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=3000)

    # Left alone, the session ends and the page goes to the login page, which says why.
    page.wait_for_url(re.compile(r".*/accounts/login/\?next=%2Fstaff%2F"), timeout=(TIMEOUT_SECONDS + 6) * 1000)
    assert "操作がなかったため、安全のためログアウトしました" in page.content()
    assert page.csp_errors == []
    page.context.close()
