"""附属機関の公募 in a real browser: a resident applies on a phone; the secretariat sees the
application, draws the lottery, appoints, and finds the 応募倍率 page and the 施策 page updated."""

import datetime
import re

from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory
from tests.e2e.support import fresh_totp_code, log_in, wider_than_viewport

PHONE = {"width": 390, "height": 844}
ESSAY = (
    "市民が市政に参加しやすくなるためには、"
    + "情報を早く分かりやすく届け、意見を出した後の結果を丁寧に返すことが大切だと考えます。" * 5
)


def test_a_resident_applies_on_a_phone_and_the_secretariat_selects(live_server, browser, page, axe_check, city):
    from accounts.models import Department
    from accounts.roles import COMMITTEE_SECRETARIAT
    from committees.models import Application, RecruitmentRound

    resident = UserFactory(email="applicant@example.jp")
    phone = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.set_default_timeout(10_000)
    mobile = phone.new_page()
    log_in(mobile, live_server.url, email=resident.email, password=DEFAULT_PASSWORD)
    expect(mobile.get_by_role("status")).to_contain_text("としてログインしました")

    mobile.goto(live_server.url + "/")
    # On a phone the menu is folded into 「メニュー」 (the header stays one line).
    mobile.get_by_text("メニュー", exact=True).click()
    mobile.get_by_role("link", name="委員公募").click()
    expect(mobile.get_by_role("heading", name="附属機関等の委員公募", level=1)).to_be_visible()
    axe_check(mobile)
    assert wider_than_viewport(mobile) == []
    mobile.get_by_role("link", name=re.compile("川口市市民参加推進審議会 公募委員の募集")).click()
    expect(mobile.get_by_text("委員の決定方法")).to_be_visible()
    axe_check(mobile)
    mobile.get_by_role("link", name="応募する").click()

    mobile.get_by_role("textbox", name="氏名（必須）").fill("川口 一郎")
    mobile.get_by_role("textbox", name="生年月日（必須）").fill("令和元年5月1日")
    mobile.get_by_role("textbox", name="住所（必須）").fill("川口市青木2-1-1")
    mobile.get_by_label("市内在住").check()
    essay = mobile.get_by_role("textbox", name=re.compile("小論文"))
    essay.fill("短い小論文")
    expect(mobile.locator(".char-count")).to_contain_text("現在 5 文字")
    mobile.get_by_role("button", name="入力内容を確認する").click()
    summary = mobile.get_by_role("alert")
    expect(summary).to_contain_text("入力内容に2件の問題があります")
    expect(summary).to_contain_text("小論文は200文字以上で書いてください（現在5文字）。")
    expect(summary).to_contain_text("応募資格の申告欄を確認し、チェックを入れてください。")
    expect(mobile.get_by_role("textbox", name="住所（必須）")).to_have_value("川口市青木2-1-1")
    axe_check(mobile)
    assert wider_than_viewport(mobile) == []

    mobile.get_by_role("textbox", name="生年月日（必須）").fill("昭和55年6月1日")
    mobile.get_by_role("textbox", name=re.compile("小論文")).fill(ESSAY)
    mobile.get_by_label(re.compile("応募資格を確認し")).check()
    mobile.get_by_role("button", name="入力内容を確認する").click()
    expect(mobile.get_by_role("heading", name="応募内容の確認")).to_be_visible()
    expect(mobile.get_by_text("1980-06-01")).to_be_visible()
    axe_check(mobile)
    mobile.get_by_role("button", name="応募する").click()
    expect(mobile.get_by_role("heading", name="応募を受け付けました")).to_be_visible()
    number = mobile.locator(".receipt-number").inner_text()
    expect(mobile.get_by_text("記入された内容では、応募資格を満たしています")).to_be_visible()
    axe_check(mobile)
    mobile.get_by_role("link", name="自分の応募の状況を見る").click()
    expect(mobile.get_by_text(number, exact=True)).to_be_visible()
    expect(mobile.get_by_text("選考中")).to_be_visible()
    phone.close()

    # The notice period ends; the secretariat of 協働推進課 selects.
    recruitment = RecruitmentRound.objects.get(applications__receipt_number=number)
    recruitment.notice_ends_on = datetime.date.today() - datetime.timedelta(days=1)
    recruitment.notice_starts_on = recruitment.notice_ends_on - datetime.timedelta(days=27)
    recruitment.save()
    secretariat = StaffUserFactory(roles=[COMMITTEE_SECRETARIAT], department=Department.objects.get(code="kyodo"))
    log_in(page, live_server.url, email=secretariat.email, password=DEFAULT_PASSWORD)
    page.get_by_label(re.compile("コード")).fill(fresh_totp_code(secretariat.totp_secret))
    page.get_by_role("button", name="ログインする").click()
    # Staff land on the staff home; wait for it rather than racing the login's redirect.
    expect(page).to_have_url(re.compile(r"/staff/$"))
    page.get_by_role("link", name="附属機関等と委員公募").click()
    axe_check(page)
    page.get_by_role("link", name=recruitment.title).click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("川口 一郎")
    axe_check(page)
    page.get_by_role("textbox", name="抽選のシード（任意）").fill("公開抽選-3-6-2")
    page.get_by_role("button", name="抽選を実施する").click()
    expect(page.get_by_role("status")).to_contain_text("抽選を実施しました（シード 公開抽選-3-6-2）")
    expect(row.get_by_role("cell").nth(5)).to_have_text("1")
    page.get_by_role("button", name=f"{number} を選任する").click()
    expect(page.get_by_role("status")).to_contain_text("委員名簿に登録しました")
    page.get_by_role("button", name="選考結果を確定して通知する").click()
    expect(page.get_by_role("status")).to_contain_text("選考結果を確定しました")
    expect(row).to_contain_text("選任")
    axe_check(page)
    assert Application.objects.get(receipt_number=number).outcome == "appointed"

    page.goto(live_server.url + "/committees/ratios/")
    axe_check(page)
    this_year = datetime.date.today().year if datetime.date.today().month >= 4 else datetime.date.today().year - 1
    year_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(f"^{this_year}年度")))
    expect(year_row).to_contain_text("0.33倍")
    ratios = page.request.get(live_server.url + "/api/v1/committees/ratios/").json()
    year = next(y for y in ratios["years"] if y["fiscal_year"] == this_year)
    assert (year["rounds"], year["seats"], year["applicants"], year["ratio_all"]) == (1, 3, 1, 0.33)
    page.goto(live_server.url + "/plan/policies/VI-2/")
    indicator = page.get_by_role("row").filter(has_text="公募委員の応募倍率").first
    expect(indicator).to_contain_text("未達成")
    axe_check(page)
