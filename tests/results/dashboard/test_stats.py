"""The aggregate tables count what the triage tables hold, in the city's calendar."""

from decimal import Decimal

import pytest

from accounts.roles import KOUCHOU
from feedback.models import Submission
from feedback.services import AnswerInput, submission_create
from nlp.engine import engine_reset
from nlp.services import duplicate_groups_refresh
from plans.indicator_math import percent
from plans.loader import plan_document_read
from plans.services.plan_import import plan_import
from results.models.dashboard import LetterStat, StatsRefresh, SubmissionStat
from results.selectors.dashboard import (
    DashboardFilters,
    letter_outcomes_by_department,
    policy_fiscal_year_matrix,
    submission_total,
    submissions_by_channel,
    submissions_by_consultation,
    submissions_by_policy,
    submissions_over_time,
)
from results.services.dashboard import dashboard_stats_refresh
from results.tasks import dashboard_stats_refresh_task
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory
from tests.feedback.factories import submit
from tests.plans.conftest import SHIPPED_PLAN

pytestmark = pytest.mark.django_db


def _by_label(rows):
    return {row.label: row.count for row in rows}


def test_totals_reconcile_with_the_submissions_table(city):
    dashboard_stats_refresh()
    totals = submission_total(DashboardFilters(kind="public_comment"))
    live = Submission.objects.filter(consultation=city["pc"]).exclude(status=Submission.Status.WITHDRAWN)
    assert totals["total"] == live.count() == 7
    assert totals["campaign"] == 2
    assert totals["confirmed"] == 2  # s[0] and s[2]; s[7] is withdrawn
    assert str(totals["campaign_share"]) == "28.6"


def test_policy_counts_use_confirmed_else_suggested(city):
    dashboard_stats_refresh()
    rows = submissions_by_policy(DashboardFilters(kind="public_comment"))
    assert _by_label(rows) == {
        "施策1 地域のつながりづくり": 4,
        "未分類": 2,
        "施策3 多文化共生": 1,
    }
    assert rows[0].extra["confirmed"] == 2


def test_months_and_fiscal_years_follow_japan_time(city):
    dashboard_stats_refresh()
    monthly = submissions_over_time(DashboardFilters(kind="public_comment"))
    assert _by_label(monthly) == {"2026年3月": 2, "2026年4月": 5}
    yearly = submissions_over_time(DashboardFilters(kind="public_comment", grain="fiscal_year"))
    assert _by_label(yearly) == {"2025年度（令和7年度）": 2, "2026年度（令和8年度）": 5}
    only_2026 = submission_total(DashboardFilters(kind="public_comment", fiscal_year=2026))
    assert only_2026["total"] == 5


def test_channel_and_consultation_breakdowns(city):
    dashboard_stats_refresh()
    filters = DashboardFilters(kind="public_comment")
    assert _by_label(submissions_by_channel(filters)) == {
        "ウェブフォーム": 4,
        "郵送": 3,
    }
    (row,) = submissions_by_consultation(filters)
    assert (row.label, row.count, row.extra["campaign"]) == ("協働推進計画（案）", 7, 2)


def test_policy_year_matrix(city):
    dashboard_stats_refresh()
    years, matrix = policy_fiscal_year_matrix(kind="public_comment")
    assert years == [2025, 2026]
    cells = {(policy.code if policy else None): counts for policy, counts, _total in matrix}
    assert cells["VI-1"] == [2, 2] and cells["VI-3"] == [0, 1] and cells[None] == [0, 2]


def test_letter_outcomes(city):
    dashboard_stats_refresh()
    (row,) = letter_outcomes_by_department()
    assert row.department == "公園課"
    assert row.counts == {"on_time": 1, "late": 1, "overdue": 1, "open": 1}
    assert str(row.on_time_share) == "50.0"


def test_refresh_replaces_old_rows_and_is_idempotent(city):
    dashboard_stats_refresh()
    first = SubmissionStat.objects.count(), LetterStat.objects.count()
    Submission.objects.filter(pk=city["submissions"][5].pk).update(status=Submission.Status.WITHDRAWN)
    dashboard_stats_refresh_task.delay()
    assert submission_total(DashboardFilters(kind="public_comment"))["total"] == 6
    dashboard_stats_refresh()
    assert StatsRefresh.objects.count() == 1
    assert SubmissionStat.objects.count() <= first[0] + 1
    assert LetterStat.objects.count() == first[1]


