"""Login survives a Redis outage; the login lock and allauth's 429 say when to retry."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.support.outage import cache_down  # noqa: F401 - fixture

from .factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_login_works_while_redis_is_down(client, citizen, cache_down):  # noqa: F811
    response = _login(client, citizen.email, DEFAULT_PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_the_login_lock_holds_while_redis_is_down(client, citizen, cache_down):  # noqa: F811
    """The counters fall back to this process's memory: a guessed password is still locked out."""
    for _attempt in range(5):
        _login(client, citizen.email, "wrong-password")

    locked = _login(client, citizen.email, DEFAULT_PASSWORD)

    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session


def test_the_login_lock_answers_429_with_retry_after_and_a_japanese_page(client, citizen):
    for _attempt in range(5):
        assert _login(client, citizen.email, "wrong-password").status_code == HTTPStatus.OK

    locked = _login(client, citizen.email, DEFAULT_PASSWORD)

    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # ACCOUNT_RATE_LIMITS["login_failed"] = "10/m/ip,5/5m/key": five minutes frees it.
    assert locked["Retry-After"] == "300"
    page = locked.content.decode()
    assert '<html lang="ja">' in page
    assert "ログインの失敗が続いたため、しばらくログインできません" in page
    # The form is shown again with the address typed.
    assert citizen.email in page


def test_allauths_own_429_carries_retry_after(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    _login(client, "nobody@example.jp", "x")

    limited = _login(client, "nobody@example.jp", "x")

    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(limited["Retry-After"]) == settings.KOE_RETRY_AFTER_SECONDS
    assert "一時的に受付を制限しています" in limited.content.decode()


def test_login_limits_count_per_client_behind_a_trusted_proxy(client, settings):
    """Behind the TLS terminator every resident has REMOTE_ADDR of the proxy."""
    settings.KOE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    first = _login(client, "a@example.jp", "x", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    other_resident = _login(client, "b@example.jp", "x", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    same_again = _login(client, "a@example.jp", "x", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)

    assert first.status_code == HTTPStatus.OK
    assert other_resident.status_code == HTTPStatus.OK
    assert same_again.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_totp_code_lock_answers_429_with_retry_after():
    """Guessing the 2段階認証 code is locked like guessing the password, and says when to retry."""
    from django.test import Client

    from .factories import StaffUserFactory
    from .totp import totp_code

    staff = StaffUserFactory()
    client = Client()
    assert _login(client, staff.email, DEFAULT_PASSWORD)["Location"] == reverse("mfa_authenticate")
    for _attempt in range(5):
        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == HTTPStatus.OK

    locked = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff.totp_secret)})

    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked["Retry-After"] == "300"
    assert "ログインの失敗が続いたため" in locked.content.decode()
    assert "_auth_user_id" not in client.session
