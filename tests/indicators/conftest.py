import datetime

import pytest
from django.utils import timezone

from feedback.models import Submission
from feedback.services import AnswerInput, submission_create
from tests.accounts.factories import DepartmentFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory
from tests.plans.factories import IndicatorFactory

SCALE = [
    "そう思う",
    "ややそう思う",
    "どちらともいえない",
    "あまりそう思わない",
    "そう思わない",
    "わからない",
]
SCALE_VALUES = {
    "そう思う": 5,
    "ややそう思う": 4,
    "どちらともいえない": 3,
    "あまりそう思わない": 2,
    "そう思わない": 1,
    "わからない": 0,
}


def scale_question(consultation, *, indicator=None, number=1):
    question = QuestionFactory(
        consultation=consultation,
        kind="scale5",
        labels=SCALE,
        number=number,
        indicator=indicator,
    )
    for choice in question.choices.all():  # the factory numbers choices by position; set the scale's values
        choice.value = SCALE_VALUES[choice.label]
        choice.save(update_fields=["value"])
    return question


def respond(consultation, picks: dict, *, attributes=None, withdrawn=False, invitation_code=""):
    """picks: {question: [choice label, ...]} (an empty list is 無回答)."""
    answers = [
        AnswerInput(
            question_id=q.pk,
            choice_ids=[q.choices.get(label=label).pk for label in labels],
        )
        for q, labels in picks.items()
    ]
    submission = submission_create(
        consultation=consultation,
        channel="web",
        answers=answers,
        attributes=attributes or {},
        invitation_code=invitation_code,
    )
    if withdrawn:
        Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.WITHDRAWN)
    return submission


@pytest.fixture
def survey(db):
    # Opened 2026-05-01 (JST) → 令和8年度 = fiscal 2026
    opens = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 0))
    department = DepartmentFactory(code="kikaku", name="企画課")
    return ConsultationFactory(
        survey=True,
        department=department,
        opens_at=opens,
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )


@pytest.fixture
def indicator(db):
    return IndicatorFactory(measurement="survey", baseline_value="33.9", survey_method="top2")
