import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from consultations.models import Choice, Consultation, DraftSection, Question
from consultations.services import closing_moment


def _today():
    return timezone.localdate()


class ConsultationFactory(DjangoModelFactory):
    """An open パブリック・コメント with a 31-day period by default."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    kind = Consultation.Kind.PUBLIC_COMMENT
    status = Consultation.Status.OPEN
    title = factory.Sequence(lambda n: f"テスト計画（案）{n}")
    summary = "計画案への意見を募集します。"
    announced_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=1))
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: closing_moment(_today() + datetime.timedelta(days=29)))
    eligibility = ["resident", "worker", "student"]
    required_identity = []
    submission_address = "〒332-8601 川口市青木2-1-1"

    class Params:
        closed = factory.Trait(
            status=Consultation.Status.CLOSED,
            opens_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=40)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        letter = factory.Trait(
            kind=Consultation.Kind.LETTER,
            title="市長への手紙",
            announced_on=None,
            opens_at=None,
            closes_at=None,
            eligibility=[],
        )
        survey = factory.Trait(kind=Consultation.Kind.SURVEY, eligibility=[])


class DraftSectionFactory(DjangoModelFactory):
    class Meta:
        model = DraftSection

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    heading = factory.Sequence(lambda n: f"第{n + 1}章")
    body = "本文"


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory, survey=True)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"設問{n}")
    kind = Question.Kind.SINGLE

    @factory.post_generation
    def labels(obj, create, extracted, **kwargs):
        if not create or obj.kind == Question.Kind.FREE_TEXT:
            return
        labels = extracted or ["はい", "いいえ", "わからない"]
        for order, label in enumerate(labels):
            Choice.objects.create(question=obj, label=label, value=len(labels) - order, order=order)
