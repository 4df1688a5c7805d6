"""#15 in a real browser: 広聴 issue 20 invitation codes for the sampled survey, open the
printable 依頼状 (one A4 page each), and a paper questionnaire typed in spends its code."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory
from tests.e2e.support import fresh_totp_code, log_in


def test_staff_issue_codes_print_the_sheets_and_a_paper_answer_spends_a_code(live_server, page, axe_check, city):
    from accounts.roles import KOUCHOU
    from consultations.models import Consultation, InvitationCode
    from feedback.models import Submission

    survey = Consultation.objects.get(kind=Consultation.Kind.SURVEY, invitation_required=True)
    staff = StaffUserFactory(roles=[KOUCHOU])
    log_in(page, live_server.url, email=staff.email, password=DEFAULT_PASSWORD)
    page.get_by_label(re.compile("コード")).fill(fresh_totp_code(staff.totp_secret))
    page.get_by_role("button", name="ログインする").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()

    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/results/")
    page.get_by_role("link", name=re.compile("調査の運営")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("調査の運営（招待コード・督促）")
    axe_check(page)

    page.get_by_role("spinbutton", name="発行する数（必須）").fill("20")
    page.get_by_role("textbox", name="発行の備考").fill("住民基本台帳から無作為抽出（追加分）")
    page.get_by_role("button", name="招待コードを発行する").click()
    expect(page.get_by_role("status")).to_contain_text("招待コードを20件発行しました。")
    axe_check(page)

    page.get_by_role("link", name="依頼状を印刷する（A4・20枚）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("依頼状（印刷用・20枚）")
    sheets = page.locator("article.invitation")
    expect(sheets).to_have_count(20)
    expect(page.get_by_role("img", name="回答ページ（招待コード入り）を開くQRコード")).to_have_count(20)
    axe_check(page)
    codes = [text.strip() for text in page.locator("article.invitation p.code").all_inner_texts()]
    assert len(set(codes)) == 20 and all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code) for code in codes)
    # Printed, every sheet is a page of its own and the screen-only notes are gone.
    page.emulate_media(media="print")
    breaks = page.evaluate(
        "() => [...document.querySelectorAll('article.invitation')].map(e => getComputedStyle(e).breakAfter)"
    )
    assert breaks == ["page"] * 19 + ["auto"]
    expect(page.locator("header.screen-only")).to_be_hidden()
    page.emulate_media(media="screen")

    # A questionnaire comes back by post with the first code written on it.
    page.goto(f"{live_server.url}/staff/consultations/{survey.pk}/entry/")
    page.get_by_label("郵送").check()
    page.get_by_label("到着日（必須）").fill("2026-11-20")
    page.get_by_role("textbox", name=re.compile("招待コード")).fill(codes[0].lower())
    page.get_by_role("group", name=re.compile("^問1\\s")).get_by_role("radio").first.check()
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_role("status")).to_contain_text("で登録しました。")
    axe_check(page)
    assert Submission.objects.filter(consultation=survey, channel="post").count() == 1
    assert InvitationCode.objects.filter(consultation=survey, batch__isnull=False, used_at__isnull=False).count() == 1

    # The same code again (typed in twice by mistake): refused, what was typed kept.
    page.get_by_label("郵送").check()
    page.get_by_label("到着日（必須）").fill("2026-11-21")
    page.get_by_role("textbox", name=re.compile("招待コード")).fill(codes[0])
    page.get_by_role("group", name=re.compile("^問1\\s")).get_by_role("radio").first.check()
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_role("alert")).to_contain_text("この招待コードは既に回答に使われています。")
    expect(page.get_by_role("textbox", name=re.compile("招待コード"))).to_have_value(codes[0])
    axe_check(page)
    assert Submission.objects.filter(consultation=survey, channel="post").count() == 1
