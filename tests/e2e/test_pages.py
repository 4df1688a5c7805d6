"""Public pages pass axe-core (WCAG 2.1 A/AA) and a few checks axe cannot make:
one h1, distinct page titles, reflow at 320 CSS px (1.4.10), text spacing
(1.4.12), a skip link, a visible focus indicator."""

import re

import pytest

from .support import (
    clipped_with_text_spacing,
    focused,
    format_violations,
    run_axe,
    tab_to,
    wider_than_viewport,
)

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e
db = pytest.mark.django_db(transaction=True)  # the live server thread must see the data


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


@db
def test_public_pages_are_accessible(live_server, page, city):
    """Every public page, at desktop width and at 320 CSS px. One database set-up
    for all pages (each transactional test flushes the database, which is slow on
    PostgreSQL); the failure lists every page's problems, not just the first."""
    problems = {}
    titles = {}
    for name, path in PAGES.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(live_server.url + path(city))
        found = []
        if response.status != EXPECTED_STATUS.get(name, 200):
            found.append(f"HTTP {response.status}")
        if page.locator("html").get_attribute("lang") != "ja":
            found.append('<html lang="ja"> missing')
        if page.locator("h1").count() != 1:
            found.append(f"{page.locator('h1').count()} <h1> elements")
        titles.setdefault(page.title(), []).append(name)
        violations = run_axe(page)
        if violations:
            found.append("axe at 1280px:\n" + format_violations(violations))
        # 1.4.10 Reflow: at 320 CSS px nothing but a data table may scroll sideways.
        page.set_viewport_size({"width": 320, "height": 640})
        overflow = wider_than_viewport(page)
        if overflow:
            found.append(f"wider than 320px: {overflow[:5]}")
        violations = run_axe(page)
        if violations:
            found.append("axe at 320px:\n" + format_violations(violations))
        clipped = clipped_with_text_spacing(page)
        if clipped:
            found.append(f"text cut off with WCAG 1.4.12 spacing: {clipped[:5]}")
        if found:
            problems[f"{name} ({path(city)})"] = found
    # 2.4.2: each page says what it is (the filtered list may share the list's title).
    shared = {
        t: names
        for t, names in titles.items()
        if len(names) > 1 and set(names) != {"consultation_list", "consultation_list_filtered"}
    }
    if shared:
        problems["page titles"] = [f"{t!r} used by {names}" for t, names in shared.items()]
    assert not problems, "\n".join(f"== {where}\n" + "\n".join(found) for where, found in problems.items())


@db
def test_login_error_state_is_accessible(live_server, page, axe_check, city):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("nobody@example.jp")
    page.get_by_label(re.compile("^パスワード")).fill("wrong-password-0000")
    page.get_by_role("button", name="ログインする").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("メールアドレス")).to_have_value("nobody@example.jp")
    axe_check(page)


@db
def test_keyboard_skip_link_and_visible_focus(live_server, page, city):
    # 2.4.1: the first Tab stop skips the header and lands in <main>.
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

    # 2.4.7: every keyboard stop on the home page draws an outline.
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
    page.evaluate(
        "() => { const d = document.createElement('div'); d.style.width = '600px';"
        " d.textContent = '横に長い'; document.querySelector('main').append(d); }"
    )
    assert any("横に長い" in html for html in wider_than_viewport(page))

    page.evaluate(
        "() => { const d = document.createElement('div'); d.id = 'fixed-box'; d.textContent = '高さ固定';"
        " d.style.height = '1em'; d.style.overflow = 'hidden'; document.querySelector('main').append(d); }"
    )
    assert any('id="fixed-box"' in html for html in clipped_with_text_spacing(page))
