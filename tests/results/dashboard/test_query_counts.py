"""Dashboards cost the same number of queries for 3 施策/課/案件 rows as for 30.

test_views.test_pages_read_aggregates_not_submissions already checks that
more submissions cost nothing; here the aggregate rows themselves grow: each
new row has its own 施策, 案件 and 課 (under a 部, which its label names),
one 市長への手紙 routed to that 課, and one 目標指標 of 施策1 with a value.
"""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.models import Submission
from letters.models import LetterCase
from plans.models import Indicator, IndicatorValue
from results.services.dashboard import dashboard_stats_refresh
from tests.accounts.factories import DepartmentFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.plans.factories import IndicatorFactory, PolicyFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30
# (page, ceiling): the ceiling is the count measured on SQLite (3 rows or
# 30, the same), so that any new query fails and is looked at.
PAGES = [
    # 19, and the letters' 分野 × 課 table: its counts, the 分野 and the 課 (#15).
    ("/staff/dashboard/", 22),
    ("/staff/dashboard/policies/", 11),
    ("/staff/dashboard/policies/VI-1/", 15),
]


@pytest.fixture
def grow(city):
    bu = DepartmentFactory(code="toshi", name="都市計画部")
    letters = ConsultationFactory(letter=True)
    made = []

    def grow(n):
        for _ in range(n):
            k = len(made)
            ka = DepartmentFactory(parent=bu, name=f"第{k}課")
            policy = PolicyFactory(code=f"Q-{k}", title=f"追加の施策{k}")
            pc = ConsultationFactory(department=ka, title=f"追加の計画{k}")
            s = submit(pc, body=f"追加の意見{k}")
            Submission.objects.filter(pk=s.pk).update(policy=policy, department=ka)
            # 施策1's page lists its 案件: one more for each row.
            s = submit(pc, body=f"施策1への意見{k}")
            Submission.objects.filter(pk=s.pk).update(policy=city["policy1"])
            case = submit(letters, body=f"手紙{k}").letter_case
            Submission.objects.filter(pk=case.submission_id).update(department=ka)
            LetterCase.objects.filter(pk=case.pk).update(status=LetterCase.Status.ROUTED, due_on=timezone.localdate())
            indicator = IndicatorFactory(policy=city["policy1"], name=f"追加の指標{k}")
            IndicatorValue.objects.create(
                indicator=indicator,
                fiscal_year=2025,
                value=40 + k,
                n=100,
                method=Indicator.SurveyMethod.TOP2,
                computed_at=timezone.now(),
            )
            made.append(k)
        dashboard_stats_refresh()

    return grow


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(("url", "ceiling"), PAGES)
def test_dashboard_queries_do_not_grow_with_rows(client, city, grow, url, ceiling):
    client.force_login(city["kouchou"])
    client.get(url)  # warm the session and permission caches
    grow(SMALL)
    small, page = _queries(client, url)
    grow(LARGE - SMALL)
    large, page = _queries(client, url)
    # The new rows are on the page (施策1's page: its 指標 and 案件).
    shown = "追加の指標29" if url.endswith("VI-1/") else "追加の施策29"
    assert shown in page
    assert large == small, f"{large - small} more queries for {LARGE - SMALL} more rows"
    assert small <= ceiling, f"{small} queries, ceiling {ceiling}"
