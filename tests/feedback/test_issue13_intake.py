"""Issue #13: what residents hit on the submission forms.

Invitation codes checked and normalised on the first screen; a signed-in
resident's name and e-mail pre-filled and the receipt sent to the account;
ふりがな and phone numbers kept as typed; every aria-describedby names an
element on the page.
"""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import KOUCHOU
from consultations.models import InvitationCode
from consultations.services import invitation_code_hash
from feedback.models import Submission
from feedback.services import AnswerInput, identity_clean, submission_create
from tests.accounts.factories import StaffUserFactory, UserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory

from .factories import submit

pytestmark = pytest.mark.django_db

BODY = "公園の遊具を増やしてください。"


def _url(consultation) -> str:
    return f"/consultations/{consultation.pk}/submit/"


# 1. Survey invitation codes -------------------------------------------------


@pytest.fixture
def sampled():
    survey = ConsultationFactory(survey=True, invitation_required=True)
    question = QuestionFactory(consultation=survey)
    # Issued codes are 8 upper-case hex digits (consultations.spec).
    for code in ("E9E1326B", "07EDCD53", "AB12CD34"):
        survey.invitation_codes.create(code_hash=invitation_code_hash(code))
    survey.question = question
    return survey


def _survey_data(survey, code, **extra):
    return {
        "invitation_code": code,
        f"q{survey.question.pk}": str(survey.question.choices.first().pk),
        **extra,
    }


@pytest.mark.parametrize(
    ("typed", "issued"),
    [
        ("e9e1-326b", "E9E1326B"),
        ("０７ＥＤＣＤ５３", "07EDCD53"),
        (" ab12 cd34 ", "AB12CD34"),
        ("ＡＢ１２－ＣＤ３４", "AB12CD34"),
        ("ab12\u3000cd34", "AB12CD34"),
    ],
)
def test_invitation_code_is_normalised_to_the_issued_form(typed, issued):
    from consultations.services import invitation_code_normalize

    assert invitation_code_normalize(typed) == issued
    assert invitation_code_hash(typed) == invitation_code_hash(issued)


@pytest.mark.parametrize("typed", ["e9e1-326b", "０７ＥＤＣＤ５３"])
def test_lowercase_or_full_width_code_is_accepted_and_consumed(client, sampled, typed):
    confirm = client.post(_url(sampled), {**_survey_data(sampled, typed), "step": "confirm"})
    assert confirm.status_code == HTTPStatus.OK, confirm.content.decode()
    assert "入力内容の確認" in confirm.content.decode()
    done = client.post(_url(sampled), {**_survey_data(sampled, typed), "step": "submit"})
    assert done.status_code == HTTPStatus.FOUND
    assert Submission.objects.filter(consultation=sampled).count() == 1
    assert InvitationCode.objects.filter(consultation=sampled, used_at__isnull=False).count() == 1


def test_wrong_code_is_refused_on_the_first_screen(client, sampled):
    response = client.post(_url(sampled), {**_survey_data(sampled, "ZZZZ9999"), "step": "confirm"})
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "招待コードが正しくありません。" in page
    assert "入力内容を確認する" in page and "まだ送信されていません" not in page


