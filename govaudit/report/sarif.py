"""SARIF 2.1.0 for CI code-scanning views: one result per problem, one rule per rule id.

A problem is a group of findings (report.json's `finding_groups`): one broken footer link seen on
every page is one result whose locations are those pages, not a result per page. The broken
target, when there is one, is a related location. Finding severities map to SARIF levels
error / warning / note.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from govaudit.model import AuditResult
from govaudit.report.view import finding_groups, jsonable, report_findings

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
MAX_LOCATIONS = 100  # pages given as locations of one result; properties.pages counts them all


def render_sarif(result: AuditResult) -> dict[str, Any]:
    findings = report_findings(result)
    rules: dict[str, dict[str, Any]] = {}
    index: dict[str, int] = {}
    results = []
    for group in finding_groups(findings):
        rf = group.first
        f = rf.finding
        level = _LEVELS.get(group.severity, "warning")
        if f.rule not in rules:
            index[f.rule] = len(rules)
            rules[f.rule] = {
                "id": f.rule,
                "name": f.rule,
                "shortDescription": {"text": f"{rf.check}: {f.rule}"},
                "defaultConfiguration": {"level": level},
                "properties": {"check": rf.check},
            }
        entry: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": level,
            "message": {"text": f.message or f.rule},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": page}}}
                          for page in group.pages[:MAX_LOCATIONS]],
            "partialFingerprints": {"govaudit/v1": f"{f.rule}|{f.page}|{f.target or ''}"},
            "occurrenceCount": group.occurrences,
            "properties": {
                "findingId": rf.id, "check": rf.check, "status": f.status, "element": f.element,
                "target": f.target, "indicators": group.indicators, "evidence": f.evidence,
                "group": group.id, "findingIds": [m.id for m in group.members], "pages": len(group.pages),
            },
        }
        if f.target:
            entry["relatedLocations"] = [{
                "id": 1, "message": {"text": "target"},
                "physicalLocation": {"artifactLocation": {"uri": f.target}},
            }]
        results.append(entry)
    score = result.scored.score
    failed = [c for c in result.checks.values() if c.status == "error"]
    run = {
        "tool": {"driver": {
            "name": "govaudit", "version": result.tool_version, "semanticVersion": result.tool_version,
            "informationUri": "https://github.com/govaudit/govaudit", "rules": list(rules.values()),
        }},
        "automationDetails": {"id": f"govaudit/{result.scored.profile_id}/{result.run_id}"},
        "invocations": [{
            "executionSuccessful": not failed,
            **_time("startTimeUtc", result.started_at),
            **_time("endTimeUtc", result.finished_at),
            "toolExecutionNotifications": [
                {"level": "error" if c.status == "error" else "warning", "message": {"text": f"check {cid} {c.status}: {c.error or 'no reason given'}"}}
                for cid, c in result.checks.items() if c.status != "ok"
            ],
        }],
        "results": results,
        "properties": {
            "site": result.site_url, "asOf": result.as_of.isoformat(), "profile": result.scored.profile_id,
            "score": score.value, "max": score.max, "grade": score.grade, "vetoes": list(score.vetoes),
        },
    }
    return jsonable({"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]})


def _time(key: str, stamp: str) -> dict[str, str]:
    """SARIF wants UTC times ("...Z"); a stamp we cannot read is left out rather than guessed."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return {}
    if moment.tzinfo is None:
        return {}
    return {key: moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")}
