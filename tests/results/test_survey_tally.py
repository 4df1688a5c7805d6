"""Stored survey tallies: same figures as tabulating every response, refreshed on time."""

import datetime
from collections import defaultdict
from http import HTTPStatus

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.roles import DEPARTMENT_STAFF
from consultations.models import Consultation
from consultations.services import consultation_advance_lifecycle, consultation_close
from core.models import AuditEvent, District
from feedback.models import Answer, Submission
from feedback.services import AnswerInput, submission_create
from plans.models import IndicatorValue
from results.models.survey import SurveyTally, SurveyTallyRow
from results.selectors.survey import (
    CROSS_ATTRIBUTES,
    QuestionResult,
    _attribute_levels,
    survey_responses,
    survey_results,
)
from results.services.survey_tally import survey_tallies_refresh
from results.tabulate import crosstab, distribution
from results.tasks import (
    survey_tallies_refresh_due_task,
    survey_tallies_refresh_task,
)
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory
from tests.plans.factories import IndicatorFactory
from tests.support.surveys import respond, scale_question

pytestmark = pytest.mark.django_db


def tabulate_every_response(consultation):
    """The per-request computation the tally replaced, kept as the reference."""
    responses = survey_responses(consultation)
    fields = [{"district": "district_id"}.get(key, key) for key, _label in CROSS_ATTRIBUTES]
    attributes = {row[0]: row[1:] for row in responses.values_list("id", *fields)}
    chosen = defaultdict(set)
    for question_id, submission_id, choice_id in Answer.choices.through.objects.filter(
        answer__submission__in=responses
    ).values_list("answer__question_id", "answer__submission_id", "choice_id"):
        chosen[(question_id, submission_id)].add(choice_id)
    texts = defaultdict(int)
    for question_id in (
        Answer.objects.filter(submission__in=responses).exclude(text="").values_list("question_id", flat=True)
    ):
        texts[question_id] += 1
    levels = _attribute_levels()
    # The attributes the survey asks, and any a response carries (survey_cross_attributes).
    asked = set(consultation.respondent_attributes)
    carried = {
        key
        for index, (key, _label) in enumerate(CROSS_ATTRIBUTES)
        if any(values[index] not in (None, "", "na") for values in attributes.values())
    }
    results = []
    for question in consultation.questions.prefetch_related("choices").order_by("number"):
        if question.kind == "free_text":
            results.append(QuestionResult(question, None, texts[question.pk]))
            continue
        options = [(c.pk, c.label) for c in question.choices.all()]
        answers = {sid: chosen.get((question.pk, sid), set()) for sid in attributes}
        result = QuestionResult(question, distribution(options, answers.values()), texts[question.pk])
        for index, (key, label) in enumerate(CROSS_ATTRIBUTES):
            if key not in asked | carried:
                continue
            records = ((attributes[sid][index], picked) for sid, picked in answers.items())
            result.crosstabs.append((key, str(label), crosstab(options, levels[key], records)))
        results.append(result)
    return results


def _figures(results):
    return [(r.question.pk, r.distribution, r.text_answers, r.crosstabs) for r in results]


@pytest.fixture
def survey(db):
    opens = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 0))
    department = DepartmentFactory(code="kikaku", name="企画課")
    return ConsultationFactory(
        survey=True,
        department=department,
        opens_at=opens,
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )


