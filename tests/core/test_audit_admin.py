from http import HTTPStatus

import pytest

from accounts.roles import ADMIN
from core.models import AuditEvent
from core.services import audit_record
from tests.accounts.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


def test_admins_search_and_export_the_audit_log_and_the_export_is_logged(client):
    admin_user = StaffUserFactory(roles=[ADMIN])
    audit_record(
        actor=admin_user,
        action="pii.view",
        target_type="feedback.submission",
        target_id=42,
        summary="閲覧",
    )
    audit_record(
        actor=admin_user,
        action="submission.assign",
        target_type="feedback.submission",
        target_id=43,
    )
    client.force_login(admin_user)
    page = client.get("/admin/core/auditevent/?q=pii.view")
    assert page.status_code == HTTPStatus.OK
    assert "結果 1 (" in page.content.decode()  # one of the two rows matches
    ids = list(AuditEvent.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/core/auditevent/",
        {"action": "export_audit_csv", "_selected_action": ids},
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff日時,操作者,操作")
    assert "\r\n" in body and "pii.view" in body and "submission.assign" in body
    assert AuditEvent.objects.filter(action="audit.export").count() == 1


def test_audit_csv_neutralises_formula_injection(client):
    import csv
    import io

    admin_user = StaffUserFactory(roles=[ADMIN])
    injection = '=HYPERLINK("http://x")'
    audit_record(actor=admin_user, action="x", target_type="t", target_id=1, summary=injection)
    client.force_login(admin_user)
    ids = list(AuditEvent.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/core/auditevent/",
        {"action": "export_audit_csv", "_selected_action": ids},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    summaries = [row[5] for row in rows[1:]]
    assert "'" + injection in summaries and injection not in summaries


def test_audit_rows_cannot_be_changed_through_the_admin(client):
    admin_user = StaffUserFactory(roles=[ADMIN])
    event = audit_record(actor=admin_user, action="x", target_type="t", target_id=1)
    client.force_login(admin_user)
    client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()
