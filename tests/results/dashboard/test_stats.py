"""The aggregate tables count what the triage tables hold, in the city's calendar."""

import pytest

from feedback.models import Submission
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
