"""indicator_values_compute and the survey selectors, through the real intake service."""

from decimal import Decimal

import pytest

from consultations.models import InvitationCode
from consultations.services import invitation_code_hash
from core.models import AuditEvent, District
from plans.models import IndicatorValue
from results.selectors.survey import survey_response_rate, survey_results
from results.services.indicators import indicator_values_compute
from results.services.survey_tally import survey_tallies_refresh
from results.tasks import indicator_values_compute_task
from tests.support.surveys import respond, scale_question

pytestmark = pytest.mark.django_db


def _ten_responses(survey, question, *, withdrawn_extra=True):
    # そう思う 2, ややそう思う 2, どちらとも 2, あまり 1, そう思わない 1, わからない 2 (10 answered) + 1 無回答
    for label, count in [
        ("そう思う", 2),
        ("ややそう思う", 2),
        ("どちらともいえない", 2),
        ("あまりそう思わない", 1),
        ("そう思わない", 1),
        ("わからない", 2),
    ]:
        for _ in range(count):
            respond(survey, {question: [label]})
    respond(survey, {question: []})
    if withdrawn_extra:
        # withdrawn responses never count, whatever they said
        for _ in range(3):
            respond(survey, {question: ["そう思う"]}, withdrawn=True)


def test_compute_stores_top2_without_dont_know(survey, indicator):
    question = scale_question(survey, indicator=indicator)
    _ten_responses(survey, question)
    (value,) = indicator_values_compute(consultation=survey)
    # n = 10 − わからない 2 = 8 (無回答 and 3 withdrawn excluded); top-2 = 4 → 4/8 = 50.0%
    # margin 1.96·√(0.5·0.5/8) = 1.96·0.176777 = 0.346482 → 34.65 points
    assert (value.fiscal_year, value.n, value.numerator) == (2026, 8, Decimal("4"))
    assert value.value == Decimal("50.0")
    assert value.margin_of_error == Decimal("34.65")
    assert (value.method, value.include_dont_know, value.source_consultation) == (
        "top2",
        False,
        survey,
    )
    assert AuditEvent.objects.filter(action="indicator_values.compute", target_id=str(survey.pk)).exists()


def test_compute_with_dont_know_in_denominator_and_score(survey, indicator):
    indicator.include_dont_know = True
    indicator.survey_method = "score"
    indicator.save()
    question = scale_question(survey, indicator=indicator)
    _ten_responses(survey, question)
    (value,) = indicator_values_compute(consultation=survey)
    # n = 10; (4 − 2)/10 = 20.0 points
    assert (value.n, value.value, value.method) == (10, Decimal("20.0"), "score")


def test_rerun_upserts_one_value_per_indicator_and_year(survey, indicator):
    question = scale_question(survey, indicator=indicator)
    respond(survey, {question: ["そう思う"]})
    indicator_values_compute(consultation=survey)
    respond(survey, {question: ["そう思わない"]})
    assert indicator_values_compute_task(survey.pk) == 1  # the task is the same idempotent service
    indicator_values_compute(consultation=survey)
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
    value = IndicatorValue.objects.get(indicator=indicator, fiscal_year=2026)
    # 1 of 2 → 50.0%
    assert (value.n, value.value) == (2, Decimal("50.0"))


def test_a_second_year_is_a_second_row(survey, indicator):
    import datetime

    from django.utils import timezone

    from tests.consultations.factories import ConsultationFactory

    question = scale_question(survey, indicator=indicator)
    respond(survey, {question: ["そう思う"]})
    indicator_values_compute(consultation=survey)
    later = ConsultationFactory(survey=True, opens_at=timezone.make_aware(datetime.datetime(2027, 6, 1)))
    scale_question(later, indicator=indicator)
    indicator_values_compute(consultation=later)
    years = list(IndicatorValue.objects.filter(indicator=indicator).values_list("fiscal_year", "n"))
    assert years == [(2026, 1), (2027, 0)]


def test_results_distribution_and_crosstabs_exclude_withdrawn_and_no_attribute(survey):
    question = scale_question(survey)
    chuo = District.objects.create(code="chuo-test", name="中央", order=1)
    respond(
        survey,
        {question: ["そう思う"]},
        attributes={"gender": "female", "district": chuo},
    )
    respond(survey, {question: ["そう思わない"]}, attributes={"gender": "male"})
    respond(survey, {question: ["そう思う"]}, attributes={"gender": "na"})
    respond(
        survey,
        {question: ["そう思う"]},
        attributes={"gender": "female"},
        withdrawn=True,
    )
    respond(survey, {question: []}, attributes={"gender": "female"})
    (result,) = survey_results(consultation=survey)
    dist = result.distribution
    # answered 3 (withdrawn gone), 無回答 1; そう思う 2/3 = 66.7%
    assert (dist.n, dist.no_answer) == (3, 1)
    assert dist.rows[0].percent == Decimal("66.7")
    gender = dict((key, table) for key, _label, table in result.crosstabs)["gender"]
    female = next(row for row in gender.rows if row.key == "female")
    # 回答しない on 性別 is excluded from the cross-tab (1 response)
    assert gender.excluded == 1
    assert (female.distribution.n, female.distribution.no_answer) == (1, 1)
    district = dict((key, table) for key, _label, table in result.crosstabs)["district"]
    assert district.excluded == 3 and district.rows[0].distribution.n == 1


def test_response_rate_from_sample_size(survey):
    survey.sample_size = 8
    survey.save()
    question = scale_question(survey)
    for _ in range(3):
        respond(survey, {question: ["そう思う"]})
    respond(survey, {question: ["そう思う"]}, withdrawn=True)
    rate = survey_response_rate(consultation=survey)
    # 3 / 8 = 37.5%
    assert (rate.basis, rate.used, rate.base, rate.rate) == (
        "sample_size",
        3,
        8,
        Decimal("37.5"),
    )


def test_response_rate_with_invitation_codes(survey):
    survey.invitation_required = True
    survey.sample_size = 100
    survey.save()
    question = scale_question(survey)
    codes = [f"CODE{i}" for i in range(6)]
    for code in codes:
        InvitationCode.objects.create(consultation=survey, code_hash=invitation_code_hash(code))
    respond(survey, {question: ["そう思う"]}, invitation_code=codes[0])
    respond(survey, {question: ["わからない"]}, invitation_code=codes[1])
    rate = survey_response_rate(consultation=survey)
    # used codes 2 / issued 6 = 33.3%
    assert (rate.basis, rate.used, rate.base, rate.rate, rate.responses) == (
        "invitation_codes",
        2,
        6,
        Decimal("33.3"),
        2,
    )


def test_only_surveys_are_computed(indicator):
    from django.core.exceptions import ValidationError

    from tests.consultations.factories import ConsultationFactory

    with pytest.raises(ValidationError):
        indicator_values_compute(consultation=ConsultationFactory())


def test_results_query_count_does_not_grow_with_questions(survey, django_assert_max_num_queries):
    questions = [scale_question(survey, number=i) for i in range(1, 7)]
    for _ in range(3):
        respond(
            survey,
            {q: ["そう思う"] for q in questions},
            attributes={"gender": "female"},
        )
    survey_tallies_refresh(consultation=survey)  # pages read the stored tally
    # tally, its rows, 地区, questions, their choices
    with django_assert_max_num_queries(6):
        results = survey_results(consultation=survey)
    assert [r.distribution.n for r in results] == [3] * 6
