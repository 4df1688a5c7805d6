"""Account pages in a real Chromium under the real CSP, checked by axe-core.

Skipped when Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium) is missing.
"""

import os

import pytest

from tests.support.browser import axe_violations

from .factories import DEFAULT_PASSWORD, StaffUserFactory
from .totp import totp_code

pytestmark = [pytest.mark.e2e]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()


def assert_accessible(page):
    assert axe_violations(page) == []
    assert page.csp_errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accessibility/",
        "/privacy/",
    ],
)
def test_page_passes_axe(live_server, page, roles, path):
    page.goto(live_server.url + path)

    assert page.locator("html").get_attribute("lang") == "ja"
    assert_accessible(page)


def test_login_errors_pass_axe_and_link_to_fields(live_server, page, roles):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("メールアドレス").fill("not-an-address")
    page.get_by_role("button", name="登録する").click()

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert_accessible(page)


def test_totp_activation_shows_qr_under_csp(live_server, page, roles):
    staff = StaffUserFactory(with_totp=False)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(staff.email)
    page.get_by_label("パスワード").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="ログインする").click()

    # Signed in, staff are sent to TOTP activation at once (no second password prompt, #13).
    page.wait_for_url("**/accounts/2fa/totp/activate/**")

    qr = page.get_by_role("img", name="認証アプリで読み取るQRコード", exact=False)
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)

    secret = page.get_by_label("設定キー").input_value()
    page.locator("#id_code").fill(totp_code(secret))
    page.get_by_role("button", name="設定する").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert_accessible(page)
    assert "/accounts/reauthenticate/" not in page.url
