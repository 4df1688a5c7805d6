"""Workbench pages in real Chromium with JavaScript off, checked by axe-core.

Skipped when Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium) or
Playwright is missing.
"""

import os

import pytest

from opinions.models import OpinionGroup
from tests.support.browser import axe_violations, page_as

pytestmark = [pytest.mark.e2e]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_group_is_answered_without_javascript_and_pages_pass_axe(
    live_server, browser, roles, case, submissions, people
):
    consultation, _sections = case
    base = f"{live_server.url}/staff/consultations/{consultation.pk}/workbench/"
    # Plain forms: seeding works with JavaScript switched off.
    no_js = page_as(browser, live_server, people["staff"], javascript=False)
    no_js.goto(base)
    no_js.get_by_role("button", name="未分類の意見から意見要旨を作る").click()
    assert "意見要旨を3件作成し、5件の意見を振り分けました。" in no_js.content()

    page = page_as(browser, live_server, people["staff"])
    page.goto(base)
    assert "件数は一致しています。" in page.content()
    assert axe_violations(page) == []

    group = OpinionGroup.objects.get(campaign_key="campaign-1")
    page.get_by_role("link", name=f"意見要旨 {group.number}", exact=True).click()
    assert page.get_by_label("意見の概要").input_value()  # the draft is filled in
    assert axe_violations(page) == []

    page.get_by_label("意見の概要").fill("歩道の段差の解消を求める意見")
    page.get_by_label("市の考え方").fill("段差の解消を順次進めます。")
    page.get_by_label("対応区分").select_option(label="反映")
    page.get_by_label("案を修正する（修正の有無）").check()
    page.get_by_role("button", name="保存する").click()
    # Missing 修正後の文案: the error summary links to the field.
    assert page.locator("#error-summary").is_visible()
    assert page.locator('#error-summary a[href="#id_revised_text_field"]').count() == 1
    assert axe_violations(page) == []
    page.get_by_label("修正後の文案").fill("段差の解消を優先して進めます。")
    page.get_by_role("button", name="保存する").click()
    group.refresh_from_db()
    assert group.revised and group.summary == "歩道の段差の解消を求める意見"

    split = page_as(browser, live_server, people["staff"])
    split.goto(f"{base}submissions/{submissions['multi'].pk}/split/")
    assert "［氏名］" in split.content() and "川口太郎" not in split.content()
    assert axe_violations(split) == []
