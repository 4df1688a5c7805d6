"""NUL and other control characters in URLs and forms get a Japanese 400, never a 500.

PostgreSQL refuses NUL in text, so ``/receipt/%00/``, ``/plan/policies/%00/``
or ``?q=%00`` used to reach a query and end in a 500 (on SQLite they were a
quiet 404). core.middleware answers 400 first; the ``<code:…>`` converter is
the second line, for a route that somehow gets past it.
"""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import KOUCHOU
from core.converters import CodeConverter
from feedback.models import Submission
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.plans.factories import PolicyFactory

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
MIDDLEWARE = "core.middleware.RejectControlCharactersMiddleware"


@pytest.fixture
def client():
    # A 500 must show as a status, not as an exception raised into the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def kouchou_client(client):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    return client


def _japanese_400_page(response) -> str:
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.status_code
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert "<h1>リクエストを処理できませんでした</h1>" in page
    assert "制御文字" in page or "NUL 文字" in page
    return page


@pytest.mark.parametrize(
    "path",
    [
        "/receipt/%00/",
        "/receipt/PC-2026-%00000001/",
        "/plan/policies/%00/",
        "/plan/policies/VI-1%00/",
        "/mypage/submissions/%00/reply/",
        "/consultations/%00/",
        "/receipt/%0A/",
        "/receipt/a%1Fb/",
        "/letter/%7F/",
    ],
)
def test_control_characters_in_the_path_get_a_japanese_400(client, path):
    PolicyFactory(code="VI-1")
    _japanese_400_page(client.get(path))


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=%E5%85%AC%00", "kind=%00", "%00=1", "status=open%0D%0A", "page=1%09"],
)
def test_control_characters_in_the_query_get_a_japanese_400(client, query):
    _japanese_400_page(client.get(f"/consultations/?{query}"))


def test_nul_in_the_staff_queue_search_is_a_400(kouchou_client):
    submit(ConsultationFactory(), body="公園にベンチを増やしてください。")
    _japanese_400_page(kouchou_client.get("/staff/queue/?q=%00"))
    # An ordinary search still works.
    assert kouchou_client.get("/staff/queue/?q=公園").status_code == HTTPStatus.OK


def test_nul_in_a_posted_form_field_is_a_400_and_nothing_is_stored(client):
    consultation = ConsultationFactory()
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {"body": "歩道を\x00広げてください。", "step": "submit", "eligibility": "resident"},
    )
    page = _japanese_400_page(response)
    assert "戻る" in page  # how to get the typed text back
    assert Submission.objects.count() == 0


def test_api_paths_get_the_api_error_shape(client):
    for response in (client.get("/api/v1/consultations/?q=%00"), client.get("/api/v1/consultations/%00/")):
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert set(body) == {"detail"} and JAPANESE.search(body["detail"]), body


def test_tabs_and_newlines_in_a_textarea_are_still_accepted(client):
    # Only NUL is refused in form bodies: a letter has line breaks and tabs.
    consultation = ConsultationFactory()
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {"body": "一行目\r\n\t二行目", "step": "confirm", "eligibility": "resident"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "入力内容の確認" in response.content.decode()


def test_ordinary_pages_pass_the_middleware(client):
    policy = PolicyFactory(code="VI-1")
    assert client.get("/consultations/?kind=public_comment").status_code == HTTPStatus.OK
    assert client.get(f"/plan/policies/{policy.code}/").status_code == HTTPStatus.OK


# ---- the converter, the second line ----


@pytest.mark.parametrize("value", ["\x00", "PC\x00", "a\nb", "\x85", "x" * 65])
def test_code_converter_refuses_what_no_code_can_be(value):
    with pytest.raises(ValueError):
        CodeConverter().to_python(value)


@pytest.mark.parametrize("value", ["PC-2026-000123", "VI-1", "ＶＩ－１", "施策1", "x" * 64])
def test_code_converter_keeps_every_possible_code(value):
    assert CodeConverter().to_python(value) == value
    assert CodeConverter().to_url(value) == value


def test_stored_codes_still_reverse():
    assert reverse("feedback:receipt", args=["PC-2026-000123"]) == "/receipt/PC-2026-000123/"
    assert reverse("results:policy_detail", args=["VI-1"]) == "/plan/policies/VI-1/"


@pytest.mark.parametrize("path", ["/receipt/%00/", "/plan/policies/%00/", "/mypage/submissions/%00/withdraw/"])
@pytest.mark.postgres
def test_without_the_middleware_postgresql_never_sees_the_nul(client, settings, path):
    # Before <code:…> these were 500s on PostgreSQL ("cannot contain NUL").
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    response = client.get(path) if "withdraw" not in path else client.post(path)
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.postgres
def test_postgresql_gets_a_400_for_each_nul_request(kouchou_client):
    # The same requests, end to end on PostgreSQL, all answered before a query.
    for path in ("/receipt/%00/", "/plan/policies/%00/", "/staff/queue/?q=%00", "/consultations/?q=%00"):
        assert kouchou_client.get(path).status_code == HTTPStatus.BAD_REQUEST, path
