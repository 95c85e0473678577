"""The demo's reports explain their grade (issue 12 items 7 and 8), end to end through the CLI:
the rule and the points on our own numbers in every format, the demo's shared broken link as one
grouped finding, and a rescore whose header counts only what the new profile reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govaudit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    work = tmp_path_factory.mktemp("explains")
    proc = cli("demo", "--out", "out", "--db", "runs.db", "--format", "json,html,md,sarif", cwd=work)
    assert proc.returncode == 0, proc.stderr
    return work, json.loads((work / "out" / "report.json").read_text(encoding="utf-8")), proc.stdout


def test_every_format_states_the_rule_and_our_numbers(demo: tuple[Path, dict[str, Any], str]) -> None:
    work, report, stdout = demo
    score = report["score"]
    ours = sum(abs(i["points"]) for i in report["indicators"]
               if i["kind"] in ("deduct", "bonus") and i["verified"] == "unverified")
    assert score["unverified_points"] == pytest.approx(ours) and score["unverified_points"] > 0
    sentence = score["unverified_sentence"]
    assert sentence.endswith("scored points rest on govaudit's own numbers (unverified).")
    html = (work / "out" / "report.html").read_text(encoding="utf-8")
    md = (work / "out" / "report.md").read_text(encoding="utf-8")
    tree = HTMLParser(html)
    assert sentence in tree.css_first("#unverified-points").text()
    assert "pass mark 60 of 100" in tree.css_first("#grading-rule").text()
    assert f"> **Our numbers:** {sentence}" in md and "- **Grading:** pass mark 60 of 100" in md
    assert f"our numbers: {sentence}" in stdout and "grading: pass mark 60/100" in stdout
    assert "cn.bonus.not-measured" in tree.css_first("#bonus-not-measured").text()


def test_a_link_broken_on_several_pages_is_one_problem(demo: tuple[Path, dict[str, Any], str]) -> None:
    work, report, _ = demo
    links = report["checks"]["links"]["findings"]
    by_target: dict[str, list[str]] = {}
    for f in links:
        by_target.setdefault(f["target"], []).append(f["id"])
    shared = {t: ids for t, ids in by_target.items() if len(ids) > 1}
    assert shared  # the demo links one missing report from several pages
    groups = {g["target"]: g for g in report["finding_groups"] if g["check"] == "links"}
    for target, ids in shared.items():
        assert groups[target]["findings"] == ids and groups[target]["occurrences"] == len(ids)
    assert report["checks"]["links"]["metrics"]["broken"] == len(links)  # counted as before
    sarif = json.loads((work / "out" / "report.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert len(sarif) == len(report["finding_groups"])


def test_rescore_counts_what_the_new_profile_reads(demo: tuple[Path, dict[str, Any], str]) -> None:
    work, report, _ = demo
    proc = cli("rescore", report["run_id"], "--profile", "links", "--db", "runs.db", "--format", "html,md",
               "--out", "links", cwd=work)
    assert proc.returncode == 0, proc.stderr
    links = len(report["checks"]["links"]["findings"])
    others = sum(len(c["findings"]) for c in report["checks"].values()) - links
    tree = HTMLParser((work / "links" / "report.html").read_text(encoding="utf-8"))
    card = {dt.text().strip(): dt.next.text().strip() for dt in tree.css(".scorecard dt") if dt.next is not None}
    assert card["Findings"] == str(links) and card["not read by this profile"] == str(others)
    assert "pass mark 100 of 100" in tree.css_first("#grading-rule").text()  # the links profile's own rule
    md = (work / "links" / "report.md").read_text(encoding="utf-8")
    assert f"- **Findings:** {links} ({others} more from checks this profile does not read)" in md
