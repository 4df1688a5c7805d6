from http import HTTPStatus

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/consultations/",
    "/api/v1/consultations/{id}/",
    "/api/v1/consultations/{id}/submissions/",
    "/api/v1/letter/",
    "/api/v1/letter/submissions/",
    "/api/v1/me/submissions/",
]


def test_schema_validates_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning into an error.
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    text = path.read_text(encoding="utf-8")
    for endpoint in ENDPOINTS:
        assert f"  {endpoint}:" in text


def test_schema_is_served_as_openapi_3(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == HTTPStatus.OK
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(ENDPOINTS) <= set(schema["paths"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_browsable_docs_load_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
