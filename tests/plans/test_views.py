from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.roles import ADMIN
from consultations.models import Consultation
from plans.models import Policy
from tests.accounts.factories import StaffUserFactory

from .factories import (
    IndicatorFactory,
    PolicyFactory,
    PolicyThemeFactory,
    UnitPolicyFactory,
)

pytestmark = pytest.mark.django_db


def test_index_lists_the_three_policies(client, kawaguchi_plan):
    response = client.get(reverse("plans:index"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h1>第5次川口市総合計画 後期基本計画</h1>" in html
    assert "めざす姿VI 市民・行政が協働する“自立的で推進力のあるまち”" in html
    for code in ("VI-1", "VI-2", "VI-3"):
        assert reverse("results:policy_detail", kwargs={"code": code}) in html


def test_index_without_a_plan(client):
    response = client.get(reverse("plans:index"))
    assert response.status_code == HTTPStatus.OK
    assert "総合計画はまだ登録されていません。" in response.content.decode()


def test_policy_page_shows_indicator_table(client, kawaguchi_plan):
    response = client.get(reverse("results:policy_detail", kwargs={"code": "VI-1"}))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<caption>施策1の目標指標（現状値と目標値）</caption>" in html
    assert '<th scope="row">町会・自治会加入率</th>' in html
    assert "58.0" in html and "60.0" in html and "405" in html
    assert "33.9" in html and "（令和2年度・2020年度）" in html and "現状値を上回る" in html
    assert "市民意識調査" in html
    assert "<h3>キーワード①</h3>" in html
    assert "<h3>市民活動（NPO・ボランティアなど）の支援</h3>" in html


def test_policy_page_keeps_published_precision_and_period_labels(client, kawaguchi_plan):
    html = client.get(reverse("results:policy_detail", kwargs={"code": "VI-3"})).content.decode()
    assert "88.60" in html and "中核市の平均" in html
    assert "（令和元年度・2019年度）" in html
    assert "<caption>市税・国保税収納率の推移（キーワード②の背景資料）</caption>" in html
    html = client.get(reverse("results:policy_detail", kwargs={"code": "VI-2"})).content.decode()
    assert "（H27～R1の平均値）" in html


def test_unknown_policy_is_404(client, kawaguchi_plan):
    response = client.get(reverse("results:policy_detail", kwargs={"code": "IX-9"}))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_policy_page_shows_only_public_consultations(client):
    policy = PolicyFactory()
    for status, title in (
        ("open", "公開中の案件"),
        ("draft", "準備中の案件"),
        ("withdrawn", "取り下げた案件"),
    ):
        Consultation.objects.create(kind="public_comment", status=status, title=title).policies.add(policy)
    response = client.get(reverse("results:policy_detail", kwargs={"code": policy.code}))
    html = response.content.decode()
    assert [c.title for c in response.context["consultations"]] == ["公開中の案件"]
    assert "公開中の案件" in html
    assert "準備中の案件" not in html and "取り下げた案件" not in html


def test_pages_escape_plan_text(client):
    evil = '<script>alert("x")</script>'
    policy = PolicyFactory(
        title=evil,
        basic_policy=evil,
        related_plans=[evil],
        reference_tables=[
            {"title": evil, "note": "", "columns": ["a", "b"], "rows": [[evil, evil]]},
        ],
    )
    policy.vision.title = evil
    policy.vision.save()
    PolicyThemeFactory(policy=policy, keywords=[evil], backgrounds=[evil])
    UnitPolicyFactory(policy=policy, title=evil, initiatives=[evil])
    IndicatorFactory(
        policy=policy,
        name=evil,
        unit="<i>%</i>",
        target_text=evil,
        measurement_note=evil,
    )
    for url in (
        reverse("plans:index"),
        reverse("results:policy_detail", kwargs={"code": policy.code}),
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
    assert "&lt;i&gt;%&lt;/i&gt;" in html


def test_policy_page_query_count_is_bounded(client, kawaguchi_plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get(reverse("results:policy_detail", kwargs={"code": "VI-3"}))


@pytest.mark.parametrize("url_name", ["admin:plans_plan_changelist", "admin:plans_indicator_changelist"])
def test_admin_pages_render(client, kawaguchi_plan, url_name):
    client.force_login(StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True))
    assert client.get(reverse(url_name)).status_code == HTTPStatus.OK


def test_admin_policy_page_shows_inlines(client, kawaguchi_plan):
    client.force_login(StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True))
    policy = Policy.objects.get(code="VI-1")
    response = client.get(reverse("admin:plans_policy_change", args=[policy.pk]))
    assert response.status_code == HTTPStatus.OK
    assert "町会・自治会加入率" in response.content.decode()
