"""The HTML report: one self-contained file that opens offline.

Everything goes through a Jinja2 template with autoescaping on; site text is never marked safe.
A strict Content-Security-Policy meta means that even a rendering mistake could not load or run
anything: no scripts at all, styles inline, images only as data: URIs.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from govaudit.coverage import coverage_of
from govaudit.model import AuditResult, CheckResult, IndicatorResult
from govaudit.report import charts
from govaudit.report.checkdata import Block, check_data
from govaudit.report.view import ReportFinding, fmt_number, report_findings, safe_href

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
# A group of findings longer than this is cut in the HTML; report.json always has all of them.
# (Kept well above a typical portal's count; a 20,000-link survey site stays a few MB.)
MAX_FINDINGS_PER_GROUP = 1000
_IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
EVIDENCE_SHOWN = 6  # evidence entries shown with a finding; the rest sit behind a closed <details>
MAX_EVIDENCE_ITEMS = 5  # list values in a finding's evidence (pages, selectors): the rest are in report.json
# Keys a check may use for the reply limit of its message boards (days).
_LIMIT_KEYS = ("limit_days", "reply_limit_days", "overdue_days")


@dataclass(slots=True)
class FindingGroup:
    anchor: str
    title: str
    subtitle: str
    rows: list[ReportFinding]
    total: int
    indicator: IndicatorResult | None = None
    anchored: set[str] = field(default_factory=set)  # rows that carry the finding's HTML id


@dataclass(slots=True)
class CheckView:
    """One check's part of "Check details": its charts, then its tables and facts."""

    id: str
    title: str
    blocks: list[Block]
    charts: list[charts.BarChart] = field(default_factory=list)
    histograms: list[charts.Histogram] = field(default_factory=list)


@dataclass(slots=True)
class Screenshot:
    name: str
    page: str
    data_uri: str
    anchor: str  # the figure's HTML id, so tables and findings can point at it


def render_html(result: AuditResult, assets: dict[str, bytes] | None = None) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    findings = report_findings(result)
    indicators = result.scored.indicators
    by_id = {rf.id: rf for rf in findings}
    groups, cited = _groups(indicators, by_id)
    other = [rf for rf in findings if rf.id not in cited]
    if other:
        groups.append(FindingGroup("other-findings", "Other findings",
                                   "Not cited by any indicator of the profile", other[:MAX_FINDINGS_PER_GROUP], len(other)))
    seen: set[str] = set()
    for g in groups:  # a finding cited twice gets its id attribute once, in its first group
        g.anchored = {rf.id for rf in g.rows if rf.id not in seen}
        seen |= g.anchored
    severity_counts = {s: sum(1 for rf in findings if rf.finding.severity == s) for s in ("error", "warning", "info")}
    screenshots, skipped_assets = _screenshots(assets or {})
    shot_anchors = {s.name: f"#{s.anchor}" for s in screenshots}
    ctx = {
        "r": result,
        "score": result.scored.score,
        "coverage": coverage_of(result.crawl, result.checks),
        "csp": CSP,
        "indicators": indicators,
        "indicator_titles": {i.id: i.title for i in indicators},
        "result_counts": _result_counts(indicators),
        "groups": groups,
        "group_anchor": {g.indicator.id: g.anchor for g in groups if g.indicator is not None},
        "finding_total": len(findings),
        "severity_counts": severity_counts,
        "checks": [{"id": cid, "check": chk} for cid, chk in result.checks.items()],
        "details": _check_views(result, shot_anchors),
        "shot_anchors": shot_anchors,
        "evidence_shown": EVIDENCE_SHOWN,
        "link_charts": _link_charts(result),
        "screenshots": screenshots,
        "skipped_assets": skipped_assets,
        "options_json": json.dumps(result.options, ensure_ascii=False, indent=2, sort_keys=True, default=str),
    }
    return _template().render(**ctx)


@cache
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("govaudit.report", "templates"),
        autoescape=True,  # every file, whatever its name: nothing from a site reaches the page raw
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.filters["num"] = fmt_number
    env.filters["evidence"] = _evidence_text
    env.filters["metric"] = _metric_text
    env.filters["anchor"] = _anchor
    env.filters["when"] = _when
    return env.get_template("report.html.j2")


def _when(stamp: str) -> str:
    """An ISO timestamp for people: "2026-11-22 09:00:38 +08:00" (unreadable text is shown as is)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if moment.utcoffset() is not None:
        off = moment.strftime("%z")
        text += f" {off[:3]}:{off[3:5]}" if off not in ("+0000", "-0000") else " UTC"
    return text


def _anchor(text: str) -> str:
    """An HTML id from an indicator or check id (profile data, but kept to a safe alphabet)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in text)


