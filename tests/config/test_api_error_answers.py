"""Every answer of /api/ is JSON in the API's error shape, in Japanese.

Hostile or mistaken requests (a body nested thousands deep, a path that does
not exist, a wrong method or media type, a missing or bad token) get a 4xx
with ``{"detail": "<日本語>"}``, never Django's HTML pages or a 500.
"""

import json
import re
from http import HTTPStatus

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _detail(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"detail"}, body
    assert JAPANESE.search(body["detail"]), body["detail"]
    return body["detail"]


def _nested(depth: int) -> str:
    return '{"body": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [50, 5_000, 200_000])
def test_deeply_nested_json_is_a_400_not_a_500(depth):
    # Unauthenticated, on an open consultation: json.loads recursed until
    # RecursionError and the resident (or attacker) got a 500.
    consultation = ConsultationFactory()
    client = APIClient(raise_request_exception=False)
    response = client.post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        _nested(depth),
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "入れ子" in _detail(response)


def test_every_api_view_parses_json_with_the_limits(people, case):
    # DEFAULT_PARSER_CLASSES: a staff endpoint has no parser_classes of its own.
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['kouchou']).key}")
    response = client.post(
        f"/api/v1/staff/consultations/{case[0].pk}/opinion-items/move/",
        '{"item_ids": ' + "[" * 100_000 + "]" * 100_000 + "}",
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "入れ子" in _detail(response)


@pytest.mark.parametrize(
    "body, words",
    [
        ('{"body": "\\ud800"}', "サロゲート"),
        ('{"body": "ok", "section": NaN}', "NaN"),
        (b'{"body": "\xff"}', "UTF-8"),
    ],
    ids=["lone-surrogate", "nan", "bad-utf8"],
)
def test_json_no_text_can_hold_is_a_400(body, words):
    consultation = ConsultationFactory()
    response = APIClient().post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        body,
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert words in _detail(response)


def test_nesting_within_the_limit_reaches_the_serializer():
    # An ordinary (shallow) body is parsed and its fields are checked as before.
    consultation = ConsultationFactory()
    response = APIClient().post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        {"body": ["a"], "identity": {"name": {"x": 1}}},
        format="json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "body" in response.json()


def test_malformed_json_is_a_400_in_japanese():
    consultation = ConsultationFactory()
    response = APIClient().post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        '{"body": ',
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "JSON" in _detail(response)


def test_a_body_over_the_upload_limit_is_a_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    consultation = ConsultationFactory()
    response = APIClient().post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        '{"body": "' + "あ" * 1_000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE, response.content.decode()
    _detail(response)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/consultations/abc/",
        "/api/v1/consultations/1/nothing/",
        "/api/",
        "/api/v2/consultations/",
    ],
)
def test_an_unknown_api_path_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _detail(response) == "見つかりませんでした。"


def test_an_unknown_site_path_is_still_an_html_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"].startswith("text/html")


def test_a_missing_public_object_is_a_json_404(client):
    response = client.get("/api/v1/consultations/999999/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _detail(response) == "見つかりませんでした。"


def test_a_wrong_method_is_a_json_405():
    response = APIClient().delete("/api/v1/consultations/")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert "DELETE" in _detail(response)


def test_a_wrong_media_type_is_a_json_415():
    consultation = ConsultationFactory()
    response = APIClient().post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        "body=hello",
        content_type="text/plain",
    )
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    _detail(response)


def test_no_credentials_is_a_json_401():
    response = APIClient().get("/api/v1/me/submissions/")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
    _detail(response)


def test_a_bad_token_is_a_json_401_even_on_a_public_endpoint():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/consultations/")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    _detail(response)


def test_a_resident_on_a_staff_endpoint_is_a_json_403(resident):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=resident).key}")
    response = client.get("/api/v1/staff/queue/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    _detail(response)


def test_an_unexpected_error_in_the_api_is_a_json_500(monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("consultations.api.views.consultation_list_open", boom)
    response = APIClient(raise_request_exception=False).get("/api/v1/consultations/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    detail = _detail(response)
    assert "a bug" not in detail


def test_a_submission_from_a_peer_without_an_address_is_accepted():
    # gunicorn on a Unix socket (or a WSGI server that leaves REMOTE_ADDR out)
    # gives no client address; the rate limiter failed on it with a 500.
    consultation = ConsultationFactory()
    client = APIClient(REMOTE_ADDR="")
    response = client.post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        {"body": "歩道を広げてください。"},
        format="json",
    )
    assert response.status_code == HTTPStatus.CREATED, response.content.decode()
    assert response.json()["receipt_number"]


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"body": ["a"]}, "body", "文字列で指定してください。"),
        ({"body": "a", "identity": {"name": 5, "email": {"x": 1}}}, "identity", "文字列で指定してください。"),
    ],
)
def test_drf_type_errors_are_japanese(body, field, message):
    # DRF's own catalog leaves "Not a valid string." untranslated; the
    # project's (locale/ja) fills it in.
    consultation = ConsultationFactory()
    response = APIClient().post(f"/api/v1/consultations/{consultation.pk}/submissions/", body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_a_boolean_field_error_is_japanese():
    ConsultationFactory(letter=True)
    response = APIClient().post(
        "/api/v1/letter/submissions/", {"body": "手紙", "reply_requested": "たぶん"}, format="json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["reply_requested"] == ["true か false で指定してください。"]


def test_the_compiled_catalog_matches_the_po_file():
    # locale/ja/LC_MESSAGES/django.mo is committed; it must say what the .po says.
    import gettext
    from pathlib import Path

    directory = Path(__file__).resolve().parents[2] / "locale" / "ja" / "LC_MESSAGES"
    po = (directory / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po, flags=re.M)
    with (directory / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    assert pairs
    for msgid, msgstr in pairs:
        msgid = msgid.replace('\\"', '"')
        assert catalog.get(msgid) == msgstr.replace('\\"', '"'), msgid
