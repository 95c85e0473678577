"""Read-only views over an AuditResult that every renderer needs: findings with stable ids,
which indicators cite which finding, and which URLs are safe to turn into links."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from govaudit.model import AuditResult, Finding, element_noun

_FID = re.compile(r"^f-(\d+)$")
# Only plain http(s) URLs become links; anything else (javascript:, data:, vbscript:, a scheme
# hidden behind whitespace or control characters) is shown as text.
_SAFE_URL = re.compile(r"^https?://[^\x00-\x20\x7f]+$", re.IGNORECASE)


@dataclass(slots=True)
class ReportFinding:
    """A finding as the reports show it: its check, a unique id, and the indicators citing it."""

    check: str
    finding: Finding
    id: str
    indicators: list[str] = field(default_factory=list)


def safe_href(url: object) -> str | None:
    """`url` when it is an http(s) URL a reader may follow, else None (render it as text)."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return url
    return None


def report_findings(result: AuditResult) -> list[ReportFinding]:
    """Every finding in check order, each with a unique id.

    The runner assigns ids; a finding that arrives without one (or with a duplicate) gets the
    next free "f-N" so a report never carries two findings under one id.
    """
    used: set[str] = set()
    top = 0
    for check in result.checks.values():
        for f in check.findings:
            m = _FID.match(f.id)
            if m:
                top = max(top, int(m.group(1)))
    cited: dict[str, list[str]] = {}
    for ind in result.scored.indicators:
        for fid in ind.findings:
            cited.setdefault(fid, []).append(ind.id)
    out: list[ReportFinding] = []
    for check_id, check in result.checks.items():
        for f in check.findings:
            fid = f.id
            if not fid or fid in used:
                top += 1
                fid = f"f-{top}"
            used.add(fid)
            out.append(ReportFinding(check_id, f, fid, list(cited.get(fid, []) if fid == f.id else [])))
    return out


def jsonable(value: Any) -> Any:
    """`value` as plain JSON types: dates as ISO text, tuples/sets as lists, keys as text, and
    NaN/infinity (which JSON cannot carry) as null."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if hasattr(value, "__dataclass_fields__"):
        return {name: jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    return str(value)


def fmt_number(value: object) -> str:
    """Numbers for people: no trailing .0, at most two decimals."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "–"
        if value == int(value):
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return "" if value is None else str(value)


def status_label(status: object) -> str:
    return "" if status is None else str(status)


# ---- grouped findings -----------------------------------------------------------------------

MAX_GROUP_PAGES = 1000  # pages listed with one group in report.json; `pages_total` counts them all


@dataclass(slots=True)
class FindingGroup:
    """One problem seen on several pages: the findings of one check and rule that share a target
    (a footer link broken on every page) or, without a target, a page template. Grouping is for
    reading only: every finding keeps its own id, and indicators count what their rule counts."""

    id: str  # "g-N", in report order
    check: str
    rule: str
    key: str  # "target" | "template" | "finding" (a finding that shares nothing)
    target: str | None
    template: str | None
    severity: str  # the worst of its findings
    message: str  # the first finding's
    members: list[ReportFinding]
    pages: list[str]  # distinct pages, in report order
    indicators: list[str]

    @property
    def first(self) -> ReportFinding:
        return self.members[0]

    @property
    def occurrences(self) -> int:
        return len(self.members)


_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def group_key(rf: ReportFinding) -> tuple[str, str, str, str]:
    """What makes two findings one problem: the check, the rule and a shared target or template."""
    f = rf.finding
    if f.target:
        return rf.check, f.rule, "target", f.target
    template = f.evidence.get("template") if isinstance(f.evidence, dict) else None
    if isinstance(template, str) and template:
        return rf.check, f.rule, "template", template
    return rf.check, f.rule, "finding", rf.id


def finding_groups(findings: list[ReportFinding]) -> list[FindingGroup]:
    """Every finding in exactly one group, groups in the order of their first finding."""
    by_key: dict[tuple[str, str, str, str], FindingGroup] = {}
    for rf in findings:
        key = group_key(rf)
        g = by_key.get(key)
        if g is None:
            f = rf.finding
            g = FindingGroup(f"g-{len(by_key) + 1}", rf.check, f.rule, key[2],
                             f.target if key[2] == "target" else None, key[3] if key[2] == "template" else None,
                             f.severity, f.message, [], [], [])
            by_key[key] = g
        g.members.append(rf)
        if rf.finding.page not in g.pages:
            g.pages.append(rf.finding.page)
        for ind in rf.indicators:
            if ind not in g.indicators:
                g.indicators.append(ind)
        if _SEVERITY_RANK.get(rf.finding.severity, 3) < _SEVERITY_RANK.get(g.severity, 3):
            g.severity = rf.finding.severity
    return list(by_key.values())


def group_to_json(g: FindingGroup) -> dict[str, Any]:
    """A group as report.json's `finding_groups` entry (see the report contract)."""
    return {
        "id": g.id, "check": g.check, "rule": g.rule, "key": g.key, "target": g.target, "template": g.template,
        "severity": g.severity, "message": g.message, "occurrences": g.occurrences,
        "pages_total": len(g.pages), "pages": g.pages[:MAX_GROUP_PAGES],
        "findings": [rf.id for rf in g.members], "indicators": list(g.indicators),
    }


def display_message(rf: ReportFinding) -> str:
    """The finding's message as people read it: the links check's "<element> link to …" says what
    the element is ("image …", "stylesheet or resource …"), never "link link to". report.json keeps
    the check's own words."""
    f = rf.finding
    el = f.element or ""
    prefix = f"{el} link to "
    if el and f.message.startswith(prefix):
        return f"{element_noun(el)} {f.message[len(prefix):]}"  # a run stored before the check said so
    return f.message


def home_indicator(rf: ReportFinding, results: dict[str, str]) -> str | None:
    """The indicator a finding cited by several is shown under: the first that failed, else the first."""
    for ind in rf.indicators:
        if results.get(ind) == "fail":
            return ind
    return rf.indicators[0] if rf.indicators else None


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 board", "2 boards"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
