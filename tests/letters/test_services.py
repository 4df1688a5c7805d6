import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.calendar import add_working_days
from core.models import AuditEvent
from feedback.models import Submission
from letters.models import LetterApproval, LetterCase, PolicyDepartment
from letters.selectors.author import letter_reply_for_author
from letters.selectors.case import letter_suggested_department
from letters.services import (
    letter_file,
    letter_publish,
    letter_reminders_send,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_email_deliver,
    letter_reply_send,
    letter_route,
)
from tests.letters.factories import letter_category

from .conftest import WRITER

pytestmark = pytest.mark.django_db
REPLY = "ご意見ありがとうございます。青木町公園には来年度ベンチを3基増設する予定です。"


def _actions(case):
    return list(
        AuditEvent.objects.filter(target_type="letters.lettercase", target_id=str(case.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def _route(case, people, org, **kwargs):
    return letter_route(
        actor=people["kouchou"], case=case, category=letter_category(), department=org["koen"], **kwargs
    )


def _approve_all(case, people):
    for who in ("kacho", "bucho", "kouchou"):
        letter_reply_approve(actor=people[who], case=case, approved=True, comment="")
    case.refresh_from_db()
    return case


def test_every_letter_submission_opens_a_case(letter):
    assert letter.status == LetterCase.Status.RECEIVED
    assert letter.submission.consultation.kind == "letter"


def test_a_public_comment_opens_no_case(people):
    from tests.feedback.factories import submit

    submission = submit()
    assert not LetterCase.objects.filter(submission=submission).exists()


def test_full_flow_route_draft_approve_send_by_email(letter, people, org, django_capture_on_commit_callbacks):
    case = _route(letter, people, org)
    assert case.status == LetterCase.Status.ROUTED
    assert case.submission.department == org["koen"]
    assert case.due_on == add_working_days(timezone.localdate(letter.submission.submitted_at), 10)
    assert "川口 太郎" not in case.routed_text and "taro@example.jp" not in case.routed_text
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    case = _approve_all(case, people)
    assert case.status == LetterCase.Status.APPROVED
    assert [a.stage for a in LetterApproval.objects.filter(case=case)] == [
        "kacho",
        "bucho",
        "kouchou",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        letter_reply_send(actor=people["kouchou"], case=case)
    case.refresh_from_db()
    assert case.status == LetterCase.Status.SENT and case.reply_channel == "email"
    assert case.reply_emailed_at is not None
    assert case.submission.status == Submission.Status.ANSWERED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taro@example.jp"]
    assert REPLY in mail.outbox[0].body
    assert letter_reply_for_author(user=people["citizen"], receipt_number=case.submission.receipt_number) == case
    assert _actions(case) == [
        "letter.route",
        "letter.draft",
        "letter.approve",
        "letter.approve",
        "letter.approve",
        "letter.send",
        "letter.reply_emailed",
    ]
    assert AuditEvent.objects.filter(action="submission.assign", target_id=str(case.submission_id)).exists()


def test_sending_twice_sends_one_mail(letter, people, org, django_capture_on_commit_callbacks):
    case = _route(letter, people, org)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    case = _approve_all(case, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        letter_reply_send(actor=people["kouchou"], case=case)
        letter_reply_send(actor=people["kouchou"], case=case)
    assert len(callbacks) == 1
    assert letter_reply_email_deliver(case_id=case.pk) is False
    assert len(mail.outbox) == 1
    assert _actions(case).count("letter.send") == 1


def test_a_reply_by_post_is_recorded_as_posted_without_mail(
    make_letter, people, org, django_capture_on_commit_callbacks
):
    case = make_letter(identity={**WRITER, "contact_method": "post", "email": ""})
    _route(case, people, org)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    case = _approve_all(case, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = letter_reply_send(actor=people["kouchou"], case=case)
    assert case.status == LetterCase.Status.SENT and case.reply_channel == "post"
    assert callbacks == [] and mail.outbox == []


def test_only_kouchou_routes_and_only_to_a_section(letter, people, org):
    with pytest.raises(PermissionDenied):
        letter_route(actor=people["staff"], case=letter, category=letter_category(), department=org["koen"])
    with pytest.raises(ValidationError) as exc:
        letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["toshi"])
    assert exc.value.code == "not_a_section"


def test_routed_text_must_not_carry_the_writers_details(letter, people, org):
    with pytest.raises(ValidationError) as exc:
        _route(letter, people, org, routed_text="川口 太郎さんからの手紙です。")
    assert exc.value.code == "personal_data"
    case = _route(
        letter,
        people,
        org,
        routed_text="〇〇です。青木町公園にベンチを増やしてください。",
    )
    assert case.routed_text.startswith("〇〇です。")


def test_nlp_policy_mapping_suggests_the_department(letter, org):
    from plans.models import Policy, Vision

    vision = Vision.objects.create(**_vision_fields())
    policy = Policy.objects.create(vision=vision, code="VI-9", number=9, title="公園と緑")
    PolicyDepartment.objects.create(policy=policy, department=org["koen"])
    Submission.objects.filter(pk=letter.submission_id).update(suggested_policy=policy)
    letter.submission.refresh_from_db()
    assert letter_suggested_department(case=letter) == org["koen"]


def _vision_fields():
    from plans.models import Vision

    fields = {}
    for field in Vision._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default() or field.blank:
            continue
        if field.is_relation:
            fields[field.name] = field.related_model.objects.create(
                **{
                    f.name: _dummy(f)
                    for f in field.related_model._meta.concrete_fields
                    if not (f.primary_key or f.null or f.has_default() or f.blank or f.is_relation)
                }
            )
        else:
            fields[field.name] = _dummy(field)
    return fields


def _dummy(field):
    from django.db import models

    if isinstance(field, (models.IntegerField, models.PositiveIntegerField)):
        return 1
    return "テスト"


def test_draft_only_by_the_assigned_section(letter, people, org):
    case = _route(letter, people, org)
    for who in ("other_staff", "kouchou", "bucho"):
        with pytest.raises(PermissionDenied):
            letter_reply_draft(actor=people[who], case=case, text=REPLY)


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("staff", PermissionDenied),  # not an approver
        ("other_kacho", PermissionDenied),  # 課長 of another 課
        ("bucho", PermissionDenied),  # 部長 before the 課長
        ("kouchou", PermissionDenied),  # 広聴 before the 部
    ],
)
def test_section_stage_refuses_the_wrong_person(letter, people, org, who, error):
    case = _route(letter, people, org)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    with pytest.raises(error):
        letter_reply_approve(actor=people[who], case=case, approved=True, comment="")
    case.refresh_from_db()
    assert case.status == LetterCase.Status.DRAFTED


def test_approvals_go_in_order_and_a_stale_stage_is_refused(letter, people, org):
    case = _route(letter, people, org)
    with pytest.raises(ValidationError) as exc:
        letter_reply_approve(actor=people["kacho"], case=case, approved=True)
    assert exc.value.code == "wrong_stage"
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    letter_reply_approve(actor=people["kacho"], case=case, approved=True, stage="kacho")
    with pytest.raises(ValidationError) as exc:
        letter_reply_approve(actor=people["kacho"], case=case, approved=True, stage="kacho")
    assert exc.value.code == "wrong_stage"
    with pytest.raises(PermissionDenied):
        letter_reply_approve(actor=people["kacho"], case=case, approved=True)
    letter_reply_approve(actor=people["bucho"], case=case, approved=True, stage="bucho")
    case.refresh_from_db()
    assert case.status == LetterCase.Status.BUCHO_APPROVED


def test_send_back_needs_a_reason_and_returns_the_case_to_the_section(letter, people, org):
    case = _route(letter, people, org)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    letter_reply_approve(actor=people["kacho"], case=case, approved=True)
    with pytest.raises(ValidationError) as exc:
        letter_reply_approve(actor=people["bucho"], case=case, approved=False, comment=" ")
    assert exc.value.code == "comment_required"
    letter_reply_approve(
        actor=people["bucho"],
        case=case,
        approved=False,
        comment="予定時期を明記してください。",
    )
    case.refresh_from_db()
    assert case.status == LetterCase.Status.ROUTED
    assert "letter.send_back" in _actions(case)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY + "設置は令和9年6月の予定です。")
    case.refresh_from_db()
    assert case.status == LetterCase.Status.DRAFTED


def test_a_letter_without_reply_wanted_is_filed_not_replied(make_letter, people, org):
    case = make_letter(reply_requested=False)
    _route(case, people, org)
    with pytest.raises(ValidationError) as exc:
        letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    assert exc.value.code == "no_reply"
    with pytest.raises(ValidationError):
        letter_file(
            actor=people["kouchou"],
            case=case,
            disposition=LetterCase.Disposition.ANONYMOUS,
        )
    with pytest.raises(PermissionDenied):
        letter_file(
            actor=people["staff"],
            case=case,
            disposition=LetterCase.Disposition.NO_REPLY_WANTED,
        )
    case = letter_file(
        actor=people["kouchou"],
        case=case,
        disposition=LetterCase.Disposition.NO_REPLY_WANTED,
    )
    assert case.status == LetterCase.Status.FILED
    assert case.submission.status == Submission.Status.FILED
    assert _actions(case)[-1] == "letter.file"


def test_a_letter_without_contact_details_is_filed_as_anonymous(make_letter, people):
    case = make_letter(identity={}, author=None)
    with pytest.raises(ValidationError):
        letter_file(
            actor=people["kouchou"],
            case=case,
            disposition=LetterCase.Disposition.NO_REPLY_WANTED,
        )
    case = letter_file(actor=people["kouchou"], case=case, disposition=LetterCase.Disposition.ANONYMOUS)
    assert case.disposition == "anonymous"


def test_publication_is_refused_without_consent(make_letter, people, org):
    case = make_letter(publication_consent=False, reply_requested=False)
    letter_file(
        actor=people["kouchou"],
        case=case,
        disposition=LetterCase.Disposition.NO_REPLY_WANTED,
    )
    with pytest.raises(ValidationError) as exc:
        letter_publish(
            actor=people["kouchou"],
            case=case,
            summary="公園のベンチの増設について",
            reply_summary="",
        )
    assert exc.value.code == "no_consent"
    case.refresh_from_db()
    assert case.published is False
    assert "letter.publish" not in _actions(case)


def test_publication_with_consent_takes_masked_summaries_only(letter, people, org):
    case = _route(letter, people, org)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    case = _approve_all(case, people)
    letter_reply_send(actor=people["kouchou"], case=case)
    with pytest.raises(ValidationError) as exc:
        letter_publish(
            actor=people["kouchou"],
            case=case,
            summary="川口 太郎さんから公園のベンチについて",
            reply_summary="増設します。",
        )
    assert exc.value.code == "personal_data"
    with pytest.raises(ValidationError):
        letter_publish(
            actor=people["kouchou"],
            case=case,
            summary="公園のベンチの増設について",
            reply_summary="",
        )
    with pytest.raises(PermissionDenied):
        letter_publish(
            actor=people["staff"],
            case=case,
            summary="公園のベンチ",
            reply_summary="増設します。",
        )
    case = letter_publish(
        actor=people["kouchou"],
        case=case,
        summary="公園のベンチの増設について",
        reply_summary="来年度に3基増設する予定です。",
    )
    assert case.published and case.published_at
    assert _actions(case)[-1] == "letter.publish"


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Fri before 年末年始: 12/28, then 1/4–1/8, 1/12–1/15 (1/11 is 成人の日).
        (datetime.date(2026, 12, 25), datetime.date(2027, 1, 15)),
        # ゴールデンウィーク 2027: 4/29 昭和の日, 5/3–5/5 are holidays.
        (datetime.date(2027, 4, 27), datetime.date(2027, 5, 17)),
        # Received on a Sunday: counting starts on Monday.
        (datetime.date(2027, 2, 7), datetime.date(2027, 2, 22)),
    ],
)
def test_due_date_counts_ten_working_days(make_letter, people, org, received, due):
    case = make_letter(channel="post", received_on=received, entered_by=people["kouchou"], author=None)
    case = _route(case, people, org)
    assert case.due_on == due


