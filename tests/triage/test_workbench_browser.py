"""Workbench pages in real Chromium with JavaScript off, checked by axe-core.

Skipped when Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium) or
Playwright is missing.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from accounts.roles import ROLE_LABELS
from feedback.models import OpinionGroup

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

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
def roles(transactional_db):
    # A transactional flush removes the groups made by the data migration.
    for name in ROLE_LABELS:
        Group.objects.get_or_create(name=name)


def _page_as(browser, live_server, user, *, javascript=True):
    """A page logged in as ``user`` (TOTP enrolled), optionally without JS."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ja-JP", java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return page


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.base import AXE_FILE_PATH

    # Evaluated through the DevTools protocol, so the page's CSP still holds.
    page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    violations = [f"[{v['id']}] {v['help']}: " + "; ".join(n["html"][:120] for n in v["nodes"])
                  for v in result["violations"]]
    return violations + page.csp_errors


def test_group_is_answered_without_javascript_and_pages_pass_axe(live_server, browser, roles, case, submissions, people):
    consultation, _sections = case
    base = f"{live_server.url}/staff/consultations/{consultation.pk}/workbench/"
    # Plain forms: seeding works with JavaScript switched off.
    no_js = _page_as(browser, live_server, people["staff"], javascript=False)
    no_js.goto(base)
    no_js.get_by_role("button", name="未分類の意見から意見要旨を作る").click()
    assert "意見要旨を3件作成し、5件の意見を振り分けました。" in no_js.content()

    page = _page_as(browser, live_server, people["staff"])
    page.goto(base)
    assert "件数は一致しています。" in page.content()
    assert _axe_violations(page) == []

    group = OpinionGroup.objects.get(campaign_key="campaign-1")
    page.get_by_role("link", name=f"意見要旨 {group.number}", exact=True).click()
    assert page.get_by_label("意見の概要").input_value()  # the draft is filled in
    assert _axe_violations(page) == []

    page.get_by_label("意見の概要").fill("歩道の段差の解消を求める意見")
    page.get_by_label("市の考え方").fill("段差の解消を順次進めます。")
    page.get_by_label("対応区分").select_option(label="反映")
    page.get_by_label("案を修正する（修正の有無）").check()
    page.get_by_role("button", name="保存する").click()
    # Missing 修正後の文案: the error summary links to the field.
    assert page.locator("#error-summary").is_visible()
    assert page.locator('#error-summary a[href="#id_revised_text_field"]').count() == 1
    assert _axe_violations(page) == []
    page.get_by_label("修正後の文案").fill("段差の解消を優先して進めます。")
    page.get_by_role("button", name="保存する").click()
    group.refresh_from_db()
    assert group.revised and group.summary == "歩道の段差の解消を求める意見"

    split = _page_as(browser, live_server, people["staff"])
    split.goto(f"{base}submissions/{submissions['multi'].pk}/split/")
    assert "［氏名］" in split.content() and "川口太郎" not in split.content()
    assert _axe_violations(split) == []
