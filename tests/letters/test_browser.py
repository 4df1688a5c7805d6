"""The letter flow in real Chromium with JavaScript off, checked by axe-core.

Skipped when Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium) or
Playwright is missing.
"""

import os

import pytest
from django.core import mail

from letters.models import LetterCase
from tests.letters.factories import letter_category
from tests.support.browser import axe_violations, page_as

REPLY = "ご意見ありがとうございます。青木町公園には来年度ベンチを3基増設する予定です。"

pytestmark = [pytest.mark.e2e]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def org(transactional_db, roles, org):
    # The role groups must exist before the staff users are given roles.
    return org


def test_letter_is_routed_answered_approved_and_read_without_javascript(live_server, browser, letter, people, org):
    base = f"{live_server.url}/staff/letters/"
    number = letter.submission.receipt_number
    letter_category("welfare", "福祉・医療", order=10)  # a browser test's flush removed the seeded list

    kouchou = page_as(browser, live_server, people["kouchou"], javascript=False)
    kouchou.goto(base)
    assert axe_violations(kouchou) == []
    kouchou.get_by_role("link", name=number).click()
    assert axe_violations(kouchou) == []
    kouchou.get_by_role("link", name="担当課に回付する").click()
    kouchou.get_by_label("回付先の課").select_option(label="都市計画部 公園課")
    assert "川口 太郎" not in kouchou.get_by_label("回付用の本文（個人情報を伏せたもの）").input_value()
    assert axe_violations(kouchou) == []
    kouchou.get_by_label("市長確認が必要").check()
    kouchou.get_by_role("button", name="回付する").click()
    # No 分野 chosen: the error, with the 課 and the tick kept.
    assert "分野を選んでください。" in kouchou.locator("#error-summary").inner_text()
    assert kouchou.get_by_label("回付先の課").input_value() == str(org["koen"].pk)
    assert kouchou.get_by_label("市長確認が必要").is_checked()
    assert axe_violations(kouchou) == []
    kouchou.get_by_label("分野").select_option(label="福祉・医療")
    kouchou.get_by_role("button", name="回付する").click()
    assert "都市計画部 公園課 に回付しました" in kouchou.content()

    staff = page_as(browser, live_server, people["staff"], javascript=False)
    staff.goto(f"{base}{letter.pk}/")
    assert "川口 太郎" not in staff.content()
    staff.get_by_role("link", name="回答案を作成する").click()
    staff.get_by_role("button", name="保存して課長の承認に回す").click()
    assert staff.locator("#error-summary").is_visible()
    assert axe_violations(staff) == []
    staff.get_by_label("回答案").fill(REPLY)
    staff.get_by_role("button", name="保存して課長の承認に回す").click()
    assert "課長の承認待ちにしました" in staff.content()

    # Marked 市長確認が必要: the 市長 (秘書課) approves after 広聴, before it can be sent.
    for who in ("kacho", "bucho", "kouchou", "mayor"):
        approver = page_as(browser, live_server, people[who], javascript=False)
        approver.goto(f"{base}{letter.pk}/")
        if who in ("kacho", "mayor"):
            assert axe_violations(approver) == []
        approver.get_by_role("button", name="承認する").click()
        assert "承認しました。" in approver.content()

    kouchou.goto(f"{base}{letter.pk}/print/")
    assert "川口 太郎 様" in kouchou.content()
    assert axe_violations(kouchou) == []
    kouchou.goto(f"{base}{letter.pk}/")
    kouchou.get_by_role(
        "button",
        name="回答を送付する（メール希望はメール送信、郵送希望は郵送済みとして記録）",
    ).click()
    assert "回答をメールで送信します。" in kouchou.content()
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.SENT
    # The receipt at intake, then the reply.
    assert [m.to for m in mail.outbox] == [["taro@example.jp"]] * 2
    assert REPLY in mail.outbox[-1].body

    citizen = page_as(browser, live_server, people["citizen"], javascript=False)
    citizen.goto(f"{live_server.url}/mypage/submissions/")
    citizen.get_by_role("link", name=f"{number} への回答を読む").click()
    assert REPLY in citizen.content()
    assert axe_violations(citizen) == []


def test_the_bucho_sends_a_reply_back_from_a_phone_with_a_reason_and_the_ka_redrafts(
    live_server, browser, letter, people, org
):
    """#13: 部長 approving and sending back, on a 390 px phone, axe after each step."""
    from letters.services import letter_reply_approve, letter_reply_draft, letter_route

    case = letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    case = letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    letter_reply_approve(actor=people["kacho"], case=case, approved=True)
    base = f"{live_server.url}/staff/letters/{letter.pk}/"

    bucho = page_as(browser, live_server, people["bucho"])
    bucho.set_viewport_size({"width": 390, "height": 844})
    bucho.goto(base)
    assert axe_violations(bucho) == []
    assert bucho.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    bucho.get_by_role("button", name="差し戻す").click()
    assert "差し戻す理由を入力してください。" in bucho.get_by_role("status").inner_text()
    assert axe_violations(bucho) == []
    bucho.get_by_label("コメント").fill("ベンチの設置時期を明記してください。")
    bucho.get_by_role("button", name="差し戻す").click()
    assert "回答案を担当課に差し戻しました。" in bucho.content()
    assert "ベンチの設置時期を明記してください。" in bucho.content()  # in the 承認の記録
    assert axe_violations(bucho) == []
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.ROUTED  # back with the 課 to redraft

    staff = page_as(browser, live_server, people["staff"])
    staff.goto(base)
    staff.get_by_role("link", name="回答案を修正する").click()
    assert "ベンチの設置時期を明記してください。" in staff.get_by_role("note").inner_text()
    staff.get_by_label("回答案").fill(REPLY + "設置は来年5月の予定です。")
    staff.get_by_role("button", name="保存して課長の承認に回す").click()
    assert "課長の承認待ちにしました" in staff.content()
    for who in ("kacho", "bucho"):
        approver = page_as(browser, live_server, people[who])
        approver.set_viewport_size({"width": 390, "height": 844})
        approver.goto(base)
        approver.get_by_role("button", name="承認する").click()
        assert "承認しました。" in approver.content()
        assert axe_violations(approver) == []
