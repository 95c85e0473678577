"""The demo portal end to end through the real CLI: the planted accessibility defects are found on
their pages and mapped to their criteria, screenshots reach the HTML report, and an audit without
a browser degrades to "skipped" while the rest of the audit runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govaudit.demo import DemoServer, load_manifest
from govaudit.report.jsonreport import validate_report

GOVAUDIT = [sys.executable, "-m", "govaudit.cli"]
DEFECT_RULES = {"image-alt", "label", "html-has-lang", "color-contrast"}


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVAUDIT, *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("a11y-demo")
    proc = cli("demo", "--profile", "wcag21-aa", "--a11y-pages", "16", "--format", "json,html",
               "--out", "out", "--db", "runs.db", cwd=work)
    # wcag21-aa fails the demo (it has planted defects) but no gate was asked for: exit 0.
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    report = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    validate_report(report)
    return work, report


def test_every_planted_defect_is_found_on_its_page_and_mapped(demo_run) -> None:
    _, report = demo_run
    a11y = report["checks"]["accessibility"]
    assert a11y["status"] == "ok", a11y["error"]
    base = report["site"]["url"].rstrip("/")
    by_rule: dict[str, list[dict]] = {}
    for f in a11y["findings"]:
        by_rule.setdefault(f["rule"], []).append(f)
    for defect in load_manifest()["a11y_defects"]:
        found = by_rule.get("axe:" + defect["axe"], [])
        assert len(found) == 1, (defect, found)
        f = found[0]
        assert f["page"] == base + defect["page"] and f["evidence"]["pages"] == [base + defect["page"]]
        assert defect["wcag"] in f["evidence"]["wcag"]
        assert f"(WCAG {defect['wcag']})" in f["evidence"]["gbt"][0]
        assert f["evidence"]["gbt"][0].startswith("GB/T 37668-2019 ")
        assert f["severity"] == "error" and f["evidence"]["impact"] in ("critical", "serious")
        html, selector = f["evidence"]["html"], f["evidence"]["selector"]
        if defect["axe"] == "image-alt":
            assert defect["target"] in html
        elif defect["axe"] == "label":
            assert 'name="jy"' in selector or 'name="jy"' in html
        elif defect["axe"] == "html-has-lang":
            assert selector == "html"
        else:
            summary = f["evidence"]["summary"]
            assert 'class="tips"' in html and f"contrast of {defect['ratio']:.1f}" in summary
            assert f"foreground color: {defect['foreground']}" in summary and defect["background"] in summary


def test_no_other_page_has_those_four_kinds_of_defect(demo_run) -> None:
    _, report = demo_run
    base = report["site"]["url"].rstrip("/")
    planted = {(d["axe"], base + d["page"]) for d in load_manifest()["a11y_defects"]}
    seen = {(f["rule"][4:], p) for f in report["checks"]["accessibility"]["findings"]
            if f["rule"][4:] in DEFECT_RULES for p in f["evidence"]["pages"]}
    assert seen == planted


def test_metrics_page_cap_and_scoring(demo_run) -> None:
    _, report = demo_run
    m = report["checks"]["accessibility"]["metrics"]
    assert m["pages_tested"] == 16 and m["pages_failed"] == 0
    assert (m["violations"], m["wcag_a"], m["wcag_aa"], m["violations_serious"]) == (4, 3, 1, 4)
    assert m["axe_version"] == "4.12.1" and m["elderly_entry"] == 1
    ind = {i["id"]: i for i in report["indicators"]}
    assert (ind["wcag.a"]["result"], ind["wcag.a"]["points"]) == ("fail", -15.0)
    assert (ind["wcag.aa"]["result"], ind["wcag.aa"]["points"]) == ("fail", -5.0)
    assert len(ind["wcag.a"]["findings"]) == 3 and report["score"]["value"] == 80.0


def test_screenshots_are_saved_with_the_run_and_shown_in_the_html(demo_run) -> None:
    work, report = demo_run
    base = report["site"]["url"].rstrip("/")
    index = json.loads((work / "out" / "screenshots" / "index.json").read_text(encoding="utf-8"))
    expected = {base + "/"} | {base + d["page"] for d in load_manifest()["a11y_defects"]}
    assert set(index) == expected  # the home page and every page with serious violations
    for name in index.values():
        assert (work / "out" / "screenshots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (work / "out" / "report.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == len(expected)
    assert f'alt="Screenshot of {base}/ghjh/index.html"' in html


def test_without_a_browser_the_check_is_skipped_and_the_audit_goes_on(tmp_path: Path) -> None:
    with DemoServer() as server:
        proc = cli("audit", server.url, "--browser", "/nonexistent/chromium", "--profile", "wcag21-aa",
                   "--checks", "links,accessibility", "--max-pages", "10", "--delay", "0", "--format", "json",
                   "--out", "out", "--db", "runs.db", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    a11y = report["checks"]["accessibility"]
    assert a11y["status"] == "skipped" and a11y["findings"] == []
    assert "--browser /nonexistent/chromium: no such file" in a11y["error"]
    assert report["checks"]["links"]["status"] == "ok"  # the rest of the audit ran
    assert report["score"]["grade"] == "not tested"
    assert {i["result"] for i in report["indicators"]} == {"error"}
    assert not (tmp_path / "out" / "screenshots").exists()


def test_doctor_names_the_missing_browser_and_the_fix(tmp_path: Path) -> None:
    proc = cli("doctor", cwd=tmp_path, env={"GOVAUDIT_BROWSER": "/nonexistent/chromium"})
    line = next(ln for ln in proc.stdout.splitlines() if " browser:" in ln)
    assert line.startswith("MISSING") and "apt-get install -y chromium" in line
    assert proc.returncode == 1


def test_a_missing_axe_file_is_a_usage_error(tmp_path: Path) -> None:
    proc = cli("audit", "http://127.0.0.1:9/", "--axe-js", str(tmp_path / "nope.js"), cwd=tmp_path)
    assert proc.returncode == 2 and "--axe-js" in proc.stderr and "Traceback" not in proc.stderr