def test_due_date_skips_city_closures(make_letter, people, org, settings):
    settings.KOE_CITY_CLOSED_DAYS = ["2027-02-08"]
    case = make_letter(
        channel="post",
        received_on=datetime.date(2027, 2, 5),
        entered_by=people["kouchou"],
        author=None,
    )
    # 2/8 closed, 2/11 建国記念の日, 2/23 天皇誕生日: 2/22 without the closure.
    assert _route(case, people, org).due_on == datetime.date(2027, 2, 24)


def test_reminders_fire_once_before_and_once_after_the_due_date(make_letter, people, org):
    case = make_letter(
        channel="post",
        received_on=datetime.date(2027, 2, 1),
        entered_by=people["kouchou"],
        author=None,
    )
    case = _route(case, people, org)
    assert case.due_on == datetime.date(2027, 2, 16)  # 2/11 建国記念の日
    assert letter_reminders_send(today=datetime.date(2027, 2, 10)) == 0  # 3 開庁日 before
    assert letter_reminders_send(today=datetime.date(2027, 2, 12)) == 1  # 2 開庁日 before
    assert sorted(mail.outbox[0].to) == sorted([people["staff"].email, people["kacho"].email])
    assert "期限まで2開庁日" in mail.outbox[0].subject
    assert "川口" not in mail.outbox[0].body.replace("川口市", "")
    assert letter_reminders_send(today=datetime.date(2027, 2, 15)) == 0
    assert letter_reminders_send(today=datetime.date(2027, 2, 16)) == 0  # due today: not yet overdue
    assert letter_reminders_send(today=datetime.date(2027, 2, 20)) == 0  # Saturday: no mail
    assert letter_reminders_send(today=datetime.date(2027, 2, 22)) == 1
    assert "期限超過" in mail.outbox[1].subject
    assert letter_reminders_send(today=datetime.date(2027, 2, 23)) == 0
    assert len(mail.outbox) == 2
    assert _actions(case)[-2:] == ["letter.remind_before", "letter.remind_overdue"]


