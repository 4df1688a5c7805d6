"""The API docs page has no inline script or style, so the CSP ('self') lets it run.

The browser check is tests/e2e/test_api_docs.py.
"""

import json
import re
from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<style" not in page and " style=" not in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        # Either a file of ours, or JSON data the browser never executes.
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes, attributes
        if "src=" in attributes:
            assert body.strip() == ""
    assert 'src="/static/js/swagger-init.js"' in page
    assert 'data-schema-url="/api/v1/schema/"' in page
    assert '<html lang="ja">' in page


def test_swagger_ui_is_told_not_to_call_the_online_validator(client):
    page = client.get("/api/v1/docs/").content.decode()
    data = re.search(r'<script id="swagger-settings" type="application/json">(.*?)</script>', page, flags=re.S)
    settings = json.loads(data.group(1))
    assert settings["validatorUrl"] is None
    assert settings["deepLinking"] is True
