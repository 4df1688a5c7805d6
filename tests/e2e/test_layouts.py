"""Main pages at a phone (390×844) and a desk (1280×900), as a resident and as staff:
no page-wide horizontal scroll on the phone, a summary's answers get at least 40% of
the width, axe-core after each step, and a screenshot of each page in
test-artifacts/screens/ (named in the README) for a reviewer to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import StaffUserFactory
from tests.support.browser import page_as

from .support import page_scrolls_sideways as _page_scrolls_sideways
from .support import wider_than_viewport

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 900}}


def _shot(page, name: str, size: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}-{size}.png"), full_page=True)


def _narrowest_answer_share(page) -> float:
    """The narrowest <dd> of the summaries on the page, as a share of the viewport."""
    return page.evaluate(
        """() => {
            const dds = [...document.querySelectorAll('dl.summary dd')].filter(d => d.getClientRects().length);
            if (!dds.length) return 1;
            return Math.min(...dds.map(d => d.getBoundingClientRect().width)) / document.documentElement.clientWidth;
        }"""
    )


def _check(page, axe_check, name, size):
    axe_check(page)
    if size == "phone":
        assert not _page_scrolls_sideways(page), (
            f"{name}: the page scrolls sideways at 390 px: {wider_than_viewport(page)[:3]}"
        )
    _shot(page, name, size)


@pytest.mark.parametrize("size", WIDTHS)
def test_a_resident_s_pages_and_confirmation_fit_the_screen(live_server, browser, axe_check, city, size):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=WIDTHS[size])
    context.set_default_timeout(10_000)
    page = context.new_page()
    consultation = city["public_comment"]
    for name, path in (
        ("home", "/"),
        ("consultations", "/consultations/"),
        ("consultation", f"/consultations/{consultation.pk}/"),
        ("plan-policy", "/plan/policies/VI-2/"),
        ("committees", "/committees/"),
        ("committee-ratios", "/committees/ratios/"),
        ("letter", "/letter/"),
    ):
        page.goto(live_server.url + path)
        _check(page, axe_check, name, size)

    page.goto(f"{live_server.url}/consultations/{consultation.pk}/submit/")
    page.get_by_label("ご意見").fill("駅前の自転車置き場を増やしてください。" * 8)
    page.get_by_role("group", name="提出できる方の区分").get_by_label("市内に在住").check()
    page.get_by_label(re.compile("^氏名")).fill("川口 太郎")
    page.get_by_label(re.compile("^住所")).fill("川口市青木2-1-1")
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    share = _narrowest_answer_share(page)
    assert share >= 0.4, f"an answer on the confirmation gets only {share:.0%} of the width"
    _check(page, axe_check, "opinion-confirm", size)
    page.get_by_role("button", name="送信する").click()
    expect(page.locator(".receipt-number")).to_be_visible()
    _check(page, axe_check, "opinion-receipt", size)
    context.close()


@pytest.mark.parametrize("size", WIDTHS)
def test_staff_pages_use_the_desk_and_still_fit_a_phone(live_server, browser, axe_check, city, size):
    from accounts.roles import KOUCHOU
    from tests.feedback.factories import submit

    submission = submit(city["public_comment"], body="町会の掲示板を新しくしてください。電話 090-1234-5678")
    page = page_as(browser, live_server, StaffUserFactory(roles=[KOUCHOU]))
    page.set_viewport_size(WIDTHS[size])
    for name, path in (
        ("staff-home", "/staff/"),
        ("staff-queue", "/staff/queue/"),
        ("staff-submission", f"/staff/submissions/{submission.pk}/"),
        ("staff-letters", "/staff/letters/"),
        ("staff-workbench", f"/staff/consultations/{city['public_comment'].pk}/workbench/"),
        ("staff-dashboard", "/staff/dashboard/"),
        ("staff-indicators", "/staff/indicators/"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _check(page, axe_check, name, size)
    if size == "desk":
        page.goto(live_server.url + "/staff/queue/")
        # The desk width is used: the queue's table is wider than the resident pages' column.
        width = page.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
        assert width > 1000, width
        row = page.get_by_role("row").filter(has_text=submission.receipt_number)
        expect(row).to_contain_text("町会の掲示板を新しくしてください。")
        assert re.search(r"\d{3}-\d{4}-\d{4}", row.inner_text()) is None
    page.context.close()
