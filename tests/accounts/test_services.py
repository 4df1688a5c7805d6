import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.roles import (
    ADMIN,
    CITIZEN,
    DEPARTMENT_STAFF,
    KOUCHOU,
    is_staff_member,
    user_roles,
)
from accounts.services import api_token_issue, user_create_staff, user_set_roles
from core.models import AuditEvent

from .factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kawaguchi-tatara-2026"


def test_user_create_staff_creates_verified_staff_with_audit_row(department):
    user = user_create_staff(
        email="Kocho@City.Example.jp",
        password=PASSWORD,
        department=department,
        roles=[KOUCHOU],
        display_name="広聴 花子",
    )

    assert user.email == "Kocho@city.example.jp"
    assert user.check_password(PASSWORD)
    assert user.department == department
    assert user_roles(user) == {KOUCHOU}
    assert is_staff_member(user)
    assert user.is_staff is False  # the admin site is for the admin role only
    assert EmailAddress.objects.get(user=user).verified
    event = AuditEvent.objects.get(action="user.create_staff")
    assert event.target_id == str(user.pk)
    assert event.after["roles"] == [KOUCHOU]
    assert PASSWORD not in str(event.after)


def test_user_create_staff_with_admin_role_may_use_admin_site():
    user = user_create_staff(email="admin@city.example.jp", password=PASSWORD, roles=[ADMIN])

    assert user.is_staff is True


@pytest.mark.parametrize(
    ("roles", "code"),
    [(["governor"], "unknown_role"), ([CITIZEN], "no_staff_role"), ([], "no_staff_role")],
)
def test_user_create_staff_rejects_bad_roles(roles, code):
    with pytest.raises(ValidationError) as excinfo:
        user_create_staff(email="x@city.example.jp", password=PASSWORD, roles=roles)

    assert excinfo.value.code == code
    assert not User.objects.exists()


def test_user_create_staff_rejects_weak_password():
    with pytest.raises(ValidationError):
        user_create_staff(email="x@city.example.jp", password="12345", roles=[KOUCHOU])


def test_user_set_roles_replaces_roles_and_records_before_and_after():
    actor = StaffUserFactory(roles=[ADMIN])
    user = StaffUserFactory(roles=[DEPARTMENT_STAFF])

    user_set_roles(user=user, roles=[KOUCHOU, ADMIN], actor=actor)

    user.refresh_from_db()
    assert user_roles(user) == {KOUCHOU, ADMIN}
    assert user.is_staff is True
    event = AuditEvent.objects.get(action="user.set_roles")
    assert event.actor == actor
    assert event.before == {"roles": [DEPARTMENT_STAFF]}
    assert event.after == {"roles": [ADMIN, KOUCHOU]}


def test_user_set_roles_without_change_writes_no_audit_row():
    user = UserFactory()

    user_set_roles(user=user, roles=[CITIZEN])

    assert not AuditEvent.objects.filter(action="user.set_roles").exists()


def test_api_token_issue_rotates_and_never_logs_the_key():
    staff = StaffUserFactory()

    first = api_token_issue(user=staff)
    second = api_token_issue(user=staff)

    assert first != second
    assert staff.auth_token.key == second
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["api_token.issue", "api_token.rotate"]
    for event in AuditEvent.objects.all():
        assert first not in event.summary and second not in event.summary


def test_api_token_issue_refuses_citizens():
    with pytest.raises(ValidationError):
        api_token_issue(user=UserFactory())