# ---- Survey responses without 自由記述 (#11): in 受付件数, never in 施策 counts or 同趣旨 figures ----

CAMPAIGN_TEXT = "市民参加の機会を増やすため、計画の各段階でワークショップを開催することを求めます。"


@pytest.fixture
def texts_and_choices(db, django_capture_on_commit_callbacks):
    """Through intake and the real analysis, with the seed plan's 施策.

    パブコメ: 4 opinions, 2 of them one campaign. Survey: 3 responses of
    choices only and 1 with a 自由記述 about 町会. Texts: 4 + 1 = 5.
    """
    document = plan_document_read(SHIPPED_PLAN)
    plan_import(data=document.data, source_name=SHIPPED_PLAN.name, lines=document.lines)
    engine_reset()
    pc = ConsultationFactory(title="協働推進計画（案）")
    survey = ConsultationFactory(survey=True, title="市民意識調査")
    choice = QuestionFactory(consultation=survey, number=1)
    free = QuestionFactory(consultation=survey, number=2, kind="free_text")

    def respond(text=""):
        answers = [AnswerInput(choice.pk, choice_ids=[choice.choices.get(label="はい").pk])]
        return submission_create(
            consultation=survey,
            channel="web",
            answers=answers + ([AnswerInput(free.pk, text=text)] if text else []),
        )

    with django_capture_on_commit_callbacks(execute=True):
        for body in (CAMPAIGN_TEXT, CAMPAIGN_TEXT, "公園にベンチを増やしてください。", "市の借金が心配です。"):
            submit(pc, body=body)
        choices_only = [respond() for _ in range(3)]
        written = respond("町会・自治会の加入率が下がっています。町会活動への支援を求めます。")
    for consultation in (pc, survey):
        duplicate_groups_refresh(consultation_id=consultation.pk)
    engine_reset()
    dashboard_stats_refresh()
    return {"pc": pc, "survey": survey, "choices_only": choices_only, "written": written}


def test_campaign_share_is_of_the_submissions_with_text(texts_and_choices):
    totals = submission_total(DashboardFilters())
    # 8 received; 5 have a text; the campaign is 2 of them (choice-only
    # responses grouped as one "campaign" of empty texts before #11: 6 of 8).
    assert (totals["total"], totals["campaign"], totals["campaign_share"]) == (8, 2, percent(2, 5))
    assert totals["texts"] == 5 and totals["campaign_share"] == Decimal("40.0")
    survey = submission_total(DashboardFilters(kind="survey"))
    assert (survey["total"], survey["texts"], survey["campaign"], survey["campaign_share"]) == (4, 1, 0, Decimal("0"))
    rows = {row.key: row for row in submissions_by_consultation(DashboardFilters())}
    assert (rows[texts_and_choices["pc"]].count, rows[texts_and_choices["pc"]].extra["campaign_share"]) == (
        4,
        Decimal("50.0"),
    )
    assert (rows[texts_and_choices["survey"]].count, rows[texts_and_choices["survey"]].extra["campaign"]) == (4, 0)


def test_policy_counts_leave_out_survey_responses_without_text(texts_and_choices):
    # The responses of choices only have no 施策, suggested or confirmed.
    assert not Submission.objects.filter(
        pk__in=[s.pk for s in texts_and_choices["choices_only"]], suggested_policy__isnull=False
    ).exists()
    survey_rows = submissions_by_policy(DashboardFilters(kind="survey"))
    assert _by_label(survey_rows) == {"施策1 市民が元気に活動するための環境づくり": 1}
    assert sum(row.count for row in submissions_by_policy(DashboardFilters())) == 5
    _years, matrix = policy_fiscal_year_matrix(kind="survey")
    assert sum(total for _policy, _counts, total in matrix) == 1
    # 受付件数 still counts every response.
    assert sum(row.count for row in submissions_over_time(DashboardFilters(kind="survey"))) == 4


def test_dashboard_page_names_the_base_of_the_campaign_share(client, texts_and_choices):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    page = client.get("/staff/dashboard/").content.decode()
    assert "本文・自由記述のある5件の40.0%" in page
