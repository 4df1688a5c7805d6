"""A resident who reads English switches the site to English in Chromium and sends a パブリック・コメント (#15).

The switcher is used with the keyboard; every English page is checked with
axe-core at WCAG 2.1 A/AA; the choice survives a reload (cookie); the
submission records ``en`` and its receipt mail is in English.
"""

import re

import pytest
from django.conf import settings
from django.core import mail

from feedback.models import Submission

from .support import tab_to, wider_than_viewport

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPINION = "Please hold evening briefings too.\nMany residents work during the day."


def _field(page, label: str):
    """The field labelled exactly ``label`` (a required one adds " (required)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


def test_a_resident_switches_to_english_and_submits_an_opinion(live_server, page, axe_check, city):
    consultation = city["public_comment"]
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    # The switcher: each language is a button named in its own language, reached with Tab.
    switcher = page.get_by_role("form", name=re.compile("言語"))
    english = switcher.get_by_role("button", name="English", exact=True)
    expect(english).to_have_attribute("lang", "en")
    expect(switcher.get_by_role("button", name="中文（简体）")).to_have_attribute("lang", "zh-Hans")
    tab_to(page, english)
    page.keyboard.press("Enter")

    # Back on the same page, now in English.
    expect(page).to_have_url(f"{live_server.url}/consultations/{consultation.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".language-current")).to_have_text("English")
    # What the city wrote stays as written, marked as Japanese.
    expect(page.get_by_role("heading", level=1)).to_have_text(consultation.title)
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "ja")
    axe_check(page)

    # The choice is kept in a cookie: a reload and another page stay English.
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.LANGUAGE_COOKIE_NAME)
    assert cookie["value"] == "en" and cookie["expires"] > 0
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # On a phone the switcher wraps inside the header; nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert not wider_than_viewport(page)
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    tab_to(page, page.get_by_role("link", name="Submit a comment"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Comment on “{consultation.title}”")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_check(page)

    _field(page, "Your comment").focus()
    page.keyboard.type(OPINION.split("\n")[0])
    page.keyboard.press("Enter")
    page.keyboard.type(OPINION.split("\n")[1])
    # The live character count speaks English too.
    expect(page.locator("#id_body_count")).to_contain_text("characters")
    page.get_by_role("group", name="You may comment as").get_by_label("I live in the city").check()
    _field(page, "Name").fill("Maria Santos")
    _field(page, "Postcode").fill("332-8601")
    _field(page, "Address").fill("川口市青木2-1-1")
    _field(page, "E-mail address").fill("maria@example.com")
    tab_to(page, page.get_by_role("button", name="Check your answers"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator("dl.summary")).to_contain_text("Many residents work during the day.")
    expect(page.locator("dl.summary")).to_contain_text("I live in the city")
    assert Submission.objects.count() == 0
    axe_check(page)

    tab_to(page, page.get_by_role("button", name="Send", exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/receipt/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Received")
    number = page.get_by_test_id("receipt-number").inner_text().strip()
    expect(page.get_by_role("status")).to_contain_text(f"Receipt number: {number}")
    axe_check(page)

    submission = Submission.objects.get(receipt_number=number)
    assert submission.language == "en"
    assert submission.body == OPINION
    assert submission.identity.name == "Maria Santos"
    sent = [m for m in mail.outbox if number in m.subject]
    assert sent and sent[0].subject.startswith(f"[Receipt {number}] We have received your comment")
