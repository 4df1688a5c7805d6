"""Reads for a survey's results: distributions, cross-tabs and response rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation, InvitationCode, Question
from core.models import District
from core.wareki import fiscal_year
from feedback.models import AgeBand, Gender, Household, Occupation, ResidenceYears, Submission
from plans.indicator_math import percent
from plans.models import IndicatorValue
from results.models.survey import SurveyTally, SurveyTallyRow
from results.tabulate import (
    CrossTab,
    Distribution,
    crosstab_from_groups,
    distribution_from_counts,
)

# 年代 / 性別 / 地区 / 居住年数 / 職業 / 世帯構成: the attributes a result may be crossed
# with; a survey's cross-tabs are those it asks (survey_cross_attributes).
CROSS_ATTRIBUTES = (
    ("age_band", _("年代")),
    ("gender", _("性別")),
    ("district", _("地区")),
    ("residence_years", _("居住年数")),
    ("occupation", _("職業")),
    ("household", _("世帯構成")),
)
# Stored values that are no level of a cross-tab: not given, or 回答しない.
_NOT_A_LEVEL = ("", "na")


def survey_responses(consultation: Consultation):
    """Responses that count: everything but withdrawn ones."""
    return Submission.objects.filter(consultation=consultation).exclude(status=Submission.Status.WITHDRAWN)


@dataclass(frozen=True)
class ResponseRate:
    responses: int
    base: int | None  # sample_size, or issued invitation codes
    used: int  # responses, or used invitation codes
    basis: str  # "invitation_codes" | "sample_size" | ""
    rate: Decimal | None


def survey_response_rate(*, consultation: Consultation, responses: int | None = None) -> ResponseRate:
    """回収率: used / issued invitation codes, else responses / 標本数.

    Pass ``responses`` (e.g. the stored tally's count) to avoid counting them.
    """
    if responses is None:
        responses = survey_responses(consultation).count()
    codes = InvitationCode.objects.filter(consultation=consultation).aggregate(
        issued=Count("id"),
        used=Count("id", filter=Q(used_at__isnull=False)),
    )
    if consultation.invitation_required and codes["issued"]:
        return ResponseRate(
            responses,
            codes["issued"],
            codes["used"],
            "invitation_codes",
            percent(codes["used"], codes["issued"]),
        )
    if consultation.sample_size:
        return ResponseRate(
            responses,
            consultation.sample_size,
            responses,
            "sample_size",
            percent(responses, consultation.sample_size),
        )
    return ResponseRate(responses, None, responses, "", None)


def _attribute_levels() -> dict[str, list[tuple]]:
    def levels(choices):
        return [(key, label) for key, label in choices.choices if key != "na"]

    return {
        "age_band": levels(AgeBand),
        "gender": levels(Gender),
        "district": [(d.pk, d.name) for d in District.objects.order_by("order", "code")],
        "residence_years": levels(ResidenceYears),
        "occupation": levels(Occupation),
        "household": levels(Household),
    }


def survey_cross_attributes(*, consultation: Consultation, stored_keys) -> list[tuple[str, object]]:
    """The (key, label) of CROSS_ATTRIBUTES a survey's results are crossed with.

    Those the survey asks (Consultation.respondent_attributes), and any other
    a response carries (asked before the survey's list was changed), so no
    table is shown that nobody could be in and no answer given is left out.
    ``stored_keys``: the tally's (question, attribute, value) keys.
    """
    asked = set(getattr(consultation, "respondent_attributes", None) or ())
    carried = {attribute for _question, attribute, value in stored_keys if attribute and value not in _NOT_A_LEVEL}
    return [(key, label) for key, label in CROSS_ATTRIBUTES if key in asked or key in carried]


@dataclass
class QuestionResult:
    question: Question
    distribution: Distribution | None  # None for free text
    text_answers: int = 0
    crosstabs: list[tuple[str, str, CrossTab]] = field(default_factory=list)  # (key, label, table)


def survey_tally_get(*, consultation: Consultation) -> SurveyTally:
    """Return the survey's stored tally, computing it now if there is none.

    Pages read the stored tally (refreshed by beat every 10 minutes while a
    survey is open or just closed, on closing, and by staff on demand) so a
    request never scans 100,000 responses. A survey never tallied is
    computed synchronously once rather than tabulated on the fly when small:
    one code path means the page, the tests and the exports see the same
    figures, and the one slow first view of a large survey is rare because
    beat tallies every open survey.
    """
    tally = SurveyTally.objects.filter(consultation=consultation).first()
    if tally is None or tally.computed_at is None:
        from results.services.survey_tally import survey_tallies_refresh

        tally = survey_tallies_refresh(consultation=consultation)
    return tally


def _stored_rows(tally: SurveyTally) -> dict[tuple[int, str, str], tuple]:
    """Return {(question, attribute, value): (n, no_answer, texts, counts)}."""
    rows = SurveyTallyRow.objects.filter(tally=tally).values_list(
        "question_id",
        "attribute",
        "value",
        "n",
        "no_answer",
        "text_answers",
        "choice_counts",
    )
    return {
        (question_id, attribute, value): (
            n,
            no_answer,
            texts,
            {int(k): c for k, c in counts.items()},
        )
        for question_id, attribute, value, n, no_answer, texts, counts in rows
    }


def _stored_distribution(options, stored) -> Distribution:
    n, no_answer, _texts, counts = stored
    return distribution_from_counts(options, counts, n=n, no_answer=no_answer)


def survey_results(
    *,
    consultation: Consultation,
    with_crosstabs: bool = True,
    tally: SurveyTally | None = None,
) -> list[QuestionResult]:
    """Per-question distribution (base n = respondents of the question) and cross-tabs.

    Read from the stored tally (see ``survey_tally_get``): a fixed handful of
    queries whatever the number of responses or questions.
    """
    tally = tally or survey_tally_get(consultation=consultation)
    stored = _stored_rows(tally)
    empty = (0, 0, 0, {})
    levels = _attribute_levels() if with_crosstabs else {}
    attributes = survey_cross_attributes(consultation=consultation, stored_keys=stored) if with_crosstabs else []
    results = []
    questions = consultation.questions.prefetch_related("choices").order_by("number")
    for question in questions:
        overall = stored.get((question.pk, "", ""), empty)
        if question.kind == Question.Kind.FREE_TEXT:
            results.append(QuestionResult(question, None, overall[2]))
            continue
        options = [(c.pk, c.label) for c in question.choices.all()]
        result = QuestionResult(question, _stored_distribution(options, overall), overall[2])
        for key, label in attributes:
            groups = {
                level: _stored_distribution(options, stored[(question.pk, key, str(level))])
                for level, _label in levels[key]
                if (question.pk, key, str(level)) in stored
            }
            table = crosstab_from_groups(options, levels[key], groups, total=overall[0] + overall[1])
            result.crosstabs.append((key, str(label), table))
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
    year = fiscal_year(timezone.localtime(consultation.opens_at).date()) if consultation.opens_at else None
    questions = (
        consultation.questions.filter(indicator__isnull=False)
        .select_related("indicator__policy")
        .prefetch_related(
            Prefetch(
                "indicator__values",
                queryset=IndicatorValue.objects.order_by("fiscal_year"),
            )
        )
        .order_by("number")
    )
    rows = []
    for question in questions:
        values = list(question.indicator.values.all())
        current = next((v for v in values if v.fiscal_year == year), None)
        rows.append(IndicatorRow(question, question.indicator, values, current))
    return rows
