"""Deployment baseline: check --deploy, cookies, CSP, rate limits."""

import json
import os
import secrets
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import CITIZEN, is_staff_member, user_roles

from .factories import DEFAULT_PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "koe.city.example.jp",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://koe.city.example.jp",
    "KOE_SITE_URL": "https://koe.city.example.jp",
}


def _production_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return env


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "DEBUG",
            "--settings=config.settings.production",
        ],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


# A deployment's environment as docker-compose.yml and README's configuration
# table set it: PostgreSQL and Redis, the site's URL, the TLS terminator as a
# trusted proxy, SMTP, a separate TOTP key and a SECRET_KEY rollover under way.
# With a reachable PostgreSQL (DATABASE_URL set for the tests) the database
# checks run against it too.
_PG_URL = os.environ.get("DATABASE_URL", "")
_USES_PG = _PG_URL.startswith(("postgres://", "postgresql://"))
FULL_PRODUCTION_ENV = {
    "DATABASE_URL": _PG_URL if _USES_PG else "postgres://koe:koe@db:5432/koe",
    "REDIS_URL": os.environ.get("REDIS_URL") or "redis://redis:6379/0",
    "KOE_SITE_URL": "https://koe.city.example.jp",
    "KOE_TRUSTED_PROXIES": "10.0.0.0/8,192.0.2.5",
    "DJANGO_SECRET_KEY_FALLBACKS": secrets.token_urlsafe(64),
    "KOE_MFA_ENCRYPTION_KEY": secrets.token_urlsafe(48),
    "DJANGO_EMAIL_HOST": "smtp.city.example.jp",
    "DJANGO_EMAIL_PORT": "587",
    "DJANGO_DEFAULT_FROM_EMAIL": "koe@city.example.jp",
}


def _check_deploy(env, *extra):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", *extra, "--settings=config.settings.production"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_deploy_has_no_warnings_with_the_full_production_environment():
    env = {**_production_env(), **FULL_PRODUCTION_ENV}
    extra = ["--fail-level", "DEBUG"]
    if _USES_PG:
        extra += ["--database", "default"]

    result = _check_deploy(env, *extra)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout, output
    assert "WARNING" not in output and "security.W" not in output, output


def test_check_deploy_reports_a_weakened_production_setting():
    """The gate is live: switching off HSTS and the HTTPS redirect is reported."""
    env = {
        **_production_env(),
        **FULL_PRODUCTION_ENV,
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }

    result = _check_deploy(env, "--fail-level", "WARNING")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "security.W004" in output, output  # SECURE_HSTS_SECONDS
    assert "security.W008" in output, output  # SECURE_SSL_REDIRECT


def test_production_settings_refuse_to_start_without_secret_key():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_cookies_and_transport_are_secure():
    code = (
        "import json, config.settings.production as s;"
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY',"
        "'CSRF_COOKIE_HTTPONLY','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS',"
        "'ACCOUNT_DEFAULT_HTTP_PROTOCOL','SESSION_COOKIE_NAME','CSRF_COOKIE_NAME',"
        "'SESSION_COOKIE_SAMESITE','X_FRAME_OPTIONS')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["X_FRAME_OPTIONS"] == "DENY"


@pytest.mark.django_db
def test_production_cookies_carry_secure_flag(client, settings, citizen):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    response = client.get(reverse("account_login"))
    csrf_cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"]
    assert csrf_cookie["httponly"]
    assert csrf_cookie["samesite"] == "Lax"

    client.post(reverse("account_login"), {"login": citizen.email, "password": DEFAULT_PASSWORD})
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "privacy", "accessibility"])
def test_pages_send_strict_csp(client, url_name):
    response = client.get(reverse(url_name))

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_login_is_rate_limited_per_account_with_japanese_message(client, citizen):
    for _attempt in range(5):
        response = client.post(
            reverse("account_login"),
            {"login": citizen.email, "password": "wrong-password"},
        )
        assert "しばらくログインできません" not in response.content.decode()

    response = client.post(reverse("account_login"), {"login": citizen.email, "password": DEFAULT_PASSWORD})

    html = response.content.decode()
    # The lock answers 429 with Retry-After (tests/accounts/test_rate_limits.py).
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "ログインの失敗が続いたため、しばらくログインできません" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_attempts_per_ip_are_capped(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post(
            reverse("account_login"),
            {"login": f"nobody{i}@example.jp", "password": "x"},
        ).status_code
        for i in range(4)
    ]

    assert statuses[:3] == [HTTPStatus.OK] * 3
    assert statuses[3] == HTTPStatus.TOO_MANY_REQUESTS
    page = client.post(reverse("account_login"), {"login": "x@example.jp", "password": "x"})
    assert page.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "一時的に受付を制限しています" in page.content.decode()
    assert '<html lang="ja">' in page.content.decode()


@pytest.mark.django_db
def test_signup_sends_verification_mail_and_does_not_log_in(client, settings):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "taro@example.jp",
            "password1": "kawaguchi-hatoba-77",
            "password2": "kawaguchi-hatoba-77",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="taro@example.jp")
    assert user_roles(user) == {CITIZEN}
    assert not is_staff_member(user)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taro@example.jp"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith(f"[{settings.SITE_TITLE}] ")
    assert "メールアドレスの確認が完了します" in mail.outbox[0].body
    assert "example.com" not in mail.outbox[0].subject + mail.outbox[0].body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_mail_is_japanese(client, citizen, settings):
    response = client.post(reverse("account_reset_password"), {"email": citizen.email})

    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "新しいパスワードを設定してください" in body
    assert "/accounts/password/reset/key/" in body
    assert mail.outbox[0].subject.startswith(f"[{settings.SITE_TITLE}] ")
