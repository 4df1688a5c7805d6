"""Staff dashboards: who may see them, what they show, and that they read aggregates only."""

from http import HTTPStatus

import pytest

from core.charts import bar_chart, column_chart
from core.models import AuditEvent
from feedback.models import Submission
from results.models.dashboard import StatsRefresh
from results.services.dashboard import dashboard_stats_refresh
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db

PAGES = (
    "/staff/dashboard/",
    "/staff/dashboard/policies/",
    "/staff/dashboard/policies/VI-1/",
)


@pytest.mark.parametrize("url", PAGES)
def test_every_staff_role_sees_counts_but_residents_do_not(client, city, url):
    dashboard_stats_refresh()
    client.force_login(city["staff"])
    assert client.get(url).status_code == HTTPStatus.OK
    client.force_login(city["citizen"])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.logout()
    assert client.get(url).status_code == HTTPStatus.FOUND


def test_overview_shows_each_chart_with_its_data_table(client, city):
    dashboard_stats_refresh()
    client.force_login(city["kouchou"])
    page = client.get("/staff/dashboard/?kind=public_comment").content.decode()
    # 推移, 施策, 提出方法, 所管課, 案件, 状態; letters by 分野 and by 課
    assert page.count('role="img"') == 8
    assert page.count("<caption") >= 9  # one table per chart, plus letters' response status
    assert "施策1 地域のつながりづくり" in page and "28.6%" in page
    assert "集計日時" in page
    # The letters table: 期限超過 is a word in the header, not a colour.
    assert "期限超過・未回答" in page and "50.0%" in page


def test_policy_dashboard_filters_to_one_policy(client, city):
    dashboard_stats_refresh()
    client.force_login(city["staff"])
    page = client.get("/staff/dashboard/policies/VI-3/").content.decode()
    assert "多文化共生" in page
    # 施策3 has one counted submission (the other one was withdrawn).
    assert "<dd>1件" in page
    assert client.get("/staff/dashboard/policies/XX-9/").status_code == HTTPStatus.NOT_FOUND


def test_fiscal_year_filter_and_bad_input(client, city):
    dashboard_stats_refresh()
    client.force_login(city["kouchou"])
    page = client.get("/staff/dashboard/?fiscal_year=2025&grain=fiscal_year").content.decode()
    assert "2025年度（令和7年度）" in page
    bad = client.get("/staff/dashboard/?fiscal_year=1999&grain=weekly")
    assert bad.status_code == HTTPStatus.OK
    assert "有効な選択肢" in bad.content.decode() or "正しく選択" in bad.content.decode()


def test_pages_read_aggregates_not_submissions(client, city, django_assert_max_num_queries):
    """The query count does not grow with the number of submissions."""
    dashboard_stats_refresh()
    client.force_login(city["kouchou"])
    client.get(PAGES[0])  # warm the session and permission caches
    for url in PAGES:
        with django_assert_max_num_queries(25) as first:
            client.get(url)
        assert not any('"feedback_submission"' in q["sql"] for q in first.captured_queries), url
        for n in range(30):
            submit(city["pc"], body=f"追加の意見{n}")
        dashboard_stats_refresh()
        with django_assert_max_num_queries(len(first.captured_queries)):
            client.get(url)


def test_only_kouchou_can_ask_for_a_refresh(client, city, django_capture_on_commit_callbacks):
    client.force_login(city["staff"])
    assert client.post("/staff/dashboard/refresh/").status_code == HTTPStatus.FORBIDDEN
    assert not StatsRefresh.objects.exists()
    client.force_login(city["kouchou"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/dashboard/refresh/", {"next": "https://evil.example/"})
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/staff/dashboard/"
    assert StatsRefresh.objects.get().submission_rows > 0
    assert AuditEvent.objects.filter(action="dashboard_stats.refresh", actor=city["kouchou"]).exists()


def test_counts_exclude_withdrawn_and_show_new_data_only_after_refresh(client, city):
    dashboard_stats_refresh()
    client.force_login(city["kouchou"])
    Submission.objects.filter(consultation=city["pc"]).update(status=Submission.Status.WITHDRAWN)
    before = client.get("/staff/dashboard/?kind=public_comment").content.decode()
    assert "<dd>7件" in before  # still the last refresh
    dashboard_stats_refresh()
    after = client.get("/staff/dashboard/?kind=public_comment").content.decode()
    assert "<dd>0件" in after


def test_chart_bars_scale_to_the_largest_value():
    chart = bar_chart([("施策1", 50), ("施策2", 100), ("未分類", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[1] == max(widths) and widths[0] == widths[1] / 2 and widths[2] == 0
    assert chart.bars[0].short_label == "施策1"
    long = bar_chart([("とても長い案件名" * 4, 1)]).bars[0]
    assert long.short_label.endswith("…") and len(long.short_label) <= 15
    months = column_chart([(f"{m}月", m) for m in range(1, 37)])
    assert sum(bar.show_label for bar in months.bars) <= 12
    assert months.bars[-1].height == max(bar.height for bar in months.bars)
    assert bar_chart([]).bars == ()
