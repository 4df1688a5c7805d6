"""#15 in a real browser on a phone (390 px): a resident reads a changed draft's 変更履歴;
広聴 withdraws the case from the staff home through the confirmation screen; the case
page then says it was withdrawn, when and why. axe and no sideways scroll at each step."""

from playwright.sync_api import expect

from tests.support.browser import page_as

PHONE = {"width": 390, "height": 844}
SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


def page_scrolls_sideways(page) -> bool:
    return page.evaluate(SIDEWAYS)


REASON = "国の制度改正により計画の前提が変わったため、本案による策定を見送ります。"


def test_the_history_then_a_withdrawal_on_a_phone(live_server, browser, page, roles, axe_check):
    from accounts.roles import ADMIN, KOUCHOU
    from consultations.drafts import DraftEdit, consultation_draft_revise
    from consultations.models import Consultation
    from tests.accounts.factories import StaffUserFactory
    from tests.consultations.factories import ConsultationFactory, DraftSectionFactory

    case = ConsultationFactory(title="川口市自転車活用推進計画（案）")
    section = DraftSectionFactory(consultation=case, number="2-1", heading="自転車通行空間", body="整備を進めます。")
    section.body = "令和9年度までに整備を進めます。"
    consultation_draft_revise(
        actor=StaffUserFactory(roles=[ADMIN]),
        consultation=case,
        edits=[DraftEdit(obj=section)],
        reason="実施時期が決まったため追記しました。",
    )

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/consultations/{case.pk}/")
    expect(page.get_by_test_id("draft-version-current")).to_contain_text("第2版")
    history = page.get_by_role("region", name="変更履歴")
    expect(history.get_by_role("heading", level=3)).to_contain_text("第2版")
    expect(history.locator("ins")).to_have_text("〔追加：令和9年度までに〕")
    assert not page_scrolls_sideways(page)
    axe_check(page)

    kouchou = page_as(browser, live_server, StaffUserFactory(roles=[KOUCHOU]))
    kouchou.set_viewport_size(PHONE)
    kouchou.goto(f"{live_server.url}/staff/")
    kouchou.get_by_role("link", name="川口市自転車活用推進計画（案） を取り下げる").click()
    expect(kouchou.get_by_role("heading", level=1)).to_have_text("案の取り下げ")
    axe_check(kouchou)
    kouchou.get_by_role("button", name="確認画面へ進む").click()
    expect(kouchou.locator("#error-summary")).to_contain_text("取り下げの理由を入力してください")
    axe_check(kouchou)
    kouchou.get_by_role("textbox", name="取り下げの理由（必須）").fill(REASON)
    kouchou.get_by_role("button", name="確認画面へ進む").click()
    expect(kouchou.get_by_role("heading", level=1)).to_have_text("案の取り下げ（確認）")
    expect(kouchou.get_by_test_id("reason-preview")).to_have_text(REASON)
    assert not page_scrolls_sideways(kouchou)
    axe_check(kouchou)
    assert Consultation.objects.get(pk=case.pk).status == Consultation.Status.OPEN
    kouchou.get_by_role("button", name="案を取り下げる").click()

    notice = kouchou.get_by_test_id("withdrawal-notice")
    expect(notice).to_contain_text("この案を取り下げました")
    expect(notice).to_contain_text(REASON)
    expect(kouchou.get_by_role("link", name="意見を提出する")).to_have_count(0)
    assert not page_scrolls_sideways(kouchou)
    axe_check(kouchou)
    assert Consultation.objects.get(pk=case.pk).status == Consultation.Status.WITHDRAWN
