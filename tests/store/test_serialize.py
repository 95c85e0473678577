"""Lossless round trips: model -> dict -> JSON text -> dict -> model gives back an equal object."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings

from govaudit.errors import UsageError
from govaudit.model import AuditResult, CheckResult, CrawlStats, Finding, Page, Score, ScoredResult
from govaudit.serialize import (
    audit_from_dict,
    check_result_from_dict,
    finding_from_dict,
    page_from_dict,
    scored_from_dict,
    snapshot_from_dict,
    to_dict,
)
from tests.store.strategies import audit_results, check_results, findings, pages, scored_results, snapshots


def through_json(obj: object) -> dict:
    return json.loads(json.dumps(to_dict(obj)))


@settings(max_examples=60, deadline=None)
@given(audit_results)
def test_audit_result_round_trip(result: AuditResult) -> None:
    assert audit_from_dict(through_json(result)) == result


@settings(max_examples=60, deadline=None)
@given(check_results)
def test_check_result_round_trip(result: CheckResult) -> None:
    assert check_result_from_dict(through_json(result)) == result


@settings(max_examples=60, deadline=None)
@given(findings)
def test_finding_round_trip_keeps_status_type(finding: Finding) -> None:
    back = finding_from_dict(through_json(finding))
    assert back == finding
    assert type(back.status) is type(finding.status)


@settings(max_examples=60, deadline=None)
@given(pages())
def test_page_round_trip_with_compressed_text(page: Page) -> None:
    back = page_from_dict(through_json(page))
    assert back == page
    assert back.text == page.text


@settings(max_examples=40, deadline=None)
@given(snapshots())
def test_snapshot_round_trip(snapshot: object) -> None:
    assert snapshot_from_dict(through_json(snapshot)) == snapshot


@settings(max_examples=40, deadline=None)
@given(scored_results)
def test_scored_round_trip(scored: ScoredResult) -> None:
    assert scored_from_dict(through_json(scored)) == scored


def test_dates_are_iso_strings() -> None:
    result = AuditResult(
        run_id="r", site_url="http://x.test/", site_title="某某县人民政府", as_of=date(2026, 11, 22),
        started_at="2026-11-22T14:35:01+08:00", finished_at="2026-11-22T14:36:00+08:00", crawl=CrawlStats(),
        checks={"links": CheckResult(findings=[Finding(rule="broken-link", page="/", message="m", status="timeout")])},
        scored=ScoredResult("p", "P", Score(value=99.5, max=100, grade="合格"), []), tool_version="0.4.0",
    )
    d = to_dict(result)
    assert d["as_of"] == "2026-11-22"
    assert d["checks"]["links"]["findings"][0]["status"] == "timeout"
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert audit_from_dict(d) == result


def test_missing_optional_fields_take_defaults_and_unknown_keys_are_ignored() -> None:
    back = finding_from_dict({"rule": "r", "page": "/", "message": "m", "added_later": 1})
    assert back == Finding(rule="r", page="/", message="m")


@pytest.mark.parametrize("data, fragment", [
    ({"page": "/", "message": "m"}, "Finding.rule is missing"),
    ({"rule": 3, "page": "/", "message": "m"}, "expected str"),
    ("not a dict", "expected dict"),
])
def test_malformed_input_is_one_line_usage_error(data: object, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment) as info:
        finding_from_dict(data)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_bad_date_is_usage_error() -> None:
    d = to_dict(AuditResult(
        run_id="r", site_url="u", site_title="", as_of=date(2026, 1, 1), started_at="", finished_at="",
        crawl=CrawlStats(), checks={}, scored=ScoredResult("p", "P", Score(1, 100, "g"), []), tool_version="0",
    ))
    d["as_of"] = "22/11/2026"
    with pytest.raises(UsageError, match="cannot read stored AuditResult"):
        audit_from_dict(d)
