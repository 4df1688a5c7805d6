from http import HTTPStatus

import pytest

from consultations.models import Consultation, Question
from tests.consultations.factories import (
    ConsultationFactory,
    DraftSectionFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def test_list_shows_only_open_public_comments_and_surveys(api_client):
    public_comment = ConsultationFactory()
    survey = ConsultationFactory(survey=True)
    ConsultationFactory(closed=True)
    ConsultationFactory(status=Consultation.Status.DRAFT)
    ConsultationFactory(letter=True)

    response = api_client.get("/api/v1/consultations/")

    assert response.status_code == HTTPStatus.OK
    assert response.data["count"] == 2
    assert {row["id"] for row in response.data["results"]} == {
        public_comment.pk,
        survey.pk,
    }
    row = next(row for row in response.data["results"] if row["id"] == survey.pk)
    assert (row["kind"], row["kind_label"]) == ("survey", "アンケート・市民意識調査")


@pytest.mark.parametrize("kind", ["public_comment", "survey"])
def test_list_filters_by_kind(api_client, kind):
    ConsultationFactory()
    ConsultationFactory(survey=True)
    response = api_client.get("/api/v1/consultations/", {"kind": kind})
    assert [row["kind"] for row in response.data["results"]] == [kind]


@pytest.mark.parametrize("kind", ["letter", "nonsense"])
def test_list_rejects_an_unknown_kind_in_japanese(api_client, kind):
    response = api_client.get("/api/v1/consultations/", {"kind": kind})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.data["kind"] == [f'"{kind}"は有効な選択肢ではありません。']


def test_detail_has_sections_period_eligibility_and_required_identity(api_client):
    consultation = ConsultationFactory(eligibility=["resident", "worker"], required_identity=["name", "contact"])
    section = DraftSectionFactory(consultation=consultation, number="3-1", heading="施策の方向")

    response = api_client.get(f"/api/v1/consultations/{consultation.pk}/")

    data = response.data
    assert response.status_code == HTTPStatus.OK
    assert (data["status"], data["is_accepting"], data["period_days"]) == (
        "open",
        True,
        31,
    )
    assert data["closes_at"] and data["opens_at"]
    assert data["sections"] == [
        {
            "id": section.pk,
            "number": "3-1",
            "heading": "施策の方向",
            "body": "本文",
            "page_label": "",
        }
    ]
    assert data["eligibility"] == [
        {"code": "resident", "label": "市内に在住"},
        {"code": "worker", "label": "市内に在勤"},
    ]
    assert data["required_identity"] == [
        {"code": "name", "label": "氏名"},
        {"code": "contact", "label": "連絡先（電話またはメール）"},
    ]
    assert data["max_opinion_chars"] == 4000


def test_survey_detail_has_questions_with_choices(api_client):
    survey = ConsultationFactory(survey=True, invitation_required=True)
    question = QuestionFactory(consultation=survey, kind=Question.Kind.MULTIPLE, max_choices=2, required=True)
    QuestionFactory(consultation=survey, kind=Question.Kind.FREE_TEXT)

    data = api_client.get(f"/api/v1/consultations/{survey.pk}/").data

    assert data["invitation_required"] is True
    first, second = data["questions"]
    assert (
        first["id"],
        first["answer_type"],
        first["max_choices"],
        first["required"],
    ) == (
        question.pk,
        "multiple",
        2,
        True,
    )
    assert [choice["label"] for choice in first["choices"]] == [
        "はい",
        "いいえ",
        "わからない",
    ]
    assert (second["answer_type"], second["choices"]) == ("free_text", [])


def test_closed_consultation_can_be_read_but_is_not_accepting(api_client):
    consultation = ConsultationFactory(closed=True)
    data = api_client.get(f"/api/v1/consultations/{consultation.pk}/").data
    assert (data["status"], data["status_label"], data["is_accepting"]) == (
        "closed",
        "募集終了（集計中）",
        False,
    )


@pytest.mark.parametrize("factory_kwargs", [{"status": Consultation.Status.DRAFT}, {"letter": True}])
def test_draft_and_letter_are_not_readable_as_consultations(api_client, factory_kwargs):
    consultation = ConsultationFactory(**factory_kwargs)
    assert api_client.get(f"/api/v1/consultations/{consultation.pk}/").status_code == HTTPStatus.NOT_FOUND


def test_letter_channel_is_read_at_its_own_address(api_client):
    assert api_client.get("/api/v1/letter/").status_code == HTTPStatus.NOT_FOUND
    letter = ConsultationFactory(letter=True, max_opinion_chars=2000)

    data = api_client.get("/api/v1/letter/").data

    assert (
        data["id"],
        data["kind"],
        data["is_accepting"],
        data["max_opinion_chars"],
    ) == (
        letter.pk,
        "letter",
        True,
        2000,
    )
