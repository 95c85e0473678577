"""Survey outputs: one row per site in survey.csv / survey.json, survey.html and per-site reports
(the operator's view is in pages.py and exports.py; survey-diff in diff.py).

Rows are built from the per-site summaries kept in the store, so a 14,000-site report never loads
the full results. Everything that came from a site or from the input list (names, titles, URLs,
error texts) is escaped in the HTML by Jinja's autoescaping.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from govaudit import __version__
from govaudit.errors import StoreError, UsageError
from govaudit.model import AuditResult
from govaudit.profiles import load_profile
from govaudit.report import write_reports
from govaudit.store import Store, SurveySite

SCHEMA = "govaudit.survey/1"
SITE_FORMATS = ["json", "html"]
BASE_COLUMNS = ["rank", "url", "name", "region", "level", "site_id_code", "status", "score", "grade", "passed",
                "vetoes", "pages", "error", "run_id", "report", "unit", "parent_site", "health"]
_VIEW_ONLY = ("spark_score", "spark_avail", "days", "anchor")  # drawn on the pages, not part of survey.json
_MARKER = ".run"  # in a site's report folder: the run its reports were written from


def _write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target and rename over it: a reader never sees half a survey.json."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


# ---- per-site reports ------------------------------------------------------------------------


def site_dir_name(url: str) -> str:
    """A stable folder name for a site: host, port and path made safe, with a short hash so two
    sites never share one."""
    rest = url.split("://", 1)[-1]
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", rest).strip("_.")[:80] or "site"
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:6]}"


def write_site_reports(out_dir: Path, url: str, result: AuditResult, formats: list[str] | None = None,
                       evidence: dict[str, bytes] | None = None) -> Path:
    """A site's reports, with its evidence files (screenshots) from the store when given."""
    folder = Path(out_dir) / "sites" / site_dir_name(url)
    write_reports(result, folder, formats or SITE_FORMATS, evidence)
    _write_atomic(folder / _MARKER, result.run_id.encode("utf-8"))
    return folder


def try_site_reports(out_dir: Path, url: str, result: AuditResult, formats: list[str] | None = None,
                     evidence: dict[str, bytes] | None = None) -> str | None:
    """Write a site's reports; a failure is returned as one line (the survey goes on), not raised.
    A full disk (StoreError) is raised: nothing more could be written."""
    try:
        write_site_reports(out_dir, url, result, formats, evidence)
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - one site's report must not end a 14,000-site survey
        return f"could not write the reports of {url}: {type(exc).__name__}: {str(exc)[:300]}"
    return None


def write_missing_site_reports(store: Store, survey_id: str, out_dir: Path, formats: list[str] | None = None,
                               warn: Callable[[str], None] | None = None, seconds: float | None = None,
                               seen: set[str] | None = None) -> int:
    """Write the reports of done sites that have none yet (or older ones); returns how many.

    `seconds` bounds the time spent (a waiting coordinator writes a few between two polls);
    `seen` remembers the sites already looked at across calls."""
    deadline = None if seconds is None else time.monotonic() + seconds
    written = 0
    for site in store.survey_sites(survey_id):
        if site.status != "done" or not site.run_id or (seen is not None and site.url in seen):
            continue
        if deadline is not None and time.monotonic() > deadline:
            break
        if not _has_reports(out_dir, site.url, site.run_id):
            problem = try_site_reports(out_dir, site.url, store.load_result(site.run_id), formats,
                                       store.evidence(site.run_id))
            if problem and warn:
                warn(problem)
            written += 1
        if seen is not None:
            seen.add(site.url)
    return written


def _has_reports(out_dir: Path, url: str, run_id: str) -> bool:
    try:
        return (Path(out_dir) / "sites" / site_dir_name(url) / _MARKER).read_text(encoding="utf-8") == run_id
    except OSError:
        return False


# ---- rows ------------------------------------------------------------------------------------


