from http import HTTPStatus

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from letters.models import LetterCase
from letters.services import letter_route
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db
BASE = "/api/v1/staff/letters/"


def _client(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_api_route_draft_and_approve_in_order(letter, people, org):
    case_url = f"{BASE}{letter.pk}/"
    kouchou = _client(people["kouchou"])
    listing = kouchou.get(BASE).json()
    assert [row["id"] for row in listing["results"]] == [letter.pk]
    assert "川口 太郎" in kouchou.get(case_url).json()["text"]
    response = kouchou.post(f"{case_url}route/", {"department": org["koen"].pk}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "分野（category）を指定してください。" in str(response.json())
    letter_category("roads", "道路・交通", order=40)
    response = kouchou.post(f"{case_url}route/", {"department": org["koen"].pk, "category": "roads"}, format="json")
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["status"] == "routed" and response.json()["due_on"]
    assert response.json()["category"] == "roads" and response.json()["mayor_review"] is False

    staff = _client(people["staff"])
    detail = staff.get(case_url).json()
    assert "川口 太郎" not in detail["text"] and "taro@example.jp" not in detail["text"]
    assert "draft" in detail["allowed_actions"]
    response = staff.post(f"{case_url}draft/", {"text": "回答します。"}, format="json")
    assert response.json()["pending_stage"] == "kacho"
    response = staff.post(f"{case_url}approve/", {"approved": True}, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN

    bucho = _client(people["bucho"])
    assert bucho.post(f"{case_url}approve/", {"approved": True}, format="json").status_code == HTTPStatus.FORBIDDEN
    kacho = _client(people["kacho"])
    response = kacho.post(f"{case_url}approve/", {"approved": True, "stage": "kacho"}, format="json")
    assert response.status_code == HTTPStatus.OK and response.json()["pending_stage"] == "bucho"
    response = kacho.post(f"{case_url}approve/", {"approved": True, "stage": "kacho"}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    response = bucho.post(f"{case_url}approve/", {"approved": False, "comment": ""}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "差し戻す理由" in str(response.json())
    response = bucho.post(f"{case_url}approve/", {"approved": True}, format="json")
    response = kouchou.post(f"{case_url}approve/", {"approved": True}, format="json")
    assert response.json()["status"] == "approved"
    assert [a["stage"] for a in response.json()["approvals"]] == [
        "kacho",
        "bucho",
        "kouchou",
    ]


def test_api_keeps_departments_apart(letter, people, org):
    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    other = _client(people["other_staff"])
    assert other.get(BASE).json()["results"] == []
    assert other.get(f"{BASE}{letter.pk}/").status_code == HTTPStatus.NOT_FOUND
    response = other.post(f"{BASE}{letter.pk}/draft/", {"text": "回答"}, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    response = other.post(
        f"{BASE}{letter.pk}/route/", {"department": org["kaigo"].pk, "category": letter_category().code}, format="json"
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    staff = _client(people["staff"])
    response = staff.post(
        f"{BASE}{letter.pk}/route/", {"department": org["kaigo"].pk, "category": letter_category().code}, format="json"
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.ROUTED and letter.submission.department == org["koen"]


def test_api_refuses_citizens_and_anonymous(letter, people):
    assert APIClient().get(BASE).status_code in (
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.FORBIDDEN,
    )
    assert _client(people["citizen"]).get(BASE).status_code == HTTPStatus.FORBIDDEN


def test_letter_endpoints_are_in_the_schema(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    text = path.read_text(encoding="utf-8")
    for endpoint in ("", "{id}/", "{id}/route/", "{id}/draft/", "{id}/approve/"):
        assert f"  /api/v1/staff/letters/{endpoint}:" in text


def test_api_list_is_paged_in_the_database(make_letter, people, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    cases = [make_letter(body=f"街灯の設置について（{n}）") for n in range(3)]
    api = _client(people["kouchou"])
    first = api.get(BASE).json()
    second = api.get(first["next"]).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and second["next"] is None
    assert {row["id"] for row in first["results"] + second["results"]} == {case.pk for case in cases}
    # Unrouted letters have no due date yet, so no 開庁日 are counted.
    assert all(row["days_left"] is None and row["overdue"] is False for row in first["results"])


def test_kouchou_reading_the_original_letter_over_the_api_is_logged(letter, people, org):
    from core.models import AuditEvent

    opened = AuditEvent.objects.filter(action="pii.view_original")
    assert "川口 太郎" in _client(people["kouchou"]).get(f"{BASE}{letter.pk}/").json()["text"]
    row = opened.get()
    assert (row.actor, row.target_type, row.target_id) == (
        people["kouchou"],
        "feedback.submission",
        str(letter.submission_id),
    )
    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    assert "川口 太郎" not in _client(people["staff"]).get(f"{BASE}{letter.pk}/").json()["text"]
    assert opened.count() == 1
