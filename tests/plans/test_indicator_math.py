"""Indicator maths against hand-computed values (arithmetic in the comments)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from core.wareki import fiscal_year
from plans.indicator_math import (
    indicator_compute,
    percent,
    round_half_up,
    satisfaction_score,
    top2_share,
    weighted_mean,
)

# 300 respondents: そう思う 60, ややそう思う 60, どちらともいえない 100, あまり 50, そう思わない 30.
COUNTS_300 = {5: 60, 4: 60, 3: 100, 2: 50, 1: 30}


def test_top2_share_120_of_300():
    result = top2_share(COUNTS_300)
    # 60 + 60 = 120 of 300 → 40.0%
    assert result.numerator == 120
    assert result.n == 300
    assert result.value == Decimal("40.0")
    # 1.96·√(0.4·0.6/300) = 1.96·√0.0008 = 1.96·0.0282843 = 0.055437 → 5.54 points
    assert result.margin_of_error == Decimal("5.54")
    assert (result.lower, result.upper) == (Decimal("34.46"), Decimal("45.54"))


def test_dont_know_out_of_and_in_the_denominator():
    counts = {**COUNTS_300, 0: 100}  # + わからない 100
    out = top2_share(counts, include_dont_know=False)
    # わからない excluded: 120 / 300 = 40.0%
    assert (out.n, out.value, out.dont_know) == (300, Decimal("40.0"), 100)
    inside = top2_share(counts, include_dont_know=True)
    # わからない included: 120 / 400 = 30.0%; margin 1.96·√(0.3·0.7/400) = 1.96·0.0229129 = 0.044909 → 4.49
    assert (inside.n, inside.value, inside.margin_of_error) == (
        400,
        Decimal("30.0"),
        Decimal("4.49"),
    )


def test_satisfaction_score():
    result = satisfaction_score(COUNTS_300)
    # 満足率 120/300 = 40.0%, 不満率 (50+30)/300 = 26.67% → score 40/300 = 13.333 → 13.3 points
    assert result.numerator == 40
    assert result.value == Decimal("13.3")
    # var = (p₊ + p₋ − (p₊ − p₋)²)/n = (0.4 + 0.26667 − 0.13333²)/300 = (0.66667 − 0.017778)/300 = 0.0021630
    # 1.96·√0.0021630 = 1.96·0.046508 = 0.091156 → 9.12 points
    assert result.margin_of_error == Decimal("9.12")


def test_satisfaction_score_negative_rounds_half_away_from_zero():
    # 1 satisfied, 3 dissatisfied, 36 neutral of 40: (1 − 3)/40 = −5.0 points
    assert satisfaction_score({5: 1, 1: 3, 3: 36}).value == Decimal("-5.0")
    # (0 − 1)/80 = −1.25 → −1.3 (四捨五入 by magnitude)
    assert satisfaction_score({2: 1, 3: 79}).value == Decimal("-1.3")


def test_weighted_mean():
    # points: 5→+2, 4→+1, 3→0, 2→−1, 1→−2; counts 2,1,1,0,1 (n = 5)
    counts = {5: 2, 4: 1, 3: 1, 1: 1, 0: 3}
    result = weighted_mean(counts)
    # sum = 2·2 + 1·1 + 0 − 2 = 3; mean = 3/5 = 0.60
    assert (result.numerator, result.n, result.value) == (3, 5, Decimal("0.60"))
    # deviations² from 0.6: 2×(1.4²)=3.92, 0.4²=0.16, 0.6²=0.36, 2.6²=6.76 → 11.2; s² = 11.2/4 = 2.8, s = 1.67332
    # 1.96·1.67332/√5 = 3.27971/2.23607 = 1.46673 → 1.47
    assert result.margin_of_error == Decimal("1.47")


def test_weighted_mean_with_dont_know_counted_as_zero():
    counts = {5: 2, 4: 1, 3: 1, 1: 1, 0: 3}
    result = weighted_mean(counts, include_dont_know=True)
    # sum stays 3; n = 8 → 0.375 → 0.38 (2 decimals, half-up)
    assert (result.n, result.value) == (8, Decimal("0.38"))


def test_empty_and_single_answer():
    empty = top2_share({})
    assert (empty.n, empty.value, empty.margin_of_error) == (0, None, None)
    one = weighted_mean({5: 1})
    assert (one.value, one.margin_of_error) == (
        Decimal("2.00"),
        None,
    )  # s undefined with n = 1


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [
        (1, 8, "12.5"),  # 12.5 exactly
        (49, 400, "12.3"),  # 12.25 → 12.3 (half-up, not banker's 12.2)
        (1, 3, "33.3"),  # 33.333…
        (2, 3, "66.7"),  # 66.666…
        (1, 16, "6.3"),  # 6.25 → 6.3
        (0, 5, "0.0"),
    ],
)
def test_percent_rounds_half_up_to_one_decimal(count, base, expected):
    assert percent(count, base) == Decimal(expected)


def test_round_half_up_is_exact_not_float():
    # float 0.285 is 0.28499999…; exact arithmetic gives 0.29
    assert round_half_up(Fraction(285, 1000), 2) == Decimal("0.29")
    assert percent(1, 0) is None


def test_method_dispatch_and_fiscal_year():
    import datetime

    assert indicator_compute(COUNTS_300, method="top2").value == Decimal("40.0")
    with pytest.raises(ValueError):
        indicator_compute(COUNTS_300, method="median")
    assert fiscal_year(datetime.date(2026, 3, 31)) == 2025
    assert fiscal_year(datetime.date(2026, 4, 1)) == 2026
