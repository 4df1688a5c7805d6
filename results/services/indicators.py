"""Compute survey-measured 目標指標 values and store one per 年度."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from core.wareki import fiscal_year
from feedback.models import Answer, Submission
from plans.indicator_math import indicator_compute
from plans.models import IndicatorValue

# Only 5-point scales carry the 5..1 / 0 = わからない values the methods assume.
SCORED_KINDS = ("scale5",)


def _scale_counts(question) -> Counter:
    """Tally Choice.value over non-withdrawn responses that answered the question."""
    values = (
        Answer.choices.through.objects.filter(answer__question=question)
        .exclude(answer__submission__status=Submission.Status.WITHDRAWN)
        .values_list("answer_id", "choice__value")
    )
    per_answer: dict[int, int] = {}
    for answer_id, value in values:
        # One choice per answer on a scale; a stray second choice keeps the first seen.
        per_answer.setdefault(answer_id, value)
    return Counter(per_answer.values())


def consultation_fiscal_year(consultation) -> int:
    if consultation.opens_at is None:
        raise ValidationError("調査の開始日時がないため年度を決められません。", code="no_opens_at")
    return fiscal_year(timezone.localtime(consultation.opens_at).date())


@transaction.atomic
def indicator_values_compute(*, consultation, actor=None) -> list[IndicatorValue]:
    """Upsert the value of every indicator a question of this survey measures."""
    if consultation.kind != consultation.Kind.SURVEY:
        raise ValidationError("市民意識調査（アンケート）ではありません。", code="not_survey")
    fiscal_year = consultation_fiscal_year(consultation)
    now = timezone.now()
    stored = []
    questions = (
        consultation.questions.filter(indicator__isnull=False, kind__in=SCORED_KINDS)
        .select_related("indicator")
        .order_by("number")
    )
    for question in questions:
        indicator = question.indicator
        result = indicator_compute(
            _scale_counts(question),
            method=indicator.survey_method,
            include_dont_know=indicator.include_dont_know,
        )
        value, created = IndicatorValue.objects.update_or_create(
            indicator=indicator,
            fiscal_year=fiscal_year,
            defaults={
                "value": result.value,
                "numerator": result.numerator,
                "n": result.n,
                "margin_of_error": result.margin_of_error,
                "method": result.method,
                "include_dont_know": result.include_dont_know,
                "source_consultation": consultation,
                "computed_at": now,
            },
        )
        stored.append(value)
    audit_record(
        actor=actor,
        action="indicator_values.compute",
        target=consultation,
        summary=f"{fiscal_year}年度 {len(stored)}指標",
        after={
            "fiscal_year": fiscal_year,
            "values": {str(v.indicator_id): {"value": str(v.value), "n": v.n} for v in stored},
        },
    )
    return stored