def test_no_reminder_once_the_department_has_finished(make_letter, people, org):
    case = make_letter(
        channel="post",
        received_on=datetime.date(2027, 2, 1),
        entered_by=people["kouchou"],
        author=None,
    )
    case = _route(case, people, org)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    _approve_all(case, people)
    assert letter_reminders_send(today=datetime.date(2027, 2, 22)) == 0


def test_every_letter_intake_stores_opens_exactly_one_case(letter):
    # The case is opened by the letters app's receiver of intake's
    # submission_received signal, inside the same transaction.
    assert LetterCase.objects.filter(submission_id=letter.submission_id).count() == 1
    assert letter.status == LetterCase.Status.RECEIVED


def test_a_reply_waiting_for_the_bucho_reminds_the_bucho_too(make_letter, people, org):
    case = make_letter(
        channel="post",
        received_on=datetime.date(2027, 2, 1),
        entered_by=people["kouchou"],
        author=None,
    )
    case = _route(case, people, org)
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    letter_reply_approve(actor=people["kacho"], case=case, approved=True, comment="")  # now waits for 部長
    assert letter_reminders_send(today=datetime.date(2027, 2, 22)) == 1
    assert sorted(mail.outbox[-1].to) == sorted([people["staff"].email, people["kacho"].email, people["bucho"].email])
    # Another 部's approver is never told.
    assert people["other_kacho"].email not in mail.outbox[-1].to
