import re
import unicodedata

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from consultations.models import Consultation
from consultations.services import invitation_code_hash
from core.models import AuditEvent
from feedback.models import Submission
from feedback.selectors import submission_analysis_texts, submission_has_analysis_text
from feedback.services import (
    AnswerInput,
    SubmissionClosed,
    submission_create,
    submission_receipt_send,
    submission_withdraw,
)
from nlp.models import SubmissionAnalysis
from tests.accounts.factories import UserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory

from .factories import submit

pytestmark = pytest.mark.django_db


def test_receipt_numbers_are_sequential_per_kind_and_year():
    pc = ConsultationFactory()
    letter = ConsultationFactory(letter=True)
    first, second = submit(pc), submit(pc)
    letter_one = submit(letter)
    assert re.fullmatch(r"PC-\d{4}-000001", first.receipt_number)
    assert second.receipt_number.endswith("-000002")
    assert re.fullmatch(r"ML-\d{4}-000001", letter_one.receipt_number)


def test_text_is_stored_as_nfc_and_can_never_be_rewritten():
    decomposed = unicodedata.normalize("NFD", "がっこう\r\nの前")
    submission = submit(body=decomposed)
    submission.refresh_from_db()
    assert submission.body == "がっこう\nの前"
    submission.body = "改ざん"
    with pytest.raises(PermissionError):
        submission.save()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "ご意見を入力してください（空白だけでは送信できません）。"),
        ("　 \n\t", "ご意見を入力してください（空白だけでは送信できません）。"),
        (
            "abc\x07def",
            "ご意見の4文字目に使用できない制御文字が含まれています。削除してから送信してください。",
        ),
        (
            "外字\ue000です",
            "ご意見の3文字目に外字（私用領域の文字）が含まれています。他の文字に置き換え、必要なら説明を添えてください。",
        ),
        (
            "<script>alert(1)</script>",
            "ご意見にHTMLタグ（<…> の形の記述）は使えません。山かっこを全角の〈 〉に置き換えてください。",
        ),
    ],
)
def test_bad_text_gets_a_specific_japanese_message(body, message):
    with pytest.raises(ValidationError) as excinfo:
        submit(body=body)
    assert excinfo.value.messages == [message]
    assert Submission.objects.count() == 0


def test_length_is_counted_in_code_points_not_utf16_units():
    consultation = ConsultationFactory(max_opinion_chars=10)
    assert submit(consultation, body="𠮷" * 10).body == "𠮷" * 10  # 20 UTF-16 units
    with pytest.raises(ValidationError) as excinfo:
        submit(consultation, body="𠮷" * 11)
    assert excinfo.value.messages == ["ご意見は10文字以内で入力してください（現在11文字）。"]


def test_comparison_signs_that_are_not_tags_are_accepted():
    assert submit(body="予算が 5 < 10 で & 3 > 2 です").body == "予算が 5 < 10 で & 3 > 2 です"


def test_web_submission_to_a_closed_consultation_is_refused_but_paper_is_accepted():
    consultation = ConsultationFactory(closed=True)
    with pytest.raises(SubmissionClosed):
        submit(consultation)
    paper = submit(consultation, channel="post", received_on=consultation.closes_at.date())
    assert paper.channel == "post"


def test_published_consultation_accepts_nothing():
    consultation = ConsultationFactory(status=Consultation.Status.PUBLISHED)
    with pytest.raises(SubmissionClosed):
        submit(consultation, channel="fax")


def test_analysis_is_enqueued_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = submit()
        assert not SubmissionAnalysis.objects.filter(submission=submission).exists()
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert SubmissionAnalysis.objects.filter(submission=submission).count() == 1


def test_missing_required_identity_is_kept_and_flagged():
    consultation = ConsultationFactory(required_identity=["name", "address"])
    flagged = submit(consultation, identity={"name": "川口 太郎"})
    complete = submit(consultation, identity={"name": "川口 太郎", "address": "川口市青木2-1-1"})
    assert flagged.identity_incomplete is True
    assert complete.identity_incomplete is False


def test_identity_is_normalised_by_the_service_as_the_web_form_stores_it():
    submission = submit(
        channel="post",
        identity={
            "postcode": "〒３３２－８６０１",
            "phone": "０４８（２５８）１１１０",
            "name_kana": "かわぐち ﾀﾛｳ",
            "email": "ｔａｒｏ@example.jp",
            "name": " 川口 太郎 ",
        },
    )
    identity = submission.identity
    identity.refresh_from_db()
    assert identity.postcode == "332-8601"
    # Phone and ふりがな as typed (issue #13): 全角 folded, hyphens/parentheses
    # and ひらがな kept; normalize_phone/normalize_kana give the matching keys.
    assert identity.phone == "048(258)1110"
    assert identity.name_kana == "かわぐち ﾀﾛｳ"
    assert identity.email == "taro@example.jp"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "postcode",
            "332-86011",
            "郵便番号は7桁の数字で入力してください（例：332-8601）。",
        ),
        (
            "phone",
            "048-258",
            "電話番号は市外局番から10桁または11桁で入力してください（例：048-258-1110、090-1234-5678）。",
        ),
        (
            "email",
            "not-an-email",
            "メールアドレスの形式が正しくありません（例：koe@example.jp）。",
        ),
        ("name_kana", "川口", "ふりがなは、ひらがなまたはカタカナで入力してください。"),
        ("name", "川" * 101, "氏名は100文字以内で入力してください（現在101文字）。"),
        (
            "address",
            "川口市<b>青木</b>",
            "住所にHTMLタグ（<…> の形の記述）は使えません。山かっこを全角の〈 〉に置き換えてください。",
        ),
        (
            "contact_method",
            "fax",
            "回答の送付方法は 電子メール・郵送 のいずれかを選んでください。",
        ),
    ],
)
def test_bad_identity_is_refused_by_the_service_keyed_by_field(field, value, message):
    with pytest.raises(ValidationError) as excinfo:
        submit(channel="post", identity={field: value})
    assert excinfo.value.message_dict == {field: [message]}
    assert Submission.objects.count() == 0