def test_used_code_is_refused_on_the_first_screen(client, sampled):
    InvitationCode.objects.filter(code_hash=invitation_code_hash("AB12CD34")).update(used_at=timezone.now())
    response = client.post(_url(sampled), {**_survey_data(sampled, "ab12-cd34"), "step": "confirm"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "この招待コードは既に回答に使われています。" in response.content.decode()


def test_another_surveys_code_is_refused_on_the_first_screen(client, sampled):
    other = ConsultationFactory(survey=True, invitation_required=True)
    other.invitation_codes.create(code_hash=invitation_code_hash("FFFF0000"))
    response = client.post(_url(sampled), {**_survey_data(sampled, "ffff-0000"), "step": "confirm"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "招待コードが正しくありません。" in response.content.decode()


def test_code_used_between_confirmation_and_submit_is_still_refused_at_submit(client, sampled):
    confirm = client.post(_url(sampled), {**_survey_data(sampled, "e9e1-326b"), "step": "confirm"})
    assert confirm.status_code == HTTPStatus.OK
    # Someone else answers with the same code meanwhile.
    answer = [AnswerInput(sampled.question.pk, choice_ids=[sampled.question.choices.first().pk])]
    submission_create(consultation=sampled, channel="web", answers=answer, invitation_code="E9E1326B")
    done = client.post(_url(sampled), {**_survey_data(sampled, "e9e1-326b"), "step": "submit"})
    assert done.status_code == HTTPStatus.BAD_REQUEST
    assert "この招待コードは既に回答に使われています。" in done.content.decode()
    assert Submission.objects.filter(consultation=sampled).count() == 1


def test_service_accepts_a_typed_code_and_refuses_it_twice(sampled):
    answer = [AnswerInput(sampled.question.pk, choice_ids=[sampled.question.choices.first().pk])]
    submission_create(consultation=sampled, channel="web", answers=answer, invitation_code="ｅ９ｅ１－３２６ｂ")
    with pytest.raises(Exception, match="既に回答に使われています"):
        submission_create(consultation=sampled, channel="web", answers=answer, invitation_code="E9E1-326B")


# 2. A signed-in resident's details -----------------------------------------


def _value_of(page: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


@pytest.mark.parametrize("kind", ["letter", "public_comment"])
def test_signed_in_resident_finds_name_and_email_filled_in(client, kind):
    consultation = ConsultationFactory(letter=True) if kind == "letter" else ConsultationFactory()
    url = "/letter/submit/" if kind == "letter" else _url(consultation)
    resident = UserFactory(display_name="川口 花子", email="hanako@example.jp")
    client.force_login(resident)
    page = client.get(url).content.decode()
    assert _value_of(page, "name") == "川口 花子"
    assert _value_of(page, "email") == "hanako@example.jp"


def test_anonymous_and_staff_forms_are_not_filled_in(client):
    consultation = ConsultationFactory()
    page = client.get(_url(consultation)).content.decode()
    assert _value_of(page, "name") is None and _value_of(page, "email") is None
    staff = StaffUserFactory(roles=[KOUCHOU], display_name="職員 一郎")
    client.force_login(staff)
    response = client.get(_url(consultation))
    page = response.content.decode()
    assert staff.email not in page and "職員 一郎" not in page


def test_what_the_resident_typed_wins_over_the_account(client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    resident = UserFactory(display_name="川口 花子", email="hanako@example.jp")
    client.force_login(resident)
    data = {"body": BODY, "name": "", "email": "other@example.jp", "step": "submit"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(consultation), data).status_code == HTTPStatus.FOUND
    assert [m.to for m in mail.outbox] == [["other@example.jp"]]


def test_receipt_goes_to_the_account_when_the_email_is_left_empty(client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    resident = UserFactory(email="hanako@example.jp")
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(_url(consultation), {"body": BODY, "email": "", "step": "submit"})
    assert done.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert not hasattr(submission, "identity") or not submission.identity.email
    assert [m.to for m in mail.outbox] == [["hanako@example.jp"]]
    assert submission.receipt_number in mail.outbox[0].body
    submission.refresh_from_db()
    assert submission.receipt_sent_at is not None


def test_receipt_fallback_in_the_service_only_for_an_author(django_capture_on_commit_callbacks):
    resident = UserFactory(email="taro@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        submit(author=resident, identity={"name": "川口 太郎"})
        submit(identity={"name": "川口 次郎"})  # anonymous, no address: nothing to send
    assert [m.to for m in mail.outbox] == [["taro@example.jp"]]


def test_survey_answer_sends_no_receipt_to_the_account(django_capture_on_commit_callbacks):
    survey = ConsultationFactory(survey=True)
    question = QuestionFactory(consultation=survey)
    resident = UserFactory(email="taro@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        submission_create(
            consultation=survey,
            channel="web",
            author=resident,
            answers=[AnswerInput(question.pk, choice_ids=[question.choices.first().pk])],
        )
    assert mail.outbox == []


# 3./4. ふりがな and phone as typed ------------------------------------------------


def _pc(**identity):
    return {"body": BODY, "step": "submit", **identity}


def test_hiragana_furigana_is_stored_as_typed(client):
    consultation = ConsultationFactory()
    client.post(_url(consultation), _pc(name_kana="かわぐち はなこ"))
    assert Submission.objects.get().identity.name_kana == "かわぐち はなこ"


def test_katakana_furigana_is_stored_as_typed_and_other_scripts_refused(client):
    consultation = ConsultationFactory()
    client.post(_url(consultation), _pc(name_kana="カワグチ ハナコ"))
    assert Submission.objects.get().identity.name_kana == "カワグチ ハナコ"
    bad = client.post(_url(consultation), _pc(name_kana="川口"))
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "ふりがなは、ひらがなまたはカタカナで入力してください。" in bad.content.decode()


def test_identity_clean_keeps_kana_and_phone_as_typed():
    cleaned = identity_clean({"name_kana": " かわぐち たろう ", "phone": "０４８－２５８－１１１０"})
    assert cleaned == {"name_kana": "かわぐち たろう", "phone": "048-258-1110"}


def test_phone_is_stored_and_shown_with_its_hyphens(client):
    consultation = ConsultationFactory()
    confirm = client.post(_url(consultation), {**_pc(phone="０９０－１２３４－５６７８"), "step": "confirm"})
    assert confirm.status_code == HTTPStatus.OK
    assert "090-1234-5678" in confirm.content.decode()
    client.post(_url(consultation), _pc(phone="090-1234-5678"))
    assert Submission.objects.get().identity.phone == "090-1234-5678"


def test_bad_phone_is_still_refused(client):
    consultation = ConsultationFactory()
    bad = client.post(_url(consultation), {**_pc(phone="048-258"), "step": "confirm"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "電話番号は市外局番から10桁または11桁で入力してください" in bad.content.decode()


# 5. aria-describedby names an element that exists ---------------------------------


def _dangling_describedby(page: str) -> list[str]:
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    named = []
    for value in re.findall(r'aria-describedby="([^"]*)"', page):
        named += value.split()
    return sorted({ref for ref in named if ref not in ids})


@pytest.fixture
def every_form():
    letter = ConsultationFactory(letter=True)
    public_comment = ConsultationFactory(eligibility=["resident", "worker"], required_identity=["name"])
    survey = ConsultationFactory(survey=True, invitation_required=True)
    QuestionFactory(consultation=survey)
    QuestionFactory(consultation=survey, kind="free_text")
    QuestionFactory(consultation=survey, kind="multiple", max_choices=2, labels=["A", "B", "C"])
    return {
        "letter": ("/letter/submit/", letter),
        "pc": (_url(public_comment), public_comment),
        "survey": (_url(survey), survey),
    }


@pytest.mark.parametrize("form", ["letter", "pc", "survey"])
def test_every_aria_describedby_exists_on_first_load(client, every_form, form):
    url, _consultation = every_form[form]
    page = client.get(url).content.decode()
    assert "aria-describedby" in page
    assert "_helptext" not in page
    assert _dangling_describedby(page) == []


@pytest.mark.parametrize("form", ["letter", "pc", "survey"])
def test_every_aria_describedby_exists_after_errors(client, every_form, form):
    url, _consultation = every_form[form]
    response = client.post(url, {"step": "confirm", "phone": "12", "postcode": "1"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "_error" in page
    assert _dangling_describedby(page) == []


def test_every_aria_describedby_exists_for_a_signed_in_resident(client, every_form):
    client.force_login(UserFactory())
    page = client.get(every_form["letter"][0]).content.decode()
    assert _dangling_describedby(page) == []


def test_confirmation_page_hidden_fields_name_nothing_missing(client, every_form):
    url, _consultation = every_form["pc"]
    data = {"body": BODY, "name": "川口 太郎", "eligibility": "resident", "step": "confirm"}
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert _dangling_describedby(response.content.decode()) == []


def test_the_receipt_page_and_mail_carry_a_copy_of_what_was_sent(client, django_capture_on_commit_callbacks):
    """#15 控え: the submitted text and 該当箇所 on the receipt page and in the receipt mail."""
    from django.core import mail

    from tests.consultations.factories import ConsultationFactory, DraftSectionFactory

    consultation = ConsultationFactory()
    section = DraftSectionFactory(consultation=consultation, number="2-1", heading="歩道の整備")
    data = {
        "step": "submit",
        "section": str(section.pk),
        "body": "通学路の歩道を広げてください。",
        "name": "川口 太郎",
        "address": "川口市青木2-1-1",
        "email": "taro@example.jp",
        "eligibility": "resident",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/consultations/{consultation.pk}/submit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    assert "提出内容の控え" in page and "通学路の歩道を広げてください。" in page and "2-1 歩道の整備" in page
    assert (
        "通学路の歩道を広げてください。" in mail.outbox[-1].body and "該当箇所：2-1 歩道の整備" in mail.outbox[-1].body
    )
