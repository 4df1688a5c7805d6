"""Issue #15: paper questionnaires typed in by staff spend their invitation code, follow
the question's 「Nつまで」 rule for paper, and ask only the attributes the survey enables."""

from http import HTTPStatus

import pytest

from accounts.roles import KOUCHOU
from consultations.models import Consultation, InvitationCode, Question
from consultations.services import invitation_code_hash
from feedback.models import Submission
from feedback.services import CsvImportFailed, csv_rows_check
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory

pytestmark = pytest.mark.django_db

MEDIA = ["広報紙", "ホームページ", "SNS", "回覧板", "テレビ"]


@pytest.fixture
def staff_client(client):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    return client


@pytest.fixture
def sampled():
    survey = ConsultationFactory(survey=True, invitation_required=True)
    survey.question = QuestionFactory(consultation=survey, kind="single", labels=["満足", "不満"])
    for code in ("AB12CD34", "EF56GH78"):
        survey.invitation_codes.create(code_hash=invitation_code_hash(code))
    return survey


def _entry_url(survey):
    return f"/staff/consultations/{survey.pk}/entry/"


def _paper(survey, **extra):
    return {
        "channel": "post",
        "received_on": "2026-11-20",
        f"q{survey.question.pk}": str(survey.question.choices.first().pk),
        **extra,
    }


def test_a_paper_questionnaire_spends_its_code_so_nobody_answers_twice(staff_client, client, sampled):
    page = staff_client.get(_entry_url(sampled)).content.decode()
    assert "招待コード" in page and "既に使われたコードは登録できません" in page
    missing = staff_client.post(_entry_url(sampled), _paper(sampled))
    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert "招待コードを入力してください。" in missing.content.decode()
    unknown = staff_client.post(_entry_url(sampled), _paper(sampled, invitation_code="ZZZZ9999"))
    assert unknown.status_code == HTTPStatus.BAD_REQUEST
    assert "招待コードが正しくありません。" in unknown.content.decode()
    assert 'value="ZZZZ9999"' in unknown.content.decode()  # what was typed is kept
    done = staff_client.post(_entry_url(sampled), _paper(sampled, invitation_code="ab12-cd34"))
    assert done.status_code == HTTPStatus.FOUND
    assert InvitationCode.objects.get(code_hash=invitation_code_hash("AB12CD34")).used_at is not None
    # The same questionnaire typed in again, or the same person on the web: refused.
    twice = staff_client.post(_entry_url(sampled), _paper(sampled, invitation_code="AB12CD34"))
    assert twice.status_code == HTTPStatus.BAD_REQUEST
    assert "この招待コードは既に回答に使われています。1つのコードで回答できるのは1回です。" in twice.content.decode()
    web = staff_client.post(
        f"/consultations/{sampled.pk}/submit/",
        {f"q{sampled.question.pk}": str(sampled.question.choices.first().pk), "invitation_code": "AB12CD34"},
    )
    assert web.status_code == HTTPStatus.BAD_REQUEST
    assert Submission.objects.filter(consultation=sampled).count() == 1
    assert Submission.objects.get().channel == "post"


def test_a_sampled_surveys_responses_cannot_be_imported_from_csv(sampled):
    raw = "提出方法,到着日,意見\r\n郵送,2026-11-20,自由意見\r\n".encode()
    with pytest.raises(CsvImportFailed) as exc:
        csv_rows_check(consultation=sampled, raw=raw)
    assert "招待コードが必要なアンケート（標本調査）の回答はCSVで取り込めません。" in exc.value.errors[0].message


@pytest.fixture
def survey_with_limit():
    survey = ConsultationFactory(survey=True)
    survey.question = QuestionFactory(
        consultation=survey, kind="multiple", max_choices=2, labels=MEDIA, text="市の情報を何で得ていますか"
    )
    return survey


def _choices(question, labels):
    return [str(question.choices.get(label=label).pk) for label in labels]