def test_invitation_code_allows_one_anonymous_response():
    survey = ConsultationFactory(survey=True, invitation_required=True)
    question = QuestionFactory(consultation=survey)
    survey.invitation_codes.create(code_hash=invitation_code_hash("AB12CD34"))
    answer = [AnswerInput(question.pk, choice_ids=[question.choices.first().pk])]
    submission = submission_create(consultation=survey, channel="web", answers=answer, invitation_code="ab12cd34")
    assert submission.answers.get().choices.get().label == "はい"
    with pytest.raises(ValidationError, match="既に回答に使われています"):
        submission_create(
            consultation=survey,
            channel="web",
            answers=answer,
            invitation_code="AB12CD34",
        )
    with pytest.raises(ValidationError, match="招待コードが正しくありません"):
        submission_create(consultation=survey, channel="web", answers=answer, invitation_code="ZZZZ")
    # The response keeps no link to the code that allowed it.
    assert "invitation" not in {f.name for f in Submission._meta.get_fields()}


def test_choices_of_another_question_are_ignored():
    survey = ConsultationFactory(survey=True)
    q1, q2 = QuestionFactory(consultation=survey), QuestionFactory(consultation=survey)
    submission = submission_create(
        consultation=survey,
        channel="web",
        answers=[AnswerInput(q1.pk, choice_ids=[q2.choices.first().pk])],
    )
    assert list(submission.answers.get().choices.all()) == []


def test_author_can_withdraw_while_open_and_nobody_else_can():
    author, other = UserFactory(), UserFactory()
    submission = submit(author=author)
    with pytest.raises(ValidationError, match="ご自身が提出した意見だけ"):
        submission_withdraw(submission=submission, actor=other)
    submission_withdraw(submission=submission, actor=author)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.WITHDRAWN
    assert submission.body  # the original is kept
    assert AuditEvent.objects.filter(action="submission.withdraw", target_id=str(submission.pk)).exists()


def test_withdrawal_after_the_deadline_is_refused():
    author = UserFactory()
    consultation = ConsultationFactory()
    submission = submit(consultation, author=author)
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.CLOSED)
    with pytest.raises(ValidationError, match="募集期間が終了したため"):
        submission_withdraw(submission=submission, actor=author)


def test_receipt_mail_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(identity={"email": "taro@example.jp"})
    assert len(mail.outbox) == 1
    assert submission.receipt_number in mail.outbox[0].subject
    assert submission.receipt_number in mail.outbox[0].body
    assert submission_receipt_send(submission_id=submission.pk) is False
    assert len(mail.outbox) == 1


def test_audit_row_never_holds_personal_data():
    submission = submit(identity={"name": "川口 太郎", "email": "taro@example.jp"})
    event = AuditEvent.objects.get(action="submission.create", target_id=str(submission.pk))
    assert "川口" not in str(event.before) + str(event.after) + event.summary
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_text_analysed_is_the_body_then_the_free_text_answers_and_sql_agrees():
    """#11: what analysis reads of a submission, and the same rule in SQL (dashboards), on every backend."""
    survey = ConsultationFactory(survey=True)
    choice = QuestionFactory(consultation=survey, number=1)
    later = QuestionFactory(consultation=survey, number=3, kind="free_text")
    earlier = QuestionFactory(consultation=survey, number=2, kind="free_text")
    yes = [AnswerInput(choice.pk, choice_ids=[choice.choices.get(label="はい").pk])]

    def respond(**texts):
        answers = [
            AnswerInput(q.pk, text=texts[name]) for name, q in (("earlier", earlier), ("later", later)) if name in texts
        ]
        return submission_create(consultation=survey, channel="web", answers=yes + answers)

    written = respond(later="  駐輪場を増やして ", earlier="公園を広く")
    choices_only = respond()
    # Blank to Python's str.strip(): PostgreSQL's \s alone misses U+00A0.
    blank = respond(earlier="\u3000\xa0", later=" \n\u2003")
    opinion = submit(body="図書館を夜まで開けてください。")
    ids = [written.pk, choices_only.pk, blank.pk, opinion.pk]
    assert submission_analysis_texts(submission_ids=ids) == {
        written.pk: "公園を広く\n駐輪場を増やして",
        choices_only.pk: "",
        blank.pk: "",
        opinion.pk: "図書館を夜まで開けてください。",
    }
    with_text = Submission.objects.filter(submission_has_analysis_text(), pk__in=ids)
    assert set(with_text.values_list("pk", flat=True)) == {written.pk, opinion.pk}
