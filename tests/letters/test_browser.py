"""The letter flow in real Chromium with JavaScript off, checked by axe-core.

Skipped when Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium) or
Playwright is missing.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from accounts.roles import ROLE_LABELS
from feedback.models import LetterCase

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPLY = "ご意見ありがとうございます。青木町公園には来年度ベンチを3基増設する予定です。"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which(CHROMIUM_PATH),
                       reason=f"Chromium が見つからないためブラウザテストをスキップ（CHROMIUM_PATH={CHROMIUM_PATH}）"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which(CHROMIUM_PATH),
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def org(transactional_db, org):
    # A transactional flush removes the groups made by the data migration;
    # they must exist before the staff users are given roles.
    for name in ROLE_LABELS:
        Group.objects.get_or_create(name=name)
    return org


def _page_as(browser, live_server, user, *, javascript=False):
    """A page logged in as ``user`` (TOTP enrolled), JavaScript off by default."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ja-JP", java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context.new_page()


def _axe_violations(page) -> list[str]:
    """Run axe-core on the page's URL in a JavaScript-enabled copy of its session."""
    from axe_playwright_python.base import AXE_FILE_PATH

    context = page.context.browser.new_context(locale="ja-JP", storage_state=page.context.storage_state())
    checker = context.new_page()
    csp_errors = []
    checker.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    checker.goto(page.url)
    checker.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    result = checker.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    context.close()
    return [f"[{v['id']}] {v['help']}: " + "; ".join(n["html"][:120] for n in v["nodes"])
            for v in result["violations"]] + csp_errors


def test_letter_is_routed_answered_approved_and_read_without_javascript(live_server, browser, letter, people, org):
    base = f"{live_server.url}/staff/letters/"
    number = letter.submission.receipt_number

    kouchou = _page_as(browser, live_server, people["kouchou"])
    kouchou.goto(base)
    assert _axe_violations(kouchou) == []
    kouchou.get_by_role("link", name=number).click()
    assert _axe_violations(kouchou) == []
    kouchou.get_by_role("link", name="担当課に回付する").click()
    kouchou.get_by_label("回付先の課").select_option(label="都市計画部 公園課")
    assert "川口 太郎" not in kouchou.get_by_label("回付用の本文（個人情報を伏せたもの）").input_value()
    assert _axe_violations(kouchou) == []
    kouchou.get_by_role("button", name="回付する").click()
    assert "都市計画部 公園課 に回付しました" in kouchou.content()

    staff = _page_as(browser, live_server, people["staff"])
    staff.goto(f"{base}{letter.pk}/")
    assert "川口 太郎" not in staff.content()
    staff.get_by_role("link", name="回答案を作成する").click()
    staff.get_by_role("button", name="保存して課長の承認に回す").click()
    assert staff.locator("#error-summary").is_visible()
    assert _axe_violations(staff) == []
    staff.get_by_label("回答案").fill(REPLY)
    staff.get_by_role("button", name="保存して課長の承認に回す").click()
    assert "課長の承認待ちにしました" in staff.content()

    for who in ("kacho", "bucho", "kouchou"):
        approver = _page_as(browser, live_server, people[who])
        approver.goto(f"{base}{letter.pk}/")
        if who == "kacho":
            assert _axe_violations(approver) == []
        approver.get_by_role("button", name="承認する").click()
        assert "承認しました。" in approver.content()

    kouchou.goto(f"{base}{letter.pk}/print/")
    assert "川口 太郎 様" in kouchou.content()
    assert _axe_violations(kouchou) == []
    kouchou.goto(f"{base}{letter.pk}/")
    kouchou.get_by_role("button", name="回答を送付する（メール希望はメール送信、郵送希望は郵送済みとして記録）").click()
    assert "回答をメールで送信します。" in kouchou.content()
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.SENT
    # The receipt at intake, then the reply.
    assert [m.to for m in mail.outbox] == [["taro@example.jp"]] * 2
    assert REPLY in mail.outbox[-1].body

    citizen = _page_as(browser, live_server, people["citizen"])
    citizen.goto(f"{live_server.url}/mypage/submissions/")
    citizen.get_by_role("link", name=f"{number} への回答を読む").click()
    assert REPLY in citizen.content()
    assert _axe_violations(citizen) == []
