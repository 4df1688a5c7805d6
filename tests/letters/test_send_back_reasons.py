"""Issue #13: every approval stage of a 市長への手紙 reply may send it back, and only with a reason.

The 市長's stage (#15) is tried on a letter marked 市長確認が必要, the others
on an unmarked one.

The reason is required in the service, on the page and over the API (blank
or only spaces: 「差し戻す理由を入力してください。」), and is kept in the
approval record, the audit row and the case's 経過.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEvent
from letters import workflow
from letters.models import LetterApproval, LetterCase
from letters.selectors.actions import letter_allowed_actions
from letters.selectors.case import letter_history_rows
from letters.services import letter_reply_approve, letter_reply_draft, letter_route
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db
Status = LetterCase.Status
REQUIRED = "差し戻す理由を入力してください。"
REASON = "回答の根拠となる計画名と年度を明記してください。"
# The approval chain: who approves at each stage (people of tests/letters/conftest.py).
APPROVERS = {
    Status.DRAFTED: "kacho",
    Status.KACHO_APPROVED: "bucho",
    Status.BUCHO_APPROVED: "kouchou",
    Status.KOUCHOU_APPROVED: "mayor",
}
# Stages that only a letter marked 市長確認が必要 has (no next status without the mark).
MARKED_ONLY = {source for source, _stage, _who, unmarked, _marked in workflow.APPROVAL_CHAIN if unmarked is None}


def _at(status, case, people, org):
    """Route, draft and approve the case until it waits at ``status``."""
    letter_route(
        actor=people["kouchou"],
        case=case,
        category=letter_category(),
        department=org["koen"],
        mayor_review=status in MARKED_ONLY,
    )
    letter_reply_draft(actor=people["staff"], case=case, text="ご意見ありがとうございます。")
    for source, *_rest in workflow.APPROVAL_CHAIN:
        if source == status:
            break
        letter_reply_approve(actor=people[APPROVERS[source]], case=case, approved=True)
    case.refresh_from_db()
    assert case.status == status
    return case


STAGES = [pytest.param(source, stage, id=stage) for source, stage, *_rest in workflow.APPROVAL_CHAIN]


@pytest.mark.parametrize(("status", "stage"), STAGES)
def test_every_stage_offers_send_back_to_its_approver_and_refuses_it_without_a_reason(
    status, stage, letter, people, org
):
    case = _at(status, letter, people, org)
    approver = people[APPROVERS[status]]
    assert {"approve", "send_back"} <= set(letter_allowed_actions(user=approver, case=case))
    for blank in ("", "  ", "\u3000"):
        with pytest.raises(ValidationError) as exc:
            letter_reply_approve(actor=approver, case=case, approved=False, comment=blank, stage=stage)
        assert exc.value.messages == [REQUIRED]
    case.refresh_from_db()
    assert case.status == status
    assert not LetterApproval.objects.filter(case=case, approved=False).exists()


@pytest.mark.parametrize(("status", "stage"), STAGES)
def test_a_send_back_keeps_its_reason_in_the_record_the_audit_and_the_history(
    status, stage, client, letter, people, org
):
    case = _at(status, letter, people, org)
    approver = people[APPROVERS[status]]
    letter_reply_approve(actor=approver, case=case, approved=False, comment=f"  {REASON}  ", stage=stage)
    case.refresh_from_db()
    assert case.status == Status.ROUTED
    approval = LetterApproval.objects.get(case=case, approved=False)
    assert (approval.stage, approval.approver, approval.comment) == (stage, approver, REASON)
    event = AuditEvent.objects.get(action="letter.send_back", target_id=str(case.pk))
    assert REASON in event.summary and event.actor_id == approver.pk
    rows = [row for row in letter_history_rows(case=case) if row["label"] == "差し戻し"]
    assert len(rows) == 1 and REASON in rows[0]["summary"]
    client.force_login(people["staff"])
    page = client.get(reverse("staff:letter_detail", args=[case.pk])).content.decode()
    assert REASON in page and "差し戻し" in page


@pytest.mark.parametrize(("status", "stage"), STAGES)
def test_the_page_and_the_api_refuse_a_send_back_without_a_reason(status, stage, client, letter, people, org):
    case = _at(status, letter, people, org)
    approver = people[APPROVERS[status]]
    client.force_login(approver)
    page = client.get(reverse("staff:letter_detail", args=[case.pk])).content.decode()
    assert 'name="decision" value="send_back"' in page
    response = client.post(
        reverse("staff:letter_approve", args=[case.pk]),
        {"stage": stage, "decision": "send_back", "comment": "  "},
        follow=True,
    )
    assert REQUIRED in response.content.decode()
    api = APIClient()
    api.force_login(approver)
    answer = api.post(
        f"/api/v1/staff/letters/{case.pk}/approve/",
        {"approved": False, "comment": " ", "stage": stage},
        format="json",
    )
    if status in MARKED_ONLY:
        # The 市長確認 is given on the staff pages; the staff API is for those who work on letters.
        assert answer.status_code == HTTPStatus.FORBIDDEN
    else:
        assert answer.status_code == HTTPStatus.BAD_REQUEST
        assert REQUIRED in str(answer.json())
    case.refresh_from_db()
    assert case.status == status
