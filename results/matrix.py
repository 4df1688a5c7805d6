"""重要度×満足度 matrix (散布図) of 市民意識調査 reports: pure maths and SVG geometry.

No Django imports. Each item (a 施策 or a topic) is asked twice on a
5段階 scale, once for its importance and once for its satisfaction. Its
position is the mean of each question in 平均ポイント
(plans.indicator_math.weighted_mean: 5 → +2, 4 → +1, 3 → 0, 2 → −1,
1 → −2; わからない and 無回答 left out). The axes cross at the mean of the
items' means, so the four quadrants compare the items with one another:

- 重点改善 — importance at or above the mean, satisfaction below it: what
  residents find important and are least satisfied with, improved first;
- 重点維持 — both at or above the mean: important and doing well, kept up;
- 改善 — both below the mean;
- 維持 — importance below the mean, satisfaction at or above it.

A value equal to the mean counts as high. An item whose importance or
satisfaction question was answered by fewer than the minimum cell size is
listed without a position and left out of the axis means.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from plans.indicator_math import MEAN_POINTS, SCALE_VALUES, round_half_up

PRIORITY_IMPROVE = "priority_improve"
PRIORITY_KEEP = "priority_keep"
IMPROVE = "improve"
KEEP = "keep"
QUADRANT_LABELS = {
    PRIORITY_IMPROVE: "重点改善",
    PRIORITY_KEEP: "重点維持",
    IMPROVE: "改善",
    KEEP: "維持",
}
QUADRANT_DESCRIPTIONS = {
    PRIORITY_IMPROVE: "重要度が高く、満足度が低い（優先して改善が求められる）",
    PRIORITY_KEEP: "重要度が高く、満足度も高い（今後も維持・充実が求められる）",
    IMPROVE: "重要度・満足度ともに低い（改善が求められる）",
    KEEP: "重要度は低いが、満足度は高い（現状の維持が求められる）",
}
# In the order of a report's legend: the top two first.
QUADRANT_ORDER = (PRIORITY_IMPROVE, PRIORITY_KEEP, IMPROVE, KEEP)


def scale_mean(counts: Mapping[int, int]) -> tuple[Fraction | None, int]:
    """Return (exact mean in 平均ポイント, n) of a tally keyed by Choice.value.

    n counts the five scale values only: わからない (0) and 無回答 are out.
    """
    n = sum(counts.get(value, 0) for value in SCALE_VALUES)
    if not n:
        return None, 0
    total = sum(MEAN_POINTS[value] * counts.get(value, 0) for value in SCALE_VALUES)
    return Fraction(total, n), n


def quadrant(importance: Fraction, satisfaction: Fraction, *, axis_importance, axis_satisfaction) -> str:
    high_importance = importance >= axis_importance
    high_satisfaction = satisfaction >= axis_satisfaction
    if high_importance:
        return PRIORITY_KEEP if high_satisfaction else PRIORITY_IMPROVE
    return KEEP if high_satisfaction else IMPROVE


@dataclass(frozen=True)
class MatrixInput:
    label: str
    importance_counts: Mapping[int, int]
    satisfaction_counts: Mapping[int, int]


@dataclass(frozen=True)
class MatrixPoint:
    number: int  # 1, 2, … in the items' order: the mark on the chart and the table's first column
    label: str
    importance_n: int
    satisfaction_n: int
    importance_exact: Fraction | None
    satisfaction_exact: Fraction | None
    suppressed: bool  # too few answers to place the item
    quadrant: str = ""

    @property
    def importance(self) -> Decimal | None:
        return None if self.importance_exact is None else round_half_up(self.importance_exact, 2)

    @property
    def satisfaction(self) -> Decimal | None:
        return None if self.satisfaction_exact is None else round_half_up(self.satisfaction_exact, 2)

    @property
    def placed(self) -> bool:
        return bool(self.quadrant)

    @property
    def quadrant_label(self) -> str:
        return QUADRANT_LABELS.get(self.quadrant, "")


@dataclass(frozen=True)
class Matrix:
    points: tuple[MatrixPoint, ...]
    axis_importance: Fraction | None  # mean of the placed items' mean importance
    axis_satisfaction: Fraction | None
    min_cell: int

    @property
    def axis_importance_display(self) -> Decimal | None:
        return None if self.axis_importance is None else round_half_up(self.axis_importance, 2)

    @property
    def axis_satisfaction_display(self) -> Decimal | None:
        return None if self.axis_satisfaction is None else round_half_up(self.axis_satisfaction, 2)

    @property
    def placed(self) -> tuple[MatrixPoint, ...]:
        return tuple(point for point in self.points if point.placed)

    def by_quadrant(self) -> list[tuple[str, str, str, list[MatrixPoint]]]:
        """(key, label, description, points) per quadrant, in legend order."""
        return [
            (
                key,
                QUADRANT_LABELS[key],
                QUADRANT_DESCRIPTIONS[key],
                [p for p in self.points if p.quadrant == key],
            )
            for key in QUADRANT_ORDER
        ]


def matrix_compute(items: Sequence[MatrixInput], *, min_cell: int = 0) -> Matrix:
    """Place every item; the axes are the means over the items that can be placed."""
    measured = []
    for number, item in enumerate(items, start=1):
        importance, importance_n = scale_mean(item.importance_counts)
        satisfaction, satisfaction_n = scale_mean(item.satisfaction_counts)
        too_few = min(importance_n, satisfaction_n) < max(min_cell, 1)
        measured.append((number, item, importance, importance_n, satisfaction, satisfaction_n, too_few))
    placeable = [m for m in measured if not m[6]]
    axis_importance = axis_satisfaction = None
    if placeable:
        axis_importance = sum((m[2] for m in placeable), Fraction(0)) / len(placeable)
        axis_satisfaction = sum((m[4] for m in placeable), Fraction(0)) / len(placeable)
    points = []
    for number, item, importance, importance_n, satisfaction, satisfaction_n, too_few in measured:
        hidden = too_few and bool(importance_n or satisfaction_n)
        points.append(
            MatrixPoint(
                number=number,
                label=item.label,
                importance_n=importance_n,
                satisfaction_n=satisfaction_n,
                importance_exact=None if too_few else importance,
                satisfaction_exact=None if too_few else satisfaction,
                suppressed=hidden,
                quadrant=""
                if too_few
                else quadrant(
                    importance,
                    satisfaction,
                    axis_importance=axis_importance,
                    axis_satisfaction=axis_satisfaction,
                ),
            )
        )
    return Matrix(tuple(points), axis_importance, axis_satisfaction, min_cell)


# ---- SVG geometry (drawn on the server; the data table beside it has the numbers) ----

CHART_WIDTH = 560
CHART_HEIGHT = 480
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 56
POINT_RADIUS = 11
LABEL_MAX_CHARS = 9
LABEL_LINE = 16
LABEL_CHAR_WIDTH = 12  # px per (full-width) character at 12 px
TICK_STEPS = (Fraction(1, 10), Fraction(1, 5), Fraction(1, 4), Fraction(1, 2), Fraction(1))
MAX_TICKS = 7
SCALE_MIN, SCALE_MAX = Fraction(-2), Fraction(2)


@dataclass(frozen=True)
class Tick:
    value: Decimal
    position: float  # x for the satisfaction axis, y for the importance axis


@dataclass(frozen=True)
class PlacedPoint:
    point: MatrixPoint
    x: float
    y: float
    label: str  # shortened to fit beside the numbered mark; the table has the full one
    label_x: float
    label_y: float
    label_anchor: str  # "start" (right of the mark) or "end" (left of it)


@dataclass(frozen=True)
class QuadrantLabel:
    text: str
    x: float
    y: float
    anchor: str
    key: str = ""  # PRIORITY_IMPROVE …: a page names it in its language (results.templatetags.matrix_words)


@dataclass(frozen=True)
class ScatterChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    axis_x: float  # where the mean satisfaction line is drawn
    axis_y: float  # where the mean importance line is drawn
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    points: tuple[PlacedPoint, ...]
    quadrant_labels: tuple[QuadrantLabel, ...]
    radius: int = POINT_RADIUS

    @property
    def x_title_y(self) -> int:
        return self.height - 8

    @property
    def tick_label_y(self) -> int:
        return self.bottom + 18

    @property
    def y_title_x(self) -> int:
        return 14

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2


def _range(values: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """The data's range with a margin, inside −2…+2, at least 0.4 wide."""
    low, high = min(values), max(values)
    pad = max((high - low) / 10, Fraction(1, 10))
    low, high = max(low - pad, SCALE_MIN), min(high + pad, SCALE_MAX)
    if high - low < Fraction(2, 5):
        middle = (low + high) / 2
        low, high = max(middle - Fraction(1, 5), SCALE_MIN), min(middle + Fraction(1, 5), SCALE_MAX)
    return low, high


