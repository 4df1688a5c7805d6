"""A 広聴 member enters a statistic 目標指標 value and finds it on the public 施策 page."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory
from tests.e2e.support import fresh_totp_code, log_in


def test_staff_enter_a_statistic_value_and_residents_see_it_judged(live_server, page, axe_check, city):
    from accounts.roles import KOUCHOU

    staff = StaffUserFactory(roles=[KOUCHOU])
    log_in(page, live_server.url, email=staff.email, password=DEFAULT_PASSWORD)
    page.get_by_label(re.compile("コード")).fill(fresh_totp_code(staff.totp_secret))
    page.get_by_role("button", name="ログインする").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()

    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="目標指標の実績値（統計・業務データ）").click()
    axe_check(page)
    entry = page.locator("form").filter(has=page.get_by_role("button", name="登録する", exact=True))
    entry.get_by_role("combobox", name="目標指標（必須）").select_option(label="VI-1 町会・自治会加入率（%）")
    entry.get_by_role("textbox", name="年度（必須）").fill("令和7年度")
    entry.get_by_role("textbox", name="値（必須）").fill("61.2")
    page.get_by_role("button", name="登録する", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("出典の種類を選んでください。")
    expect(entry.get_by_role("textbox", name="値（必須）")).to_have_value("61.2")
    axe_check(page)
    entry.get_by_label("業務データ").check()
    entry.get_by_role("textbox", name="出典", exact=True).fill("協働推進課 調べ")
    page.get_by_role("button", name="登録する", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("2025年度の値 61.2 を登録しました")
    axe_check(page)

    page.goto(f"{live_server.url}/plan/policies/VI-1/")
    row = page.get_by_role("row").filter(has_text="町会・自治会加入率").first
    expect(row).to_contain_text("61.2%")
    expect(row).to_contain_text("出典：業務データ（協働推進課 調べ）")
    expect(row).to_contain_text("達成")
    axe_check(page)
