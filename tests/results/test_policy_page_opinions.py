"""The 施策 page lists the published 意見の概要と市の考え方 linked to it."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from consultations.models import Consultation
from opinions.models import OpinionGroup
from plans.models import IndicatorValue
from results.selectors.policy_page import policy_opinions_published
from tests.consultations.factories import ConsultationFactory
from tests.plans.factories import IndicatorFactory, PolicyFactory
from tests.results import conftest as results

pytestmark = pytest.mark.django_db

# The results app's case: a campaign (同趣旨 3件), a formula-like summary
# of a named submitter's opinion, and a withheld group about a neighbour.
people = results.people
closed_case = results.closed_case
approved_case = results.approved_case
published_case = results.published_case


@pytest.fixture
def policy(db):
    return PolicyFactory(code="T-OP", number=3, title="道路の整備")


def page(client, policy) -> str:
    response = client.get(reverse("results:policy_detail", args=[policy.code]))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def flat(html: str) -> str:
    return re.sub(r"\s+", "", strip_tags(html))


def published_consultation(*, title, groups=1, policy=None):
    """A published case with approved groups, made directly (no workbench)."""
    consultation = ConsultationFactory(
        closed=True,
        title=title,
        status=Consultation.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    if policy is not None:
        consultation.policies.add(policy)
    OpinionGroup.objects.bulk_create(
        OpinionGroup(
            consultation=consultation,
            number=n,
            summary=f"{title}の意見{n}",
            response=f"考え方{n}",
            review=OpinionGroup.Review.APPROVED,
        )
        for n in range(1, groups + 1)
    )
    return consultation


def test_published_groups_show_summary_count_and_response(client, policy, published_case):
    consultation, groups = published_case
    consultation.policies.add(policy)

    html = page(client, policy)
    text = flat(html)

    results_url = reverse("results:detail", args=[consultation.pk])
    assert f'<a href="{results_url}">川口市道路整備計画（案）</a>' in html
    campaign = groups["campaign"]
    assert f"{campaign.number}歩道の段差の解消を求める意見3件段差の解消を順次進めます。" in text
    # The formula-like summary is shown as text (escaped by the template).
    assert results.INJECTION.replace("'", "&#x27;") in html


def test_no_submission_text_and_no_withheld_group(client, policy, published_case):
    consultation, _groups = published_case
    consultation.policies.add(policy)

    html = page(client, policy)

    assert results.WITHHELD_SUMMARY not in html
    for private in (
        results.WITHHELD_BODY,
        "山田一郎",
        results.CAMPAIGN,
        results.SUBMITTER_NAME,
        "hanako@example.jp",
        "街路樹の落ち葉",
    ):
        assert private not in html


def test_an_unpublished_case_never_appears(client, policy, approved_case):
    consultation, _groups = approved_case  # approved but not published
    consultation.policies.add(policy)

    html = page(client, policy)

    # The case itself is listed among the related consultations, but none
    # of its groups and no link to a results page.
    assert "歩道の段差の解消を求める意見" not in html
    assert reverse("results:detail", args=[consultation.pk]) not in html
    assert "結果を公表したパブリック・コメントはまだありません" in html


def test_an_unapproved_group_of_a_published_case_never_appears(policy, published_case):
    consultation, groups = published_case
    consultation.policies.add(policy)
    OpinionGroup.objects.filter(pk=groups["campaign"].pk).update(review=OpinionGroup.Review.DRAFT)

    shown = policy_opinions_published(policy=policy)

    assert [g.pk for g in shown.groups] == [groups["named"].pk]


def test_groups_of_other_policies_and_kinds_are_left_out(policy):
    published_consultation(title="関係のない計画", groups=2)
    survey = published_consultation(title="アンケート", groups=1, policy=policy)
    Consultation.objects.filter(pk=survey.pk).update(kind=Consultation.Kind.SURVEY)

    assert policy_opinions_published(policy=policy).groups == []


def test_the_list_is_capped_to_the_newest_groups(client, policy):
    published_consultation(title="古い計画", groups=3, policy=policy)
    published_consultation(title="新しい計画", groups=2, policy=policy)

    shown = policy_opinions_published(policy=policy, limit=4)

    assert [g.summary for g in shown.groups] == [
        "新しい計画の意見1",
        "新しい計画の意見2",
        "古い計画の意見1",
        "古い計画の意見2",
    ]
    assert shown.total == 5 and shown.truncated
    assert len(shown.consultations) == 2


def test_query_count_does_not_grow_with_indicators_or_groups(client, policy, django_assert_max_num_queries):
    def add(indicators, cases, groups):
        for _ in range(indicators):
            indicator = IndicatorFactory(policy=policy, measurement="survey")
            for year in (2025, 2026):
                IndicatorValue.objects.create(
                    indicator=indicator,
                    fiscal_year=year,
                    value="40.0",
                    n=500,
                    margin_of_error="4.29",
                    method="top2",
                    computed_at=timezone.now(),
                )
        for _ in range(cases):
            published_consultation(title="計画", groups=groups, policy=policy)

    add(indicators=1, cases=1, groups=1)
    with CaptureQueriesContext(connection) as small:
        page(client, policy)

    add(indicators=6, cases=4, groups=8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = page(client, policy)
    assert html.count("年度別の実績値") == 7
