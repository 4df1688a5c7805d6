"""Staff must enrol TOTP before they reach /staff/ or /admin/."""

import base64
import re
import time
from http import HTTPStatus
from urllib.parse import unquote

import pytest
from allauth.mfa.models import Authenticator
from django.urls import NoReverseMatch, reverse

from accounts.roles import ADMIN, KOUCHOU
from core.models import AuditEvent

from .factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory
from .totp import totp_code

pytestmark = pytest.mark.django_db


def _staff_home_url():
    try:
        return reverse("staff:home")
    except NoReverseMatch:  # written by another team; fall back to the prefix
        return "/staff/"


def _login(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    return response


def _reauthenticate(client):
    """allauth asks for the password again before any MFA change."""
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]


def _activate_totp(client):
    """Enrol TOTP the way a person does: read the secret, type a code."""
    # Right after signing in, the first enrolment asks no password again (#13).
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.OK
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    return response


@pytest.mark.parametrize("path", ["/staff/", "/admin/"])
def test_staff_without_totp_is_sent_to_totp_activation(client, path):
    staff = StaffUserFactory(roles=[KOUCHOU, ADMIN], with_totp=False)
    client.force_login(staff)

    response = client.get(path)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert unquote(response["Location"]).endswith(f"next={path}")


def test_staff_reaches_staff_pages_after_activating_totp(client):
    staff = StaffUserFactory(roles=[KOUCHOU, ADMIN], with_totp=False)
    _login(client, staff)
    assert client.get("/admin/")["Location"].startswith(reverse("mfa_activate_totp"))

    response = _activate_totp(client)

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert "<h1>リカバリーコード</h1>" in client.get(response["Location"]).content.decode()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == HTTPStatus.OK
    staff_response = client.get(_staff_home_url())
    assert not staff_response.get("Location", "").startswith(reverse("mfa_activate_totp"))


