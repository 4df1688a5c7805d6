"""#15: the optional 市長確認 at the end of the approval chain, for letters 広聴 marks 市長確認が必要.

A marked letter is approved by 課長 → 部長 → 広聴 → 市長 (or 秘書課) and cannot
be sent before the 市長 approves; an unmarked letter keeps 課長 → 部長 → 広聴.
Only 広聴 sets or clears the mark; only 市長・秘書課 give the 市長's approval,
and they see the marked letters only, without the writer's details.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import ADMIN
from core.models import AuditEvent
from letters.models import LetterApproval, LetterCase
from letters.services import (
    letter_mayor_review_set,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_send,
    letter_route,
)
from tests.accounts.factories import StaffUserFactory
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db
Status = LetterCase.Status
REPLY = "ご意見ありがとうございます。青木町公園には来年度ベンチを3基増設する予定です。"
NOT_SENDABLE = "広聴の確認が済んだ回答だけを送付できます。"
SEND_LABEL = "回答を送付する（メール希望はメール送信、郵送希望は郵送済みとして記録）"


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def _url(name, case):
    return reverse(f"staff:{name}", args=[case.pk])


def _through_kouchou(case, people, org, *, marked):
    """Route (marked or not), draft, and approve 課長 → 部長 → 広聴."""
    letter_route(
        actor=people["kouchou"], case=case, department=org["koen"], category=letter_category(), mayor_review=marked
    )
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    for who in ("kacho", "bucho", "kouchou"):
        letter_reply_approve(actor=people[who], case=case, approved=True)
    case.refresh_from_db()
    return case


def _stages(case):
    return list(LetterApproval.objects.filter(case=case, approved=True).values_list("stage", flat=True))


def test_a_marked_letter_waits_for_the_mayor_and_cannot_be_sent_before(client, letter, people, org):
    case = _through_kouchou(letter, people, org, marked=True)
    assert case.status == Status.KOUCHOU_APPROVED
    with pytest.raises(ValidationError) as exc:
        letter_reply_send(actor=people["kouchou"], case=case)
    assert exc.value.messages == [NOT_SENDABLE]
    page = _as(client, people["kouchou"]).get(_url("letter_detail", case)).content.decode()
    assert "広聴確認済み（市長確認待ち）" in page and SEND_LABEL not in page
    assert "印刷用の回答文を開く" not in page  # nothing to print before the 市長 approves
    response = client.post(_url("letter_send", case), follow=True)
    assert NOT_SENDABLE in response.content.decode()
    assert LetterCase.objects.get(pk=case.pk).status == Status.KOUCHOU_APPROVED

    # The 市長 (秘書課) approves on the letter's page; then 広聴 may send it.
    _as(client, people["mayor"])
    page = client.get(_url("letter_detail", case)).content.decode()
    assert "承認する" in page and 'name="stage" value="mayor"' in page
    response = client.post(_url("letter_approve", case), {"stage": "mayor", "decision": "approve"})
    assert response.status_code == HTTPStatus.FOUND
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert _stages(case) == ["kacho", "bucho", "kouchou", "mayor"]
    page = _as(client, people["kouchou"]).get(_url("letter_detail", case)).content.decode()
    assert SEND_LABEL in page and "<td>市長</td>" in page  # the approval record names the stage
    assert letter_reply_send(actor=people["kouchou"], case=case).status == Status.SENT


def test_an_unmarked_letter_keeps_todays_chain(client, letter, people, org):
    case = _through_kouchou(letter, people, org, marked=False)
    assert case.status == Status.APPROVED and _stages(case) == ["kacho", "bucho", "kouchou"]
    page = _as(client, people["kouchou"]).get(_url("letter_detail", case)).content.decode()
    assert SEND_LABEL in page and "<dt>市長確認</dt><dd>不要</dd>" in page
    assert letter_reply_send(actor=people["kouchou"], case=case).status == Status.SENT
    # The 市長 never saw it: not in their list, 404 on its page.
    _as(client, people["mayor"])
    assert case.submission.receipt_number not in client.get(reverse("staff:letter_list")).content.decode()
    assert client.get(_url("letter_detail", case)).status_code == HTTPStatus.NOT_FOUND


def test_the_mayor_may_send_back_with_a_reason_and_the_mark_stays(letter, people, org):
    case = _through_kouchou(letter, people, org, marked=True)
    with pytest.raises(ValidationError) as exc:
        letter_reply_approve(actor=people["mayor"], case=case, approved=False, comment=" ")
    assert exc.value.messages == ["差し戻す理由を入力してください。"]
    letter_reply_approve(actor=people["mayor"], case=case, approved=False, comment="財源を明記してください。")
    case.refresh_from_db()
    assert case.status == Status.ROUTED and case.mayor_review is True
    # Redone, it goes through every stage again, the 市長's last.
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY + "財源は国の補助金です。")
    for who in ("kacho", "bucho", "kouchou"):
        letter_reply_approve(actor=people[who], case=case, approved=True)
    case.refresh_from_db()
    assert case.status == Status.KOUCHOU_APPROVED


def test_only_the_mayors_office_gives_the_mayors_approval(letter, people, org):
    case = _through_kouchou(letter, people, org, marked=True)
    admin = StaffUserFactory(roles=[ADMIN])
    for who in (people["kouchou"], people["kacho"], people["bucho"], people["staff"], admin):
        with pytest.raises(PermissionDenied) as exc:
            letter_reply_approve(actor=who, case=case, approved=True, stage="mayor")
        assert str(exc.value) == "この段階（市長）の承認者ではありません。"
    assert LetterCase.objects.get(pk=case.pk).status == Status.KOUCHOU_APPROVED


def test_the_mayor_approves_no_other_stage_and_takes_no_other_step(client, make_letter, people, org):
    mayor = people["mayor"]
    case = make_letter()
    letter_route(
        actor=people["kouchou"], case=case, department=org["koen"], category=letter_category(), mayor_review=True
    )
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    with pytest.raises(PermissionDenied) as exc:
        letter_reply_approve(actor=mayor, case=case, approved=True)
    assert str(exc.value) == "この段階（課長）の承認者ではありません。"
    with pytest.raises(PermissionDenied):
        letter_route(actor=mayor, case=case, department=org["kaigo"], category=letter_category())
    with pytest.raises(PermissionDenied):
        letter_mayor_review_set(actor=mayor, case=case, required=False)
    _as(client, mayor)
    for name in ("letter_route", "letter_file", "letter_print", "letter_personal_data"):
        assert client.get(_url(name, case)).status_code == HTTPStatus.FORBIDDEN, name
    for name in ("letter_send", "letter_mayor_review"):
        assert client.post(_url(name, case), {"action": "unmark_mayor"}).status_code == HTTPStatus.FORBIDDEN, name
    assert client.get(reverse("staff:queue")).status_code == HTTPStatus.FORBIDDEN
    assert LetterCase.objects.get(pk=case.pk).mayor_review is True


def test_the_mayor_reads_the_marked_letters_masked_and_never_the_writers_details(client, make_letter, people, org):
    marked, unmarked = make_letter(), make_letter()
    for case, flag in ((marked, True), (unmarked, False)):
        letter_route(
            actor=people["kouchou"], case=case, department=org["koen"], category=letter_category(), mayor_review=flag
        )
    _as(client, people["mayor"])
    home = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff:letter_list") in home
    listing = client.get(reverse("staff:letter_list")).content.decode()
    assert marked.submission.receipt_number in listing and unmarked.submission.receipt_number not in listing
    assert "（市長確認が必要）" in listing
    assert reverse("staff:letter_themes") not in listing  # the themes page is for those who work on letters
    page = client.get(_url("letter_detail", marked)).content.decode()
    assert "青木町公園" in page
    for detail in ("川口 太郎", "taro@example.jp", "川口市青木2-1-1"):
        assert detail not in page
    assert "提出者の氏名・住所・連絡先を表示する" not in page
    assert not AuditEvent.objects.filter(action="pii.view_original", actor_id=people["mayor"].pk).exists()


def test_kouchou_marks_later_before_sending_and_may_clear_it_until_its_own_approval(client, make_letter, people, org):
    kouchou = people["kouchou"]
    drafted = make_letter()
    letter_route(actor=kouchou, case=drafted, department=org["koen"], category=letter_category())
    letter_reply_draft(actor=people["staff"], case=drafted, text=REPLY)
    _as(client, kouchou)
    page = client.get(_url("letter_detail", drafted)).content.decode()
    assert "市長確認が必要にする" in page
    response = client.post(_url("letter_mayor_review", drafted), {"action": "mark_mayor"}, follow=True)
    assert "市長確認が必要な手紙にしました。" in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.mayor_review is True and drafted.status == Status.DRAFTED
    assert AuditEvent.objects.filter(action="letter.mark_mayor", target_id=str(drafted.pk)).count() == 1
    assert "市長確認が必要と指定" in response.content.decode()  # the case's 経過
    client.post(_url("letter_mayor_review", drafted), {"action": "unmark_mayor"})
    assert LetterCase.objects.get(pk=drafted.pk).mayor_review is False

    # An approved, unmarked reply marked before sending goes to the 市長 first.
    approved = _through_kouchou(make_letter(), people, org, marked=False)
    assert approved.status == Status.APPROVED
    client.post(_url("letter_mayor_review", approved), {"action": "mark_mayor"})
    approved.refresh_from_db()
    assert approved.status == Status.KOUCHOU_APPROVED and approved.mayor_review is True
    with pytest.raises(ValidationError) as exc:
        letter_reply_send(actor=kouchou, case=approved)
    assert exc.value.messages == [NOT_SENDABLE]
    # Once 広聴 has approved a marked reply, the mark cannot be taken off to skip the 市長.
    with pytest.raises(ValidationError) as exc:
        letter_mayor_review_set(actor=kouchou, case=approved, required=False)
    assert exc.value.messages == ["市長確認の指定は、広聴が承認する前まで取り消せます。"]
    page = client.get(_url("letter_detail", approved)).content.decode()
    assert "市長確認を不要にする" not in page


def test_marking_at_routing_is_shown_on_the_form_and_the_page(client, letter, people, org):
    _as(client, people["kouchou"])
    response = client.post(
        _url("letter_route", letter),
        {
            "department": org["koen"].pk,
            "category": letter_category().pk,
            "routed_text": "公園のベンチについての手紙です。",
            "mayor_review": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    letter.refresh_from_db()
    assert letter.mayor_review is True
    page = client.get(_url("letter_detail", letter)).content.decode()
    assert "<dt>市長確認</dt><dd>必要（広聴の承認の後、市長の確認を経て送付します）</dd>" in page
