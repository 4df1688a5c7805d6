"""A staff member opens the 施策 dashboard in real Chromium; axe-core checks each page."""

import os

import pytest

from results.services.dashboard import dashboard_stats_refresh
from tests.support.browser import axe_violations, page_as

pytestmark = [pytest.mark.e2e]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_staff_opens_the_policy_dashboard(live_server, browser, roles, city):
    dashboard_stats_refresh()
    page = page_as(browser, live_server, city["staff"])
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="施策ダッシュボード").click()
    assert page.get_by_role("heading", level=1).inner_text() == "施策ダッシュボード"
    matrix = page.get_by_role("table", name="施策名を選ぶと、その施策の詳しい集計を表示します。")
    assert "地域のつながりづくり" in matrix.inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="施策1 地域のつながりづくり").click()
    assert page.get_by_role("heading", level=1).inner_text() == "施策1 地域のつながりづくり"
    chart = page.get_by_role("img", name="月別の受付件数のグラフ（数値は表を参照）")
    assert chart.is_visible()
    table = page.get_by_role("table", name="月別の受付件数の表")
    assert "2026年4月" in table.inner_text()
    assert axe_violations(page) == []

    # The filter form works from the keyboard: choose 年度別 and submit.
    page.get_by_label("推移の単位").select_option(label="年度別")
    page.get_by_role("button", name="表示する").press("Enter")
    yearly = page.get_by_role("table", name="年度別の受付件数の表")
    assert "2026年度（令和8年度）" in yearly.inner_text()
    assert axe_violations(page) == []


def test_overview_dashboard_has_no_accessibility_violations(live_server, browser, roles, city):
    dashboard_stats_refresh()
    page = page_as(browser, live_server, city["kouchou"])
    page.goto(f"{live_server.url}/staff/dashboard/")
    assert "期限超過・未回答" in page.content()
    assert axe_violations(page) == []
