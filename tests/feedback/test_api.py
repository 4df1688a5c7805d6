from http import HTTPStatus
from unittest import mock

import pytest

from consultations.models import Question
from consultations.services import invitation_code_hash
from core.models import AuditEvent, District
from feedback.models import Submission
from nlp.models import SubmissionAnalysis
from tests.consultations.factories import (
    ConsultationFactory,
    DraftSectionFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

BODY = "公園の遊具を増やしてください。\n特に幼児向けが足りません。"


def _url(consultation):
    return f"/api/v1/consultations/{consultation.pk}/submissions/"


def _post(client, url, data):
    return client.post(url, data, format="json", REMOTE_ADDR="192.0.2.10")


# パブリック・コメント


def test_public_comment_is_stored_through_the_api_channel(api_client):
    consultation = ConsultationFactory(required_identity=["name", "address"])
    section = DraftSectionFactory(consultation=consultation)
    identity = {
        "name": "川口 太郎",
        "name_kana": "かわぐち たろう",
        "postcode": "３３２－８６０１",
        "address": "川口市青木2-1-1",
        "phone": "048(258)1110",
        "eligibility": "resident",
    }

    response = _post(
        api_client,
        _url(consultation),
        {"body": BODY, "section": section.pk, "identity": identity},
    )

    assert response.status_code == HTTPStatus.CREATED
    submission = Submission.objects.get()
    assert response.json() == {
        "receipt_number": submission.receipt_number,
        "submitted_at": response.data["submitted_at"],
    }
    assert submission.receipt_number.startswith("PC-")
    assert (
        submission.channel,
        submission.body,
        submission.section,
        submission.author,
    ) == ("api", BODY, section, None)
    assert submission.identity_incomplete is False
    # Normalised exactly as the web form does.
    assert (
        submission.identity.postcode,
        submission.identity.phone,
        submission.identity.name_kana,
    ) == (
        "332-8601",
        "048(258)1110",  # as typed (issue #13): hyphens and parentheses are kept for display
        "かわぐち たろう",  # as typed: ひらがな is not turned into カタカナ
    )
    assert submission.identity.eligibility == "resident"
    audit = AuditEvent.objects.get(action="submission.create")
    assert (audit.ip_address, audit.actor_id) == ("192.0.2.10", None)


def test_authenticated_submission_records_the_author(token_client, resident):
    consultation = ConsultationFactory()
    response = _post(token_client, _url(consultation), {"body": BODY})
    assert response.status_code == HTTPStatus.CREATED
    assert Submission.objects.get().author == resident


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "ご意見を入力してください。"),
        ("  \n　", "ご意見を入力してください（空白だけでは送信できません）。"),
        ("あ" * 21, "ご意見は20文字以内で入力してください（現在21文字）。"),
        (
            "意見\x07です",
            "ご意見の3文字目に使用できない制御文字が含まれています。削除してから送信してください。",
        ),
        (
            "外字\ue000です",
            "ご意見の3文字目に外字（私用領域の文字）が含まれています。他の文字に置き換え、必要なら説明を添えてください。",
        ),
        (
            "<b>強調</b>",
            "ご意見にHTMLタグ（<…> の形の記述）は使えません。山かっこを全角の〈 〉に置き換えてください。",
        ),
    ],
    ids=["empty", "blank", "too_long", "control", "private_use", "html"],
)
def test_invalid_body_gets_the_web_forms_japanese_message(api_client, body, message):
    consultation = ConsultationFactory(max_opinion_chars=20)
    response = _post(api_client, _url(consultation), {"body": body})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"body": [message]}
    assert Submission.objects.count() == 0


def test_twenty_characters_with_a_surrogate_pair_kanji_fit_a_limit_of_twenty(
    api_client,
):
    consultation = ConsultationFactory(max_opinion_chars=20)
    response = _post(api_client, _url(consultation), {"body": "𠮷" * 20})
    assert response.status_code == HTTPStatus.CREATED


