"""Exports a unit can act on: its 问题清单 (one row per problem: site, indicator, finding, page,
evidence link) as CSV and XLSX, and dashboard.json with every unit's roll-up and trend.

The evidence link is the finding's place in the site's own report, relative to the survey folder
(`sites/<site>/report.html#f-3`). Spreadsheet cells that would start a formula are quoted.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from govaudit.model import Finding
from govaudit.profiles import Profile
from govaudit.store import Store
from govaudit.survey.org import unit_slug

ISSUE_COLUMNS = ["unit", "site", "url", "level", "indicator", "title", "kind", "result", "finding", "severity",
                 "page", "target", "evidence"]
FINDINGS_PER_INDICATOR = 20  # more are counted in one row pointing at the report


def export_name(path: tuple[str, ...]) -> str:
    """The 问题清单 of a unit, without extension (the root's is issues.csv / issues.xlsx)."""
    return unit_slug(path).removesuffix(".html") + "-issues" if path else "issues"


def site_issues(store: Store, survey_id: str, profile: Profile, rows: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    """url -> its 问题清单 rows: each failing indicator with the findings it points at (or one row
    for an indicator judged on a number), and one row for a site that could not be audited."""
    findings: dict[str, list[dict[str, Any]]] = {}
    for f in store.survey_findings(survey_id):
        findings.setdefault(f["url"], []).append(f)
    specs = {s.id: s for s in profile.indicators}
    out: dict[str, list[list[Any]]] = {}
    for r in rows:
        base = [r["unit"], r["name"] or r["title"] or r["url"], r["url"], r["level"]]
        lines: list[list[Any]] = []
        if r["status"] == "failed":
            lines.append(base + ["", "could not be audited", "", "error", r["error"] or "", "error", r["url"], "", ""])
        for ind, res in r["indicators"].items():
            if res != "fail":
                continue
            spec = specs.get(ind)
            title, kind = (spec.title, spec.kind) if spec else (ind, "")
            hits = []
            if spec is not None and spec.findings is not None:
                sel = spec.findings
                for f in findings.get(r["url"], []):
                    if f["check"] != sel.check:
                        continue
                    probe = Finding(rule=f["rule"], page=f["page"], message=f["message"], severity=f["severity"],
                                    target=f["target"], evidence=f["evidence"] if isinstance(f["evidence"], dict) else {})
                    if sel.matches(probe):
                        hits.append(f)
            link = r["report"] or ""
            for f in hits[:FINDINGS_PER_INDICATOR]:
                lines.append(base + [ind, title, kind, res, f["message"], f["severity"], f["page"], f["target"] or "",
                                     f"{link}#{f['id']}" if link and f["id"] else link])
            if len(hits) > FINDINGS_PER_INDICATOR:
                lines.append(base + [ind, title, kind, res, f"… and {len(hits) - FINDINGS_PER_INDICATOR} more findings "
                                     "in the site's report", "", r["url"], "", link])
            if not hits:
                lines.append(base + [ind, title, kind, res, "", "", r["url"], "", link])
        out[r["url"]] = lines
    return out


def _cell(value: Any) -> Any:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def issues_csv(lines: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(ISSUE_COLUMNS)
    writer.writerows([_cell(c) for c in line] for line in lines)
    return ("\ufeff" + buf.getvalue()).encode("utf-8", "replace")


def issues_xlsx(lines: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问题清单")
    ws.append([f"问题清单 {title}"])
    ws.append(ISSUE_COLUMNS)
    for line in lines:
        ws.append([_cell(c) for c in line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def unit_exports(ov: dict[str, Any], issues: dict[str, list[list[Any]]]) -> dict[str, bytes]:
    """name -> bytes: every unit's 问题清单 as .csv and .xlsx."""
    out: dict[str, bytes] = {}
    for path, unit in ov["units"].items():
        lines = [line for r in unit.rows for line in issues.get(r["url"], [])]
        name = export_name(path)
        # Both for every unit, down to a county: the unit that acts on the list opens the .xlsx
        # (openpyxl's write-only workbook costs ~5 ms a file: 15 s for 3,000 units).
        out[f"{name}.csv"] = issues_csv(lines)
        out[f"{name}.xlsx"] = issues_xlsx(lines, unit.label)
    return out


def dashboard(doc: dict[str, Any], ov: dict[str, Any]) -> dict[str, Any]:
    """dashboard.json: units with their roll-ups and trends, sites with health and trends."""
    return {
        "schema": "govaudit.survey-dashboard/1",
        "survey": doc["survey"], "profile": doc["profile"],
        "health": ov["spec"].describe(),
        "rounds": [{"id": r, "as_of": ov["round_dates"].get(r)} for r in ov["rounds"]],
        "units": [{"path": list(path), "label": u.label, "depth": len(path), "page": unit_slug(path),
                   "issues": export_name(path) + ".csv", "issues_xlsx": export_name(path) + ".xlsx", "children": ["/".join(c) for c in u.children],
                   **u.stats, "trend": {k: ov["unit_trends"][path][k] for k in ("mean", "pass_share", "health")}}
                  for path, u in sorted(ov["units"].items())],
        "sites": [{"url": r["url"], "name": r["name"], "unit": r["unit"], "level": r["level"],
                   "parent_site": r.get("parent_site", ""), "status": r["status"], "score": r["score"],
                   "grade": r["grade"], "passed": r["passed"], "vetoes": r["vetoes"], "health": r["health"],
                   "availability": r["availability"], "days": r["days"], "trend": r["trend"], "report": r["report"]}
                  for r in doc["sites"]],
    }
