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
from govaudit.report.grading import counted, failed_pages, grade_statement, not_measured_reason, read_checks
from govaudit.report.view import (
    FindingGroup,
    ReportFinding,
    display_message,
    finding_groups,
    fmt_number,
    home_indicator,
    plural,
    report_findings,
    safe_href,
)

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
MAX_GROUP_PAGES_SHOWN = 50  # pages listed with a grouped finding; report.json's finding_groups has them all
BROWSER_WIDTH = 1280  # CSS px of the checks' browser viewport (govaudit.browser.session.VIEWPORT)
MAX_MEMBER_ANCHORS = 200  # ids of a group's further findings kept as anchors (links from other sections)
MAX_EVIDENCE_ITEMS = 5  # list values in a finding's evidence (pages, selectors): the rest are in report.json
# Keys a check may use for the reply limit of its message boards (days).
_LIMIT_KEYS = ("limit_days", "reply_limit_days", "overdue_days")


@dataclass(slots=True)
class GroupRow:
    """One row of a findings table: the findings of one problem (a target or a template shared by
    several pages) shown in this section, with the pages they were seen on."""

    group: FindingGroup
    members: list[ReportFinding]

    @property
    def first(self) -> ReportFinding:
        return self.members[0]

    @property
    def pages(self) -> list[str]:
        return list(dict.fromkeys(rf.finding.page for rf in self.members))


@dataclass(slots=True)
class Section:
    """The findings under one indicator (or "Other findings"), each shown once: a finding cited by
    several indicators sits under the first that failed and is named from the others."""

    anchor: str
    title: str
    subtitle: str
    rows: list[GroupRow]
    total: int  # findings this indicator cites
    indicator: IndicatorResult | None = None
    elsewhere: list[tuple[str, list[str]]] = field(default_factory=list)  # (indicator id, finding ids) shown there
    quiet: bool = False  # the indicator did not fail: its findings are within the limit, not red errors

    @property
    def shown(self) -> int:
        """Findings in the rows kept (the rest are in report.json)."""
        return sum(len(r.members) for r in self.rows)

    @property
    def hidden(self) -> int:
        """Findings of this section neither in its rows nor shown under another indicator."""
        return self.total - self.shown - sum(len(fids) for _, fids in self.elsewhere)


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
    reads = read_checks(result)
    sections = _sections(indicators, findings, reads)
    shown = counted(findings, reads)  # after a rescore, the header counts what the new profile reads
    severity_counts = {s: sum(1 for rf in shown if rf.finding.severity == s) for s in ("error", "warning", "info")}
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
        "groups": sections,
        "group_anchor": {g.indicator.id: g.anchor for g in sections if g.indicator is not None},
        "finding_total": len(shown),
        "finding_all": len(findings),
        "stated": grade_statement(result),
        "reads": reads,
        "not_measured_reason": not_measured_reason,
        "failed_pages": failed_pages(result, findings),
        "max_group_pages": MAX_GROUP_PAGES_SHOWN,
        "max_member_anchors": MAX_MEMBER_ANCHORS,
        "shot_notes": _shot_notes(findings, assets or {}),
        "severity_counts": severity_counts,
        "checks": [{"id": cid, "check": chk} for cid, chk in result.checks.items()],
        "details": _check_views(result, shot_anchors),
        "shot_anchors": shot_anchors,
        "message": display_message,
        "plural": plural,
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


def _sections(indicators: list[IndicatorResult], findings: list[ReportFinding],
              reads: set[str] | None) -> list[Section]:
    by_id = {rf.id: rf for rf in findings}
    results = {i.id: i.result for i in indicators}
    home = {rf.id: home_indicator(rf, results) for rf in findings}
    sections: list[Section] = []
    cited: set[str] = set()
    for ind in indicators:
        rows = [by_id[fid] for fid in dict.fromkeys(ind.findings) if fid in by_id]
        if not rows:
            continue
        cited.update(rf.id for rf in rows)
        mine = [rf for rf in rows if home[rf.id] == ind.id]
        elsewhere: dict[str, list[str]] = {}
        for rf in rows:
            other = home[rf.id]
            if other is not None and other != ind.id:
                elsewhere.setdefault(other, []).append(rf.id)
        sub = ind.kind + (f" · {fmt_number(ind.points)} points" if ind.points else "")
        sections.append(Section("ind-" + _anchor(ind.id), f"{ind.id} — {ind.title}", sub, _rows(mine), len(rows),
                                ind, list(elsewhere.items()), ind.result in ("pass", "partial", "not_applicable")))
    other = [rf for rf in findings if rf.id not in cited]
    unread = [rf for rf in other if reads is not None and rf.check not in reads]
    unread_ids = {rf.id for rf in unread}
    read = [rf for rf in other if rf.id not in unread_ids]
    if read:
        sections.append(Section("other-findings", "Other findings", "Not cited by any indicator of the profile",
                                _rows(read), len(read)))
    if unread:
        sections.append(Section("unread-findings", "Findings of checks this profile does not read",
                                "Kept from the run; not counted above and not scored", _rows(unread), len(unread),
                                quiet=True))
    return sections