def survey_document(store: Store, survey_id: str) -> dict[str, Any]:
    """survey.json: the survey, its profile's indicators, and one row per site ranked by score."""
    stored = store.survey(survey_id)
    if stored is None:
        raise UsageError(f"unknown survey id {survey_id!r} in the store {store.where}")
    profile = load_profile(str(stored.get("profile", "cn-gov-2019")))
    sites = store.survey_sites(survey_id)
    rows = [_row(s) for s in sites]
    ranked = sorted(rows, key=lambda r: (r["score"] is None, -(r["score"] or 0.0), r["_pos"]))
    rank = 0
    for n, row in enumerate(ranked, 1):
        if row["score"] is not None:
            rank = n if n == 1 or row["score"] != ranked[n - 2]["score"] else rank
            row["rank"] = rank
        row.pop("_pos")
    counts = Counter(s.status for s in sites)
    return {
        "schema": SCHEMA,
        "tool": {"name": "govaudit", "version": __version__},
        "survey": {"id": survey_id, "created_at": stored.get("created_at"), "as_of": stored.get("as_of"),
                   "source": stored.get("source", ""), "generated_at": datetime.now().astimezone().isoformat(
                       timespec="seconds")},
        "profile": {"id": profile.id, "title": profile.title, "pass_mark": profile.grading.pass_mark},
        "counts": {"sites": len(sites), **{k: counts.get(k, 0) for k in ("done", "failed", "pending", "running")}},
        "indicators": [{"id": i.id, "title": i.title, "kind": i.kind, "group": i.group} for i in profile.indicators],
        "sites": ranked,
    }


def _row(site: SurveySite) -> dict[str, Any]:
    info = site.info
    summary = site.summary or {}
    return {
        "rank": None, "url": site.url, "name": info.get("name", ""), "region": info.get("region", ""),
        "level": info.get("level", ""), "site_id_code": info.get("site_id_code", ""), "status": site.status,
        "score": summary.get("score"), "grade": summary.get("grade"), "passed": summary.get("passed"),
        "vetoes": list(summary.get("vetoes", [])), "pages": summary.get("pages"), "error": site.error,
        "run_id": site.run_id if site.status in ("done", "failed") else None,
        "report": f"sites/{site_dir_name(site.url)}/report.html" if site.status == "done" else None,
        "title": summary.get("title", ""),
        "metrics": dict(summary.get("metrics", {})),
        "indicators": {k: v[0] if isinstance(v, list) else v for k, v in summary.get("indicators", {}).items()},
        "extra": dict(info.get("extra", {})),
        "org_path": info.get("org_path", ""), "parent_site": info.get("parent_site", ""),
        "_pos": site.pos,
    }


