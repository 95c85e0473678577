"""The demo portal's 县长信箱, 在线访谈 and 调查征集 against its manifest, through a whole audit:
crawl -> interaction check -> cn-gov-2019 scoring -> JSON (schema-valid) and HTML reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from govaudit.audit import AuditPlan, run_audit
from govaudit.config import AuditConfig, loopback_fast
from govaudit.demo import DemoServer, load_manifest
from govaudit.model import AuditResult
from govaudit.profiles import load_profile
from govaudit.report import render
from govaudit.report.jsonreport import to_report, validate_report
from tests.conftest import run


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return load_manifest()


@pytest.fixture(scope="module")
def audited(manifest: dict[str, Any]) -> Iterator[tuple[DemoServer, AuditResult]]:
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    with DemoServer() as demo:
        plan = AuditPlan(url=demo.url, profile=load_profile("cn-gov-2019"),
                         as_of=date.fromisoformat(manifest["as_of"]), config=cfg, check_ids=["interaction"])
        yield demo, run(run_audit(plan))


def test_board_counts_match_the_manifest(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    demo, result = audited
    truth = manifest["board"]
    check = result.checks["interaction"]
    assert check.status == "ok"
    (board,) = check.data["boards"]
    assert board["name"] == truth["name"] and board["url"] == demo.url_for(truth["path"])
    assert (board["messages"], board["answered"], board["unanswered"], board["overdue"]) == (
        truth["messages_in_window"], truth["answered"], truth["unanswered"], truth["overdue"])
    assert board["median_reply_days"] == truth["median_reply_days"]
    assert board["max_reply_days"] == truth["max_reply_days"]
    assert check.data["window_start"] == truth["window_start"]
    assert board["readable"] and board["complete"] and board["pages_read"] == len(truth["list_pages"])
    in_window = [m for m in truth["messages"] if m["in_window"] and m["replied"]]
    expected_delays = sorted((date.fromisoformat(m["replied"]) - date.fromisoformat(m["asked"])).days for m in in_window)
    assert sorted(board["delays_days"]) == expected_delays


def test_each_overdue_letter_is_a_finding_with_its_dates(audited: tuple[DemoServer, AuditResult],
                                                         manifest: dict[str, Any]) -> None:
    demo, result = audited
    found = {f.page: f for f in result.checks["interaction"].findings if f.rule == "interaction-overdue"}
    want = {demo.url_for(m["page"]): m for m in manifest["board"]["overdue_messages"]}
    assert set(found) == set(want)
    for url, m in want.items():
        ev = found[url].evidence
        assert (ev["asked"], ev["replied"], ev["reason"], round(ev["days"])) == (
            m["asked"], m["replied"], m["reason"], m["days"])
        assert ev["board"] == "县长信箱" and ev["status"] in ("未回复", "办理中", "已回复")


def test_activities_and_channels_match_the_manifest(audited: tuple[DemoServer, AuditResult],
                                                    manifest: dict[str, Any]) -> None:
    demo, result = audited
    data = result.checks["interaction"].data
    acts = {a["kind"]: a for a in data["activities"]}
    for kind, key in (("interview", "interviews"), ("survey", "surveys")):
        truth = manifest[key]
        a = acts[kind]
        assert (a["url"], a["items"], a["in_window"], a["latest"]) == (
            demo.url_for(truth["path"]), truth["items"], truth["in_window"], truth["latest"])
    m = result.checks["interaction"].metrics
    assert (m["surveys_in_window"], m["interviews_in_window"]) == (manifest["surveys"]["in_window"],
                                                                  manifest["interviews"]["in_window"])
    excluded = [c for c in data["channels"] if c["kind"] == "excluded"]
    assert [c["name"] for c in excluded] == ["网上信访（旧系统）"]
    assert [b["name"] for b in data["boards"]] == ["县长信箱"]  # the excluded channel is never read


def test_cn_gov_2019_indicators_on_the_demo(audited: tuple[DemoServer, AuditResult],
                                            manifest: dict[str, Any]) -> None:
    _, result = audited
    by_id = {i.id: i for i in result.scored.indicators}
    assert by_id["cn.veto.interaction.channel"].result == "pass"
    overdue = by_id["cn.veto.interaction.overdue"]
    assert overdue.result == "fail" and overdue.verified == "V"
    findings = {f.id: f for f in result.checks["interaction"].findings}
    assert sorted(findings[f].rule for f in overdue.findings) == ["interaction-overdue"] * manifest["board"]["overdue"]
    assert "cn.veto.interaction.overdue" in result.scored.score.vetoes and result.scored.score.grade == "不合格"
    assert by_id["cn.deduct.interaction.replies"].result == "pass"  # a reply on 2026-11-13
    surveys, interviews = by_id["cn.deduct.interaction.surveys"], by_id["cn.deduct.interaction.interviews"]
    assert (surveys.result, surveys.points, surveys.verified) == ("fail", -2.0, "unverified")
    assert (interviews.result, interviews.points) == ("fail", -2.0)
    assert surveys.detail == "近 12 个月调查征集活动 3 期（少于 6 期）；2 分按 govaudit 自定分值计（未经核实，非官方）"


def test_reports_keep_the_contract_and_draw_the_delay_histogram(audited: tuple[DemoServer, AuditResult]) -> None:
    _, result = audited
    doc = to_report(result)
    validate_report(doc)
    board = doc["checks"]["interaction"]["boards"][0]
    for key in ("name", "url", "messages", "answered", "unanswered", "overdue", "median_reply_days",
                "max_reply_days", "p90_reply_days", "latest_reply", "readable", "selectors_used", "delays_days",
                "limit_days"):
        assert key in board
    html = render(result, "html")
    assert "reply delays" in html and "县长信箱" in html
