"""Pure tabulation of survey answers (no Django imports).

Rules (japanese-practice.md §3.3):
- percentages use base n = respondents of that question (those who chose at
  least one option); 無回答 is counted separately and is not in n;
- percentages are rounded half-up to one decimal, so totals may not be 100.0;
- multiple-answer questions count each choice, so percentages may pass 100;
- a cross-tabulation drops respondents with no answer on the crossing
  attribute, so subtotals may not add up to the total;
- published cross-tabs hide small groups (``crosstab_suppress``): a group
  answered by fewer than the minimum cell size is not shown, and neither is
  the next smallest one when the hidden respondents could otherwise be
  worked out from the total by subtraction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from plans.indicator_math import percent

NO_ATTRIBUTE = frozenset({None, "", "na"})


@dataclass(frozen=True)
class ChoiceRow:
    key: Hashable
    label: str
    count: int
    percent: Decimal | None


@dataclass(frozen=True)
class Distribution:
    n: int  # respondents who answered the question (the base)
    no_answer: int  # 無回答 (not in n)
    rows: tuple[ChoiceRow, ...]

    @property
    def total(self) -> int:
        return self.n + self.no_answer

    @property
    def percent_sum(self) -> Decimal:
        return sum((row.percent or Decimal(0) for row in self.rows), Decimal(0))


def distribution(choices: Sequence[tuple[Hashable, str]], answers: Iterable[Collection[Hashable]]) -> Distribution:
    """Tally answers; each answer is the collection of choice keys one respondent chose."""
    counts: Counter = Counter()
    n = no_answer = 0
    for chosen in answers:
        chosen = set(chosen)
        if not chosen:
            no_answer += 1
            continue
        n += 1
        counts.update(chosen)
    return distribution_from_counts(choices, counts, n=n, no_answer=no_answer)


def distribution_from_counts(
    choices: Sequence[tuple[Hashable, str]],
    counts: Mapping[Hashable, int],
    *,
    n: int,
    no_answer: int,
) -> Distribution:
    """Build a distribution from counts already tallied (e.g. by SQL)."""
    rows = tuple(ChoiceRow(key, label, counts.get(key, 0), percent(counts.get(key, 0), n)) for key, label in choices)
    return Distribution(n=n, no_answer=no_answer, rows=rows)


@dataclass(frozen=True)
class CrossRow:
    key: Hashable
    label: str
    distribution: Distribution
    suppressed: bool = False  # 秘匿: too few respondents to publish


@dataclass(frozen=True)
class CrossTab:
    rows: tuple[CrossRow, ...]
    excluded: int  # respondents with no answer on the attribute


def crosstab(
    choices: Sequence[tuple[Hashable, str]],
    levels: Sequence[tuple[Hashable, str]],
    records: Iterable[tuple[Hashable, Collection[Hashable]]],
) -> CrossTab:
    """Distribution per attribute level; records are (attribute value, chosen keys)."""
    grouped: dict[Hashable, list] = {key: [] for key, _ in levels}
    excluded = 0
    for attribute, chosen in records:
        if attribute in NO_ATTRIBUTE or attribute not in grouped:
            excluded += 1
            continue
        grouped[attribute].append(chosen)
    rows = tuple(CrossRow(key, label, distribution(choices, grouped[key])) for key, label in levels)
    return CrossTab(rows=rows, excluded=excluded)


def crosstab_from_groups(
    choices: Sequence[tuple[Hashable, str]],
    levels: Sequence[tuple[Hashable, str]],
    groups: Mapping[Hashable, Distribution],
    *,
    total: int,
) -> CrossTab:
    """Cross-tab from per-level distributions; ``total`` counts every respondent.

    Respondents outside the levels (回答しない, not given) are the excluded
    ones, as in ``crosstab``.
    """
    empty = distribution_from_counts(choices, {}, n=0, no_answer=0)
    rows = tuple(CrossRow(key, label, groups.get(key, empty)) for key, label in levels)
    return CrossTab(rows=rows, excluded=total - sum(row.distribution.total for row in rows))


def crosstab_suppress(table: CrossTab, *, answered: int, min_cell: int) -> CrossTab:
    """Mark the rows a published cross-tab must not show (秘匿).

    ``answered`` is the question's n over the whole survey. A row whose n is
    between 1 and ``min_cell`` − 1 is hidden (primary suppression). What is
    hidden could still be read off by subtraction from the whole-survey
    figures (answered minus the rows shown): when those hidden respondents
    together, with those who did not give the attribute, are fewer than
    ``min_cell``, the smallest row still shown is hidden too, and so on
    (secondary suppression). Rows nobody is in (n = 0) reveal no one and
    stay. ``min_cell`` ≤ 1 hides nothing.
    """
    if min_cell <= 1:
        return table
    hidden = {index for index, row in enumerate(table.rows) if 0 < row.distribution.n < min_cell}
    while hidden:
        shown = [(row.distribution.n, index) for index, row in enumerate(table.rows) if index not in hidden]
        complement = answered - sum(n for n, _index in shown)
        candidates = sorted((n, index) for n, index in shown if n > 0)
        if complement >= min_cell or not candidates:
            break
        hidden.add(candidates[0][1])
    rows = tuple(
        CrossRow(row.key, row.label, row.distribution, suppressed=index in hidden)
        for index, row in enumerate(table.rows)
    )
    return CrossTab(rows=rows, excluded=table.excluded)
