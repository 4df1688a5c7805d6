"""Publishing results screens every public text of the table; 広聴 may override, audited."""

from http import HTTPStatus

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from accounts.roles import ADMIN
from consultations.models import Consultation
from core.models import AuditEvent
from opinions.models import OpinionGroup
from opinions.services.answers import opinion_group_review, opinion_group_update
from results.services.publication import results_publish
from tests.accounts.factories import StaffUserFactory

from .conftest import DECIDED_ON, FINAL_URL, REVISION_SUMMARY, approve

pytestmark = pytest.mark.django_db

PHONE = "市民相談は048-222-1111へ。段差の解消を順次進めます。"


def _answer(group, people, **changes):
    values = {
        "summary": group.summary,
        "response": group.response,
        "decision": group.decision,
        "revised": group.revised,
        "revised_text": group.revised_text,
        "section": group.section,
        **changes,
    }
    return opinion_group_update(actor=people["staff"], group=group, **values)


def _approved_with(closed_case, people, **changes):
    """The case with the campaign group answered with ``changes``, every group approved."""
    consultation, groups = closed_case
    groups["campaign"] = _answer(groups["campaign"], people, **changes)
    for group in groups.values():
        approve(group, people)
    return consultation, groups


def _refusal(consultation, actor, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        results_publish(consultation=consultation, actor=actor, decided_on=DECIDED_ON, **kwargs)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED and consultation.published_at is None
    return exc.value


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"summary": "山田太郎さんほか2名からの意見"},
            "意見の概要（意見番号 {n}）に氏名「山田太郎」が含まれています。",
        ),
        ({"response": PHONE}, "市の考え方（意見番号 {n}）に電話番号「048-222-1111」が含まれています。"),
        (
            {"revised_text": "川口市青木2-1-1付近の歩道を優先して整備します。"},
            "修正後の文案（意見番号 {n}）に住所「川口市青木2-1-1」が含まれています。",
        ),
        (
            {"summary": "電話 XXX-XXXX-XXXX の〇〇です"},
            "意見の概要（意見番号 {n}）に伏せ字「XXX-XXXX-XXXX」が残っています。自動作成の下書きを編集してください。",
        ),
        (
            {"response": "個人番号123456789018の方"},
            "市の考え方（意見番号 {n}）にマイナンバー（個人番号）「123456789018」",
        ),
    ],
    ids=["summary-name", "response-phone", "revised-address", "summary-placeholder", "response-mynumber"],
)
def test_each_public_field_is_screened_before_publication(closed_case, people, changes, message):
    consultation, groups = _approved_with(closed_case, people, **changes)
    error = _refusal(consultation, people["kouchou"])
    expected = message.format(n=groups["campaign"].number)
    assert any(m.startswith(expected) for m in error.message_dict[NON_FIELD_ERRORS])


def test_a_withheld_group_is_not_published_so_not_screened(closed_case, people):
    consultation, groups = closed_case
    withheld = groups["withheld"]
    OpinionGroup.objects.filter(pk=withheld.pk).update(summary="隣家の山田一郎氏の庭木について")
    for group in groups.values():
        approve(group, people)
    published = results_publish(consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON)
    assert published.status == Consultation.Status.PUBLISHED


def test_kouchou_overrides_with_a_reason_and_it_is_audited(closed_case, people):
    consultation, _groups = _approved_with(closed_case, people, response=PHONE)
    published = results_publish(
        consultation=consultation,
        actor=people["kouchou"],
        decided_on=DECIDED_ON,
        screen_override=True,
        screen_override_reason="市の相談窓口の代表番号",
    )
    assert published.status == Consultation.Status.PUBLISHED
    event = AuditEvent.objects.get(action="public_text.screen_override")
    assert (event.target_type, event.target_id) == ("consultations.consultation", str(consultation.pk))
    assert event.actor_id == people["kouchou"].pk and event.summary == "市の相談窓口の代表番号"
    assert [f["text"] for f in event.after["findings"]] == ["048-222-1111"]


@pytest.mark.parametrize("who", ["admin", "kacho"])
def test_other_roles_cannot_override(closed_case, people, who):
    consultation, _groups = _approved_with(closed_case, people, response=PHONE)
    actor = StaffUserFactory(roles=[ADMIN]) if who == "admin" else people["kacho"]
    error = _refusal(consultation, actor, screen_override=True, screen_override_reason="確認済み")
    assert error.message_dict["screen_override"] == ["個人情報の指摘を確認して公表できるのは広聴担当だけです。"]
    assert not AuditEvent.objects.filter(action="public_text.screen_override").exists()


def test_the_admin_action_reports_the_findings(closed_case, people, rf):
    from unittest import mock

    from results.admin import publish_results

    consultation, _groups = _approved_with(closed_case, people, response=PHONE)
    request = rf.post("/admin/consultations/consultation/")
    request.user = people["kouchou"]
    modeladmin = mock.Mock()
    publish_results(modeladmin, request, Consultation.objects.filter(pk=consultation.pk))
    reported = modeladmin.message_user.call_args.args[1]
    assert "電話番号「048-222-1111」" in reported
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED


# ---- The staff page ----


def _url(consultation):
    return reverse("staff:results_publish", args=[consultation.pk])


