"""The seed's section VI indicators measured by the demo 市民意識調査."""

from decimal import Decimal
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.roles import KOUCHOU
from consultations.models import Consultation
from demo import services as demo_data
from feedback.models import Submission
from nlp.models import DuplicateGroup, SubmissionAnalysis
from nlp.services import duplicate_groups_refresh
from plans.indicator_math import percent
from plans.models import IndicatorValue
from results.selectors.dashboard import DashboardFilters, submission_total
from results.services.dashboard import dashboard_stats_refresh
from results.services.indicators import (
    consultation_fiscal_year,
    indicator_values_compute,
)
from tests.accounts.factories import StaffUserFactory
from tests.support.surveys import respond

pytestmark = pytest.mark.django_db


def test_demo_survey_measures_vi_indicators_against_their_baselines(client):
    call_command("load_demo", force=True, no_submissions=True, stdout=StringIO())
    survey = Consultation.objects.get(kind="survey", questions__indicator__policy__code="VI-1")
    q1, q2, q3 = survey.questions.filter(indicator__isnull=False).order_by("number")
    vi1 = q1.indicator
    assert (vi1.name, vi1.baseline_value, vi1.baseline_year_label) == (
        "この施策の推進が図られていると感じる人の割合",
        Decimal("33.90"),
        "R2",
    )
    # 施策1: そう思う 1, ややそう思う 1, どちらともいえない 1, そう思わない 1, わからない 1
    for label in [
        "そう思う",
        "ややそう思う",
        "どちらともいえない",
        "そう思わない",
        "わからない",
    ]:
        respond(survey, {q1: [label], q2: ["そう思う"], q3: []})
    values = {v.indicator_id: v for v in indicator_values_compute(consultation=survey)}
    year = consultation_fiscal_year(survey)
    # VI-1: 2 of 4 (わからない out) = 50.0%; margin 1.96·√(0.25/4) = 0.49 → 49.00 points
    assert (values[vi1.pk].value, values[vi1.pk].n, values[vi1.pk].margin_of_error) == (
        Decimal("50.0"),
        4,
        Decimal("49.00"),
    )
    # VI-2: 5 of 5 = 100.0%, margin 0; VI-3 has only 無回答: n 0, no value
    assert values[q2.indicator_id].value == Decimal("100.0")
    assert (values[q3.indicator_id].n, values[q3.indicator_id].value) == (0, None)
    # The survey wrote its three; 応募倍率 of the year comes from the committees app.
    assert IndicatorValue.objects.filter(fiscal_year=year, source="survey").count() == 3
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    response = client.get(f"/staff/surveys/{survey.pk}/results/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "33.9%（令和2年度）" in html and "50.0%（n=4、±49.00）" in html


def test_demo_comes_with_submissions_that_the_dashboard_counts(client):
    from feedback.models import Submission
    from results.models.dashboard import StatsRefresh

    call_command("load_demo", force=True, stdout=StringIO())
    assert Submission.objects.filter(consultation__kind="public_comment").count() >= 10
    assert Submission.objects.filter(consultation__kind="survey").count() >= 30
    assert StatsRefresh.objects.get().submission_rows > 0
    before = Submission.objects.count()
    call_command("load_demo", force=True, stdout=StringIO())  # idempotent: nothing added twice
    assert Submission.objects.count() == before


def test_demo_campaign_share_counts_the_campaign_texts_only(django_capture_on_commit_callbacks):
    """#11: the demo's survey responses have choices only; they were one 同趣旨 "campaign" of empty texts."""
    with django_capture_on_commit_callbacks(execute=True):  # the analysis each intake queues
        call_command("load_demo", force=True, stdout=StringIO())
    for consultation_id in Submission.objects.values_list("consultation_id", flat=True).distinct():
        duplicate_groups_refresh(consultation_id=consultation_id)
    dashboard_stats_refresh()

    survey = Submission.objects.filter(consultation__kind="survey")
    # This year's open survey, and last year's answered on paper (published by 広聴).
    survey_responses = demo_data.SURVEY_RESPONSES + demo_data.PAST_SURVEY_RESPONSES
    assert survey.count() == survey_responses
    assert not survey.exclude(duplicate_group_key="").exists()
    assert not survey.filter(suggested_policy__isnull=False).exists()
    assert not SubmissionAnalysis.objects.filter(submission__in=survey, duplicate_group__isnull=False).exists()

    # By hand from the demo data set: every opinion, campaign copy and letter
    # has a text; the one campaign is the copies of demo_data.CAMPAIGN.
    # The closed パブリック・コメント has a campaign of its own (demo_data.CLOSED_CAMPAIGN).
    closed = [*demo_data.CLOSED_OPINIONS, *(g + demo_data.CLOSED_CAMPAIGN for g in demo_data.CAMPAIGN_VARIANTS)]
    texts = [
        *demo_data.OPINIONS,
        *(g + demo_data.CAMPAIGN for g in demo_data.CAMPAIGN_VARIANTS),
        *closed,
        *demo_data.LETTERS,
    ]
    copies = [text for text in texts if demo_data.CAMPAIGN in text or demo_data.CLOSED_CAMPAIGN in text]
    sizes = sorted(DuplicateGroup.objects.filter(size__gte=2).values_list("size", flat=True))
    assert sizes == [len(demo_data.CAMPAIGN_VARIANTS)] * 2 and sum(sizes) == len(copies)
    totals = submission_total(DashboardFilters())
    assert (totals["total"], totals["texts"], totals["campaign"]) == (
        len(texts) + survey_responses,
        len(texts),
        len(copies),
    )
    assert totals["campaign_share"] == percent(len(copies), len(texts))
    assert not submission_total(DashboardFilters(kind="survey"))["campaign"]


def test_demo_committees_show_a_five_year_applicant_ratio_and_judge_the_indicator(client):
    from plans.models import Indicator
    from results.selectors.policy_page import indicator_progress

    call_command("load_demo", force=True, no_submissions=True, stdout=StringIO())
    data = client.get("/api/v1/committees/ratios/").json()
    window = [y for y in data["years"] if 2021 <= y["fiscal_year"] <= 2025]
    assert all(y["rounds"] >= 1 for y in window)
    assert data["five_year_mean"] == 1.98 and data["five_year_pooled"] == 1.95
    indicator = Indicator.objects.get(measurement=Indicator.Measurement.COMMITTEES)
    assert {v.fiscal_year for v in indicator.values.all()} >= {2021, 2022, 2023, 2024, 2025}
    progress = indicator_progress(indicator)
    assert progress.achieved is False and "5年間の平均は 1.98倍" in progress.explanation
    # Loading again adds nothing (idempotent).
    from committees.models import Application

    count = Application.objects.count()
    call_command("load_demo", force=True, no_submissions=True, stdout=StringIO())
    assert Application.objects.count() == count


def test_demo_publishes_last_year_s_survey_with_its_matrix_and_sets_one_up_for_this_year(client):
    """#15: a fresh demo shows residents a published 調査結果 with the 重要度×満足度 matrix."""
    from results.models.survey import SurveyMatrixItem

    call_command("load_demo", force=True, stdout=StringIO())
    past = Consultation.objects.get(title="令和7年度 川口市市民意識調査")
    assert past.status == Consultation.Status.PUBLISHED
    assert past.results_counts["respondents"] == demo_data.PAST_SURVEY_RESPONSES
    this_year = Consultation.objects.get(title="令和8年度 川口市市民意識調査")
    labels = [
        "地縁活動の支援",
        "市民活動の支援",
        "市民参加の環境づくり",
        "広報広聴活動の充実",
        "財政基盤の強化",
        "情報化の推進",
    ]
    for survey in (past, this_year):
        items = SurveyMatrixItem.objects.filter(consultation=survey).order_by("order")
        assert [item.label for item in items] == labels
        assert all(item.importance_question.text.endswith("重要だ。") for item in items)
        assert all(item.satisfaction_question.text.endswith("満足している。") for item in items)
    html = client.get(f"/consultations/{past.pk}/survey-results/").content.decode()
    assert "重要度×満足度の表（平均ポイント）" in html and html.count('class="matrix-mark"') == 6
    assert f"有効回答数</dt><dd>{demo_data.PAST_SURVEY_RESPONSES}人" in html
    assert client.get(f"/consultations/{this_year.pk}/survey-results/").status_code == HTTPStatus.NOT_FOUND


def test_demo_closed_public_comment_opens_its_themes_page_with_a_map(client):
    """#14: a fresh demo's closed パブリック・コメント has its themes computed, so 広聴 see the map at once."""
    from nlp.models import ThemeRun

    call_command("load_demo", force=True, stdout=StringIO())
    closed = Consultation.objects.filter(
        kind=Consultation.Kind.PUBLIC_COMMENT, status=Consultation.Status.CLOSED
    ).first()
    run = ThemeRun.objects.get(consultation=closed)
    assert run.status == ThemeRun.Status.DONE and run.item_count == closed.submissions.count()
    assert [t for t in run.result["themes"] if t["parent"] is None]
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    html = client.get(f"/staff/consultations/{closed.pk}/workbench/themes/").content.decode()
    assert "テーマの散布図" in html and "テーマ×施策" in html
