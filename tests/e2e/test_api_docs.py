"""/api/v1/docs/ renders Swagger UI in Chromium under the site's CSP ('self' only).

drf-spectacular's page started Swagger UI with an inline script, which
``script-src 'self'`` blocks: the page stayed blank. The ``page`` fixture
fails the test on any "Content Security Policy" console error.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _operation_count() -> int:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sum(1 for item in schema["paths"].values() for method in item if method in {"get", "post", "patch"})


def test_the_api_docs_show_every_operation_under_the_csp(live_server, page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Swagger UI is ~1.5 MB of script, served by the test server: more than
    # the 10 s of a site page on a busy machine.
    response = page.goto(live_server.url + "/api/v1/docs/", timeout=60_000)
    assert response.status == 200
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy

    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=30_000)
    assert operations.count() == _operation_count()
    expect(page.get_by_text("募集中の案件の一覧")).to_be_visible()
    expect(page.locator(".info .title")).to_contain_text("Koe API")
    assert errors == [], errors

    # An operation opens and shows its documented answers, errors included.
    page.locator(".opblock-summary", has_text="/api/v1/me/submissions/").first.click()
    expect(page.locator(".responses-table .response[data-code='401']").first).to_be_visible()