def survey_csv(doc: dict[str, Any]) -> str:
    """One row per site: the base columns, then every metric seen, then one column per indicator."""
    metric_names = sorted({m for r in doc["sites"] for m in r["metrics"]})
    indicator_ids = [i["id"] for i in doc["indicators"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BASE_COLUMNS + metric_names + indicator_ids)
    for r in doc["sites"]:
        base = [" ".join(r["vetoes"]) if c == "vetoes" else _cell(_health(r)) if c == "health" else _cell(r.get(c))
                for c in BASE_COLUMNS]
        writer.writerow(base + [_cell(r["metrics"].get(m)) for m in metric_names]
                        + [_cell(r["indicators"].get(i)) for i in indicator_ids])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8 (Chinese names) as such


def _health(row: dict[str, Any]) -> Any:
    health = row.get("health")
    return health.get("value") if isinstance(health, dict) else health


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet; site text must never run as one.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ---- HTML ------------------------------------------------------------------------------------


def survey_view(doc: dict[str, Any]) -> dict[str, Any]:
    """Everything survey.html shows, computed here so the template only lays it out."""
    sites = doc["sites"]
    audited = [r for r in sites if r["score"] is not None]
    titles = {i["id"]: i for i in doc["indicators"]}
    fails: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for r in audited:
        for ind, res in r["indicators"].items():
            if res == "fail":
                fails[ind] += 1
            elif res == "error":
                errors[ind] += 1
    failing = [{"id": i, "title": titles.get(i, {}).get("title", i), "kind": titles.get(i, {}).get("kind", ""),
                "fails": n, "share": n / len(audited) if audited else 0.0, "errors": errors.get(i, 0)}
               for i, n in fails.most_common(15)]
    return {
        "doc": doc,
        "audited": len(audited),
        "mean": round(sum(r["score"] for r in audited) / len(audited), 1) if audited else None,
        "passed": sum(1 for r in audited if r["passed"]),
        "vetoed": sum(1 for r in audited if r["vetoes"]),
        "histogram": _histogram([r["score"] for r in audited], doc["profile"].get("pass_mark", 60.0)),
        "failing": failing,
        "fail_max": max((f["fails"] for f in failing), default=1),
        "regions": _breakdown(sites, "region"),
        "levels": _breakdown(sites, "level"),
        "unfinished": [r for r in sites if r["status"] in ("failed", "pending", "running")],
    }


def _histogram(scores: list[float], pass_mark: float, width: int = 640, height: int = 200) -> dict[str, Any]:
    """Ten-point bins from 0 to 100 (a score of exactly 100 counts in the top bin); bins at or
    above the profile's pass mark are drawn green (a veto can still fail a site in them)."""
    counts = [0] * 10
    for s in scores:
        if isinstance(s, (int, float)) and math.isfinite(s):
            counts[min(max(int(s // 10), 0), 9)] += 1
    peak = max(counts) or 1
    left, bottom, top = 40, height - 30, 10
    bar_w = (width - left - 10) / 10
    bars = []
    for i, n in enumerate(counts):
        h = (bottom - top) * n / peak
        bars.append({"x": round(left + i * bar_w + 2, 1), "y": round(bottom - h, 1), "w": round(bar_w - 4, 1),
                     "h": round(h, 1), "n": n, "label": f"{i * 10}–{i * 10 + 9 if i < 9 else 100}",
                     "pass": i * 10 >= pass_mark})
    return {"bars": bars, "width": width, "height": height, "bottom": bottom, "left": left, "peak": peak,
            "total": sum(counts)}


def _breakdown(sites: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in sites:
        groups[r.get(key) or "(none)"].append(r)
    out = []
    for name, rows in groups.items():
        audited = [r for r in rows if r["score"] is not None]
        out.append({"name": name, "sites": len(rows), "audited": len(audited),
                    "failed": sum(1 for r in rows if r["status"] == "failed"),
                    "mean": round(sum(r["score"] for r in audited) / len(audited), 1) if audited else None,
                    "passed": sum(1 for r in audited if r["passed"]),
                    "vetoed": sum(1 for r in audited if r["vetoes"])})
    return sorted(out, key=lambda g: (-g["sites"], g["name"]))


BASE_STYLE = """body{font:14px/1.5 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:1100px;
padding:16px;color:#1d2939}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #eaecf0}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid #eaecf0;padding:4px 6px;
text-align:left;vertical-align:top}th{background:#f9fafb}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.fail{color:#b42318}.pass{color:#1b7f3b}.muted{color:#667085}.bar{fill:#1f4e79}.bar.pass{fill:#1b7f3b}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #eaecf0;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:20px}.hbar{background:#b42318;height:10px;display:inline-block}
"""

HTML_TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Survey {{ doc.survey.id }} — {{ doc.profile.title }}</title>
<style>{{ base_style | safe }}{{ style | safe }}</style></head><body>
<h1>Survey {{ doc.survey.id }}</h1>
<p class="muted">{{ doc.profile.title }} ({{ doc.profile.id }}) · as of {{ doc.survey.as_of }} ·
source {{ doc.survey.source or "-" }} · generated {{ doc.survey.generated_at }} · govaudit {{ doc.tool.version }}</p>
<div class="cards">
<div class="card"><b>{{ doc.counts.sites }}</b>sites</div>
<div class="card"><b>{{ audited }}</b>audited</div>
<div class="card"><b>{{ doc.counts.failed }}</b>could not be audited</div>
<div class="card"><b>{{ passed }}</b>passed</div>
<div class="card"><b>{{ vetoed }}</b>with a veto</div>
<div class="card"><b>{{ mean if mean is not none else "-" }}</b>mean score</div>
{% if doc.counts.pending or doc.counts.running %}<div class="card"><b>{{ doc.counts.pending + doc.counts.running }}</b>
not finished yet</div>{% endif %}
</div>

<h2>Score distribution</h2>
<p class="muted">Green: at or above the pass mark ({{ doc.profile.pass_mark }}); a veto still fails a site there.</p>
{% if histogram.total %}
<svg width="{{ histogram.width }}" height="{{ histogram.height }}" role="img"
 aria-label="Histogram of {{ histogram.total }} scores in ten-point bins">
{% for b in histogram.bars %}<g><title>{{ b.label }}: {{ b.n }}</title>
<rect class="bar{{ ' pass' if b.pass else '' }}" x="{{ b.x }}" y="{{ b.y }}" width="{{ b.w }}" height="{{ b.h }}"/>
<text x="{{ b.x + b.w / 2 }}" y="{{ histogram.bottom + 14 }}" font-size="10" text-anchor="middle">{{ b.label }}</text>
{% if b.n %}<text x="{{ b.x + b.w / 2 }}" y="{{ b.y - 2 }}" font-size="10" text-anchor="middle">{{ b.n }}</text>{% endif %}
</g>{% endfor %}
<line x1="{{ histogram.left }}" x2="{{ histogram.width - 10 }}" y1="{{ histogram.bottom }}" y2="{{ histogram.bottom }}"
 stroke="#667085"/>
</svg>
{% else %}<p class="muted">No site has a score yet.</p>{% endif %}

<h2>Indicators failing most</h2>
{% if failing %}<table><tr><th>indicator</th><th>kind</th><th class="n">sites failing</th><th></th>
<th class="n">could not be judged</th></tr>
{% for f in failing %}<tr><td>{{ f.title }}<br><span class="muted">{{ f.id }}</span></td><td>{{ f.kind }}</td>
<td class="n">{{ f.fails }} ({{ "%.0f" | format(f.share * 100) }}%)</td>
<td><span class="hbar" style="width:{{ (200 * f.fails / fail_max) | round(1) }}px"></span></td>
<td class="n">{{ f.errors }}</td></tr>{% endfor %}</table>
{% else %}<p class="muted">No indicator failed.</p>{% endif %}

{% for title, groups in (("By region", regions), ("By level", levels)) %}
<h2>{{ title }}</h2>
<table><tr><th>{{ title[3:] }}</th><th class="n">sites</th><th class="n">audited</th><th class="n">not auditable</th>
<th class="n">mean score</th><th class="n">passed</th><th class="n">vetoed</th></tr>
{% for g in groups %}<tr><td>{{ g.name }}</td><td class="n">{{ g.sites }}</td><td class="n">{{ g.audited }}</td>
<td class="n">{{ g.failed }}</td><td class="n">{{ g.mean if g.mean is not none else "-" }}</td>
<td class="n">{{ g.passed }}</td><td class="n">{{ g.vetoed }}</td></tr>{% endfor %}
</table>{% endfor %}

{% if ov %}{% include "operator" %}{% endif %}

<h2>Ranking</h2>
{% import "macros" as m %}
<table class="sites"><tr><th class="n">#</th><th>site</th><th>{{ "unit" if ov else "region" }}</th><th>level</th>
<th class="n">score</th><th>grade</th>{% if ov %}<th class="n">健康指数 (not official)</th><th>score over rounds</th>
<th class="n">availability {{ days }} d</th><th>per day</th>{% endif %}<th>vetoes</th></tr>
{% for r in doc.sites if r.score is not none %}<tr{% if ov %} id="site-{{ r.anchor }}"{% endif %}><td class="n">{{ r.rank }}</td>
<td><a href="{{ r.report }}">{{ r.name or r.title or r.url }}</a><br><span class="muted">{{ r.url }}</span></td>
<td>{{ r.unit if ov else r.region }}</td><td>{{ r.level }}</td><td class="n">{{ r.score }}</td>
<td class="{{ 'pass' if r.passed else 'fail' }}">{{ r.grade }}</td>{% if ov %}<td class="n">{{ num(r.health.value) }}</td>
<td>{{ m.spark(r.spark_score) }}</td><td class="n">{{ num(r.availability) }}</td><td>{{ m.spark(r.spark_avail, "avail") }}</td>
{% endif %}<td>{{ r.vetoes | join(", ") }}</td></tr>
{% endfor %}</table>

{% if unfinished %}<h2>Not audited</h2>
<table><tr><th>site</th><th>status</th><th>why</th>{% if ov %}<th class="n">availability {{ days }} d</th><th>per day</th>{% endif %}</tr>
{% for r in unfinished %}<tr{% if ov %} id="site-{{ r.anchor }}"{% endif %}><td>{{ r.name or r.url }}<br><span class="muted">{{ r.url }}</span></td>
<td>{{ r.status }}</td><td>{{ r.error or "" }}</td>{% if ov %}<td class="n">{{ num(r.availability) }}</td>
<td>{{ m.spark(r.spark_avail, "avail") }}</td>{% endif %}</tr>{% endfor %}</table>{% endif %}
</body></html>
"""


def survey_html(doc: dict[str, Any], ov: dict[str, Any] | None = None) -> str:
    """survey.html; with `ov` (pages.operator_view) it carries the units, health and trends too."""
    from govaudit.survey.pages import environment

    return environment().get_template("survey").render(**survey_view(doc), ov=ov, base_style=BASE_STYLE)


# ---- writing -------------------------------------------------------------------------------


def write_survey(store: Store, survey_id: str, out_dir: Path, site_formats: list[str] | None = None,
                 warn: Callable[[str], None] | None = None) -> list[Path]:
    """Write survey.json, survey.csv and survey.html, and any per-site report not written yet
    (sites audited by workers elsewhere, or by a run killed before it wrote them). A site whose
    report cannot be rendered is named through `warn`; the survey report is still written."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from None
    write_missing_site_reports(store, survey_id, out_dir, site_formats, warn)
    from govaudit.survey.exports import dashboard, site_issues, unit_exports
    from govaudit.survey.pages import operator_view, unit_pages

    doc = survey_document(store, survey_id)
    ov = operator_view(store, doc)
    plain = {**doc, "sites": [{k: v for k, v in r.items() if k not in _VIEW_ONLY} for r in doc["sites"]]}
    texts = {
        "survey.json": json.dumps(plain, ensure_ascii=False, indent=1, allow_nan=False) + "\n",
        "survey.csv": survey_csv(doc),
        "survey.html": survey_html(doc, ov),
        "dashboard.json": json.dumps(dashboard(doc, ov), ensure_ascii=False, allow_nan=False) + "\n",
        **unit_pages(doc, ov, BASE_STYLE),
    }
    issues = site_issues(store, survey_id, load_profile(str((store.survey(survey_id) or {}).get("profile", "cn-gov-2019"))), doc["sites"])
    files = {name: text.encode("utf-8", "replace") for name, text in texts.items()}
    files.update(unit_exports(ov, issues))
    (out_dir / "units").mkdir(exist_ok=True)
    paths = []
    for name, data in files.items():
        _write_atomic(out_dir / name, data)
        if "/" not in name:
            paths.append(out_dir / name)
    return paths
