"""Geometry of the statistics page's bar charts, drawn as SVG by a template.

The SVG is written by our own template rather than a charting library: its look comes from
classes in static/css/statistics.css, with no ``style`` attribute and no script, so the page
keeps working under a content-security policy without ``unsafe-inline``.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.statistics import Chart

ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_WIDTH = 210
BAR_AREA_WIDTH = 250
VALUE_GAP = 6
CHART_WIDTH = LABEL_WIDTH + BAR_AREA_WIDTH + 110
LABEL_CHARACTERS = 32


@dataclass(frozen=True)
class DrawnBar:
    label: str
    shown: str
    y: int
    text_y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class DrawnChart:
    chart: Chart
    bars: list[DrawnBar]
    width: int
    height: int
    bar_x: int = LABEL_WIDTH
    label_x: int = LABEL_WIDTH - VALUE_GAP
    bar_height: int = BAR_HEIGHT


def _short(label: str) -> str:
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1] + "…"


def draw_chart(chart: Chart) -> DrawnChart:
    maximum = chart.maximum or 1.0
    bars = []
    for index, bar in enumerate(chart.bars):
        width = 0.0 if bar.value is None else BAR_AREA_WIDTH * min(bar.value / maximum, 1.0)
        top = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        bars.append(
            DrawnBar(
                label=_short(bar.label),
                shown=bar.shown,
                y=top,
                text_y=top + BAR_HEIGHT - 3,
                width=round(width, 1),
                value_x=round(LABEL_WIDTH + width + VALUE_GAP, 1),
            )
        )
    return DrawnChart(
        chart=chart, bars=bars, width=CHART_WIDTH, height=max(len(bars), 1) * ROW_HEIGHT
    )
