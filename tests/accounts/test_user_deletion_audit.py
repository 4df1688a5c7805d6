"""Deleting an account leaves the audit log as it was, plus one row saying who deleted whom."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.deletion_audit import user_delete, user_deletion_actor
from accounts.models import User
from accounts.roles import ADMIN, KOUCHOU
from core.models import AuditEvent
from core.services import audit_record
from tests.accounts.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("id", "occurred_at", "actor_id", "actor_label", "action", "target_type", "target_id", "summary")


def _rows():
    return list(AuditEvent.objects.exclude(action="user.delete").order_by("id").values_list(*COLUMNS))


@pytest.fixture
def staff_with_history():
    staff = StaffUserFactory(roles=[KOUCHOU], display_name="広聴 一郎")
    audit_record(actor=staff, action="pii.view", target_type="feedback.submission", target_id=7)
    audit_record(actor=staff, action="letter.publish", target_type="letters.lettercase", target_id=3)
    return staff


def test_deleting_a_user_leaves_their_audit_rows_unchanged(staff_with_history):
    staff, pk = staff_with_history, staff_with_history.pk
    before = _rows()
    with CaptureQueriesContext(connection) as queries:
        staff.delete()
    assert not [q["sql"] for q in queries.captured_queries if "UPDATE" in q["sql"] and "core_auditevent" in q["sql"]]
    assert _rows() == before
    kept = AuditEvent.objects.filter(action="pii.view").get()
    assert (kept.actor_id, kept.actor_label) == (pk, "広聴 一郎")


def test_the_deletion_itself_is_a_row(staff_with_history):
    staff, pk = staff_with_history, staff_with_history.pk
    admin = StaffUserFactory(roles=[ADMIN], display_name="管理 花子")
    user_delete(user=staff, actor=admin, reason="退職", ip_address="203.0.113.5")
    event = AuditEvent.objects.get(action="user.delete")
    assert (event.target_type, event.target_id) == ("accounts.user", str(pk))
    assert (event.actor_id, event.actor_label) == (admin.pk, "管理 花子")
    assert event.before["label"] == "広聴 一郎" and event.before["roles"] == [KOUCHOU]
    assert event.after == {"deleted": True, "reason": "退職"}
    assert event.ip_address == "203.0.113.5"
    assert "広聴 一郎" in event.summary and "退職" in event.summary


def test_any_deletion_path_is_recorded_even_without_an_actor(staff_with_history):
    resident = UserFactory(email="hanako@example.jp")
    User.objects.filter(pk__in=[staff_with_history.pk, resident.pk]).delete()
    events = AuditEvent.objects.filter(action="user.delete")
    assert sorted(e.target_id for e in events) == sorted([str(staff_with_history.pk), str(resident.pk)])
    assert {e.actor_label for e in events} == {"システム"} and all(e.actor_id is None for e in events)


def test_a_resident_deleting_their_account_is_named_by_id_not_by_e_mail():
    resident = UserFactory(email="hanako@example.jp", display_name="")
    pk = resident.pk
    with user_deletion_actor(resident):
        resident.delete()
    event = AuditEvent.objects.get(action="user.delete")
    assert event.actor_id == pk
    assert event.actor_label == f"本人（市民 #{pk}）"
    assert "hanako@example.jp" not in f"{event.summary}{event.before}{event.actor_label}"


def test_a_deletion_that_rolls_back_leaves_no_row(staff_with_history):
    pk = staff_with_history.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        staff_with_history.delete()
        raise RuntimeError
    assert User.objects.filter(pk=pk).exists()
    assert not AuditEvent.objects.filter(action="user.delete").exists()


def test_deleting_through_the_admin_names_the_admin_and_the_log_still_shows(client, staff_with_history):
    admin = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin)
    pk = staff_with_history.pk
    response = client.post(f"/admin/accounts/user/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="user.delete", target_id=str(pk))
    assert event.actor_id == admin.pk
    # A row whose actor is gone still opens in the audit admin, with its id and label.
    row = AuditEvent.objects.get(action="pii.view")
    page = client.get(f"/admin/core/auditevent/{row.pk}/change/")
    assert page.status_code == 200 and "広聴 一郎" in page.content.decode()
    listing = client.get("/admin/core/auditevent/").content.decode()
    assert "広聴 一郎" in listing


def test_bulk_deletion_in_the_admin_is_recorded_per_account(client):
    admin = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    others = [UserFactory(), UserFactory()]
    client.force_login(admin)
    client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [u.pk for u in others], "post": "yes"},
    )
    events = AuditEvent.objects.filter(action="user.delete")
    assert sorted(e.target_id for e in events) == sorted(str(u.pk) for u in others)
    assert all(e.actor_id == admin.pk for e in events)
