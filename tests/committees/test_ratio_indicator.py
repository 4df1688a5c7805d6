"""応募倍率 per 年度 flows into the plan's indicator (and the API), with years without a 公募 and the five-year mean."""

import datetime
from decimal import Decimal

import pytest

from committees.models import Application
from committees.selectors.report import ratio_report
from committees.services.applications import application_withdraw
from committees.services.indicator import applicant_ratio_indicator_refresh
from core.models import AuditEvent
from plans.models import Indicator, IndicatorValue
from results.selectors.policy_page import indicator_progress
from tests.committees.factories import ApplicationFactory, past_round
from tests.plans.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(db):
    return IndicatorFactory(
        name="市の附属機関等の公募委員の応募倍率",
        unit="倍",
        baseline_value=Decimal("2.4"),
        baseline_year_label="H27～R1の平均値",
        target_text="今後5年の平均値が現状値を上回る",
        target_fiscal_year=2025,
        measurement=Indicator.Measurement.COMMITTEES,
        decimal_places=2,
    )


def test_the_report_lists_every_year_and_the_five_year_figures(indicator):
    past_round(2021, 2, 6, 5)
    past_round(2022, 4, 4)
    past_round(2024, 1, 2)
    past_round(2025, 3, 3, 1)
    report = ratio_report(today=datetime.date(2026, 12, 2))
    data = report.as_json()
    assert data["baseline"] == 2.4
    assert [y["fiscal_year"] for y in data["years"]] == [2021, 2022, 2023, 2024, 2025, 2026]
    y2023 = data["years"][2]
    assert y2023 == {
        "fiscal_year": 2023,
        "rounds": 0,
        "seats": 0,
        "applicants": 0,
        "eligible_applicants": 0,
        "ratio_all": None,
        "ratio_eligible": None,
        "exceptions": {"concurrent_seats": 0, "tenure": 0},
    }
    assert data["years"][0]["ratio_all"] == 3.0 and data["years"][0]["ratio_eligible"] == 2.5
    assert data["years"][4]["ratio_eligible"] == 0.33
    assert data["window"] == {"first": 2021, "last": 2025}
    assert data["five_year_mean"] == 1.75  # (3 + 1 + 2 + 1) / 4
    assert data["five_year_pooled"] == 1.5  # 15 / 10


def test_a_withdrawn_application_is_not_counted_and_the_indicator_follows(indicator, city):
    recruitment = past_round(2024, 2, 3, committee=city["a"])
    application = ApplicationFactory(round=recruitment, applicant=city["resident"])
    applicant_ratio_indicator_refresh()
    value = IndicatorValue.objects.get(indicator=indicator, fiscal_year=2024)
    assert value.value == Decimal("2.00") and value.source == "committees"
    application_withdraw(actor=city["resident"], application=application)
    value.refresh_from_db()
    assert value.value == Decimal("1.50")
    assert "応募3人" in value.note


def test_the_indicator_is_judged_on_the_five_year_mean_with_empty_years_counted_as_done(indicator):
    for year, applicants in ((2021, 6), (2022, 5), (2024, 6), (2025, 7)):
        past_round(year, 2, applicants)
    assert applicant_ratio_indicator_refresh() == 1
    stored = dict(IndicatorValue.objects.filter(indicator=indicator).values_list("fiscal_year", "value"))
    assert stored[2023] is None
    progress = indicator_progress(Indicator.objects.get(pk=indicator.pk))
    # (3 + 2.5 + 3 + 3.5) / 4 = 3.00 > 2.4
    assert progress.achieved is True
    assert "4年" not in progress.explanation and "3.00倍" in progress.explanation


def test_recomputing_the_same_figures_writes_no_audit_row(indicator):
    past_round(2024, 2, 3)
    applicant_ratio_indicator_refresh()
    before = AuditEvent.objects.filter(action="plan.indicator_value.compute").count()
    assert applicant_ratio_indicator_refresh() == 0
    assert AuditEvent.objects.filter(action="plan.indicator_value.compute").count() == before


def test_the_api_is_public_and_names_no_one(client, indicator, city):
    recruitment = past_round(2024, 2, 3, committee=city["a"])
    ApplicationFactory(round=recruitment, name="秘密 太郎", outcome=Application.Outcome.PENDING)
    response = client.get("/api/v1/committees/ratios/")
    assert response.status_code == 200
    assert "秘密" not in response.content.decode()
    year = next(y for y in response.json()["years"] if y["fiscal_year"] == 2024)
    assert (year["applicants"], year["seats"], year["ratio_all"]) == (4, 2, 2.0)
