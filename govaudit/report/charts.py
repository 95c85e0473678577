"""Geometry for the HTML report's inline SVG charts.

Only numbers are computed here; the template draws them, so every label (a column name from the
site, say) goes through the template's autoescaping like any other site text.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from govaudit.report.view import fmt_number

LABEL_W = 150  # px for the labels left of horizontal bars
PLOT_W = 280  # px for the bars themselves (two charts fit side by side)
VALUE_W = 100  # px right of the bars for the value text
ROW_H = 24
TOP = 8

RED = "#b42318"
AMBER = "#b54708"
BLUE = "#1f4e79"
GREY = "#98a2b3"
GREEN = "#1b7f3b"


@dataclass(slots=True)
class Bar:
    label: str  # shortened for the chart
    full_label: str  # shown as the SVG <title> tooltip
    value_text: str
    y: float
    width: float
    colour: str
    marker_x: float | None = None  # a threshold tick on this row, if any


@dataclass(slots=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_w: int = LABEL_W
    plot_w: int = PLOT_W
    row_h: int = ROW_H
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, text)


@dataclass(slots=True)
class HistBin:
    x: float
    width: float
    height: float
    y: float
    count: int
    label: str  # axis text; "" on bins between labelled ones
    tip: str  # the bin's range and count, as a tooltip
    colour: str


@dataclass(slots=True)
class Histogram:
    title: str
    bins: list[HistBin]
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    limit_x: float | None
    limit_label: str
    max_count: int
    total: int
    over_limit: int
    bin_days: int = 1


def short_label(text: str, units: int = 20) -> str:
    """Cut `text` to about `units` half-width character cells (CJK characters count two)."""
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + w > units:
            return "".join(out).rstrip() + "…"
        out.append(ch)
        used += w
    return "".join(out)


def bar_chart(title: str, items: list[tuple[str, float]], colour: str = BLUE,
              colours: dict[str, str] | None = None) -> BarChart:
    """Horizontal bars, longest first; `colours` may colour single labels."""
    items = sorted(items, key=lambda kv: (-kv[1], kv[0]))
    top = max((v for _, v in items), default=0) or 1
    bars = [
        Bar(short_label(label), label, fmt_number(value), TOP + i * ROW_H, PLOT_W * value / top,
            (colours or {}).get(label, colour))
        for i, (label, value) in enumerate(items)
    ]
    return BarChart(title, bars, LABEL_W + PLOT_W + VALUE_W, TOP * 2 + ROW_H * len(bars))


def status_colours(labels: list[str]) -> dict[str, str]:
    """Server errors red, client errors amber, network error words grey-blue."""
    out = {}
    for label in labels:
        if label.isdigit():
            out[label] = RED if label.startswith("5") else AMBER
        else:
            out[label] = "#475467"
    return out


def freshness_chart(title: str, columns: list[dict[str, Any]]) -> BarChart | None:
    """Age of each column's newest item against its threshold (a tick); stale rows in red."""
    rows = [c for c in columns if isinstance(c, dict) and ("age_days" in c or "threshold_days" in c)]
    if not rows:
        return None

    def num(v: object) -> float | None:
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None

    top = max([num(c.get("age_days")) or 0 for c in rows] + [num(c.get("threshold_days")) or 0 for c in rows]) or 1
    bars = []
    for i, c in enumerate(rows):
        age, limit = num(c.get("age_days")), num(c.get("threshold_days"))
        name = str(c.get("name", ""))
        if c.get("empty") or age is None:
            # An item without a date counts as not updated (2015 census rule), but say which it is.
            text, colour, width = ("empty" if c.get("empty") else "no date"), GREY, 0.0
        else:
            stale = bool(c.get("stale")) if "stale" in c else (limit is not None and age > limit)
            colour = RED if stale else GREEN
            text, width = f"{fmt_number(age)} d", PLOT_W * age / top
        if limit is not None:
            text += f" / {fmt_number(limit)} d"
        bars.append(Bar(short_label(name), name, text, TOP + i * ROW_H, width, colour,
                        None if limit is None else PLOT_W * limit / top))
    legend = [(GREEN, "within threshold"), (RED, "stale"), (GREY, "empty"), ("#101828", "threshold")]
    return BarChart(title, bars, LABEL_W + PLOT_W + VALUE_W, TOP * 2 + ROW_H * len(bars), legend=legend)


_BIN_WIDTHS = (1, 2, 5, 7, 14, 30, 60, 90, 180, 365, 730)


def histogram(title: str, values: list[float], limit: float | None) -> Histogram | None:
    """Counts of reply delays in equal-width day bins, with the reply limit drawn as a line.

    Reply delays have a long tail (a few messages wait years), so the scale stops at the 95th
    percentile or twice the limit, whichever is larger, and one last bin counts everything beyond.
    """
    vals = sorted(float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)
                  and math.isfinite(v) and v >= 0)
    if not vals:
        return None
    p95 = vals[min(len(vals) - 1, math.ceil(0.95 * len(vals)) - 1)]
    span = max(p95, 2 * limit if limit is not None else 0.0, 1.0)
    width_days = next((w for w in _BIN_WIDTHS if math.floor(span / w) + 1 <= 24), _BIN_WIDTHS[-1])
    nbins = math.floor(span / width_days) + 1
    overflow = vals[-1] >= nbins * width_days  # one extra bin for the tail
    counts = [0] * (nbins + (1 if overflow else 0))
    for v in vals:
        counts[min(int(v // width_days), len(counts) - 1)] += 1
    left, right, top, bottom = 48, 16, 12, 190
    plot_w = 640 - left - right
    bin_w = plot_w / len(counts)
    peak = max(counts)
    every = math.ceil(len(counts) / 8)  # keep the axis text from overlapping
    bins = []
    for i, n in enumerate(counts):
        lo = i * width_days
        h = max((bottom - top) * n / peak, 1.5 if n else 0.0)  # a lone reply stays visible
        over = limit is not None and lo >= limit
        if overflow and i == len(counts) - 1:
            rng, label = f"{lo} d or more (longest {fmt_number(round(vals[-1]))} d)", f"≥{lo}"
        else:
            rng = f"{lo} d" if width_days == 1 else f"{lo}–{lo + width_days - 1} d"
            label = str(lo) if i % every == 0 else ""
        bins.append(HistBin(left + i * bin_w + 1, max(bin_w - 2, 1), h, bottom - h, n, label, f"{rng}: {n}",
                            RED if over else BLUE))
    limit_x = None if limit is None else left + bin_w * limit / width_days
    over_limit = sum(1 for v in vals if limit is not None and v > limit)
    return Histogram(title, bins, 640, bottom + 46, top, bottom, left, limit_x,
                     "" if limit is None else f"limit {fmt_number(limit)} d", peak, len(vals), over_limit,
                     width_days)
