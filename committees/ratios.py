"""応募倍率: the arithmetic, on plain numbers (japanese-practice §4.3).

- per round and per 年度: 応募者数 ÷ 募集人数, for every application
  received (ineligible ones included) and for the eligible ones;
  undefined (None) when no seat was offered — a 年度 without a round is
  shown with no ratio, never skipped;
- over a span of 年度 (the plan's "今後5年の平均値"): the mean of the yearly
  ratios, over the years that had a round, with the pooled figure (all
  applicants ÷ all seats of the span) beside it.

Exact fractions throughout; rounded once, half-up, to two places, so 2.345
is 2.35 and the published figures add up the way the city's tables do.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

TWO_PLACES = Decimal("0.01")


def half_up(value: Fraction | None, places: Decimal = TWO_PLACES) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


def ratio(applicants: int, seats: int) -> Fraction | None:
    return Fraction(applicants, seats) if seats > 0 else None


@dataclass(frozen=True)
class RoundCount:
    fiscal_year: int
    seats: int
    applicants: int
    eligible_applicants: int
    committee_id: int | None = None


@dataclass(frozen=True)
class YearFigure:
    fiscal_year: int
    rounds: int
    seats: int
    applicants: int
    eligible_applicants: int

    @property
    def ratio_all(self) -> Fraction | None:
        return ratio(self.applicants, self.seats)

    @property
    def ratio_eligible(self) -> Fraction | None:
        return ratio(self.eligible_applicants, self.seats)


def years_tally(counts: list[RoundCount], *, first: int, last: int) -> list[YearFigure]:
    """One figure per 年度 from ``first`` to ``last``, a year without a round included (0 rounds)."""
    figures = []
    for year in range(first, last + 1):
        of_year = [c for c in counts if c.fiscal_year == year]
        figures.append(
            YearFigure(
                fiscal_year=year,
                rounds=len(of_year),
                seats=sum(c.seats for c in of_year),
                applicants=sum(c.applicants for c in of_year),
                eligible_applicants=sum(c.eligible_applicants for c in of_year),
            )
        )
    return figures


def span_mean(figures: list[YearFigure]) -> Fraction | None:
    """The mean of the yearly ratios (all applicants) over the years that had a round."""
    ratios = [f.ratio_all for f in figures if f.ratio_all is not None]
    return sum(ratios, Fraction(0)) / len(ratios) if ratios else None


def span_pooled(figures: list[YearFigure]) -> Fraction | None:
    """All applicants of the span ÷ all seats of the span."""
    return ratio(sum(f.applicants for f in figures), sum(f.seats for f in figures))
