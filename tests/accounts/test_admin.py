from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.roles import ADMIN, DEPARTMENT_STAFF, KOUCHOU, user_roles
from core.models import AuditEvent

from .factories import DepartmentFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin_user = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    client.admin_user = admin_user
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_department_changelist",
    ],
)
def test_admin_pages_render(admin_client, url_name):
    DepartmentFactory()

    assert admin_client.get(reverse(url_name)).status_code == HTTPStatus.OK


def test_admin_role_change_goes_through_service(admin_client):
    user = StaffUserFactory(roles=[DEPARTMENT_STAFF])
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "department": user.department_id,
        "roles": [KOUCHOU],
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-04-01",
        "date_joined_1": "09:00:00",
    }

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user_roles(user) == {KOUCHOU}
    event = AuditEvent.objects.get(action="user.set_roles")
    assert event.actor == admin_client.admin_user
