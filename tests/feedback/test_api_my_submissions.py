from http import HTTPStatus

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/submissions/"


def test_token_returns_only_that_users_submissions_with_status(token_client, resident):
    consultation = ConsultationFactory(title="川口市緑の基本計画（案）")
    mine = submit(consultation, author=resident, channel="api")
    submit(consultation, author=UserFactory())
    submit(consultation)  # anonymous

    response = token_client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert response.data["count"] == 1
    (row,) = response.data["results"]
    assert row["receipt_number"] == mine.receipt_number
    assert row["consultation"] == {
        "id": consultation.pk,
        "kind": "public_comment",
        "title": "川口市緑の基本計画（案）",
    }
    assert (row["channel"], row["status"], row["status_label"]) == (
        "api",
        "received",
        "受付済み",
    )
    assert row["body"] == mine.body


def test_two_users_never_see_each_others_submissions(resident):
    other = UserFactory()
    consultation = ConsultationFactory()
    mine, theirs = (
        submit(consultation, author=resident),
        submit(consultation, author=other),
    )
    receipts = {}
    for user in (resident, other):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        receipts[user] = [row["receipt_number"] for row in client.get(URL).data["results"]]
    assert receipts == {resident: [mine.receipt_number], other: [theirs.receipt_number]}


def test_withdrawn_submission_is_listed_with_its_status(token_client, resident):
    from feedback.services import submission_withdraw

    submission = submit(ConsultationFactory(), author=resident)
    submission_withdraw(submission=submission, actor=resident)
    (row,) = token_client.get(URL).data["results"]
    assert (row["status"], row["status_label"]) == ("withdrawn", "取り下げ")
    assert row["withdrawn_at"] is not None


def test_submission_made_through_the_api_with_a_token_is_listed(token_client):
    consultation = ConsultationFactory()
    created = token_client.post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        {"body": "歩道を広げてください。"},
        format="json",
    )
    listed = token_client.get(URL).data["results"]
    assert [row["receipt_number"] for row in listed] == [created.data["receipt_number"]]


def test_anonymous_request_is_refused(api_client):
    response = api_client.get(URL)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "認証情報が含まれていません。"}


def test_unknown_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = api_client.get(URL)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "不正なトークンです。"}


def test_inactive_users_token_is_refused(token_client, resident):
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert token_client.get(URL).status_code == HTTPStatus.UNAUTHORIZED


def test_session_login_works_too(resident):
    client = APIClient()
    client.force_login(resident)
    assert client.get(URL).status_code == HTTPStatus.OK
