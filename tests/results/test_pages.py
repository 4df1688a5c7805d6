"""The public results page and the open-data JSON."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from opinions.selectors.groups import opinion_counts, opinion_table_rows
from tests.consultations.factories import ConsultationFactory

from .conftest import SUBMITTER_NAME, WITHHELD_BODY, WITHHELD_SUMMARY

pytestmark = pytest.mark.django_db

RESULT_URLS = ("results:detail", "results:csv", "results:xlsx", "results:json")


@pytest.mark.parametrize("name", RESULT_URLS)
def test_results_of_an_unpublished_case_are_not_found(client, approved_case, name):
    consultation, _groups = approved_case  # closed and approved, not yet published
    assert client.get(reverse(name, args=[consultation.pk])).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", RESULT_URLS)
def test_results_of_a_survey_or_unknown_case_are_not_found(client, name):
    survey = ConsultationFactory(survey=True, status="published")
    assert client.get(reverse(name, args=[survey.pk])).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse(name, args=[999999])).status_code == HTTPStatus.NOT_FOUND


def test_page_counts_equal_the_workbench(client, published_case):
    consultation, groups = published_case
    response = client.get(reverse("results:detail", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    counts = opinion_counts(consultation=consultation)
    assert response.context["counts"] == counts
    assert (
        counts.submissions,
        counts.items,
        counts.revised_groups,
        counts.withheld_groups,
    ) == (5, 5, 1, 1)
    html = response.content.decode()
    assert "5人（通）" in html and "5件" in html and "1箇所" in html
    for channel in counts.by_channel:
        assert f"{channel.label} {channel.submissions}人（{channel.items}件）" in html
    workbench_rows = [g.pk for g in opinion_table_rows(consultation=consultation)]
    assert [g.pk for g in response.context["rows"]] == workbench_rows
    assert "（同趣旨 3件）" in html
    assert "2026年3月10日" in html  # 決定日


def test_page_hides_withheld_groups_and_submitters(client, published_case):
    consultation, groups = published_case
    html = client.get(reverse("results:detail", args=[consultation.pk])).content.decode()
    assert WITHHELD_SUMMARY not in html and WITHHELD_BODY not in html
    assert "1項目の意見の概要を公表していません" in html
    assert SUBMITTER_NAME not in html and "hanako@example.jp" not in html
    assert "街路樹の落ち葉" not in html  # a submission's own text is never shown


def test_page_declares_encoding_and_links_downloads(client, published_case):
    consultation, _groups = published_case
    html = client.get(reverse("results:detail", args=[consultation.pk])).content.decode()
    assert "UTF-8（BOM付き）" in html
    for name in RESULT_URLS[1:]:
        assert reverse(name, args=[consultation.pk]) in html
    assert "print-results.css" in html
    assert "<code>fiscal_year</code>" in html and "<code>municipality_code</code>" in html
    assert "style=" not in html.split("<main", 1)[-1]


def test_detail_page_and_list_card_link_to_published_results(client, published_case):
    consultation, _groups = published_case
    url = reverse("results:detail", args=[consultation.pk])
    assert url in client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert url in client.get(reverse("consultations:list")).content.decode()


def test_detail_page_of_a_closed_case_has_no_results_link(client, approved_case):
    consultation, _groups = approved_case
    html = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert reverse("results:detail", args=[consultation.pk]) not in html


def test_json_has_counts_rows_and_no_personal_data(client, published_case):
    consultation, groups = published_case
    response = client.get(reverse("results:json", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    data = response.json()
    assert data["municipality_code"] == "112038"
    assert data["consultation"]["decided_on"] == "2026-03-10"
    assert data["consultation"]["fiscal_year"] == 2025
    assert data["counts"]["submitters"] == 5 and data["counts"]["opinions"] == 5
    assert data["counts"]["withheld_groups"] == 1
    assert [row["number"] for row in data["rows"]] == sorted(g.number for key, g in groups.items() if key != "withheld")
    body = response.content.decode()
    assert SUBMITTER_NAME not in body and WITHHELD_SUMMARY not in body and "hanako" not in body


def test_json_index_lists_only_published_cases(client, published_case, people):
    consultation, _groups = published_case
    ConsultationFactory(closed=True, department=people["road"], title="未公表の案件")
    data = client.get(reverse("results:index_json")).json()
    assert [item["id"] for item in data["results"]] == [consultation.pk]
    assert data["results"][0]["links"]["csv"].endswith(reverse("results:csv", args=[consultation.pk]))
