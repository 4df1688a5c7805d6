from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import KOUCHOU, user_roles

from .factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/schema/"


def _issue(email: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("issue_api_token", email, stdout=out, stderr=err)
    assert "一度だけ" in err.getvalue() or "再表示はできない" in err.getvalue()
    return out.getvalue().strip()


def test_issued_token_authenticates_api_requests(client):
    staff = StaffUserFactory()

    key = _issue(staff.email)

    assert len(key) == 40
    response = client.get(SCHEMA_URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == HTTPStatus.OK
    assert response.wsgi_request.user == staff


def test_wrong_token_is_rejected(client):
    response = client.get(SCHEMA_URL, HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_rotating_a_token_revokes_the_old_one(client):
    staff = StaffUserFactory()
    old = _issue(staff.email)

    new = _issue(staff.email)

    assert client.get(SCHEMA_URL, HTTP_AUTHORIZATION=f"Token {old}").status_code == HTTPStatus.UNAUTHORIZED
    assert client.get(SCHEMA_URL, HTTP_AUTHORIZATION=f"Token {new}").status_code == HTTPStatus.OK


def test_issue_api_token_unknown_user_has_japanese_error():
    with pytest.raises(CommandError, match="nobody@example.jp は登録されていません"):
        call_command("issue_api_token", "nobody@example.jp")


def test_issue_api_token_refuses_citizens():
    citizen = UserFactory()

    with pytest.raises(CommandError, match="職員ではない"):
        call_command("issue_api_token", citizen.email)


def test_create_staff_user_noinput_reads_password_from_env(monkeypatch, department):
    monkeypatch.setenv("KOE_STAFF_PASSWORD", "kawaguchi-tatara-2026")
    out = StringIO()

    call_command(
        "create_staff_user",
        "new@city.example.jp",
        "--role",
        KOUCHOU,
        "--department",
        department.code,
        "--display-name",
        "新任 職員",
        "--noinput",
        stdout=out,
    )

    user = User.objects.get(email="new@city.example.jp")
    assert user_roles(user) == {KOUCHOU}
    assert user.department == department
    assert "作成しました" in out.getvalue()


def test_create_staff_user_without_password_fails_clearly(monkeypatch):
    monkeypatch.delenv("KOE_STAFF_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="KOE_STAFF_PASSWORD"):
        call_command("create_staff_user", "new@city.example.jp", "--role", KOUCHOU, "--noinput")


def test_create_staff_user_unknown_department(monkeypatch):
    monkeypatch.setenv("KOE_STAFF_PASSWORD", "kawaguchi-tatara-2026")

    with pytest.raises(CommandError, match="組織コード nope は登録されていません"):
        call_command(
            "create_staff_user",
            "new@city.example.jp",
            "--role",
            KOUCHOU,
            "--department",
            "nope",
            "--noinput",
        )