def _ticks(low: Fraction, high: Fraction) -> list[Fraction]:
    step = next((s for s in TICK_STEPS if (high - low) / s <= MAX_TICKS), TICK_STEPS[-1])
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def scatter_chart(matrix: Matrix) -> ScatterChart | None:
    """Geometry of the matrix: satisfaction across, importance up; None with nothing placed."""
    placed = matrix.placed
    if not placed:
        return None
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = CHART_WIDTH - MARGIN_RIGHT, CHART_HEIGHT - MARGIN_BOTTOM
    x_low, x_high = _range([p.satisfaction_exact for p in placed] + [matrix.axis_satisfaction])
    y_low, y_high = _range([p.importance_exact for p in placed] + [matrix.axis_importance])

    def x_of(value: Fraction) -> float:
        return round(left + float((value - x_low) / (x_high - x_low)) * (right - left), 1)

    def y_of(value: Fraction) -> float:
        return round(bottom - float((value - y_low) / (y_high - y_low)) * (bottom - top), 1)

    taken: list[tuple[float, float, float, float]] = []  # label boxes placed so far

    def overlaps(box):
        return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)

    points = []
    for point in sorted(placed, key=lambda p: (-p.importance_exact, p.number)):
        x, y = x_of(point.satisfaction_exact), y_of(point.importance_exact)
        label = _short(point.label)
        width = len(label) * LABEL_CHAR_WIDTH
        anchor = "start" if x + POINT_RADIUS + 4 + width <= right else "end"
        label_x = x + POINT_RADIUS + 4 if anchor == "start" else x - POINT_RADIUS - 4
        label_y = y + 4
        for _attempt in range(6):
            box_left = label_x if anchor == "start" else label_x - width
            box = (box_left, label_y - 12, box_left + width, label_y + 4)
            if not overlaps(box):
                break
            label_y += LABEL_LINE
        taken.append(box)
        points.append(PlacedPoint(point, x, y, label, label_x, label_y, anchor))
    points.sort(key=lambda p: p.point.number)
    axis_x, axis_y = x_of(matrix.axis_satisfaction), y_of(matrix.axis_importance)
    quadrant_labels = (
        QuadrantLabel(QUADRANT_LABELS[PRIORITY_IMPROVE], left + 6, top + 14, "start", PRIORITY_IMPROVE),
        QuadrantLabel(QUADRANT_LABELS[PRIORITY_KEEP], right - 6, top + 14, "end", PRIORITY_KEEP),
        QuadrantLabel(QUADRANT_LABELS[IMPROVE], left + 6, bottom - 8, "start", IMPROVE),
        QuadrantLabel(QUADRANT_LABELS[KEEP], right - 6, bottom - 8, "end", KEEP),
    )
    return ScatterChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        axis_x=axis_x,
        axis_y=axis_y,
        x_ticks=tuple(Tick(round_half_up(v, 2), x_of(v)) for v in _ticks(x_low, x_high)),
        y_ticks=tuple(Tick(round_half_up(v, 2), y_of(v)) for v in _ticks(y_low, y_high)),
        points=tuple(points),
        quadrant_labels=quadrant_labels,
    )
