"""The staff queue (page and API) costs the same number of queries for 3 rows as for 30.

Each row shows its 案件, 所管課 ("部 課"), 施策 (confirmed and suggested)
and 同趣旨 size, and the filter and bulk forms list every 所管課; every row
here has its own 案件 and 課 under one 部, so a relation read per row (or
per 課) would add queries as rows are added.
"""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from feedback.models import Submission
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.plans.factories import PolicyFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    bu = DepartmentFactory(code="shimin", name="市民生活部")
    policy = PolicyFactory(code="VI-1")
    other_policy = PolicyFactory(code="VI-3")
    made = []

    def grow(n):
        """Add n analysed rows, each in its own 課 (under 部) and 案件."""
        for _ in range(n):
            k = len(made)
            ka = DepartmentFactory(parent=bu)
            with django_capture_on_commit_callbacks(execute=True):  # the analysis
                submission = submit(
                    ConsultationFactory(department=ka),
                    body=f"公園のベンチを増やしてほしい。その{k}。",
                )
            Submission.objects.filter(pk=submission.pk).update(
                department=ka,
                suggested_policy=policy,
                suggestion_confidence=0.3 + k / 100,
                policy=other_policy if k % 3 == 0 else None,
                duplicate_group_key=f"g{k % 4}",
            )
            made.append(submission)

    return {
        "grow": grow,
        "made": made,
        "kouchou": StaffUserFactory(roles=[KOUCHOU]),
        "bu_staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=bu),
    }


def _html(client, user):
    client.force_login(user)
    return lambda url, params: client.get(url, params)


def _api(client, user):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return lambda url, params: api.get(url, params)


def _matches(world, params) -> int:
    """Every row is suggested VI-1; a third are confirmed as VI-3 instead."""
    rows = range(len(world["made"]))
    return sum(1 for k in rows if "policy" not in params or k % 3 != 0)


def _queries(get, url, params, rows):
    with CaptureQueriesContext(connection) as ctx:
        response = get(url, params)
    assert response.status_code == HTTPStatus.OK
    if url.startswith("/api/"):
        assert response.json()["count"] == rows
    else:
        assert response.content.decode().count('name="selected"') == rows
    return len(ctx.captured_queries)


# (who, page, params, ceiling): the ceiling is the count measured on SQLite
# (3 rows or 30, the same), so that any new query fails and is looked at.
# 広聴 searches the original text; a 部's staff the masked text of the
# latest analysis, and also read their department scope.
# The page's 自動分類の精度 card costs 3 (promoted model, latest labels,
# their analyses) whatever the number of rows, and the excerpts (the masked
# text of each row's latest analysis) one.
CASES = [
    ("kouchou", "html", {}, 17),
    ("kouchou", "html", {"q": "公園"}, 17),
    ("kouchou", "html", {"policy": "VI-1"}, 18),  # + resolving the 施策 code
    ("bu_staff", "html", {}, 21),
    ("bu_staff", "html", {"q": "公園", "policy": "VI-1"}, 22),
    ("kouchou", "api", {}, 4),
    ("kouchou", "api", {"q": "公園", "policy": "VI-1"}, 5),
    ("bu_staff", "api", {"q": "公園"}, 6),
]


@pytest.mark.parametrize(("who", "kind", "params", "ceiling"), CASES)
def test_queue_queries_do_not_grow_with_rows(client, world, who, kind, params, ceiling):
    get = (_html if kind == "html" else _api)(client, world[who])
    url = "/staff/queue/" if kind == "html" else "/api/v1/staff/queue/"
    world["grow"](SMALL)
    get(url, params)  # warm the session, content types and permission caches
    small = _queries(get, url, params, _matches(world, params))
    world["grow"](LARGE - SMALL)
    large = _queries(get, url, params, _matches(world, params))
    assert large == small, f"{large - small} more queries for {LARGE - SMALL} more rows"
    assert small <= ceiling, f"{small} queries, ceiling {ceiling}"