def test_the_page_lists_the_findings_before_anyone_presses_publish(client, closed_case, people):
    consultation, groups = _approved_with(closed_case, people, response=PHONE)
    client.force_login(people["kouchou"])
    page = client.get(_url(consultation)).content.decode()
    number = groups["campaign"].number
    assert f"市の考え方（意見番号 {number}）に電話番号「048-222-1111」が含まれています。" in page
    assert reverse("staff:workbench_group", args=[consultation.pk, groups["campaign"].pk]) in page


def test_publishing_from_the_page_is_refused_and_keeps_what_was_typed(client, closed_case, people):
    consultation, _groups = _approved_with(closed_case, people, response=PHONE)
    client.force_login(people["kouchou"])
    response = client.post(_url(consultation), {"decided_on": "2026-03-10", "screen_override_reason": "下書き"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert 'class="error-summary"' in html and "電話番号「048-222-1111」" in html
    form = response.context["form"]
    assert form["decided_on"].value() == "2026-03-10" and form["screen_override_reason"].value() == "下書き"
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED


def test_kouchou_overrides_from_the_page(client, closed_case, people):
    consultation, _groups = _approved_with(closed_case, people, response=PHONE)
    client.force_login(people["kouchou"])
    response = client.post(
        _url(consultation),
        {
            "decided_on": "2026-03-10",
            "final_url": FINAL_URL,
            "revision_summary": REVISION_SUMMARY,
            "screen_override": "on",
            "screen_override_reason": "代表番号",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("results:detail", args=[consultation.pk])
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED
    assert AuditEvent.objects.get(action="public_text.screen_override").summary == "代表番号"


def test_a_clean_table_publishes_from_the_page(client, approved_case, people):
    consultation, _groups = approved_case
    client.force_login(people["kouchou"])
    assert "個人情報や伏せ字は見つかりませんでした" in client.get(_url(consultation)).content.decode()
    response = client.post(
        _url(consultation), {"decided_on": "2026-03-10", "final_url": FINAL_URL, "revision_summary": REVISION_SUMMARY}
    )
    assert response.status_code == HTTPStatus.FOUND
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED and consultation.decided_on == DECIDED_ON


def test_department_staff_do_not_reach_the_page(client, approved_case, people):
    consultation, _groups = approved_case
    client.force_login(people["kacho"])
    assert client.get(_url(consultation)).status_code == HTTPStatus.FORBIDDEN


# ---- A correction approved after publication goes public at once ----


@pytest.fixture
def corrected(published_case, people):
    """The published case with its campaign group sent back and answered with a phone number."""
    consultation, groups = published_case
    group = opinion_group_review(actor=people["kouchou"], group=groups["campaign"], action="send_back", comment="修正")
    group = _answer(group, people, response=PHONE)
    opinion_group_review(actor=people["kacho"], group=group, action="approve_department")
    opinion_group_review(actor=people["kouchou_check"], group=group, action="check")
    return consultation, group


def test_reapproving_a_published_group_is_screened(corrected, people):
    _consultation, group = corrected
    with pytest.raises(ValidationError) as exc:
        opinion_group_review(actor=people["kouchou"], group=group, action="approve")
    assert any("電話番号「048-222-1111」" in m for m in exc.value.messages)
    group.refresh_from_db()
    assert group.review == OpinionGroup.Review.KOUCHOU_CHECKED


def test_reapproval_override_by_kouchou_is_audited(corrected, people):
    _consultation, group = corrected
    opinion_group_review(
        actor=people["kouchou"],
        group=group,
        action="approve",
        screen_override=True,
        screen_override_reason="代表番号",
    )
    group.refresh_from_db()
    assert group.review == OpinionGroup.Review.APPROVED
    event = AuditEvent.objects.get(action="public_text.screen_override")
    assert (event.target_type, event.target_id) == ("opinions.opiniongroup", str(group.pk))


def test_reapproval_through_the_api_is_screened(corrected, people):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    consultation, group = corrected
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['kouchou']).key}")
    url = f"/api/v1/staff/opinion-groups/{group.pk}/review/"
    refused = api.post(url, {"action": "approve"}, format="json")
    assert refused.status_code == HTTPStatus.BAD_REQUEST, refused.content
    assert any("電話番号「048-222-1111」" in m for m in refused.json()["response"])
    done = api.post(
        url, {"action": "approve", "screen_override": True, "screen_override_reason": "代表番号"}, format="json"
    )
    assert done.status_code == HTTPStatus.OK, done.content
    assert AuditEvent.objects.filter(action="public_text.screen_override", target_id=str(group.pk)).exists()


def test_reapproval_on_the_group_page_offers_the_override(client, corrected, people):
    consultation, group = corrected
    client.force_login(people["kouchou"])
    url = reverse("staff:workbench_review", args=[consultation.pk, group.pk])
    response = client.post(url, {"review-action": "approve"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "電話番号「048-222-1111」" in html and 'name="review-screen_override"' in html
    response = client.post(
        url, {"review-action": "approve", "review-screen_override": "on", "review-screen_override_reason": "代表番号"}
    )
    assert response.status_code == HTTPStatus.FOUND
    group.refresh_from_db()
    assert group.review == OpinionGroup.Review.APPROVED