def test_missing_body_and_wrong_types_are_reported_per_field(api_client):
    consultation = ConsultationFactory()
    response = _post(api_client, _url(consultation), {"section": "第3章"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "body": ["この項目は必須です。"],
        "section": ["有効な整数を入力してください。"],
    }


def test_identity_errors_are_nested_and_all_reported_at_once(api_client):
    consultation = ConsultationFactory(required_identity=["name", "contact"])
    identity = {"postcode": "12-34", "name_kana": "Kawaguchi", "eligibility": "alien"}

    response = _post(api_client, _url(consultation), {"body": BODY, "identity": identity})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.json()["identity"]
    assert errors["name"] == ["氏名を入力してください。"]
    assert errors["postcode"] == ["郵便番号は7桁の数字で入力してください（例：332-8601）。"]
    assert errors["name_kana"] == ["ふりがなは、ひらがなまたはカタカナで入力してください。"]
    assert errors["phone"] == ["電話番号またはメールアドレスのどちらかを入力してください。"]
    assert errors["eligibility"] == ["正しく選択してください。 alien は候補にありません。"]


def test_section_of_another_consultation_is_rejected(api_client):
    consultation = ConsultationFactory()
    elsewhere = DraftSectionFactory()
    response = _post(api_client, _url(consultation), {"body": BODY, "section": elsewhere.pk})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"section": [f"正しく選択してください。 {elsewhere.pk} は候補にありません。"]}


def test_closed_consultation_answers_410_gone(api_client):
    consultation = ConsultationFactory(closed=True)
    response = _post(api_client, _url(consultation), {"body": BODY})
    assert response.status_code == HTTPStatus.GONE
    assert response.json() == {"detail": "この案件は現在、意見を受け付けていません。募集期間をご確認ください。"}
    assert Submission.objects.count() == 0


def test_consultation_past_its_deadline_answers_410_even_before_the_status_changes(
    api_client,
):
    consultation = ConsultationFactory(closed=True, status="open")
    assert _post(api_client, _url(consultation), {"body": ""}).status_code == HTTPStatus.GONE