def _groups(indicators: list[IndicatorResult],
            by_id: dict[str, ReportFinding]) -> tuple[list[FindingGroup], set[str]]:
    groups, cited = [], set()
    for ind in indicators:
        rows = [by_id[fid] for fid in dict.fromkeys(ind.findings) if fid in by_id]
        if not rows:
            continue
        cited.update(rf.id for rf in rows)
        sub = ind.kind + (f" · {fmt_number(ind.points)} points" if ind.points else "")
        groups.append(FindingGroup("ind-" + _anchor(ind.id), f"{ind.id} — {ind.title}", sub,
                                   rows[:MAX_FINDINGS_PER_GROUP], len(rows), ind))
    return groups, cited


def _result_counts(indicators: list[IndicatorResult]) -> dict[str, int]:
    out: dict[str, int] = {}
    for ind in indicators:
        out[ind.result] = out.get(ind.result, 0) + 1
    return out


def _link_charts(result: AuditResult) -> list[charts.BarChart]:
    """Broken links by status and by element, from any check whose metrics carry them."""
    out = []
    for cid, chk in result.checks.items():
        by_status = chk.metrics.get("by_status")
        if isinstance(by_status, dict) and by_status:
            items = [(str(k), float(v)) for k, v in by_status.items() if _is_num(v)]
            out.append(charts.bar_chart(f"{cid}: broken links by status", items,
                                        colours=charts.status_colours([k for k, _ in items])))
        by_element = chk.metrics.get("by_element")
        if isinstance(by_element, dict) and by_element:
            items = [(f"<{k}>", float(v)) for k, v in by_element.items() if _is_num(v)]
            out.append(charts.bar_chart(f"{cid}: broken links by element", items))
    return out


def _is_num(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_views(result: AuditResult, shots: dict[str, str]) -> list[CheckView]:
    """Per check: charts drawn from its data (HTML only), then the display blocks shared with Markdown."""
    views = {d.id: CheckView(d.id, d.title, d.blocks) for d in check_data(result, shots)}
    for cid, chk in result.checks.items():
        cols = chk.data.get("columns")
        if isinstance(cols, list) and cols and cid in views:
            chart = charts.freshness_chart(f"{cid}: age of newest item per column", cols)
            if chart is not None:
                views[cid].charts.append(chart)
        boards = chk.data.get("boards")
        if isinstance(boards, list) and boards and cid in views:
            rows = [b for b in boards if isinstance(b, dict)]
            delays = [d for b in rows if isinstance(b.get("delays_days"), list) for d in b["delays_days"]]
            hist = charts.histogram(f"{cid}: reply delays ({len(rows)} boards)", delays, _reply_limit(chk, rows))
            if hist is not None:
                views[cid].histograms.append(hist)
    return list(views.values())


def _reply_limit(chk: CheckResult, boards: list[dict[str, Any]]) -> float | None:
    for source in (chk.data, chk.metrics, *boards):
        for key in _LIMIT_KEYS:
            if _is_num(source.get(key)):
                return float(source[key])
    return None


def _screenshots(assets: dict[str, bytes]) -> tuple[list[Screenshot], list[str]]:
    shots, skipped = [], []
    for name, blob in sorted(assets.items()):
        mime = next((m for magic, m in _IMAGE_MAGIC.items() if blob[: len(magic)] == magic), None)
        if mime is None:
            skipped.append(name)  # not an image we can vouch for: never embedded
            continue
        page = name.split(":", 1)[1] if name.startswith("screenshot:") else name
        shots.append(Screenshot(name, page, f"data:{mime};base64,{base64.b64encode(blob).decode('ascii')}",
                                f"shot-{len(shots) + 1}"))
    return shots, skipped


def _evidence_text(evidence: dict[str, Any], limit: int = 300) -> list[tuple[str, str]]:
    """Evidence as short (key, text) pairs for a table cell; empty values say nothing and are left out."""
    out = []
    for key, value in evidence.items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            shown = [fmt_number(v) if not isinstance(v, str) else v for v in value[:MAX_EVIDENCE_ITEMS]]
            text = ", ".join(shown) + (f" … ({len(value)} in all)" if len(value) > MAX_EVIDENCE_ITEMS else "")
        elif isinstance(value, (bool, int, float)):
            text = fmt_number(value) if not isinstance(value, bool) else ("true" if value else "false")
        else:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        out.append((str(key), text if len(text) <= limit else text[:limit] + "…"))
    return out


def _metric_text(value: Any) -> str:
    """A metric value as text; nested counts as "k: v" pairs."""
    if value is None:
        return "–"
    if isinstance(value, (bool, int, float)):
        return fmt_number(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_metric_text(v)}" for k, v in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(_metric_text(v) for v in value[:8]) + (f" … ({len(value)} values)" if len(value) > 8 else "")
    return str(value)
