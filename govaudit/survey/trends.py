"""Trends: a site and a unit over survey rounds, and a site's availability per day from probe
samples; with the server-side SVG (sparklines, line charts) the survey pages draw them with.

Rounds are the surveys of the same store and profile dated on or before this one (`as_of`, then
creation time), oldest first; a unit's trend follows the sites listed under it today.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from govaudit.store import Store

MAX_ROUNDS = 12  # rounds drawn: the last ones


def rounds(store: Store, survey_id: str) -> list[dict[str, Any]]:
    """The rounds up to this survey (its own included, last)."""
    every = store.surveys()
    me = next((s for s in every if s["id"] == survey_id), None)
    if me is None:
        return []
    same = [s for s in every if s.get("profile") == me.get("profile")
            and (str(s.get("as_of") or ""), s["created_at"]) <= (str(me.get("as_of") or ""), me["created_at"])]
    same.sort(key=lambda s: (str(s.get("as_of") or ""), s["created_at"], s["id"]))
    return same[-MAX_ROUNDS:]


def round_rows(store: Store, round_ids: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """survey id -> url -> {status, score, grade, passed, vetoes, metrics, indicators}."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for rid in round_ids:
        out[rid] = {}
        for site in store.survey_sites(rid):
            summary = site.summary or {}
            out[rid][site.url] = {
                "status": site.status, "score": summary.get("score"), "grade": summary.get("grade"),
                "passed": summary.get("passed"), "vetoes": list(summary.get("vetoes", [])),
                "metrics": dict(summary.get("metrics", {})),
                "indicators": {k: v[0] if isinstance(v, list) else v
                               for k, v in summary.get("indicators", {}).items()}}
    return out


class ProbeDays:
    """Probe visits per site and day, read with one aggregate query; a site never sampled under
    its own URL reads the samples of its origin (as the availability check does)."""

    def __init__(self, store: Store, first: date, last: date) -> None:
        self.first, self.last = first, last
        self.by_site: dict[str, dict[str, tuple[int, int, float]]] = defaultdict(dict)
        self.by_origin: dict[str, dict[str, list[tuple[int, int, float]]]] = defaultdict(lambda: defaultdict(list))
        for site, origin, day, n, ok, ms in store.probe_daily(first, last):
            self.by_site[site][day] = (n, ok, ms)
            self.by_origin[origin][day].append((n, ok, ms))

    def days(self, url: str, origin: str) -> dict[str, tuple[int, int, float]]:
        """day -> (visits, visits that opened, mean response ms)."""
        own = self.by_site.get(url)
        if own:
            return own
        merged: dict[str, tuple[int, int, float]] = {}
        for day, parts in self.by_origin.get(origin, {}).items():
            n = sum(p[0] for p in parts)
            merged[day] = (n, sum(p[1] for p in parts), sum(p[0] * p[2] for p in parts) / n if n else 0.0)
        return merged

    def window(self, url: str, origin: str, last: date, days: int) -> tuple[int, int] | None:
        """(visits, opened) over the `days` ending on `last`; None without any visit."""
        first = (last - timedelta(days=days - 1)).isoformat()
        parts = [v for d, v in self.days(url, origin).items() if first <= d <= last.isoformat()]
        if not parts:
            return None
        return sum(p[0] for p in parts), sum(p[1] for p in parts)

    def series(self, url: str, origin: str) -> list[dict[str, Any]]:
        """One entry per day of the range: availability % and mean response ms (None: no visit)."""
        own = self.days(url, origin)
        out = []
        day = self.first
        while day <= self.last:
            n, ok, ms = own.get(day.isoformat(), (0, 0, 0.0))
            out.append({"day": day.isoformat(), "visits": n, "availability": round(100.0 * ok / n, 1) if n else None,
                        "ms": round(ms, 1) if n else None})
            day += timedelta(days=1)
        return out


def mean_or_none(values: list[float | None]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return round(statistics.fmean(known), 1) if known else None


# ---- SVG -------------------------------------------------------------------------------------


def sparkline(values: list[float | None], width: int = 90, height: int = 20, lo: float = 0.0,
              hi: float = 100.0) -> dict[str, Any] | None:
    """A polyline over the known values (gaps skipped), scaled lo..hi; None with fewer than 2."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return None
    span = (hi - lo) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    pts = [(round(2 + i * step, 1), round(height - 2 - (height - 4) * (min(max(v, lo), hi) - lo) / span, 1))
           for i, v in known]
    return {"width": width, "height": height, "points": " ".join(f"{x},{y}" for x, y in pts),
            "last": pts[-1], "label": " → ".join(f"{v:g}" for _, v in known)}


def line_chart(labels: list[str], series: list[dict[str, Any]], width: int = 640, height: int = 220,
               lo: float = 0.0, hi: float = 100.0) -> dict[str, Any] | None:
    """Several lines over the same x labels; each series: {"name", "values", "cls"}."""
    if not labels or not any(sum(v is not None for v in s["values"]) >= 1 for s in series):
        return None
    left, right, top, bottom = 40, 10, 10, height - 40
    step = (width - left - right) / max(len(labels) - 1, 1)
    span = (hi - lo) or 1.0

    def y(v: float) -> float:
        return round(bottom - (bottom - top) * (min(max(v, lo), hi) - lo) / span, 1)

    lines = []
    for s in series:
        pts = [(round(left + i * step, 1), y(v), v) for i, v in enumerate(s["values"]) if v is not None]
        lines.append({"name": s["name"], "cls": s.get("cls", ""), "points": " ".join(f"{x},{yy}" for x, yy, _ in pts),
                      "dots": [{"x": x, "y": yy, "v": v} for x, yy, v in pts]})
    ticks = [{"y": y(t), "label": f"{t:g}"} for t in (lo, (lo + hi) / 2, hi)]
    xs = [{"x": round(left + i * step, 1), "label": lab} for i, lab in enumerate(labels)]
    return {"width": width, "height": height, "left": left, "right": width - right, "top": top, "bottom": bottom,
            "lines": lines, "ticks": ticks, "xs": xs}
