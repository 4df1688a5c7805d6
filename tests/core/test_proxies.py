"""Trusted proxies: the client address for limits and audit rows, and who may claim HTTPS."""

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import RequestFactory

from core.http import client_ip
from core.models import AuditEvent
from feedback.models import Submission
from tests.consultations.factories import ConsultationFactory

PROXY = "10.0.0.2"
BODY = "図書館の開館時間を延ばしてください。"


@pytest.fixture
def behind_proxy(settings):
    settings.KOE_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::1"]


def _ip(remote, xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("remote", "xff", "expected"),
    [
        # The proxy's view of the client.
        (PROXY, "198.51.100.7", "198.51.100.7"),
        # The client wrote the left entry itself; the proxy appended the truth.
        (PROXY, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        # Two of our proxies in a row: skip both.
        (PROXY, "198.51.100.7, 10.1.2.3", "198.51.100.7"),
        # Ports and IPv6 as proxies write them.
        (PROXY, "198.51.100.7:52311", "198.51.100.7"),
        (PROXY, "[2001:db8::42]:443", "2001:db8::42"),
        ("2001:db8::1", "198.51.100.7", "198.51.100.7"),
        # No header, or garbage: the nearest address a trusted hop vouched for.
        (PROXY, None, PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "unknown, 10.1.2.3", "10.1.2.3"),
        # Not from a proxy: the header is the client's own claim and is ignored.
        ("198.51.100.9", "203.0.113.66", "198.51.100.9"),
    ],
)
def test_client_ip_takes_the_rightmost_untrusted_hop(behind_proxy, remote, xff, expected):
    assert _ip(remote, xff) == expected


def test_without_trusted_proxies_remote_addr_is_the_client(settings):
    settings.KOE_TRUSTED_PROXIES = []
    assert _ip(PROXY, "198.51.100.7") == PROXY


@pytest.mark.django_db
def test_audit_rows_record_the_client_behind_the_proxy(api_client, behind_proxy):
    consultation = ConsultationFactory()
    response = api_client.post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        {"body": BODY},
        format="json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
    )
    assert response.status_code == HTTPStatus.CREATED
    assert AuditEvent.objects.get(action="submission.create").ip_address == "198.51.100.7"


@pytest.mark.django_db
def test_residents_behind_the_proxy_each_have_their_own_submission_limit(api_client, settings, behind_proxy):
    settings.KOE_SUBMIT_RATE = "1/h"
    consultation = ConsultationFactory()
    url = f"/api/v1/consultations/{consultation.pk}/submissions/"

    def post(client_address):
        return api_client.post(
            url, {"body": BODY}, format="json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address
        )

    assert post("198.51.100.1").status_code == HTTPStatus.CREATED
    assert post("198.51.100.2").status_code == HTTPStatus.CREATED
    limited = post("198.51.100.1")
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert "秒ほどたつと送信できます" in limited.json()["detail"]
    assert Submission.objects.count() == 2


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_does_not_escape_the_limit(api_client, settings, behind_proxy):
    settings.KOE_SUBMIT_RATE = "1/h"
    consultation = ConsultationFactory()
    url = f"/api/v1/consultations/{consultation.pk}/submissions/"
    statuses = [
        api_client.post(
            url, {"body": BODY}, format="json", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(3)
    ]
    assert statuses == [HTTPStatus.CREATED, HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.TOO_MANY_REQUESTS]


@pytest.fixture
def https_redirect(settings, behind_proxy):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.django_db
def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(client, https_redirect):
    from_proxy = client.get("/privacy/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    forged = client.get("/privacy/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https")

    assert from_proxy.status_code == HTTPStatus.OK
    # Not believed: the plain-HTTP request is sent to HTTPS.
    assert forged.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert forged["Location"].startswith("https://")


def test_forwarding_headers_from_an_untrusted_peer_are_dropped(behind_proxy):
    from core.http import TrustedProxyMiddleware

    seen = {}

    def view(request):
        seen.update(request.META)
        return None

    forged = RequestFactory().get(
        "/",
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="203.0.113.1",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="evil.example",
    )
    TrustedProxyMiddleware(view)(forged)
    assert not {"HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST"} & set(seen)

    trusted = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    TrustedProxyMiddleware(view)(trusted)
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"


def test_a_malformed_trusted_proxy_setting_refuses_to_start():
    env = {
        **os.environ,
        "KOE_TRUSTED_PROXIES": "10.0.0.0/8,proxy.example",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.test"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "KOE_TRUSTED_PROXIES" in result.stderr and "proxy.example" in result.stderr