def test_totp_activation_page_shows_qr_without_inline_script(client):
    staff = StaffUserFactory(with_totp=False)
    _login(client, staff)
    _reauthenticate(client)

    response = client.get(reverse("mfa_activate_totp"))

    html = response.content.decode()
    match = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"[^>]*alt="([^"]+)"', html)
    assert match, "QR code image missing"
    assert base64.b64decode(match.group(1)).lstrip().startswith((b"<?xml", b"<svg"))
    assert response.context["form"].secret not in match.group(2)  # alt text is not the secret
    assert "<script" not in html.split("</main>")[0].split('<main id="main"')[1]
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_totp_secret_is_stored_encrypted(client):
    staff = StaffUserFactory()
    stored = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP).data["secret"]

    assert stored != staff.totp_secret
    assert staff.totp_secret not in stored


def test_staff_with_totp_must_enter_code_at_login(client):
    staff = StaffUserFactory()

    response = _login(client, staff)

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "<h1>2段階認証</h1>" in page
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff.totp_secret)})
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_staff_cannot_deactivate_totp(client):
    staff = StaffUserFactory()
    _login(client, staff)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(staff.totp_secret)})
    _reauthenticate(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert "職員のアカウントは2段階認証を無効にできません" in response.content.decode()


def test_citizen_is_refused_staff_pages(client):
    citizen = UserFactory()
    client.force_login(citizen)

    admin_response = client.get("/admin/")
    assert admin_response.status_code == HTTPStatus.FOUND
    assert admin_response["Location"].startswith("/admin/login/")

    staff_response = client.get(_staff_home_url())
    assert staff_response.status_code in (
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
        HTTPStatus.NOT_FOUND,
    )
    if staff_response.status_code == HTTPStatus.FOUND:
        assert not staff_response["Location"].startswith(reverse("mfa_activate_totp"))


def test_anonymous_is_not_sent_to_mfa(client):
    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/admin/login/")


def test_staff_security_events_are_audited(client, django_capture_on_commit_callbacks):
    staff = StaffUserFactory(with_totp=False)
    _login(client, staff)
    _reauthenticate(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    actions = set(AuditEvent.objects.filter(actor=staff).values_list("action", flat=True))
    assert {"staff.login", "mfa.added"} <= actions
    login = AuditEvent.objects.get(actor=staff, action="staff.login")
    assert login.ip_address == "127.0.0.1"


def test_wrong_totp_code_at_login_is_audited_for_staff(client):
    staff = StaffUserFactory()
    _login(client, staff)

    stale_code = totp_code(staff.totp_secret, at=time.time() - 3600)
    response = client.post(reverse("mfa_authenticate"), {"code": stale_code})

    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(actor=staff, action="mfa.failed").exists()
    assert 'class="error-summary"' in response.content.decode()


def test_citizen_login_is_not_audited(client):
    citizen = UserFactory()

    _login(client, citizen)

    assert not AuditEvent.objects.filter(actor=citizen).exists()


def test_admin_login_form_cannot_bypass_totp(client):
    staff = StaffUserFactory(roles=[ADMIN])

    response = client.post("/admin/login/", {"username": staff.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_citizen_gets_403_from_admin_login(client):
    client.force_login(UserFactory())

    assert client.get("/admin/login/").status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("path", ["/admin/accounts/user/", "/admin/accounts/department/add/"])
def test_admin_pages_need_totp_even_for_superusers(client, path):
    superuser = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True, with_totp=False)
    client.force_login(superuser)

    response = client.get(path)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_admin_site_itself_refuses_staff_without_totp(rf):
    """Not only the middleware: the admin site's own check asks the access module."""
    from django.contrib import admin

    superuser = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True, with_totp=False)
    request = rf.get("/admin/")
    request.user = superuser
    assert admin.site.has_permission(request) is False
    request.user = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    assert admin.site.has_permission(request) is True


def test_staff_view_decorator_refuses_staff_without_totp(rf):
    """A staff page mounted outside /staff/ still asks for TOTP."""
    from django.http import HttpResponse

    from accounts.decorators import staff_member_required

    view = staff_member_required(KOUCHOU)(lambda request: HttpResponse("ok"))
    request = rf.get("/elsewhere/")
    request.user = StaffUserFactory(roles=[KOUCHOU], with_totp=False)
    response = view(request)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    request.user = StaffUserFactory(roles=[KOUCHOU])
    assert view(request).status_code == HTTPStatus.OK


def test_staff_land_on_the_staff_home_after_login_and_residents_on_their_submissions(client, db):
    from django.urls import reverse

    from accounts.roles import KOUCHOU
    from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

    resident = UserFactory()
    response = client.post(reverse("account_login"), {"login": resident.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("feedback:my_submissions")
    client.logout()
    staff = StaffUserFactory(roles=[KOUCHOU], with_totp=False)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("staff:home")
    # Without TOTP, the staff home sends them to enrol, and back to the staff home after it.
    enrol = client.get(reverse("staff:home"))
    assert enrol.status_code == 302 and "next=%2Fstaff%2F" in enrol["Location"]


def test_first_enrolment_right_after_sign_in_asks_no_password_again_but_changes_later_do(client, db):
    import re

    from django.urls import reverse

    from accounts.roles import KOUCHOU
    from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory
    from tests.accounts.totp import totp_code

    staff = StaffUserFactory(roles=[KOUCHOU], with_totp=False)
    client.post(reverse("account_login"), {"login": staff.email, "password": DEFAULT_PASSWORD})
    activate = client.get(reverse("mfa_activate_totp") + "?next=/staff/")
    assert activate.status_code == 200  # not the 再認証 page
    secret = re.search(r"[A-Z2-7]{32}", activate.content.decode()).group(0)
    enrolled = client.post(reverse("mfa_activate_totp") + "?next=/staff/", {"code": totp_code(secret)})
    assert enrolled.status_code == 302
    assert client.get(enrolled["Location"]).status_code == 200  # its recovery codes, shown once

    # A second factor from before this sign-in is changed only after 再認証.
    client.logout()
    enrolled_before = StaffUserFactory(roles=[KOUCHOU])
    client.force_login(enrolled_before)
    deactivate = client.get(reverse("mfa_deactivate_totp"))
    assert deactivate.status_code == 302 and "/reauthenticate/" in deactivate["Location"]
