"""応募倍率 arithmetic: all vs eligible, years without a 公募, five-year mean and pooled, half-up rounding."""

from decimal import Decimal
from fractions import Fraction

from committees.ratios import RoundCount, half_up, span_mean, span_pooled, years_tally


def test_a_year_without_a_round_is_listed_with_no_ratio():
    years = years_tally([RoundCount(2021, 4, 10, 8), RoundCount(2023, 2, 3, 3)], first=2021, last=2023)
    assert [y.fiscal_year for y in years] == [2021, 2022, 2023]
    assert years[1].rounds == 0 and years[1].ratio_all is None and years[1].ratio_eligible is None
    assert years[0].ratio_all == Fraction(10, 4) and years[0].ratio_eligible == 2


def test_rounds_of_one_year_are_pooled_within_the_year():
    (year,) = years_tally([RoundCount(2024, 3, 9, 6), RoundCount(2024, 1, 1, 1)], first=2024, last=2024)
    assert (year.rounds, year.seats, year.applicants, year.eligible_applicants) == (2, 4, 10, 7)
    assert half_up(year.ratio_all) == Decimal("2.50") and half_up(year.ratio_eligible) == Decimal("1.75")


def test_the_five_year_mean_is_of_yearly_ratios_and_pooled_is_of_totals():
    counts = [
        RoundCount(2021, 2, 6, 5),
        RoundCount(2022, 4, 4, 4),
        RoundCount(2024, 1, 2, 2),
        RoundCount(2025, 3, 3, 1),
    ]
    years = years_tally(counts, first=2021, last=2025)
    # (3 + 1 + 2 + 1) / 4 years that had a round: 2023 is not a zero.
    assert span_mean(years) == Fraction(7, 4)
    # 15 applicants / 10 seats.
    assert span_pooled(years) == Fraction(3, 2)


def test_no_round_at_all_has_no_figures():
    years = years_tally([], first=2021, last=2025)
    assert span_mean(years) is None and span_pooled(years) is None


def test_rounding_is_half_up_to_two_places():
    assert half_up(Fraction(2345, 1000)) == Decimal("2.35")  # banker's rounding would give 2.34
    assert half_up(Fraction(1, 3)) == Decimal("0.33")
    assert half_up(Fraction(2, 3)) == Decimal("0.67")
    assert half_up(Fraction(1, 8)) == Decimal("0.13")