def test_over_the_limit_on_paper_is_refused_when_the_question_says_so(staff_client, survey_with_limit):
    question = survey_with_limit.question
    assert question.over_limit == Question.OverLimit.REFUSE
    page = staff_client.get(_entry_url(survey_with_limit)).content.decode()
    assert "2つまで。超えて○が付いている場合：受け付けない（上限を超えた回答はエラーにする）。" in page
    response = staff_client.post(
        _entry_url(survey_with_limit),
        {"channel": "post", "received_on": "2026-11-20", f"q{question.pk}": _choices(question, MEDIA[:3])},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "2つまでの設問に3つ○が付いています。" in response.content.decode()
    assert not Submission.objects.exists()


def test_over_the_limit_on_paper_keeps_the_lowest_numbered_choices_when_the_question_says_so(
    staff_client, survey_with_limit
):
    question = survey_with_limit.question
    question.over_limit = Question.OverLimit.KEEP_FIRST
    question.save(update_fields=["over_limit"])
    # Circled 5 (テレビ), 2 (ホームページ) and 4 (回覧板): 2 and 4 count.
    response = staff_client.post(
        _entry_url(survey_with_limit),
        {
            "channel": "post",
            "received_on": "2026-11-20",
            f"q{question.pk}": _choices(question, ["テレビ", "ホームページ", "回覧板"]),
        },
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "で登録しました。" in page
    assert (
        f"問{question.number}は2つまでの設問のため、番号の小さい選択肢2・4を有効とし、選択肢5は集計に含めませんでした。"
        in page
    )
    answer = Submission.objects.get().answers.get()
    assert sorted(answer.choices.values_list("label", flat=True)) == sorted(["ホームページ", "回覧板"])


def test_the_web_form_always_asks_to_choose_again(client, survey_with_limit):
    question = survey_with_limit.question
    question.over_limit = Question.OverLimit.KEEP_FIRST
    question.save(update_fields=["over_limit"])
    response = client.post(
        f"/consultations/{survey_with_limit.pk}/submit/",
        {f"q{question.pk}": _choices(question, MEDIA[:3]), "step": "confirm"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "選べるのは2つまでです（3つ選ばれています）。" in response.content.decode()


def test_attributes_are_asked_only_when_the_survey_enables_them(client, staff_client):
    survey = ConsultationFactory(survey=True)
    question = QuestionFactory(consultation=survey)
    url = f"/consultations/{survey.pk}/submit/"
    default = client.get(url).content.decode()
    assert "年代" in default and "居住年数" in default
    assert "職業" not in default and "世帯構成" not in default
    survey.respondent_attributes = [
        Consultation.RespondentAttribute.AGE_BAND,
        Consultation.RespondentAttribute.OCCUPATION,
        Consultation.RespondentAttribute.HOUSEHOLD,
    ]
    survey.save(update_fields=["respondent_attributes"])
    for page in (client.get(url).content.decode(), staff_client.get(_entry_url(survey)).content.decode()):
        assert "職業" in page and "会社員・公務員・団体職員" in page
        assert "世帯構成" in page and "親と子（二世代）" in page
        assert "性別" not in page and "居住年数" not in page and "お住まいの地区" not in page
    answer = {f"q{question.pk}": str(question.choices.first().pk)}
    # A value for an attribute the survey does not ask is not stored.
    done = client.post(
        url, {**answer, "occupation": "employee", "household": "two_gen", "gender": "female", "step": "submit"}
    )
    assert done.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert (submission.occupation, submission.household, submission.gender) == ("employee", "two_gen", "")


def test_the_api_says_which_attributes_are_asked_and_stores_only_those(api_client):
    survey = ConsultationFactory(survey=True, respondent_attributes=["occupation"])
    question = QuestionFactory(consultation=survey)
    detail = api_client.get(f"/api/v1/consultations/{survey.pk}/").json()
    assert detail["respondent_attributes"] == [{"code": "occupation", "label": "職業"}]
    answers = [{"question": question.pk, "choices": [question.choices.first().pk]}]
    response = api_client.post(
        f"/api/v1/consultations/{survey.pk}/submissions/",
        {"answers": answers, "attributes": {"occupation": "student", "age_band": "20s"}},
        format="json",
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == HTTPStatus.CREATED, response.content.decode()
    submission = Submission.objects.get()
    assert (submission.occupation, submission.age_band) == ("student", "")
