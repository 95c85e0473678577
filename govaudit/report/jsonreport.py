"""The JSON report (`govaudit.report/1`): a public interface, see shared/spec/report-contract.md.

Field names and value words are fixed by the contract; extra fields are added beside them, never
in their place. Every document we write is checked against the packaged JSON Schema first.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker

from govaudit.coverage import coverage_of
from govaudit.model import AuditResult, CheckResult
from govaudit.report.grading import grade_statement
from govaudit.report.view import ReportFinding, finding_groups, group_to_json, jsonable, report_findings

SCHEMA_ID = "govaudit.report/1"
TOOL_NAME = "govaudit"
# Keys every check entry carries; a check's own data keys may not shadow them.
_CHECK_KEYS = ("status", "error", "metrics", "findings", "duration_s", "partial")


def to_report(result: AuditResult) -> dict[str, Any]:
    """The contract-shaped report for one audited site (plain JSON types only)."""
    scored = result.scored
    findings = report_findings(result)
    by_check: dict[str, list[ReportFinding]] = {cid: [] for cid in result.checks}
    for rf in findings:
        by_check[rf.check].append(rf)
    doc: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "run_id": result.run_id,
        "site": {"url": result.site_url, "title": result.site_title},
        "as_of": result.as_of.isoformat(),
    }
    if result.started_at:
        doc["started_at"] = result.started_at
    if result.finished_at:
        doc["finished_at"] = result.finished_at
    crawl = result.crawl
    doc["profile"] = {"id": scored.profile_id, "title": scored.profile_title}
    doc["crawl"] = {
        "pages": crawl.pages,
        "requests": crawl.requests,
        "duration_s": round(crawl.duration_s, 3),
        "skipped_robots": crawl.skipped_robots,
        "errors": crawl.errors,
        "skipped_scope": crawl.skipped_scope,
        "skipped_traps": crawl.skipped_traps,
        "budget_exhausted": crawl.budget_exhausted,
        "notes": list(crawl.notes),
    }
    doc["coverage"] = coverage_of(crawl, result.checks).to_dict()
    score = scored.score
    doc["score"] = {
        "value": score.value,
        "max": score.max,
        "grade": score.grade,
        "vetoes": list(score.vetoes),
        "deduction_score": score.deduction_score,
        "bonus": score.bonus,
        "passed": score.passed,
        "complete": score.complete,
        "incomplete": list(score.incomplete),
    }
    stated = grade_statement(result)
    doc["score"].update({
        "unverified_points": stated.unverified_points,  # |points| of unverified deduct/bonus indicators
        "scored_points": stated.scored_points,  # |points| of every deduct/bonus indicator
        "unverified_sentence": stated.unverified_sentence,
        "pass_mark": stated.pass_mark,
        "rule": stated.rule,
        "covers": stated.covers,
    })
    doc["indicators"] = [
        {
            "id": ind.id,
            "title": ind.title,
            "kind": ind.kind,
            "result": ind.result,
            "points": ind.points,
            "detail": ind.detail,
            "findings": list(ind.findings),
            "source": dict(ind.source),
            "verified": ind.verified,
            "group": ind.group,
            "note": ind.note,
        }
        for ind in scored.indicators
    ]
    doc["checks"] = {cid: _check_entry(chk, by_check[cid]) for cid, chk in result.checks.items()}
    doc["options"] = dict(result.options)
    # Added view: findings that share a target (or a page template) as one problem with its pages.
    doc["finding_groups"] = [group_to_json(g) for g in finding_groups(findings)]
    return jsonable(doc)


def _check_entry(check: CheckResult, findings: list[ReportFinding]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "status": check.status,
        "error": check.error,
        "metrics": dict(check.metrics),
        "findings": [_finding(rf) for rf in findings],
        "duration_s": round(check.duration_s, 3),
    }
    if check.partial:
        entry["partial"] = dict(check.partial)
    shadowed: dict[str, Any] = {}
    for key, value in check.data.items():
        if key in _CHECK_KEYS:
            shadowed[key] = value  # kept, but never allowed to replace a contract key
        else:
            entry[key] = value
    if shadowed:
        entry["data"] = shadowed
    return entry


def _finding(rf: ReportFinding) -> dict[str, Any]:
    f = rf.finding
    return {
        "id": rf.id,
        "rule": f.rule,
        "severity": f.severity,
        "page": f.page,
        "target": f.target,
        "status": f.status,
        "element": f.element,
        "message": f.message,
        "evidence": dict(f.evidence),
        "indicators": rf.indicators,
    }


@cache
def _schema() -> dict[str, Any]:
    text = files("govaudit.report").joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def load_schema() -> dict[str, Any]:
    """The packaged JSON Schema (draft 2020-12) of the report; a fresh copy each call."""
    return json.loads(json.dumps(_schema()))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema(), format_checker=FormatChecker())


@cache
def _fast_validator() -> Any:
    """The same schema compiled to Python code: 0.03 s instead of 0.39 s for a 3,000-page report
    (jsonschema walks 57,000 nodes). The schema uses no keyword newer than draft 7, so it compiles
    as draft 7; a document it rejects is run through jsonschema for the exact message."""
    return fastjsonschema.compile({**_schema(), "$schema": "http://json-schema.org/draft-07/schema#"})


def validate_report(doc: dict[str, Any]) -> None:
    """Raise ValueError naming the JSON path of the first problem, if `doc` breaks the contract.

    Beyond the schema, indicators may only cite findings that exist, and every veto must be an
    indicator of the report: the reader follows those references.
    """
    try:
        _fast_validator()(doc)
        errors = []
    except fastjsonschema.JsonSchemaException:
        errors = sorted(_validator().iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message))
        if not errors:  # the two validators disagree: trust neither silently
            raise ValueError(f"report does not match {SCHEMA_ID}: rejected by the compiled schema only") from None
    if errors:
        err = errors[0]
        raise ValueError(f"report does not match {SCHEMA_ID} at {err.json_path}: {err.message}")
    ids: set[str] = set()
    for cid, check in doc["checks"].items():
        for i, finding in enumerate(check["findings"]):
            if finding["id"] in ids:
                raise ValueError(f"report invalid at $.checks.{cid}.findings[{i}].id: duplicate {finding['id']!r}")
            ids.add(finding["id"])
    indicator_ids = set()
    for i, ind in enumerate(doc["indicators"]):
        indicator_ids.add(ind["id"])
        for j, fid in enumerate(ind["findings"]):
            if fid not in ids:
                raise ValueError(f"report invalid at $.indicators[{i}].findings[{j}]: unknown finding {fid!r}")
    grouped: set[str] = set()
    for i, group in enumerate(doc.get("finding_groups", [])):
        for j, fid in enumerate(group["findings"]):
            if fid not in ids or fid in grouped:
                why = "unknown" if fid not in ids else "already grouped"
                raise ValueError(f"report invalid at $.finding_groups[{i}].findings[{j}]: {why} finding {fid!r}")
            grouped.add(fid)
    if "finding_groups" in doc and grouped != ids:
        raise ValueError(f"report invalid at $.finding_groups: {len(ids - grouped)} findings in no group")
    for i, veto in enumerate(doc["score"]["vetoes"]):
        if veto not in indicator_ids:
            raise ValueError(f"report invalid at $.score.vetoes[{i}]: unknown indicator {veto!r}")
