"""Survey helpers: a 5-point question linked to a 目標指標, and answering it through intake."""

from feedback.models import Submission
from feedback.services import AnswerInput, submission_create
from tests.consultations.factories import QuestionFactory

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
