"""Server-side SVG charts: no JavaScript, no build step, readable without colour.

Every chart is drawn with SVG presentation attributes (no inline CSS, which the Content-Security-Policy
forbids), carries a title and a text summary for screen readers, and is always shown beside the table
of the numbers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
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