@pytest.mark.parametrize("factory_kwargs", [{"status": "draft"}, {"letter": True}])
def test_unpublished_or_letter_consultation_is_not_found(api_client, factory_kwargs):
    consultation = ConsultationFactory(**factory_kwargs)
    assert _post(api_client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.NOT_FOUND


def test_login_only_consultation_needs_authentication(api_client, token_client, resident):
    consultation = ConsultationFactory(allow_anonymous_account=False)

    anonymous = _post(api_client, _url(consultation), {"body": BODY})
    assert anonymous.status_code == HTTPStatus.UNAUTHORIZED
    assert anonymous.json() == {"detail": "この案件に提出するには、ログインまたは API トークンによる認証が必要です。"}
    assert anonymous["WWW-Authenticate"] == "Token"

    assert _post(token_client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.CREATED
    assert Submission.objects.get().author == resident


def test_session_login_also_works_with_a_csrf_token(resident):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(resident)
    consultation = ConsultationFactory(allow_anonymous_account=False)
    assert _post(client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.FORBIDDEN
    assert Submission.objects.count() == 0


def test_submission_enqueues_analysis_only_after_commit(api_client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(
            api_client,
            _url(consultation),
            {"body": BODY, "identity": {"email": "taro@example.jp"}},
        )
        submission = Submission.objects.get(receipt_number=response.data["receipt_number"])
        assert not SubmissionAnalysis.objects.filter(submission=submission).exists()
    # Analysis, then the receipt e-mail (an address was given).
    assert len(callbacks) == 2
    with (
        mock.patch("nlp.tasks.submission_analyze_task.delay") as analyze,
        mock.patch("feedback.tasks.submission_receipt_send_task.delay") as send_receipt,
    ):
        for callback in callbacks:
            callback()
    analyze.assert_called_once_with(submission.pk)
    send_receipt.assert_called_once_with(submission.pk)


def test_analysis_runs_for_an_api_submission(api_client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api_client, _url(consultation), {"body": BODY})
    assert SubmissionAnalysis.objects.filter(submission__receipt_number=response.data["receipt_number"]).count() == 1


# 流量制限


def test_submissions_over_the_rate_answer_429_and_store_nothing(api_client, settings):
    settings.KOE_SUBMIT_RATE = "2/h"
    consultation = ConsultationFactory()
    for _ in range(2):
        assert _post(api_client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.CREATED

    limited = _post(api_client, _url(consultation), {"body": BODY})

    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "しばらく待ってから" in limited.json()["detail"]
    assert Submission.objects.count() == 2
    # Another address is counted separately.
    other = api_client.post(_url(consultation), {"body": BODY}, format="json", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == HTTPStatus.CREATED


def test_web_and_api_share_one_rate_limit(api_client, client, settings):
    settings.KOE_SUBMIT_RATE = "1/h"
    consultation = ConsultationFactory(eligibility=[])
    web = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {"body": BODY, "step": "submit"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert web.status_code == HTTPStatus.FOUND
    assert _post(api_client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_invalid_input_does_not_use_up_the_rate(api_client, settings):
    settings.KOE_SUBMIT_RATE = "1/h"
    consultation = ConsultationFactory()
    for _ in range(3):
        assert _post(api_client, _url(consultation), {"body": ""}).status_code == HTTPStatus.BAD_REQUEST
    assert _post(api_client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.CREATED


@pytest.mark.redis
def test_rate_limit_counts_in_redis(api_client, settings):
    from django.core.cache import caches

    settings.RATELIMIT_USE_CACHE = "redis"
    settings.KOE_SUBMIT_RATE = "1/h"
    caches["redis"].clear()
    consultation = ConsultationFactory()
    try:
        assert _post(api_client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.CREATED
        assert _post(api_client, _url(consultation), {"body": BODY}).status_code == HTTPStatus.TOO_MANY_REQUESTS
    finally:
        caches["redis"].clear()


# アンケート


@pytest.fixture
def survey(db):
    survey = ConsultationFactory(survey=True)
    survey.single = QuestionFactory(consultation=survey, number=1, required=True)
    survey.many = QuestionFactory(
        consultation=survey,
        number=2,
        kind=Question.Kind.MULTIPLE,
        max_choices=2,
        labels=["HP", "広報紙", "回覧板"],
    )
    survey.free = QuestionFactory(consultation=survey, number=3, kind=Question.Kind.FREE_TEXT)
    return survey


def _choice_ids(question):
    return list(question.choices.values_list("pk", flat=True))


def test_survey_answers_and_attributes_are_stored(api_client, survey):
    district = District.objects.create(code="aoki", name="青木")
    answers = [
        {"question": survey.single.pk, "choices": _choice_ids(survey.single)[:1]},
        {"question": survey.many.pk, "choices": _choice_ids(survey.many)[:2]},
        {"question": survey.free.pk, "text": "駅前の駐輪場を広げてください。"},
    ]
    attributes = {
        "age_band": "30s",
        "gender": "na",
        "district": district.pk,
        "residence_years": "5to10",
    }

    response = _post(api_client, _url(survey), {"answers": answers, "attributes": attributes})

    assert response.status_code == HTTPStatus.CREATED
    submission = Submission.objects.get()
    assert submission.receipt_number.startswith("SV-") and submission.channel == "api"
    assert (
        submission.age_band,
        submission.gender,
        submission.district,
        submission.residence_years,
    ) == (
        "30s",
        "na",
        district,
        "5to10",
    )
    stored = {answer.question_id: answer for answer in submission.answers.all()}
    assert list(stored[survey.single.pk].choices.values_list("label", flat=True)) == ["はい"]
    assert sorted(stored[survey.many.pk].choices.values_list("label", flat=True)) == [
        "HP",
        "広報紙",
    ]
    assert stored[survey.free.pk].text == "駅前の駐輪場を広げてください。"


def test_survey_errors_are_keyed_by_question_id(api_client, survey):
    answers = [
        {"question": survey.many.pk, "choices": _choice_ids(survey.many)},
        {"question": survey.free.pk, "text": "<b>強調</b>"},
        {"question": 999999, "choices": [1]},
    ]
    response = _post(
        api_client,
        _url(survey),
        {"answers": answers, "attributes": {"district": 999999}},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.json()
    assert errors["answers"] == {
        str(survey.single.pk): [f"問{survey.single.number}\u3000{survey.single.text}を選んでください。"],
        str(survey.many.pk): ["選べるのは2つまでです（3つ選ばれています）。"],
        str(survey.free.pk): [
            "問3にHTMLタグ（<…> の形の記述）は使えません。山かっこを全角の〈 〉に置き換えてください。"
        ],
        "999999": ["この調査にない設問です。"],
    }
    assert errors["attributes"] == {"district": ["正しく選択してください。選択したものは候補にありません。"]}


@pytest.mark.parametrize(
    ("question_name", "answer", "message"),
    [
        ("single", {"choices": "all"}, "問1は選択肢を1つだけ選んでください。"),
        (
            "single",
            {"text": "はい"},
            "問1は選択式の設問です。choices で回答してください。",
        ),
        (
            "free",
            {"choices": "all"},
            "問3は自由記述の設問です。text で回答してください。",
        ),
    ],
)
def test_survey_answer_in_the_wrong_shape_is_explained(api_client, survey, question_name, answer, message):
    question = getattr(survey, question_name)
    if answer.get("choices") == "all":
        answer = {"choices": _choice_ids(question) or [1, 2]}
    required = {"question": survey.single.pk, "choices": _choice_ids(survey.single)[:1]}
    answers = [{"question": question.pk, **answer}] + ([] if question == survey.single else [required])

    response = _post(api_client, _url(survey), {"answers": answers})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["answers"][str(question.pk)] == [message]


def test_choice_of_another_question_is_rejected(api_client, survey):
    answers = [{"question": survey.single.pk, "choices": _choice_ids(survey.many)[:1]}]
    response = _post(api_client, _url(survey), {"answers": answers})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert str(survey.single.pk) in response.json()["answers"]


def test_sampled_survey_needs_a_valid_unused_invitation_code(api_client):
    survey = ConsultationFactory(survey=True, invitation_required=True)
    question = QuestionFactory(consultation=survey)
    survey.invitation_codes.create(code_hash=invitation_code_hash("AB12CD34"))
    answers = [{"question": question.pk, "choices": _choice_ids(question)[:1]}]

    missing = _post(api_client, _url(survey), {"answers": answers})
    wrong = _post(api_client, _url(survey), {"answers": answers, "invitation_code": "ZZZZ"})
    good = _post(api_client, _url(survey), {"answers": answers, "invitation_code": "ab12cd34"})
    reused = _post(api_client, _url(survey), {"answers": answers, "invitation_code": "AB12CD34"})

    assert missing.json() == {"invitation_code": ["招待コードを入力してください。"]}
    assert wrong.json() == {
        "invitation_code": ["招待コードが正しくありません。お手元の依頼状に記載のコードをご確認ください。"]
    }
    assert good.status_code == HTTPStatus.CREATED
    assert reused.status_code == HTTPStatus.BAD_REQUEST
    assert reused.json() == {
        "invitation_code": ["この招待コードは既に回答に使われています。1つのコードで回答できるのは1回です。"]
    }
    assert Submission.objects.count() == 1


# 市長への手紙


def _letter(**overrides):
    return {"body": BODY, "reply_requested": False, **overrides}


def test_letter_is_stored_with_reply_and_consent(api_client):
    ConsultationFactory(letter=True)
    identity = {"name": "川口 花子", "email": "ｈａｎａｋｏ@example.jp"}

    response = _post(
        api_client,
        "/api/v1/letter/submissions/",
        _letter(
            reply_requested=True,
            contact_method="email",
            publication_consent=True,
            identity=identity,
        ),
    )

    assert response.status_code == HTTPStatus.CREATED
    submission = Submission.objects.get()
    assert submission.receipt_number.startswith("ML-") and submission.channel == "api"
    assert (submission.reply_requested, submission.publication_consent) == (True, True)
    assert (submission.identity.contact_method, submission.identity.email) == (
        "email",
        "hanako@example.jp",
    )


def test_anonymous_letter_without_reply_needs_no_identity(api_client):
    ConsultationFactory(letter=True)
    response = _post(api_client, "/api/v1/letter/submissions/", _letter())
    assert response.status_code == HTTPStatus.CREATED
    assert not hasattr(Submission.objects.get(), "identity")


@pytest.mark.parametrize(
    ("letter", "errors"),
    [
        (
            _letter(reply_requested=True),
            {
                "identity": {"name": ["回答を希望する場合は氏名を入力してください。"]},
                "contact_method": ["回答の送付方法を選んでください。"],
            },
        ),
        (
            _letter(
                reply_requested=True,
                contact_method="post",
                identity={"name": "川口 花子"},
            ),
            {
                "identity": {
                    "address": ["郵送での回答を希望する場合は住所を入力してください。"],
                    "postcode": ["郵送での回答を希望する場合は郵便番号を入力してください。"],
                }
            },
        ),
        (
            _letter(
                reply_requested=True,
                contact_method="email",
                identity={"name": "川口 花子"},
            ),
            {"identity": {"email": ["メールでの回答を希望する場合はメールアドレスを入力してください。"]}},
        ),
        (
            _letter(body="\x1b[31m"),
            {"body": ["ご意見・ご提案の1文字目に使用できない制御文字が含まれています。削除してから送信してください。"]},
        ),
        ({"body": BODY}, {"reply_requested": ["この項目は必須です。"]}),
    ],
    ids=[
        "reply_needs_name_and_method",
        "post_needs_address",
        "email_needs_address",
        "control",
        "reply_missing",
    ],
)
def test_letter_errors_are_in_japanese(api_client, letter, errors):
    ConsultationFactory(letter=True)
    response = _post(api_client, "/api/v1/letter/submissions/", letter)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == errors


def test_letter_without_a_channel_is_not_found(api_client):
    assert _post(api_client, "/api/v1/letter/submissions/", _letter()).status_code == HTTPStatus.NOT_FOUND


def test_get_on_a_submission_endpoint_is_not_allowed(api_client):
    consultation = ConsultationFactory()
    response = api_client.get(_url(consultation))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
