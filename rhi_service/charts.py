"""Charts drawn on the server as SVG: no JavaScript, no external library, nothing fetched.

Each chart is an image with a title and a description (role="img", aria-labelledby), and the page
shows the same figures in a table beneath it, so a screen-reader user or a printout loses nothing.
Colours alone never carry meaning: each series also has a pattern of dash and a legend in words.
Pure functions with no Flask, so they are unit-tested alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from markupsafe import Markup, escape

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), and a dash pattern each.
SERIES_STYLES = [
    ("#1d70b8", ""), ("#d4351c", "6 3"), ("#00703c", "2 2"), ("#4c2c92", "8 3 2 3"),
    ("#b58840", "4 4"), ("#505a5f", "1 3"),
]


@dataclass
class Series:
    name: str
    values: list[float]


@dataclass
class Chart:
    title: str
    description: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)


def _nice_max(value: float) -> float:
    """A round top for the axis: 1, 2, 5 or 10 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.1f}"


def bar_chart(chart: Chart, chart_id: str, width: int = 640, height: int = 280) -> Markup:
    """Grouped bars, one group per label and one bar per series."""
    return _draw(chart, chart_id, width, height, kind="bar")


def line_chart(chart: Chart, chart_id: str, width: int = 640, height: int = 280) -> Markup:
    """One line per series across the labels (weeks or months)."""
    return _draw(chart, chart_id, width, height, kind="line")


def _draw(chart: Chart, chart_id: str, width: int, height: int, kind: str) -> Markup:
    left, right, top, bottom = 48, 12, 12, 56
    legend_height = 20 * ((len(chart.series) + 2) // 3)
    plot_w = width - left - right
    plot_h = height - top - bottom
    total_h = height + legend_height
    values = [v for s in chart.series for v in s.values]
    top_value = _nice_max(max(values, default=0))
    out: list[str] = []
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rhi-chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {width} {total_h}" aria-labelledby="{title_id} {desc_id}" focusable="false">'
    )
    out.append(f'<title id="{title_id}">{escape(chart.title)}</title>')
    out.append(f'<desc id="{desc_id}">{escape(chart.description)}</desc>')
    # Gridlines and axis values at quarters of the top.
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        out.append(f'<line class="rhi-chart__grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" />')
        out.append(f'<text class="rhi-chart__axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>')
    n = max(len(chart.labels), 1)
    slot = plot_w / n
    # Label every bucket when there is room, otherwise every few.
    every = max(1, -(-n * 48 // plot_w))
    for i, label in enumerate(chart.labels):
        if i % every:
            continue
        x = left + slot * (i + 0.5)
        out.append(f'<text class="rhi-chart__axis" x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>')

    def y_of(v: float) -> float:
        return top + plot_h - (plot_h * (v / top_value) if top_value else 0)

    count = max(len(chart.series), 1)
    for s_index, series in enumerate(chart.series):
        colour, dash = SERIES_STYLES[s_index % len(SERIES_STYLES)]
        if kind == "bar":
            bar_w = max(1.0, slot * 0.8 / count)
            for i, v in enumerate(series.values):
                x = left + slot * i + slot * 0.1 + bar_w * s_index
                y = y_of(v)
                out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{top + plot_h - y:.1f}" '
                           f'fill="{colour}"><title>{escape(series.name)}, {escape(chart.labels[i])}: {_fmt(v)}</title></rect>')
        else:
            points = " ".join(f"{left + slot * (i + 0.5):.1f},{y_of(v):.1f}" for i, v in enumerate(series.values))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} points="{points}" />')
            for i, v in enumerate(series.values):
                out.append(f'<circle cx="{left + slot * (i + 0.5):.1f}" cy="{y_of(v):.1f}" r="3" fill="{colour}">'
                           f'<title>{escape(series.name)}, {escape(chart.labels[i])}: {_fmt(v)}</title></circle>')
    out.append(f'<line class="rhi-chart__axis-line" x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" />')
    # Legend in words, with the line's own dash so colour is not the only cue.
    for s_index, series in enumerate(chart.series):
        colour, dash = SERIES_STYLES[s_index % len(SERIES_STYLES)]
        col, row = s_index % 3, s_index // 3
        x = left + col * (plot_w / 3)
        y = height + row * 20 + 4
        dash_attr = f' stroke-dasharray="{dash}"' if dash and kind == "line" else ""
        out.append(f'<line x1="{x:.1f}" x2="{x + 24:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="6"{dash_attr} />')
        out.append(f'<text class="rhi-chart__legend" x="{x + 30:.1f}" y="{y + 4:.1f}">{escape(series.name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
