"""Public pages pass axe-core (WCAG 2.1 A/AA) and a few checks axe cannot make:
one h1 and a page title, reflow at 320 CSS px (1.4.10), a working skip link."""

import re

import pytest

from .support import focused, tab_to, wider_than_viewport

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _policy_code():
    from plans.models import Policy

    return Policy.objects.order_by("vision__order", "number").values_list("code", flat=True).first()


# name -> path, built from the demo data (see the ``city`` fixture).
PAGES = {
    "home": lambda city: "/",
    "consultation_list": lambda city: "/consultations/",
    "consultation_list_filtered": lambda city: "/consultations/?kind=survey&status=open",
    "public_comment_detail": lambda city: f"/consultations/{city['public_comment'].pk}/",
    "closed_consultation_detail": lambda city: f"/consultations/{city['closed'].pk}/",
    "closed_consultation_submit": lambda city: f"/consultations/{city['closed'].pk}/submit/",
    "survey_detail": lambda city: f"/consultations/{city['survey'].pk}/",
    "letter": lambda city: "/letter/",
    "plan": lambda city: "/plan/",
    "policy": lambda city: f"/plan/policies/{_policy_code()}/",
    "accessibility": lambda city: "/accessibility/",
    "privacy": lambda city: "/privacy/",
    "login": lambda city: "/accounts/login/",
}
EXPECTED_STATUS = {"closed_consultation_submit": 410}


@pytest.mark.parametrize("name", PAGES)
def test_public_page_is_accessible(live_server, page, axe_check, city, name):
    response = page.goto(live_server.url + PAGES[name](city))
    assert response.status == EXPECTED_STATUS.get(name, 200)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.title().strip() and page.title() != "｜"
    expect(page.locator("h1")).to_have_count(1)
    axe_check(page)

    # 1.4.10 Reflow: at 320 CSS px nothing but a data table may scroll sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = wider_than_viewport(page)
    assert not overflow, f"content wider than 320px: {overflow[:5]}"
    axe_check(page)


def test_login_error_state_is_accessible(live_server, page, axe_check, city):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("nobody@example.jp")
    page.get_by_label(re.compile("^パスワード")).fill("wrong-password-0000")
    page.get_by_role("button", name="ログインする").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("メールアドレス")).to_have_value("nobody@example.jp")
    axe_check(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(live_server, page, city):
    page.goto(live_server.url + f"/consultations/{city['public_comment'].pk}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link must be visible when focused"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is inside <main>, not the header navigation.
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), focused(page)


def test_focus_is_visible_on_links_and_buttons(live_server, page, city):
    """2.4.7: every keyboard stop on the home page draws an outline."""
    page.goto(live_server.url + "/")
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {key: e.outerHTML.slice(0, 80), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                        shadow: s.boxShadow !== 'none', body: e === document.body}; }"""
        )
        if info["body"] or info["key"] in seen:
            break
        seen.add(info["key"])
        assert info["outline"] or info["shadow"], f"no visible focus indicator on {info['key']}"
    assert len(seen) >= 5
    tab_to(page, page.get_by_role("link", name="個人情報の取扱い"))


def test_the_checks_themselves_catch_violations(page, axe_check):
    """Guard against a silently passing harness: a known-bad page must fail."""
    page.set_content(
        '<html lang="ja"><head><title>悪い例</title></head><body><main><h1>悪い例</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<input type="text" name="q">'
        '<p style="color:#aaa;background:#fff">薄い文字</p></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)
    message = str(failure.value)
    for rule in ("image-alt", "label", "color-contrast"):
        assert f"[{rule}]" in message, message
    assert "impact=serious" in message and "- img: <img" in message, message

    page.set_viewport_size({"width": 320, "height": 640})
    page.evaluate("() => { const d = document.createElement('div'); d.style.width = '600px';"
                  " d.textContent = '横に長い'; document.querySelector('main').append(d); }")
    assert any("横に長い" in html for html in wider_than_viewport(page))
