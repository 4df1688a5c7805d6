"""Bar-chart geometry for server-rendered SVG (no scripts, no external service).

A chart is decoration for sighted readers: every chart is shown beside a
data table with the same numbers, which is what screen readers use
(JIS X 8341-3 / WCAG 1.1.1). Bars carry their value as text, so nothing is
told by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 240
VALUE_WIDTH = 90
PLOT_WIDTH = 470
COLUMN_PLOT_HEIGHT = 200
COLUMN_AXIS_HEIGHT = 40
COLUMN_MIN_WIDTH = 14
COLUMN_MAX_WIDTH = 48
LABEL_MAX_CHARS = 15
# At most this many period labels under a column chart; others are skipped.
COLUMN_MAX_LABELS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str  # what fits in the chart; the table has the full label
    value: int
    x: float
    y: float
    width: float
    height: float
    show_label: bool = True

    @property
    def text_y(self) -> float:
        """Baseline of the label and value text beside a horizontal bar."""
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> float:
        return self.x + self.width + 6


@dataclass(frozen=True)
class BarChart:
    orientation: str  # "horizontal" (categories) or "vertical" (a time series)
    width: int
    height: int
    bars: tuple[Bar, ...]
    label_width: int = LABEL_WIDTH
    plot_height: int = COLUMN_PLOT_HEIGHT

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def tick_y(self) -> int:
        return self.plot_height + 16


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def bar_chart(data: Sequence[tuple[str, int]]) -> BarChart:
    """Horizontal bars, one row per (label, value), scaled to the largest value."""
    top = max((value for _label, value in data), default=0) or 1
    bars = tuple(
        Bar(
            label,
            _short(label),
            value,
            LABEL_WIDTH,
            index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
            round(PLOT_WIDTH * value / top, 1),
            BAR_HEIGHT,
        )
        for index, (label, value) in enumerate(data)
    )
    return BarChart(
        "horizontal",
        LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        max(len(bars), 1) * ROW_HEIGHT,
        bars,
    )


def column_chart(data: Sequence[tuple[str, int]]) -> BarChart:
    """Vertical columns for a time series, oldest first."""
    top = max((value for _label, value in data), default=0) or 1
    count = max(len(data), 1)
    step = max(COLUMN_MIN_WIDTH, min(COLUMN_MAX_WIDTH, (LABEL_WIDTH + PLOT_WIDTH) // count))
    every = -(-count // COLUMN_MAX_LABELS)  # ceil: label every n-th period
    bars = []
    for index, (label, value) in enumerate(data):
        height = round(COLUMN_PLOT_HEIGHT * value / top, 1)
        bars.append(
            Bar(
                label,
                label,
                value,
                index * step + step * 0.1,
                COLUMN_PLOT_HEIGHT - height,
                step * 0.8,
                height,
                show_label=index % every == 0,
            )
        )
    width = max(count * step, 200)
    return BarChart("vertical", width, COLUMN_PLOT_HEIGHT + COLUMN_AXIS_HEIGHT, tuple(bars))
