"""One DRF exception handler turns service errors into API responses.

Each staff API (triage, letters, opinions) only calls its service; what the
service raises becomes the response in core.api.api_exception_handler.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts.roles import KOUCHOU
from core.api import api_exception_handler
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db

FIELD_MESSAGE = "所管課を選んでください。"
GENERAL_MESSAGE = "この状態では操作できません。"
DENIED_MESSAGE = "この操作は広聴担当だけが行えます。"


@pytest.fixture
def kouchou():
    user = StaffUserFactory(roles=[KOUCHOU], department=DepartmentFactory())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _triage(monkeypatch):
    DepartmentFactory(code="koen", name="公園課")
    submission = submit(ConsultationFactory())

    def call(error):
        def raise_(**kwargs):
            raise error

        monkeypatch.setattr("triage.services.submission_assign", raise_)
        return (
            f"/api/v1/staff/submissions/{submission.pk}/assign/",
            {"department": "koen"},
        )

    return call


def _letters(monkeypatch):
    case = submit(
        ConsultationFactory(letter=True),
        body="公園にベンチを増やしてください。",
        identity={"name": "川口 太郎", "email": "taro@example.jp"},
    ).letter_case

    def call(error):
        def raise_(**kwargs):
            raise error

        monkeypatch.setattr("letters.api.letter_reply_draft", raise_)
        return f"/api/v1/staff/letters/{case.pk}/draft/", {"text": "回答します。"}

    return call


def _opinions(monkeypatch):
    consultation = ConsultationFactory()

    def call(error):
        def raise_(**kwargs):
            raise error

        monkeypatch.setattr("opinions.api.groups.opinion_groups_seed", raise_)
        return f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/seed/", {}

    return call


ENDPOINTS = pytest.mark.parametrize("endpoint", [_triage, _letters, _opinions], ids=["triage", "letters", "opinions"])


@ENDPOINTS
def test_a_field_keyed_service_error_is_a_field_keyed_400(endpoint, kouchou, monkeypatch):
    url, body = endpoint(monkeypatch)(
        ValidationError(
            {
                "department": ValidationError(FIELD_MESSAGE, code="required"),
                "comment": ["コメントは200文字以内で入力してください。"],
            }
        )
    )
    response = kouchou.post(url, body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "department": [FIELD_MESSAGE],
        "comment": ["コメントは200文字以内で入力してください。"],
    }


@ENDPOINTS
def test_a_message_only_service_error_is_non_field_errors(endpoint, kouchou, monkeypatch):
    call = endpoint(monkeypatch)
    url, body = call(ValidationError(GENERAL_MESSAGE, code="wrong_stage"))
    response = kouchou.post(url, body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"non_field_errors": [GENERAL_MESSAGE]}

    # NON_FIELD_ERRORS ("__all__") in a dict goes to the same key.
    url, body = call(ValidationError({NON_FIELD_ERRORS: [GENERAL_MESSAGE]}))
    response = kouchou.post(url, body, format="json")
    assert response.json() == {"non_field_errors": [GENERAL_MESSAGE]}

    # Messages with params are formatted as the service meant them.
    url, body = call(ValidationError("%(n)d番目の部分が見つかりません。", params={"n": 2}))
    response = kouchou.post(url, body, format="json")
    assert response.json() == {"non_field_errors": ["2番目の部分が見つかりません。"]}


@ENDPOINTS
def test_permission_denied_is_a_403_with_a_japanese_detail(endpoint, kouchou, monkeypatch):
    call = endpoint(monkeypatch)
    url, body = call(PermissionDenied(DENIED_MESSAGE))
    response = kouchou.post(url, body, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"detail": DENIED_MESSAGE}

    url, body = call(PermissionDenied())
    response = kouchou.post(url, body, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"detail": "この操作を行う権限がありません。"}


@ENDPOINTS
def test_http404_from_a_service_is_a_404_in_japanese(endpoint, kouchou, monkeypatch):
    url, body = endpoint(monkeypatch)(Http404("No LetterCase matches the given query."))
    response = kouchou.post(url, body, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "見つかりませんでした。"}


def test_an_invisible_submission_is_a_404_without_the_model_name(kouchou):
    DepartmentFactory(code="koen")
    response = kouchou.post(
        "/api/v1/staff/submissions/999999/assign/",
        {"department": "koen"},
        format="json",
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "見つかりませんでした。"}


def test_the_handler_is_the_configured_one_and_leaves_drf_errors_alone():
    assert api_settings.EXCEPTION_HANDLER is api_exception_handler
    from rest_framework.exceptions import Throttled

    response = api_exception_handler(Throttled(wait=3), {})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert api_exception_handler(RuntimeError("boom"), {}) is None
