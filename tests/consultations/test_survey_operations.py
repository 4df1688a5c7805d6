"""Issue #15: invitation codes issued by staff (hashed, one use), voiding a lost issue, 督促 waves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import KOUCHOU
from consultations.models import InvitationBatch, InvitationCode, ReminderWave
from consultations.services import invitation_code_hash
from consultations.survey_operations import (
    INVITATION_CODE_ALPHABET,
    invitation_batch_void,
    invitation_code_display,
    invitation_codes_issue,
    reminder_wave_delete,
    reminder_wave_record,
)
from core.models import AuditEvent
from feedback.services import AnswerInput, submission_create
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kouchou():
    return StaffUserFactory(roles=[KOUCHOU])


@pytest.fixture
def sampled():
    survey = ConsultationFactory(survey=True, invitation_required=True, title="市民意識調査")
    survey.question = QuestionFactory(consultation=survey)
    return survey


def _answer(survey):
    return [AnswerInput(survey.question.pk, choice_ids=[survey.question.choices.first().pk])]


def test_issue_returns_the_plain_codes_once_and_stores_only_their_hashes(sampled, kouchou):
    issued = invitation_codes_issue(actor=kouchou, survey=sampled, count=20, note="無作為抽出 20人")
    assert len(issued.codes) == len(set(issued.codes)) == 20
    assert all(len(code) == 8 and set(code) <= set(INVITATION_CODE_ALPHABET) for code in issued.codes)
    stored = set(InvitationCode.objects.filter(consultation=sampled).values_list("code_hash", flat=True))
    assert stored == {invitation_code_hash(code) for code in issued.codes}
    # The codes themselves are nowhere in the database: not in the codes, the batch or the audit row.
    batch = InvitationBatch.objects.get()
    assert (batch.count, batch.note, batch.issued_by) == (20, "無作為抽出 20人", kouchou)
    assert set(batch.codes.values_list("code_hash", flat=True)) == stored
    event = AuditEvent.objects.get(action="invitation_codes.issue")
    assert event.after["count"] == 20
    assert not any(code in str(event.after) + event.summary for code in issued.codes)


def test_an_issued_code_opens_the_survey_once_typed_as_printed(sampled, kouchou):
    code = invitation_codes_issue(actor=kouchou, survey=sampled, count=1).codes[0]
    printed = invitation_code_display(code)
    assert printed == f"{code[:4]}-{code[4:]}"
    submission_create(consultation=sampled, channel="web", answers=_answer(sampled), invitation_code=printed.lower())
    with pytest.raises(ValidationError, match="既に回答に使われています"):
        submission_create(consultation=sampled, channel="web", answers=_answer(sampled), invitation_code=code)


def test_a_used_code_records_the_day_only_so_it_cannot_be_matched_to_the_answer(sampled, kouchou):
    code = invitation_codes_issue(actor=kouchou, survey=sampled, count=1).codes[0]
    submission = submission_create(consultation=sampled, channel="web", answers=_answer(sampled), invitation_code=code)
    used_at = timezone.localtime(InvitationCode.objects.get().used_at)
    assert used_at.time() == datetime.time(0, 0)
    assert used_at.date() == timezone.localdate(submission.submitted_at)


@pytest.mark.parametrize("count", [0, -1, 5001])
def test_issue_refuses_a_count_out_of_range(sampled, kouchou, count):
    with pytest.raises(ValidationError) as exc:
        invitation_codes_issue(actor=kouchou, survey=sampled, count=count)
    assert exc.value.message_dict["count"] == ["発行数は1以上5,000以下の整数で入力してください。"]
    assert not InvitationCode.objects.exists() and not InvitationBatch.objects.exists()


def test_issue_refuses_a_survey_without_codes_a_closed_one_and_a_public_comment(kouchou):
    open_survey = ConsultationFactory(survey=True, invitation_required=False)
    with pytest.raises(ValidationError, match="招待コードを使わない設定です"):
        invitation_codes_issue(actor=kouchou, survey=open_survey, count=5)
    closed = ConsultationFactory(survey=True, invitation_required=True, closed=True)
    with pytest.raises(ValidationError, match="募集が終わったアンケート（募集終了（集計中））"):
        invitation_codes_issue(actor=kouchou, survey=closed, count=5)
    with pytest.raises(ValidationError, match="アンケートだけです"):
        invitation_codes_issue(actor=kouchou, survey=ConsultationFactory(), count=5)
    assert not InvitationCode.objects.exists()


def test_voiding_a_batch_deletes_its_unused_codes_and_keeps_the_used_ones(sampled, kouchou):
    first = invitation_codes_issue(actor=kouchou, survey=sampled, count=3)
    second = invitation_codes_issue(actor=kouchou, survey=sampled, count=2)
    submission_create(consultation=sampled, channel="web", answers=_answer(sampled), invitation_code=first.codes[0])
    assert invitation_batch_void(actor=kouchou, batch=first.batch) == 2
    assert InvitationCode.objects.filter(batch=first.batch).count() == 1  # the used one
    assert InvitationCode.objects.filter(batch=second.batch).count() == 2
    with pytest.raises(ValidationError, match="招待コードが正しくありません"):
        submission_create(consultation=sampled, channel="web", answers=_answer(sampled), invitation_code=first.codes[1])
    with pytest.raises(ValidationError, match="既に無効にしています"):
        invitation_batch_void(actor=kouchou, batch=first.batch)
    first.batch.refresh_from_db()
    assert first.batch.voided_count == 2 and first.batch.voided_at is not None
    assert AuditEvent.objects.filter(action="invitation_codes.void").count() == 1


def test_a_reminder_wave_is_recorded_and_checked(sampled, kouchou):
    today = timezone.localdate()
    wave = reminder_wave_record(actor=kouchou, survey=sampled, sent_on=today, sent_count=1200, note="礼状兼督促はがき")
    assert (wave.sent_on, wave.sent_count, wave.note, wave.created_by) == (today, 1200, "礼状兼督促はがき", kouchou)
    with pytest.raises(ValidationError) as exc:
        reminder_wave_record(actor=kouchou, survey=sampled, sent_on=today, sent_count=10)
    assert "既に記録されています" in exc.value.message_dict["sent_on"][0]
    with pytest.raises(ValidationError) as exc:
        reminder_wave_record(actor=kouchou, survey=sampled, sent_on=today + datetime.timedelta(days=1), sent_count=0)
    assert exc.value.message_dict == {
        "sent_on": ["発送日が未来の日付になっています。督促は発送した後に記録してください。"],
        "sent_count": ["発送数は1以上の整数で入力してください。"],
    }
    with pytest.raises(ValidationError) as exc:
        reminder_wave_record(actor=kouchou, survey=sampled, sent_on=today - datetime.timedelta(days=30), sent_count=5)
    assert "調査の開始日" in exc.value.message_dict["sent_on"][0]
    reminder_wave_delete(actor=kouchou, wave=wave)
    assert not ReminderWave.objects.exists()
    deleted = AuditEvent.objects.get(action="reminder_wave.delete")
    assert deleted.before == {"sent_on": today.isoformat(), "sent_count": 1200, "note": "礼状兼督促はがき"}