def _rows(findings: list[ReportFinding]) -> list[GroupRow]:
    return [GroupRow(g, g.members) for g in finding_groups(findings)][:MAX_FINDINGS_PER_GROUP]


def _shot_notes(findings: list[ReportFinding],
                assets: dict[str, bytes]) -> dict[str, list[tuple[str, str, list[float] | None]]]:
    """Per screenshot asset: the (rule, selector, box) of findings that point at an element of its
    page, for the caption and the mark; `box` is [x, y, w, h] as fractions of the image when the
    evidence says where the element is."""
    out: dict[str, list[tuple[str, str, list[float] | None]]] = {}
    for rf in findings:
        ev = rf.finding.evidence if isinstance(rf.finding.evidence, dict) else {}
        name = ev.get("screenshot") if isinstance(ev.get("screenshot"), str) else f"screenshot:{rf.finding.page}"
        selector = ev.get("selector") if isinstance(ev.get("selector"), str) else ""
        if not selector and not isinstance(ev.get("screenshot"), str):
            continue  # nothing on the image to point at (a broken link's target, say)
        notes = out.setdefault(name, [])
        if len(notes) < 8 and (rf.finding.rule, selector) not in {(r, s) for r, s, _ in notes}:
            notes.append((rf.finding.rule, selector, _box(ev, _png_size(assets.get(name, b"")))))
    return out


def _png_size(blob: bytes) -> tuple[int, int] | None:
    """A PNG's width and height from its IHDR chunk, or None."""
    if blob[:8] != b"\x89PNG\r\n\x1a\n" or len(blob) < 24 or blob[12:16] != b"IHDR":
        return None
    w, h = int.from_bytes(blob[16:20], "big"), int.from_bytes(blob[20:24], "big")
    return (w, h) if w > 0 and h > 0 else None


def _box(ev: dict[str, Any], image: tuple[int, int] | None) -> list[float] | None:
    """Where the offending element is, as fractions [x, y, w, h] of the screenshot: evidence
    `box_frac` (fractions already); or `box` (or the first of `popups`' boxes) in CSS px, with the
    page's `viewport` [width, height], else the browser's viewport width and the image's shape (the
    checks take full-page screenshots, scaled, of pages as wide as the viewport)."""
    frac = ev.get("box_frac")
    if _is_box(frac):
        return [min(1.0, max(0.0, float(v))) for v in frac]
    box = ev.get("box")
    pops = ev.get("popups")
    if not _is_box(box) and isinstance(pops, list) and pops and isinstance(pops[0], dict):
        box = pops[0].get("box")
    if not _is_box(box):
        return None
    view = ev.get("viewport")
    if isinstance(view, list) and len(view) == 2 and all(_is_num(v) and v > 0 for v in view):
        w, h = float(view[0]), float(view[1])
    elif image is not None:
        w = float(BROWSER_WIDTH)
        h = w * image[1] / image[0]  # the page's height in CSS px, from the scaled image's shape
    else:
        return None
    x, y, bw, bh = (float(v) for v in box)
    return [min(1.0, max(0.0, v)) for v in (x / w, y / h, bw / w, bh / h)]


def _is_box(value: object) -> bool:
    return isinstance(value, list) and len(value) == 4 and all(_is_num(v) for v in value)


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
            hist = charts.histogram(f"{cid}: reply delays ({plural(len(rows), 'board')})", delays, _reply_limit(chk, rows))
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
