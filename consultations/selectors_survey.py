"""Reads for a survey's results: distributions, cross-tabs and response rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.indicator_math import fiscal_year_of, percent

from .models import Consultation, InvitationCode, Question
from .tabulate import CrossTab, Distribution, crosstab, distribution

# 年代 / 性別 / 地区 / 居住年数: the attributes a result is crossed with.
CROSS_ATTRIBUTES = (
    ("age_band", _("年代")),
    ("gender", _("性別")),
    ("district", _("地区")),
    ("residence_years", _("居住年数")),
)


def survey_responses(consultation: Consultation):
    """Responses that count: everything but withdrawn ones."""
    from feedback.models import Submission

    return Submission.objects.filter(consultation=consultation).exclude(status=Submission.Status.WITHDRAWN)


@dataclass(frozen=True)
class ResponseRate:
    responses: int
    base: int | None  # sample_size, or issued invitation codes
    used: int  # responses, or used invitation codes
    basis: str  # "invitation_codes" | "sample_size" | ""
    rate: Decimal | None


def survey_response_rate(*, consultation: Consultation) -> ResponseRate:
    """回収率: used / issued invitation codes, else responses / 標本数."""
    responses = survey_responses(consultation).count()
    codes = InvitationCode.objects.filter(consultation=consultation).aggregate(
        issued=Count("id"), used=Count("id", filter=Q(used_at__isnull=False)),
    )
    if consultation.invitation_required and codes["issued"]:
        return ResponseRate(responses, codes["issued"], codes["used"], "invitation_codes",
                            percent(codes["used"], codes["issued"]))
    if consultation.sample_size:
        return ResponseRate(responses, consultation.sample_size, responses, "sample_size",
                            percent(responses, consultation.sample_size))
    return ResponseRate(responses, None, responses, "", None)


def _attribute_levels() -> dict[str, list[tuple]]:
    from core.models import District
    from feedback.models import AgeBand, Gender, ResidenceYears

    def levels(choices):
        return [(key, label) for key, label in choices.choices if key != "na"]

    return {
        "age_band": levels(AgeBand),
        "gender": levels(Gender),
        "district": [(d.pk, d.name) for d in District.objects.order_by("order", "code")],
        "residence_years": levels(ResidenceYears),
    }


@dataclass
class QuestionResult:
    question: Question
    distribution: Distribution | None  # None for free text
    text_answers: int = 0
    crosstabs: list[tuple[str, str, CrossTab]] = field(default_factory=list)  # (key, label, table)


def survey_results(*, consultation: Consultation, with_crosstabs: bool = True) -> list[QuestionResult]:
    """Per-question distribution (base n = respondents of the question) and cross-tabs.

    Three queries whatever the number of questions: responses with their
    attributes, chosen choices, and answers with text.
    """
    from feedback.models import Answer

    responses = survey_responses(consultation)
    attributes = {
        row[0]: row[1:]
        for row in responses.values_list("id", "age_band", "gender", "district_id", "residence_years")
    }
    chosen: dict[tuple[int, int], set[int]] = defaultdict(set)  # (question, submission) → choice ids
    for question_id, submission_id, choice_id in Answer.choices.through.objects.filter(
        answer__submission__in=responses
    ).values_list("answer__question_id", "answer__submission_id", "choice_id"):
        chosen[(question_id, submission_id)].add(choice_id)
    texts: dict[int, int] = defaultdict(int)
    for question_id in Answer.objects.filter(submission__in=responses).exclude(text="").values_list(
        "question_id", flat=True
    ):
        texts[question_id] += 1
    levels = _attribute_levels() if with_crosstabs else {}
    results = []
    questions = consultation.questions.prefetch_related("choices").order_by("number")
    for question in questions:
        if question.kind == Question.Kind.FREE_TEXT:
            results.append(QuestionResult(question, None, texts[question.pk]))
            continue
        options = [(c.pk, c.label) for c in question.choices.all()]
        answers = {sid: chosen.get((question.pk, sid), set()) for sid in attributes}
        result = QuestionResult(question, distribution(options, answers.values()), texts[question.pk])
        for index, (key, label) in enumerate(CROSS_ATTRIBUTES):
            if key not in levels:
                continue
            records = ((attributes[sid][index], picked) for sid, picked in answers.items())
            result.crosstabs.append((key, str(label), crosstab(options, levels[key], records)))
        results.append(result)
    return results


def survey_get_for_staff(pk: int) -> Consultation:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Consultation.objects.filter(kind=Consultation.Kind.SURVEY), pk=pk)


@dataclass(frozen=True)
class IndicatorRow:
    question: Question
    indicator: object  # plans.Indicator
    values: list  # IndicatorValue rows, oldest first (year-over-year)
    current: object | None  # the value for this survey's 年度


def indicator_values_for_consultation(*, consultation: Consultation) -> list[IndicatorRow]:
    """Indicators this survey measures, with baseline, target and stored yearly values."""
    from plans.models import IndicatorValue

    year = fiscal_year_of(timezone.localtime(consultation.opens_at).date()) if consultation.opens_at else None
    questions = (
        consultation.questions.filter(indicator__isnull=False)
        .select_related("indicator__policy")
        .prefetch_related(Prefetch("indicator__values", queryset=IndicatorValue.objects.order_by("fiscal_year")))
        .order_by("number")
    )
    rows = []
    for question in questions:
        values = list(question.indicator.values.all())
        current = next((v for v in values if v.fiscal_year == year), None)
        rows.append(IndicatorRow(question, question.indicator, values, current))
    return rows
