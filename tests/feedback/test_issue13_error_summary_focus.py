"""Issue #13: a link in the error summary moves the focus into the field it names.

static/js/error-summary.js, loaded with defer from templates/base.html (the
CSP forbids inline script). The browser test runs in Debian's Chromium when
it is installed (the session ``browser`` fixture skips otherwise).
"""

import os
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings

from tests.consultations.factories import ConsultationFactory

# Playwright's sync API keeps an event loop running in this thread for the
# rest of the session; Django would refuse every later ORM call (as in
# tests/e2e/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCRIPT = Path(settings.BASE_DIR) / "static" / "js" / "error-summary.js"


@pytest.mark.django_db
def test_every_page_loads_the_error_summary_script_deferred(client):
    consultation = ConsultationFactory()
    response = client.post(f"/consultations/{consultation.pk}/submit/", {"step": "confirm"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert 'src="/static/js/error-summary.js" defer' in page
    assert 'href="#id_body_field"' in page
    assert SCRIPT.is_file()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not [text for text in errors if "Content Security Policy" in text], errors


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName.toLowerCase(), id: document.activeElement.id,"
        " name: document.activeElement.getAttribute('name')})"
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_error_summary_link_focuses_the_fields_input(live_server, page):
    consultation = ConsultationFactory(required_identity=["name"], eligibility=["resident", "worker"])
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/submit/")
    page.get_by_role("button", name="入力内容を確認する").click()
    summary = page.locator("#error-summary")
    summary.wait_for()

    summary.get_by_role("link", name="ご意見").first.click()
    assert _focused(page) == {"tag": "textarea", "id": "id_body", "name": "body"}
    assert page.url.endswith("#id_body_field")

    summary.get_by_role("link", name="氏名").first.click()
    assert _focused(page) == {"tag": "input", "id": "id_name", "name": "name"}

    # Keyboard: Enter on a focused summary link does the same.
    summary.get_by_role("link", name="ご意見").first.focus()
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "id_body"
