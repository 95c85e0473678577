"""The freshness check on the bundled demo portal, against its ground-truth manifest."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from govaudit.checks.freshness.page import analyse

from govaudit.audit import AuditPlan, run_audit
from govaudit.cli import demo_config
from govaudit.demo import DemoServer, load_manifest
from govaudit.model import AuditResult
from govaudit.profiles import load_profile
from govaudit.report.jsonreport import to_report, validate_report
from tests.conftest import run


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return load_manifest()


@pytest.fixture(scope="module")
def audited(manifest: dict[str, Any]) -> Iterator[tuple[DemoServer, AuditResult]]:
    with DemoServer() as server:
        plan = AuditPlan(url=server.url, profile=load_profile("cn-gov-2019"),
                         as_of=date.fromisoformat(manifest["as_of"]), config=demo_config(manifest),
                         check_ids=["freshness"])
        yield server, run(run_audit(plan))


def by_path(result: AuditResult, server: DemoServer) -> dict[str, dict[str, Any]]:
    base = server.url.rstrip("/")
    return {c["url"][len(base):]: c for c in result.checks["freshness"].data["columns"]}


KEYS = ("name", "type", "latest", "latest_valid", "age_days", "threshold_days", "items", "stale", "empty",
        "undated", "future_dates")


def test_every_planted_column_gets_its_verdict_and_latest_date(audited, manifest) -> None:
    server, result = audited
    got = {path: {k: c[k] for k in KEYS} for path, c in by_path(result, server).items()}
    expected = {col["path"]: {k: col[k] for k in KEYS} for col in manifest["columns"]}
    assert got == expected


def test_column_counts_match(audited, manifest) -> None:
    _, result = audited
    m = result.checks["freshness"].metrics
    counts = manifest["column_counts"]
    assert (m["columns"], m["stale"], m["empty"], m["future_columns"], m["undated"]) == (
        counts["columns"], counts["stale"], counts["empty"], counts["future"], counts["undated"])


def test_home_page_rule(audited, manifest) -> None:
    _, result = audited
    home = result.checks["freshness"].data["home"]
    assert home["latest"] == manifest["home_latest"]
    assert home["updated"] is manifest["home_updated_within_14_days"]
    assert home["latest"] != manifest["as_of"]  # the header's 今天是 date is not an update


def test_dates_in_titles_are_not_item_dates(audited, manifest) -> None:
    server, _ = audited
    for case in manifest["distractors"]["dates_in_titles"]:
        html = httpx.get(server.url_for(case["page"]), timeout=5.0).text
        facts = analyse(html, server.url_for(case["page"]), date.fromisoformat(manifest["as_of"]))
        (item,) = [i for lst in facts.lists for i in lst.items if i.title == case["title"]]
        assert item.date is not None and item.date.isoformat() == case["listed"]


def test_future_date_finding_and_scored_indicators(audited, manifest) -> None:
    server, result = audited
    check = result.checks["freshness"]
    future = [f for f in check.findings if f.rule == "future-date"]
    planted = [(c["path"], d) for c in manifest["columns"] for d in c["future_dates"]]
    assert [(f.page[len(server.url.rstrip("/")):], f.evidence["date"]) for f in future] == planted
    ind = {i.id: i for i in result.scored.indicators}
    assert ind["cn.veto.home-update"].result == "pass"
    assert ind["cn.veto.columns.stale"].result == "pass"  # 2 stale news/notice/policy columns, veto at 5
    assert ind["cn.veto.columns.long-stale"].result == "pass"
    assert ind["cn.veto.columns.empty"].result == "pass"
    assert ind["cn.veto.faked-date"].result == "fail"
    assert ind["cn.veto.faked-date"].findings == [f.id for f in future]
    assert (ind["cn.deduct.columns.policy"].result, ind["cn.deduct.columns.policy"].points) == ("fail", -5.0)
    assert (ind["cn.deduct.columns.personnel-plan"].points, len(ind["cn.deduct.columns.personnel-plan"].findings)) == (
        -1.0, 1)
    assert "cn.veto.faked-date" in result.scored.score.vetoes


def test_report_follows_the_contract(audited) -> None:
    _, result = audited
    doc = to_report(result)
    validate_report(doc)
    columns = doc["checks"]["freshness"]["columns"]
    assert len(columns) == 9 and all(c["url"].startswith("http://127.0.0.1:") for c in columns)
