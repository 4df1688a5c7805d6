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


PHONE = {"width": 390, "height": 844}


def _fits_phone(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_kacho_sends_back_on_a_phone_then_the_review_completes_and_kouchou_publishes(
    live_server, browser, roles, case, submissions, people, second_kouchou
):
    """#13: 課長 sends a 意見要旨 back with a reason (required) from a phone; after it is
    redone, 課長, 広聴 and another 広聴 approve on phones; 広聴 publishes at a desk."""
    from consultations.services import consultation_close
    from opinions.services.answers import opinion_group_review, opinion_group_update
    from opinions.services.seeding import opinion_groups_seed

    consultation, _sections = case
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    groups = list(OpinionGroup.objects.filter(consultation=consultation).order_by("number"))
    for group in groups:
        opinion_group_update(
            actor=people["staff"],
            group=group,
            summary=f"意見の概要 {group.number}",
            response="ご意見を踏まえて進めます。",
            decision="reference",
            revised=False,
            revised_text="",
            section=None,
        )
    first, rest = groups[0], groups[1:]
    for group in rest:  # the others go through the review by service
        for actor, action in (
            (people["kacho"], "approve_department"),
            (people["kouchou"], "check"),
            (second_kouchou, "approve"),
        ):
            opinion_group_review(actor=actor, group=OpinionGroup.objects.get(pk=group.pk), action=action)
    url = f"{live_server.url}/staff/consultations/{consultation.pk}/workbench/groups/{first.pk}/"

    kacho = page_as(browser, live_server, people["kacho"])
    kacho.set_viewport_size(PHONE)
    kacho.goto(url)
    assert _fits_phone(kacho) and axe_violations(kacho) == []
    kacho.get_by_role("button", name="差し戻す（理由を入力）").click()
    assert "差し戻す理由を入力してください。" in kacho.locator("#error-summary").inner_text()
    assert axe_violations(kacho) == []
    kacho.get_by_label("コメント").fill("市の考え方に実施時期を書いてください。")
    kacho.get_by_role("button", name="差し戻す（理由を入力）").click()
    assert "市の考え方に実施時期を書いてください。" in kacho.content()  # in the 経過
    assert axe_violations(kacho) == []

    staff = page_as(browser, live_server, people["staff"])
    staff.goto(url)
    staff.get_by_label("市の考え方").fill("ご意見を踏まえ、令和9年度から進めます。")
    staff.get_by_role("button", name="保存する").click()
    for who, button in (
        (people["kacho"], "課長として承認する"),
        (people["kouchou"], "広聴として確認する"),
        (second_kouchou, "承認する（公表内容を確定）"),
    ):
        approver = page_as(browser, live_server, who)
        approver.set_viewport_size(PHONE)
        approver.goto(url)
        approver.get_by_role("button", name=button).click()
        assert _fits_phone(approver) and axe_violations(approver) == []
    assert OpinionGroup.objects.get(pk=first.pk).review == OpinionGroup.Review.APPROVED

    consultation_close(consultation=consultation)
    kouchou = page_as(browser, live_server, people["kouchou"])
    kouchou.goto(f"{live_server.url}/staff/consultations/{consultation.pk}/results/publish/")
    assert axe_violations(kouchou) == []
    kouchou.get_by_label("決定日").fill("2026-12-01")
    kouchou.get_by_label("決定版のURL").fill("https://www.city.kawaguchi.lg.jp/keikaku.html")
    kouchou.get_by_label("案からの修正内容（差異）").fill("実施時期（令和9年度から）を追記しました。")
    kouchou.get_by_role("button", name="結果を公表する").click()
    kouchou.goto(f"{live_server.url}/consultations/{consultation.pk}/results/")
    assert "令和9年度から進めます" in kouchou.content()
    kouchou.set_viewport_size(PHONE)
    assert _fits_phone(kouchou) and axe_violations(kouchou) == []
