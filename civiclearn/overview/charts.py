"""Horizontal bar charts as SVG, drawn on the server: no chart JavaScript, and a table beside each chart
holds the same numbers for screen readers and for copying. The template `overview/_chart.html` draws them."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640  # of the viewBox; CSS scales the chart to its column
LABEL_WIDTH = 220
VALUE_WIDTH = 60  # room for the number after the longest bar
ROW_HEIGHT = 32
BAR_HEIGHT = 20
LABEL_LENGTH = 26  # characters: longer labels are cut (the table has them whole)


@dataclass(frozen=True)
class Bar:
    label: str  # as it fits before the bar
    full_label: str
    value: int
    width: float
    top: int  # of the bar
    baseline: int  # of the label and the value


@dataclass(frozen=True)
class BarChart:
    id: str  # unique on the page: the title's and description's ids start with it
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT


def shorten(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[:LABEL_LENGTH - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, description: str, items: Sequence[tuple[str, int]]) -> BarChart:
    """A chart of (label, value) pairs, in their order; the longest bar fills the room left by the labels."""
    largest = max((value for _label, value in items), default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest if largest else 0
    top = (ROW_HEIGHT - BAR_HEIGHT) // 2
    bars = [Bar(shorten(label), label, value, round(value * scale, 1), row * ROW_HEIGHT + top,
                row * ROW_HEIGHT + top + BAR_HEIGHT - 5)
            for row, (label, value) in enumerate(items)]
    return BarChart(chart_id, title, description, bars)
