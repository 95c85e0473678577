"""The content check on the demo portal, through a real audit (crawl -> links + content -> cn-gov-2019):
it finds exactly the three planted content-safety defects of the manifest — the misstatement, the
hidden spam link and the hijacked partner link — on the right pages, with the right rules and
evidence, scans every page, and the profile's two vetoes cite exactly those findings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from govaudit.audit import AuditPlan, run_audit
from govaudit.cli import demo_config
from govaudit.demo import DemoServer, load_manifest
from govaudit.model import AuditResult, Finding
from govaudit.profiles import load_profile
from tests.conftest import run


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return load_manifest()


@pytest.fixture(scope="module")
def audited(manifest: dict[str, Any]) -> Iterator[tuple[DemoServer, AuditResult]]:
    with DemoServer() as demo:
        plan = AuditPlan(url=demo.url, profile=load_profile("cn-gov-2019"),
                         as_of=date.fromisoformat(manifest["as_of"]), config=demo_config(manifest),
                         check_ids=["links", "content"])
        yield demo, run(run_audit(plan))


def path_of(demo: DemoServer, url: str) -> str:
    return "/" + url[len(demo.url):]


def by_rule(result: AuditResult) -> dict[str, Finding]:
    findings = result.checks["content"].findings
    rules = [f.rule for f in findings]
    assert len(rules) == len(set(rules)), rules  # one finding per planted defect
    return {f.rule: f for f in findings}


def test_exactly_the_planted_defects(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    demo, result = audited
    content = result.checks["content"]
    assert content.status == "ok"
    found = {(path_of(demo, f.page), f.rule) for f in content.findings}
    planted = {(d["page"], d["rule"]) for d in manifest["content_defects"]}
    assert len(planted) == 3
    assert found == planted  # every one, and no false alarm anywhere else on the site


def test_misstatement_evidence(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    _, result = audited
    d = next(d for d in manifest["content_defects"] if d["rule"] == "misstatement")
    f = by_rule(result)["misstatement"]
    assert f.severity == "error"
    assert (f.evidence["wrong"], f.evidence["right"], f.evidence["category"]) == (d["wrong"], d["right"], d["category"])
    assert d["wrong"] in f.evidence["excerpt"]
    assert result.checks["content"].metrics["misstatements_by_category"] == {d["category"]: 1}


def test_hidden_spam_link_evidence(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    _, result = audited
    d = next(d for d in manifest["content_defects"] if d["rule"] == "hidden-spam-link")
    f = by_rule(result)["hidden-spam-link"]
    assert (f.target, f.element, f.severity) == (d["target"], d["element"], "error")
    assert f.evidence["category"] == d["category"] and f.evidence["text"] == d["text"]
    assert f.evidence["reason"].startswith(d["hidden_by"])


def test_hijacked_link_evidence(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    demo, result = audited
    d = next(d for d in manifest["content_defects"] if d["rule"] == "hijacked-link")
    f = by_rule(result)["hijacked-link"]
    # The portal runs on 127.0.0.1; its partner sites answer as localhost on the same port.
    assert f.target == f"http://localhost:{demo.port}{d['target_path']}"
    assert (f.element, f.severity, f.status) == (d["element"], "error", 200)
    assert f.evidence["category"] == d["category"] and f.evidence["title"] == d["title"]
    assert f.evidence["text"] == d["text"] and f.evidence["trigger_in"] == "title"


def test_metrics_and_full_scan(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    _, result = audited
    m = result.checks["content"].metrics
    assert (m["misstatements"], m["misstatements_review"]) == (1, 0)
    assert (m["hidden_links"], m["hidden_spam_links"]) == (1, 1)
    assert (m["hijacked_links"], m["parked_links"], m["harmful_links"]) == (1, 0, 2)
    # every HTML page of the site (the manifest's count leaves out the soft 404, and so does the check)
    assert not result.crawl.budget_exhausted
    assert m["pages_scanned"] == manifest["html_pages"]
    # Both partner pages were read (the clean one too: reading it did not make it a finding).
    assert m["external_readable"] >= len(manifest["partner_links"])
    assert m["findings_dropped"] == 0


def test_links_check_agrees(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    """The hijacked link answers (not a broken link); the hidden one's dead domain is one, as listed."""
    demo, result = audited
    broken = {(path_of(demo, f.page), f.target, str(f.status)) for f in result.checks["links"].findings
              if f.rule == "broken-link"}
    spam = next(d for d in manifest["content_defects"] if d["rule"] == "hidden-spam-link")
    assert (spam["page"], spam["target"], "dns") in broken
    assert not any("localhost" in (target or "") for _, target, _ in broken)


def test_profile_vetoes_cite_the_findings(audited: tuple[DemoServer, AuditResult]) -> None:
    _, result = audited
    ids = {f.rule: f.id for f in result.checks["content"].findings}
    indicators = {i.id: i for i in result.scored.indicators}
    miss = indicators["cn.veto.security.misstatement"]
    harm = indicators["cn.veto.security.harmful-links"]
    assert miss.result == "fail" and miss.findings == [ids["misstatement"]]
    assert harm.result == "fail" and sorted(harm.findings) == sorted([ids["hidden-spam-link"], ids["hijacked-link"]])
    assert {"cn.veto.security.misstatement", "cn.veto.security.harmful-links"} <= set(result.scored.score.vetoes)
