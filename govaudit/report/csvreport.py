"""Findings as CSV, one row per finding, for inspectors' spreadsheets; `group` and `group_pages`
name the problem a row belongs to (one broken footer link on every page: one group, many rows), so
a spreadsheet can count problems as well as occurrences.

Cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR at the start) get a leading
apostrophe: site text must never run as a formula in the inspector's Excel.
"""

from __future__ import annotations

import csv
import io
import json

from govaudit.model import AuditResult
from govaudit.report.view import finding_groups, report_findings

COLUMNS = ("id", "check", "rule", "severity", "page", "target", "status", "element", "message",
           "indicators", "evidence", "group", "group_pages")  # group: report.json's finding_groups id
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_findings_csv(result: AuditResult) -> str:
    """CSV text (RFC 4180, CRLF line ends) with a header row; write it as UTF-8 with a BOM so
    Excel reads Chinese text correctly (write_reports does)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    findings = report_findings(result)
    groups = {rf.id: g for g in finding_groups(findings) for rf in g.members}
    for rf in findings:
        f = rf.finding
        g = groups[rf.id]
        row = (rf.id, rf.check, f.rule, f.severity, f.page, f.target, f.status, f.element, f.message,
               " ".join(rf.indicators),
               json.dumps(f.evidence, ensure_ascii=False, sort_keys=True, default=str) if f.evidence else "",
               g.id, len(g.pages))
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()
