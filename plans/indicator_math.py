"""Pure maths for survey-measured 目標指標 (no Django imports).

Input is a tally of answers on a 5-point scale keyed by ``Choice.value``:
5 = most positive … 1 = most negative, 0 = わからない.  無回答 is never
passed in: a respondent who left the question blank is outside every
denominator.  Whether わからない is in the denominator is a per-指標 flag
(japanese-practice.md §3.4).

Methods
- ``top2_share``: (5 + 4) / n, as a percentage.
- ``satisfaction_score``: 満足率 − 不満率 = ((5 + 4) − (2 + 1)) / n, in points.
- ``weighted_mean``: mean of +2/+1/0/−1/−2 for 5..1 (わからない scores 0 when
  it is in the denominator).

Each returns an :class:`IndicatorResult` with numerator, n, the value and a
95% margin of error:
- share: 1.96·√(p(1−p)/n), in percentage points;
- score: 1.96·√((p₊ + p₋ − (p₊ − p₋)²)/n), the variance of a difference of two
  shares from the same sample (multinomial), in points;
- mean: 1.96·s/√n with the sample standard deviation s (n − 1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Z_95 = 1.96
DONT_KNOW = 0
SCALE_VALUES = (5, 4, 3, 2, 1)
POSITIVE = (5, 4)
NEGATIVE = (2, 1)
# 平均ポイント: 5 → +2 … 1 → −2; わからない (0) → 0 when counted.
MEAN_POINTS = {5: 2, 4: 1, 3: 0, 2: -1, 1: -2, DONT_KNOW: 0}

TOP2 = "top2"
SCORE = "score"
MEAN = "mean"


def round_half_up(value: Fraction | Decimal | int, places: int = 1) -> Decimal:
    """Round exactly, halves away from zero (四捨五入): 12.25 → 12.3, −0.05 → −0.1."""
    exact = Fraction(value) if not isinstance(value, Fraction) else value
    scale = 10**places
    magnitude = abs(exact) * scale
    rounded = math.floor(magnitude + Fraction(1, 2))
    if exact < 0:
        rounded = -rounded
    return (Decimal(rounded) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def percent(count: int, base: int) -> Decimal | None:
    """count / base as a percentage with one decimal (None when base is 0)."""
    if base <= 0:
        return None
    return round_half_up(Fraction(count * 100, base), 1)


def _margin(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorResult:
    method: str
    include_dont_know: bool
    numerator: Decimal  # count (share), count difference (score) or sum of points (mean)
    n: int
    value: Decimal | None  # % / points (1 decimal) or mean points (2 decimals)
    margin_of_error: Decimal | None  # 95%, same unit as value, 2 decimals
    dont_know: int = 0

    @property
    def lower(self) -> Decimal | None:
        if self.value is None or self.margin_of_error is None:
            return None
        return self.value - self.margin_of_error

    @property
    def upper(self) -> Decimal | None:
        if self.value is None or self.margin_of_error is None:
            return None
        return self.value + self.margin_of_error


def _denominator(counts: Mapping[int, int], include_dont_know: bool) -> int:
    n = sum(counts.get(value, 0) for value in SCALE_VALUES)
    if include_dont_know:
        n += counts.get(DONT_KNOW, 0)
    return n


def top2_share(counts: Mapping[int, int], *, include_dont_know: bool = False) -> IndicatorResult:
    n = _denominator(counts, include_dont_know)
    positive = sum(counts.get(value, 0) for value in POSITIVE)
    value = margin = None
    if n:
        p = positive / n
        value = percent(positive, n)
        margin = _margin(Z_95 * math.sqrt(p * (1 - p) / n) * 100)
    return IndicatorResult(
        TOP2,
        include_dont_know,
        Decimal(positive),
        n,
        value,
        margin,
        counts.get(DONT_KNOW, 0),
    )


def satisfaction_score(counts: Mapping[int, int], *, include_dont_know: bool = False) -> IndicatorResult:
    n = _denominator(counts, include_dont_know)
    positive = sum(counts.get(value, 0) for value in POSITIVE)
    negative = sum(counts.get(value, 0) for value in NEGATIVE)
    value = margin = None
    if n:
        p_pos, p_neg = positive / n, negative / n
        value = round_half_up(Fraction((positive - negative) * 100, n), 1)
        variance = max(p_pos + p_neg - (p_pos - p_neg) ** 2, 0.0) / n
        margin = _margin(Z_95 * math.sqrt(variance) * 100)
    return IndicatorResult(
        SCORE,
        include_dont_know,
        Decimal(positive - negative),
        n,
        value,
        margin,
        counts.get(DONT_KNOW, 0),
    )


def weighted_mean(counts: Mapping[int, int], *, include_dont_know: bool = False) -> IndicatorResult:
    n = _denominator(counts, include_dont_know)
    counted = SCALE_VALUES + ((DONT_KNOW,) if include_dont_know else ())
    total = sum(MEAN_POINTS[value] * counts.get(value, 0) for value in counted)
    value = margin = None
    if n:
        mean = Fraction(total, n)
        value = round_half_up(mean, 2)
        if n > 1:
            squares = sum(counts.get(v, 0) * (MEAN_POINTS[v] - mean) ** 2 for v in counted)
            s = math.sqrt(float(squares / (n - 1)))
            margin = _margin(Z_95 * s / math.sqrt(n))
    return IndicatorResult(
        MEAN,
        include_dont_know,
        Decimal(total),
        n,
        value,
        margin,
        counts.get(DONT_KNOW, 0),
    )


METHODS = {TOP2: top2_share, SCORE: satisfaction_score, MEAN: weighted_mean}


def indicator_compute(counts: Mapping[int, int], *, method: str, include_dont_know: bool = False) -> IndicatorResult:
    try:
        function = METHODS[method]
    except KeyError:
        raise ValueError(f"unknown indicator method: {method}") from None
    return function(counts, include_dont_know=include_dont_know)
