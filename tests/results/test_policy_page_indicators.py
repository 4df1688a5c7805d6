"""The 施策 page: latest measured value against the baseline and the target."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from plans.models import Indicator, IndicatorValue
from plans.selectors import policy_list_public
from results.selectors.policy_page import indicator_progress
from tests.plans.factories import IndicatorFactory, PolicyFactory

pytestmark = pytest.mark.django_db


def measure(indicator, year, value, *, n=1000, margin=None, method="top2"):
    return IndicatorValue.objects.create(
        indicator=indicator,
        fiscal_year=year,
        value=None if value is None else Decimal(value),
        n=n,
        margin_of_error=None if margin is None else Decimal(margin),
        method=method,
        computed_at=timezone.make_aware(datetime.datetime(year + 1, 2, 1)),
    )


def page_text(client, policy) -> str:
    """Return the page as text with all whitespace removed."""
    response = client.get(reverse("results:policy_detail", args=[policy.code]))
    assert response.status_code == HTTPStatus.OK
    return re.sub(r"\s+", "", strip_tags(response.content.decode()))


def progress(indicator):
    return indicator_progress(policy_list_public().get(pk=indicator.policy_id).indicators.get(pk=indicator.pk))


@pytest.fixture
def policy(db):
    return PolicyFactory(code="T-VAL", number=9, title="市民参加の推進")


def test_latest_value_is_compared_with_a_numeric_target(client, policy):
    indicator = IndicatorFactory(
        policy=policy,
        name="参加を実感する人の割合",
        measurement="survey",
        baseline_value=Decimal("33.9"),
        target_value=Decimal("40.0"),
        target_text="",
    )
    measure(indicator, 2025, "34.0", n=800, margin="3.28")
    measure(indicator, 2026, "36.2", n=1024, margin="2.94")

    text = page_text(client, policy)

    # Latest is 2026 (令和8年度): 36.2 − 33.9 = +2.3 points, below 40.0.
    assert "36.2%（2026年度（令和8年度））" in text
    assert "回答者数n=1024、誤差±2.94ポイント（95%）" in text
    assert "現状値との差+2.3ポイント" in text
    assert "（差は誤差の範囲内です）" in text  # 2.3 ≤ 2.94
    assert "未達成（目標は40.0%以上）" in text
    # The year-over-year table, both years, with a caption.
    assert "参加を実感する人の割合の年度別の実績値" in text
    assert "2025年度（令和7年度）34.0800±3.28" in text
    assert "2026年度（令和8年度）36.21024±2.94" in text


@pytest.mark.parametrize(
    ("baseline", "target_value", "target_text", "latest", "difference", "verdict"),
    [
        # 現状値を上回る: 52.4 > 50.0 is met; 48.5 is not.
        (
            "50.0",
            None,
            "現状値を上回る",
            "52.4",
            "+2.4ポイント",
            "達成（目標は現状値50.0%を上回ること）",
        ),
        (
            "50.0",
            None,
            "現状値を上回る",
            "48.5",
            "\u22121.5ポイント",
            "未達成（目標は現状値50.0%を上回ること）",
        ),
        # Equal to the baseline does not 上回る.
        (
            "50.0",
            None,
            "現状値を上回る",
            "50.0",
            "±0.0ポイント",
            "未達成（目標は現状値50.0%を上回ること）",
        ),
        # A numeric target reached exactly is met.
        ("33.9", "40.0", "", "40.0", "+6.1ポイント", "達成（目標は40.0%以上）"),
        # Words the latest value alone cannot settle are said so, not guessed.
        (
            "60.0",
            None,
            "中核市の平均",
            "70.0",
            "+10.0ポイント",
            "判定できません（目標は中核市の平均以上。2026年度の中核市の平均値が入力されていません）",
        ),
        (
            "60.0",
            None,
            "今後5年の平均値が現状値を上回る",
            "70.0",
            "+10.0ポイント",
            "判定できません（目標は2021〜2025年度の5年間の平均値が現状値60.0%を上回ること。この期間の実績値はまだありません）",
        ),
    ],
)
def test_target_is_read_as_written(client, policy, baseline, target_value, target_text, latest, difference, verdict):
    indicator = IndicatorFactory(
        policy=policy,
        measurement="survey",
        baseline_value=Decimal(baseline),
        target_value=target_value and Decimal(target_value),
        target_text=target_text,
    )
    measure(indicator, 2026, latest, margin="1.00")

    text = page_text(client, policy)

    assert f"現状値との差{difference}" in text
    assert verdict in text


def test_a_target_below_the_baseline_is_met_by_going_down(policy):
    indicator = IndicatorFactory(
        policy=policy,
        unit="件",
        measurement="statistic",
        baseline_value=Decimal("120"),
        target_value=Decimal("100"),
        target_text="",
    )
    measure(indicator, 2025, "95.0", n=0)

    row = progress(indicator)

    assert row.rule == "at_most" and row.achieved is True
    assert row.difference == "\u221225.0件"


def test_the_latest_year_with_a_value_is_used(policy):
    indicator = IndicatorFactory(
        policy=policy,
        measurement="survey",
        baseline_value=Decimal("30.0"),
        target_value=Decimal("35.0"),
        target_text="",
    )
    measure(indicator, 2025, "36.0")
    measure(indicator, 2026, None, n=0)  # surveyed, nobody answered the question

    row = progress(indicator)

    assert row.latest.fiscal_year == 2025 and row.achieved is True
    assert [v.fiscal_year for v in row.values] == [2025, 2026]


def test_the_weighted_mean_is_shown_in_points_with_two_decimals(client, policy):
    indicator = IndicatorFactory(
        policy=policy,
        name="満足度の平均",
        unit="ポイント",
        measurement="survey",
        survey_method=Indicator.SurveyMethod.MEAN,
        decimal_places=2,
        baseline_value=Decimal("0.50"),
        target_value=Decimal("0.60"),
        target_text="",
    )
    measure(indicator, 2026, "0.62", margin="0.05", method="mean")

    text = page_text(client, policy)

    assert "0.62（2026年度（令和8年度））" in text
    assert "現状値との差+0.12ポイント" in text
    assert "達成（目標は0.60ポイント以上）" in text


def test_indicators_without_values_keep_a_dash_and_say_why(client, policy):
    IndicatorFactory(policy=policy, name="刑法犯認知件数", unit="件", measurement="statistic")
    IndicatorFactory(policy=policy, name="住みやすいと感じる人の割合", measurement="survey")

    text = page_text(client, policy)

    assert "—統計・業務データの実績値はまだ入力されていません。" in text
    assert "—市民意識調査による実績値はまだありません。" in text
    assert "年度別の実績値" not in text
    assert "未達成" not in text and "判定できません" not in text


def test_a_five_year_mean_target_waits_for_every_year_and_then_judges_the_mean(client, policy):
    # 公募委員の応募倍率: "H27～R1の平均値" 2.4, target "今後5年の平均値が現状値を上回る" by R7.
    indicator = IndicatorFactory(
        policy=policy,
        name="応募倍率",
        unit="倍",
        measurement="statistic",
        baseline_value=Decimal("2.4"),
        target_text="今後5年の平均値が現状値を上回る",
        target_fiscal_year=2025,
    )
    for year, value in ((2020, "9.0"), (2021, "2.0"), (2022, "2.6"), (2023, "2.9")):
        measure(indicator, year, value, method="")  # 2020 is before the window: not counted.
    text = page_text(client, policy)
    assert (
        "判定できません（目標は2021〜2025年度の5年間の平均値が現状値2.4倍を上回ること。5年分のうち3年分の平均は2.5倍）"
        in text
    )
    measure(indicator, 2024, "2.0", method="")
    measure(indicator, 2025, "2.1", method="")
    assert "未達成（目標は2021〜2025年度の5年間の平均値が現状値2.4倍を上回ること。5年間の平均は2.3倍）" in page_text(
        client, policy
    )
    IndicatorValue.objects.filter(indicator=indicator, fiscal_year=2025).update(value=Decimal("3.0"))
    assert progress(indicator).achieved is True  # (2.0+2.6+2.9+2.0+3.0)/5 = 2.5 > 2.4


@pytest.mark.parametrize(("latest", "verdict"), [("94.2", "達成"), ("95.0", "未達成"), ("89.9", "未達成")])
def test_a_range_target_is_judged_with_its_bounds_in_words(client, policy, latest, verdict):
    indicator = IndicatorFactory(
        policy=policy,
        name="経常収支比率",
        unit="%",
        measurement="statistic",
        baseline_value=Decimal("95.4"),
        target_text="90%台前半",
    )
    measure(indicator, 2024, latest, method="")
    assert f"{verdict}（目標は90%台前半：90.0%以上95.0%未満）" in page_text(client, policy)
    assert progress(indicator).achieved is (verdict == "達成")  # "未達成" also contains "達成".


def test_a_comparison_with_other_cities_is_judged_on_the_figure_entered_with_its_source(client, policy):
    from plans.services.indicator_values import indicator_comparison_record

    average = IndicatorFactory(
        policy=policy,
        name="国保税収納率",
        unit="%",
        measurement="statistic",
        baseline_value=Decimal("88.60"),
        target_text="中核市の平均",
        decimal_places=2,
    )
    rank = IndicatorFactory(
        policy=policy,
        name="市税収納率",
        unit="%",
        measurement="statistic",
        baseline_value=Decimal("97.19"),
        target_text="県内の上位",
        decimal_places=2,
    )
    measure(average, 2024, "91.40", method="")
    measure(rank, 2024, "98.02", method="")
    indicator_comparison_record(
        indicator=average, fiscal_year=2024, kind="average", value=Decimal("92.05"), source_detail="中核市市長会 調べ"
    )
    indicator_comparison_record(
        indicator=rank, fiscal_year=2024, kind="rank", rank=21, group_size=63, source_detail="埼玉県 市町村税の概要"
    )
    text = page_text(client, policy)
    assert "未達成（目標は中核市の平均以上。2024年度の平均は92.05%（出典：中核市市長会調べ））" in text
    assert (
        "達成（目標は県内の上位（上位3分の1以内）。2024年度は63団体中21位（21位以内が上位、出典：埼玉県市町村税の概要））"
        in text
    )
    assert progress(rank).achieved is True and progress(average).achieved is False
    indicator_comparison_record(
        indicator=rank, fiscal_year=2024, kind="rank", rank=22, group_size=63, source_detail="埼玉県 市町村税の概要"
    )
    assert progress(rank).achieved is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "average"}, "平均値を入力してください"),
        ({"kind": "rank", "rank": 3}, "両方入力してください"),
        ({"kind": "rank", "rank": 70, "group_size": 63}, "団体の数（63）を超えています"),
        ({"kind": "average", "value": Decimal("90"), "source_detail": ""}, "出典"),
    ],
)
def test_a_comparison_figure_needs_its_numbers_and_a_source(policy, kwargs, message):
    from django.core.exceptions import ValidationError

    from plans.services.indicator_values import indicator_comparison_record

    indicator = IndicatorFactory(policy=policy, measurement="statistic", target_text="中核市の平均")
    with pytest.raises(ValidationError, match=message):
        indicator_comparison_record(indicator=indicator, fiscal_year=2024, **{"source_detail": "調べ", **kwargs})
