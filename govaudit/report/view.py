"""Read-only views over an AuditResult that every renderer needs: findings with stable ids,
which indicators cite which finding, and which URLs are safe to turn into links."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from govaudit.model import AuditResult, Finding

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
