"""Staff workbench API: same permissions and masking as the pages."""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import AuditEvent
from opinions.models import OpinionGroup

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_groups_are_seeded_answered_and_approved_over_the_api(case, submissions, people, second_kouchou):
    consultation, sections = case
    staff, kacho, kouchou = (_client(people[k]) for k in ("staff", "kacho", "kouchou"))
    approver = _client(second_kouchou)  # not the one who checked (職務の分離)
    base = f"/api/v1/staff/consultations/{consultation.pk}"

    seeded = staff.post(f"{base}/opinion-groups/seed/")
    assert seeded.status_code == HTTPStatus.OK
    assert seeded.json() == {
        "items_created": 5,
        "groups_created": 3,
        "items_grouped": 5,
    }
    groups = staff.get(f"{base}/opinion-groups/").json()
    assert [g["item_count"] for g in groups] == [3, 1, 1]

    group_id = groups[0]["id"]
    bad = staff.patch(f"/api/v1/staff/opinion-groups/{group_id}/", {"revised": True}, format="json")
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert bad.json() == {"revised_text": ["修正する場合は修正後の文案を入力してください。"]}

    for group in groups:
        response = staff.patch(
            f"/api/v1/staff/opinion-groups/{group['id']}/",
            {
                "summary": "歩道に関する意見",
                "response": "計画に反映します。",
                "decision": "reflected",
                "section_id": sections[0].pk,
            },
            format="json",
        )
        assert response.status_code == HTTPStatus.OK, response.json()
        assert response.json()["section"] == "2-1 歩道の整備"
        url = f"/api/v1/staff/opinion-groups/{group['id']}/review/"
        assert staff.post(url, {"action": "approve_department"}, format="json").status_code == HTTPStatus.FORBIDDEN
        assert kacho.post(url, {"action": "approve_department"}, format="json").status_code == HTTPStatus.OK
        assert kouchou.post(url, {"action": "check"}, format="json").status_code == HTTPStatus.OK
        final = approver.post(url, {"action": "approve"}, format="json")
        assert final.status_code == HTTPStatus.OK and final.json()["review"] == "approved"

    counts = staff.get(f"{base}/opinion-counts/").json()
    assert counts["submissions"] == counts["items"] == counts["grouped_items"] == 5
    assert counts["reconciled"] is True and counts["issues"] == []
    assert {c["channel"]: c["items"] for c in counts["by_channel"]} == {
        "web": 2,
        "post": 1,
        "fax": 1,
        "email": 1,
    }
    assert AuditEvent.objects.filter(action="opinion_group.review.approve").count() == 3