@pytest.fixture
def mixed_survey(survey):
    """Single, multiple, scale and free-text questions; varied attributes."""
    chuo = District.objects.create(code="chuo-t", name="中央", order=1)
    shiba = District.objects.create(code="shiba-t", name="芝", order=2)
    single = QuestionFactory(consultation=survey, number=1, labels=["はい", "いいえ"])
    multiple = QuestionFactory(
        consultation=survey,
        number=2,
        kind="multiple",
        labels=["公園", "道路", "図書館"],
    )
    scale = scale_question(survey, number=3)
    free = QuestionFactory(consultation=survey, number=4, kind="free_text")
    people = [
        (
            {single: ["はい"], multiple: ["公園", "道路"], scale: ["そう思う"]},
            {
                "age_band": "30s",
                "gender": "female",
                "district": chuo,
                "residence_years": "gte20",
            },
        ),
        (
            {single: ["いいえ"], multiple: ["道路", "図書館"], scale: ["わからない"]},
            {
                "age_band": "30s",
                "gender": "male",
                "district": shiba,
                "residence_years": "lt1",
            },
        ),
        (
            {single: ["はい"], multiple: [], scale: ["ややそう思う"]},  # 無回答 on 問2
            {"age_band": "70s", "gender": "na", "residence_years": "na"},
        ),
        (
            {
                single: [],
                multiple: ["公園", "道路", "図書館"],
            },  # 無回答 on 問1, no answer row on 問3
            {"age_band": "na", "gender": "female", "district": chuo},
        ),
        ({multiple: ["図書館"]}, {}),  # no attributes at all
    ]
    for picks, attributes in people:
        respond(survey, picks, attributes=attributes)
    respond(
        survey,
        {single: ["いいえ"], multiple: ["公園"]},
        attributes={"gender": "male"},
        withdrawn=True,
    )
    submission_create(
        consultation=survey,
        channel="web",
        attributes={"age_band": "20s"},
        answers=[
            AnswerInput(question_id=single.pk, choice_ids=[single.choices.get(label="はい").pk]),
            AnswerInput(question_id=free.pk, text="駅前に駐輪場を増やしてほしい"),
        ],
    )
    return survey


def test_tally_reproduces_the_per_response_tabulation(mixed_survey):
    expected = tabulate_every_response(mixed_survey)
    survey_tallies_refresh(consultation=mixed_survey)
    results = survey_results(consultation=mixed_survey)
    assert _figures(results) == _figures(expected)
    single, multiple, scale, free = results
    # 6 respondents (withdrawn gone): 問1 はい 3 / いいえ 1, 無回答 2 → n 4, はい 75.0%
    assert (single.distribution.n, single.distribution.no_answer) == (4, 2)
    assert [row.percent for row in single.distribution.rows] == [75, 25]
    # 問2 multiple: n 4 (公園 2, 道路 3, 図書館 3), sum passes 100
    assert [row.count for row in multiple.distribution.rows] == [2, 3, 3]
    assert multiple.distribution.percent_sum > 100
    # 問3 answered by 3, the other 3 are 無回答 (no answer row at all counts too)
    assert (scale.distribution.n, scale.distribution.no_answer) == (3, 3)
    assert (free.distribution, free.text_answers) == (None, 1)
    gender = dict((k, t) for k, _l, t in multiple.crosstabs)["gender"]
    # 性別 回答しない (1) and not given (2) are excluded from the cross-tab
    assert gender.excluded == 3
    female = next(row for row in gender.rows if row.key == "female")
    assert [row.count for row in female.distribution.rows] == [2, 2, 1]
    district = dict((k, t) for k, _l, t in multiple.crosstabs)["district"]
    # 中央 2, 芝 1; the 3 without a 地区 are excluded
    assert [row.distribution.n for row in district.rows] == [
        2,
        1,
    ] and district.excluded == 3


def test_tally_of_a_survey_without_responses_matches(survey):
    QuestionFactory(consultation=survey, number=1)
    tally = survey_tallies_refresh(consultation=survey)
    assert tally.respondents == 0
    assert _figures(survey_results(consultation=survey)) == _figures(tabulate_every_response(survey))


def test_refresh_replaces_stale_rows(survey):
    question = QuestionFactory(consultation=survey, number=1, labels=["はい", "いいえ"])
    respond(survey, {question: ["はい"]}, attributes={"gender": "female"})
    first = survey_tallies_refresh(consultation=survey)
    rows_before = SurveyTallyRow.objects.filter(tally=first).count()
    respond(survey, {question: ["いいえ"]}, attributes={"gender": "female"})
    # Pages serve the stored figures until the next refresh.
    (result,) = survey_results(consultation=survey)
    assert result.distribution.n == 1
    second = survey_tallies_refresh(consultation=survey)
    assert second.pk == first.pk and second.respondents == 2 and second.computed_at >= first.computed_at
    assert SurveyTallyRow.objects.filter(tally=second).count() == rows_before  # replaced, not added
    (result,) = survey_results(consultation=survey)
    assert [row.count for row in result.distribution.rows] == [1, 1]
    Submission.objects.filter(consultation=survey, age_band="").update(status=Submission.Status.WITHDRAWN)
    assert survey_tallies_refresh_task(survey.pk) == 0
    assert SurveyTally.objects.count() == 1
    assert AuditEvent.objects.filter(action="survey_tallies.refresh", target_id=str(survey.pk)).count() == 3


