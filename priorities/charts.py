"""Server-side SVG charts: no JavaScript, no build step, readable without colour.

Every chart is drawn with SVG presentation attributes (no inline CSS, which the Content-Security-Policy
forbids), carries a title and a text summary for screen readers, and is always shown beside the table
of the numbers behind it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

BLUE = "#1d70b8"
GREY = "#505a5f"
LIGHT = "#b1b4b6"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | int | Decimal
    compare: float | int | Decimal | None = None


def bar_chart(
    bars: list[Bar], *, title: str, summary: str, series: tuple[str, str] = ("", ""), chart_id: str
) -> SafeString:
    """A horizontal bar chart; with `compare` values each row shows a thinner bar for the comparison."""
    label_width, bar_width, row_height = 230, 420, 34 if any(b.compare is not None for b in bars) else 24
    top = 28 if series[1] else 8
    height = top + row_height * len(bars) + 8
    peak = max([float(b.value) for b in bars] + [float(b.compare or 0) for b in bars] + [1.0])
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {label_width + bar_width + 70} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    if series[1]:
        parts.append(f'<rect x="{label_width}" y="4" width="14" height="14" fill="{BLUE}"/>')
        parts.append(f'<text x="{label_width + 20}" y="16" font-size="14" fill="#0b0c0c">{escape(series[0])}</text>')
        parts.append(f'<rect x="{label_width + 200}" y="8" width="14" height="6" fill="{GREY}"/>')
        parts.append(f'<text x="{label_width + 220}" y="16" font-size="14" fill="#0b0c0c">{escape(series[1])}</text>')
    for index, bar in enumerate(bars):
        y = top + index * row_height
        width = bar_width * float(bar.value) / peak
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" font-size="14" text-anchor="end" fill="#0b0c0c">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{width:.1f}" height="16" fill="{BLUE}"/>')
        value_x = label_width + width + 6
        parts.append(f'<text x="{value_x:.1f}" y="{y + 17}" font-size="13" fill="#0b0c0c">{_number(bar.value)}</text>')
        if bar.compare is not None:
            compare_width = bar_width * float(bar.compare) / peak
            parts.append(f'<rect x="{label_width}" y="{y + 23}" width="{compare_width:.1f}" height="6" fill="{GREY}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def _number(value: float | int | Decimal) -> str:
    if isinstance(value, int) or (isinstance(value, Decimal | float) and float(value).is_integer()):
        return f"{int(value):,}"
    return f"{float(value):,.1f}"


GREEN = "#00703c"
BLACK = "#0b0c0c"


@dataclass(frozen=True)
class Point:
    when: date
    value: float | int | Decimal


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × a power of ten) giving about `ticks` gridlines over `span`."""
    raw = span / ticks if span > 0 else 1.0
    power: float = 10.0 ** math.floor(math.log10(raw))
    return next(float(m * power) for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def line_chart(
    points: list[Point],
    *,
    baseline: Point,
    target: Point,
    title: str,
    summary: str,
    chart_id: str,
) -> SafeString:
    """A measure over time: its values, the baseline and target as lines, and the straight path between.

    Lines differ by pattern as well as colour (values solid with dots, baseline dashed, target dash-dot,
    expected path dotted), so the chart reads in greyscale.
    """
    width, height = 640, 300
    left, right, top, bottom = 64, 20, 48, 36
    plot_w, plot_h = width - left - right, height - top - bottom

    start = baseline.when
    end = max([target.when, *(p.when for p in points)])
    days = max((end - start).days, 1)
    numbers = [float(baseline.value), float(target.value), *(float(p.value) for p in points)]
    low, high = min(numbers), max(numbers)
    step = _nice_step(high - low or abs(high) or 1.0)
    floor, ceiling = math.floor(low / step) * step, math.ceil(high / step) * step
    if ceiling - floor < step:
        floor, ceiling = floor - step, ceiling + step
    if floor < 0 <= low:
        floor = 0.0

    def x(day: date) -> float:
        return left + plot_w * (day - start).days / days

    def y(value: float | int | Decimal) -> float:
        return top + plot_h * (1 - (float(value) - floor) / (ceiling - floor))

    parts = [
        f'<svg class="app-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    # Legend.
    legend = [
        ("Actual", BLUE, "", True),
        ("Baseline", GREY, "8 4", False),
        ("Target", GREEN, "10 4 2 4", False),
        ("Expected path", BLACK, "2 3", False),
    ]
    for index, (label, colour, dash, dot) in enumerate(legend):
        lx = left + index * 140
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{lx}" y1="14" x2="{lx + 28}" y2="14" stroke="{colour}" stroke-width="3"{dash_attr}/>')
        if dot:
            parts.append(f'<circle cx="{lx + 14}" cy="14" r="4" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 34}" y="19" font-size="14" fill="{BLACK}">{escape(label)}</text>')
    # Gridlines and the value axis.
    tick = floor
    while tick <= ceiling + step / 1000:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="{LIGHT}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" font-size="13" text-anchor="end" fill="{BLACK}">'
            f"{_number(tick)}</text>"
        )
        tick += step
    # The time axis: a tick at the start of each year.
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{BLACK}" '
        'stroke-width="1"/>'
    )
    years = list(range(start.year + 1, end.year + 1))
    every = max(1, math.ceil(len(years) / 8))
    for year in years[::every]:
        tx = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top + plot_h}" x2="{tx:.1f}" y2="{top + plot_h + 5}" stroke="{BLACK}"/>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{top + plot_h + 20}" font-size="13" text-anchor="middle" fill="{BLACK}">'
            f"{year}</text>"
        )
    # Baseline, target and the straight path between them.
    by, ty_ = y(baseline.value), y(target.value)
    parts.append(
        f'<line x1="{left}" y1="{by:.1f}" x2="{left + plot_w}" y2="{by:.1f}" stroke="{GREY}" stroke-width="2" '
        'stroke-dasharray="8 4"/>'
    )
    parts.append(
        f'<line x1="{left}" y1="{ty_:.1f}" x2="{left + plot_w}" y2="{ty_:.1f}" stroke="{GREEN}" stroke-width="2" '
        'stroke-dasharray="10 4 2 4"/>'
    )
    parts.append(
        f'<line x1="{x(baseline.when):.1f}" y1="{by:.1f}" x2="{x(target.when):.1f}" y2="{ty_:.1f}" '
        f'stroke="{BLACK}" stroke-width="1.5" stroke-dasharray="2 3"/>'
    )
    # The values.
    if points:
        path = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
        for point in points:
            parts.append(f'<circle cx="{x(point.when):.1f}" cy="{y(point.value):.1f}" r="4" fill="{BLUE}"/>')
        last = points[-1]
        parts.append(
            f'<text x="{min(x(last.when), left + plot_w - 4):.1f}" y="{y(last.value) - 10:.1f}" font-size="13" '
            f'text-anchor="end" fill="{BLACK}">{_number(last.value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def number(value: float | int | Decimal) -> str:
    """A figure as the charts write it: thousands separated, one decimal place only when needed."""
    return _number(value)


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: its label (said in the legend and on hover) and value."""

    label: str
    value: int
    colour: str


def stacked_bar_chart(rows: list[tuple[str, list[Segment]]], *, title: str, summary: str, chart_id: str) -> SafeString:
    """Horizontal bars split into parts (RAG distributions). Each part carries its count as text inside
    the bar where it fits, the legend names every part in words, and the table beside the chart holds the
    same numbers, so the colours are never the only carrier of meaning."""
    label_width, bar_width, row_height, top = 230, 420, 28, 32
    height = top + row_height * len(rows) + 8
    legend: list[Segment] = []
    for _, segments in rows:
        for segment in segments:
            if segment.label not in {s.label for s in legend}:
                legend.append(segment)
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {label_width + bar_width + 70} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    legend_x = 0
    for segment in legend:
        parts.append(
            f'<rect x="{legend_x}" y="6" width="14" height="14" fill="{segment.colour}" stroke="{BLACK}" '
            'stroke-width="0.5"/>'
        )
        parts.append(f'<text x="{legend_x + 20}" y="18" font-size="14" fill="{BLACK}">{escape(segment.label)}</text>')
        legend_x += 30 + 8 * len(segment.label)
    for index, (label, segments) in enumerate(rows):
        y = top + index * row_height
        total = sum(s.value for s in segments)
        shown = label if len(label) <= 30 else label[:29].rstrip() + "…"  # the table has it in full
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" font-size="14" text-anchor="end" fill="{BLACK}">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
        )
        x = float(label_width)
        for segment in segments:
            if not segment.value:
                continue
            width = bar_width * segment.value / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="20" fill="{segment.colour}" '
                f'stroke="#ffffff" stroke-width="1"><title>{escape(segment.label)}: {segment.value}</title></rect>'
            )
            if width >= 22:
                text_colour = BLACK if segment.colour in LIGHT_FILLS else "#ffffff"
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 17}" font-size="13" text-anchor="middle" '
                    f'fill="{text_colour}">{segment.value}</text>'
                )
            x += width
        parts.append(
            f'<text x="{label_width + bar_width + 6}" y="{y + 17}" font-size="13" fill="{BLACK}">{total}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


# The display RAG colours of the GOV.UK tags, for charts; text on the light ones is black.
RAG_FILLS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "blue": "#003078", "grey": "#b1b4b6"}
LIGHT_FILLS = {"#f47738", "#b1b4b6"}