def test_department_user_gets_404_for_another_departments_case(case, submissions, people):
    consultation, _sections = case
    _client(people["kouchou"]).post(f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/seed/")
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    outsider = _client(people["outsider"])
    base = f"/api/v1/staff/consultations/{consultation.pk}"
    assert outsider.get(f"{base}/opinion-groups/").status_code == HTTPStatus.NOT_FOUND
    assert outsider.get(f"{base}/opinion-counts/").status_code == HTTPStatus.NOT_FOUND
    assert outsider.post(f"{base}/opinion-groups/seed/").status_code == HTTPStatus.NOT_FOUND
    assert outsider.get(f"/api/v1/staff/opinion-groups/{group.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert (
        outsider.patch(f"/api/v1/staff/opinion-groups/{group.pk}/", {"summary": "x"}, format="json").status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        outsider.post(
            f"/api/v1/staff/opinion-groups/{group.pk}/withhold/",
            {"reason": "x"},
            format="json",
        ).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        outsider.post(
            f"{base}/submissions/{submissions['multi'].pk}/split/",
            {"parts": ["歩道"]},
            format="json",
        ).status_code
        == HTTPStatus.NOT_FOUND
    )
    group.refresh_from_db()
    assert group.summary == "" and not group.withheld


def test_citizens_and_anonymous_clients_are_refused(case):
    consultation, _sections = case
    url = f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/"
    assert APIClient().get(url).status_code == HTTPStatus.UNAUTHORIZED
    from tests.accounts.factories import UserFactory

    assert _client(UserFactory()).get(url).status_code == HTTPStatus.FORBIDDEN


def test_item_texts_are_masked_unless_the_user_may_see_personal_data(case, submissions, people):
    consultation, _sections = case
    _client(people["kouchou"]).post(f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/seed/")
    group = submissions["multi"].items.get().group
    url = f"/api/v1/staff/opinion-groups/{group.pk}/"
    staff_items = _client(people["staff"]).get(url).json()["items"]
    assert staff_items[0]["masked"] is True and "［氏名］" in staff_items[0]["text"]
    assert "川口太郎" not in str(_client(people["staff"]).get(url).json())
    kouchou_items = _client(people["kouchou"]).get(url).json()["items"]
    assert kouchou_items[0]["masked"] is False and "川口太郎" in kouchou_items[0]["text"]


def test_split_and_move_over_the_api(case, submissions, people):
    consultation, _sections = case
    staff = _client(people["staff"])
    base = f"/api/v1/staff/consultations/{consultation.pk}"
    split = staff.post(
        f"{base}/submissions/{submissions['multi'].pk}/split/",
        {
            "parts": [
                "歩道の幅を広げてください。",
                "自転車レーンを青色で塗装してください。",
            ]
        },
        format="json",
    )
    assert split.status_code == HTTPStatus.OK
    item_ids = [i["id"] for i in split.json()]
    moved = staff.post(
        f"{base}/opinion-items/move/",
        {"item_ids": item_ids, "group_id": None},
        format="json",
    )
    assert moved.status_code == HTTPStatus.OK and moved.json()["item_count"] == 2
    wrong = staff.post(
        f"{base}/submissions/{submissions['multi'].pk}/split/",
        {"parts": ["存在しない文"]},
        format="json",
    )
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "1番目の部分" in wrong.json()["non_field_errors"][0]


def test_withhold_over_the_api_requires_a_reason(case, submissions, people):
    consultation, _sections = case
    staff = _client(people["staff"])
    staff.post(f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/seed/")
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    url = f"/api/v1/staff/opinion-groups/{group.pk}/withhold/"
    assert staff.post(url, {"reason": ""}, format="json").status_code == HTTPStatus.BAD_REQUEST
    done = staff.post(url, {"reason": "第三者の利益を害するおそれ"}, format="json")
    assert done.status_code == HTTPStatus.OK and done.json()["withheld"] is True


def test_workbench_endpoints_are_documented(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    text = path.read_text(encoding="utf-8")
    for endpoint in (
        "/api/v1/staff/consultations/{id}/opinion-groups/",
        "/api/v1/staff/consultations/{id}/opinion-counts/",
        "/api/v1/staff/opinion-groups/{group_pk}/",
        "/api/v1/staff/opinion-groups/{group_pk}/review/",
        "/api/v1/staff/opinion-groups/{group_pk}/withhold/",
    ):
        assert f"  {endpoint}:" in text


def _enrol_totp(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    from tests.accounts.totp import new_totp_secret

    Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.TOTP,
        data={"secret": encrypt(new_totp_secret())},
    )


def test_a_password_session_without_totp_is_refused_until_totp_is_enrolled(case, submissions, people, org):
    from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
    from tests.accounts.factories import StaffUserFactory

    consultation, _sections = case
    _client(people["kouchou"]).post(f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/seed/")
    group = submissions["multi"].items.get().group
    base = f"/api/v1/staff/consultations/{consultation.pk}"
    calls = [
        ("get", f"{base}/opinion-groups/", None),
        ("get", f"/api/v1/staff/opinion-groups/{group.pk}/", None),
        ("post", f"{base}/opinion-groups/seed/", None),
        (
            "patch",
            f"/api/v1/staff/opinion-groups/{group.pk}/",
            {"summary": "パスワードだけで書いた"},
        ),
        (
            "post",
            f"/api/v1/staff/opinion-groups/{group.pk}/withhold/",
            {"reason": "パスワードだけ"},
        ),
    ]
    for roles, department in (
        ([KOUCHOU], org["kocho"]),
        ([DEPARTMENT_STAFF], org["road"]),
    ):
        user = StaffUserFactory(roles=roles, department=department, with_totp=False)
        session = APIClient()
        session.force_login(user)
        for method, url, body in calls:
            response = getattr(session, method)(url, body, format="json")
            assert response.status_code == HTTPStatus.FORBIDDEN, (roles, method, url)
        assert "川口太郎" not in str(session.get(f"/api/v1/staff/opinion-groups/{group.pk}/").content.decode())
        group.refresh_from_db()
        assert group.summary == "" and not group.withheld

        _enrol_totp(user)
        for method, url, body in calls[:3]:
            assert getattr(session, method)(url, body, format="json").status_code == HTTPStatus.OK, (roles, url)
    # The last one enrolled (department staff) may now edit and withhold.
    assert session.patch(calls[3][1], calls[3][2], format="json").status_code == HTTPStatus.OK
    assert session.post(calls[4][1], calls[4][2], format="json").status_code == HTTPStatus.OK
    group.refresh_from_db()
    assert group.summary == "パスワードだけで書いた" and group.withheld


def test_a_token_counts_as_the_second_factor(case, submissions, people, org):
    from accounts.roles import DEPARTMENT_STAFF
    from tests.accounts.factories import StaffUserFactory

    consultation, _sections = case
    user = StaffUserFactory(roles=[DEPARTMENT_STAFF], department=org["road"], with_totp=False)
    url = f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/"
    assert _client(user).get(url).status_code == HTTPStatus.OK


def test_kouchou_reading_an_original_with_personal_data_in_a_group_is_logged(case, submissions, people):
    consultation, _sections = case
    _client(people["kouchou"]).post(f"/api/v1/staff/consultations/{consultation.pk}/opinion-groups/seed/")
    opened = AuditEvent.objects.filter(action="pii.view_original")
    multi = submissions["multi"]
    group_url = f"/api/v1/staff/opinion-groups/{multi.items.get().group.pk}/"
    assert "川口太郎" in str(_client(people["kouchou"]).get(group_url).json()["items"])
    row = opened.get()
    assert (row.actor, row.target_type, row.target_id) == (
        people["kouchou"],
        "feedback.submission",
        str(multi.pk),
    )
    assert row.summary == "個人情報を含む原文を表示"
    # The campaign copies hold no personal data (masked copy == original): nothing to log.
    campaign = OpinionGroup.objects.get(campaign_key="campaign-1")
    _client(people["kouchou"]).get(f"/api/v1/staff/opinion-groups/{campaign.pk}/")
    assert opened.count() == 1
    # The 課 reads the masked copy.
    _client(people["staff"]).get(group_url)
    assert opened.count() == 1