def test_first_read_computes_the_tally_once(survey):
    question = QuestionFactory(consultation=survey, number=1)
    respond(survey, {question: ["はい"]})
    survey_results(consultation=survey)
    survey_results(consultation=survey)
    assert AuditEvent.objects.filter(action="survey_tallies.refresh").count() == 1


def test_closing_a_survey_on_time_tallies_it_and_computes_indicators(survey, django_capture_on_commit_callbacks):
    indicator = IndicatorFactory(measurement="survey", survey_method="top2")
    question = scale_question(survey, indicator=indicator)
    respond(survey, {question: ["そう思う"]})
    respond(survey, {question: ["そう思わない"]})
    Consultation.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert consultation_advance_lifecycle() == {"opened": 0, "closed": 1}
    assert len(callbacks) == 2
    assert SurveyTally.objects.get(consultation=survey).respondents == 2
    # 1 of 2 in the top two → 50.0%
    assert IndicatorValue.objects.get(indicator=indicator).value == 50


def test_closing_a_survey_by_hand_also_tallies_it(survey, django_capture_on_commit_callbacks):
    question = QuestionFactory(consultation=survey, number=1)
    respond(survey, {question: ["はい"]})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        consultation_close(consultation=survey)
    assert len(callbacks) == 2
    assert SurveyTally.objects.get(consultation=survey).respondents == 1


def test_closing_a_public_comment_enqueues_no_tally_only_its_themes(django_capture_on_commit_callbacks):
    from nlp.models import ThemeRun

    consultation = ConsultationFactory(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks() as callbacks:
        consultation_advance_lifecycle()
    # One task: the themes of the closed case (#14); no survey tally.
    assert len(callbacks) == 1
    assert ThemeRun.objects.filter(consultation=consultation).count() == 1
    assert not SurveyTally.objects.filter(consultation=consultation).exists()


def test_beat_refreshes_open_and_just_closed_surveys_every_ten_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["consultations-refresh-survey-tallies"]
    assert (entry["task"], entry["schedule"]) == (
        "results.tasks.survey_tallies_refresh_due_task",
        600.0,
    )
    now = timezone.now()
    open_survey = ConsultationFactory(survey=True)
    just_closed = ConsultationFactory(survey=True, closed=True, closes_at=now - datetime.timedelta(hours=3))
    ConsultationFactory(survey=True, closed=True, closes_at=now - datetime.timedelta(days=3))
    ConsultationFactory()  # a パブリック・コメント
    assert survey_tallies_refresh_due_task() == 2
    assert set(SurveyTally.objects.values_list("consultation_id", flat=True)) == {
        open_survey.pk,
        just_closed.pk,
    }


def test_page_shows_when_figures_were_computed_and_staff_can_recompute(client, survey):
    question = QuestionFactory(consultation=survey, number=1, labels=["はい", "いいえ"])
    respond(survey, {question: ["はい"]})
    user = StaffUserFactory(roles=[DEPARTMENT_STAFF], department=survey.department)
    client.force_login(user)
    html = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    computed = timezone.localtime(SurveyTally.objects.get(consultation=survey).computed_at)
    assert "集計日時" in html and computed.strftime("%Y年%-m月%-d日 %H:%M") in html
    assert f'action="/staff/surveys/{survey.pk}/results/tally/"' in html and "csrfmiddlewaretoken" in html
    respond(survey, {question: ["いいえ"]})
    assert "全体（n=1、" in client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    response = client.post(f"/staff/surveys/{survey.pk}/results/tally/")
    assert response.status_code == HTTPStatus.FOUND
    html = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "全体（n=2、" in html and "2 件の回答を再集計しました。" in html
    assert AuditEvent.objects.filter(action="survey_tallies.refresh", actor=user).exists()
    assert client.get(f"/staff/surveys/{survey.pk}/results/tally/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
