"""The README's first command, end to end: `govaudit demo` audits the bundled portal.

Runs the real CLI in a subprocess and holds its reports to the demo's ground-truth manifest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govaudit.demo import load_manifest
from govaudit.report.jsonreport import validate_report

GOVAUDIT = [sys.executable, "-m", "govaudit.cli"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVAUDIT, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, subprocess.CompletedProcess[str]]:
    work = tmp_path_factory.mktemp("demo")
    proc = cli("demo", "--out", "out", "--db", "runs.db", cwd=work)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    return work, report, proc


def test_demo_writes_every_report_and_no_traceback(demo_run) -> None:
    work, report, proc = demo_run
    for name in ("report.json", "report.html", "report.md", "findings.csv", "report.sarif", "junit.xml"):
        assert (work / "out" / name).stat().st_size > 500, name
    assert "Traceback" not in proc.stderr + proc.stdout
    validate_report(report)
    assert report["schema"] == "govaudit.report/1" and report["as_of"] == load_manifest()["as_of"]
    assert report["profile"]["id"] == "cn-gov-2019"


def test_demo_link_check_matches_the_manifest_exactly(demo_run) -> None:
    _, report, _ = demo_run
    manifest = load_manifest()
    base = report["site"]["url"].rstrip("/")

    def absolute(u: str) -> str:
        return base + u if u.startswith("/") else u

    expected = {(absolute(b["page"]), absolute(b["target"]), str(b["status"]), b["element"])
                for b in manifest["broken_links"]}
    found = {(f["page"], f["target"], str(f["status"]), f["element"])
             for f in report["checks"]["links"]["findings"] if f["rule"] == "broken-link"}
    missed, extra = expected - found, found - expected
    assert not missed and not extra, f"missed {sorted(missed)}; extra {sorted(extra)}"  # recall = precision = 1.0
    metrics = report["checks"]["links"]["metrics"]
    assert metrics["broken_home"] == manifest["broken_home"]
    assert metrics["placeholders"] == len(manifest["placeholders"])
    assert report["crawl"]["skipped_robots"] == len(manifest["robots_disallowed"])


def test_demo_indicators_point_at_their_evidence(demo_run) -> None:
    _, report, _ = demo_run
    ids = {f["id"] for check in report["checks"].values() for f in check.get("findings", [])}
    home = next(i for i in report["indicators"] if i["id"] == "cn.deduct.links.home")
    assert home["result"] == "fail" and home["points"] < 0
    assert len(home["findings"]) == load_manifest()["broken_home"] and set(home["findings"]) <= ids


def test_stored_run_rerenders_and_rescored(demo_run) -> None:
    work, report, proc = demo_run
    run_id = report["run_id"]
    runs = cli("runs", "--db", "runs.db", cwd=work)
    assert runs.returncode == 0 and run_id in runs.stdout
    again = cli("report", run_id, "--db", "runs.db", "--format", "json", "--out", "again", cwd=work)
    assert again.returncode == 0, again.stderr
    assert json.loads((work / "again" / "report.json").read_text(encoding="utf-8")) == report
    resc = cli("rescore", run_id, "--profile", "links", "--db", "runs.db", "--format", "json", "--out", "links",
               cwd=work)
    assert resc.returncode == 0, resc.stderr
    rescored = json.loads((work / "links" / "report.json").read_text(encoding="utf-8"))
    assert rescored["profile"]["id"] == "links"
    for cid, check in report["checks"].items():  # same evidence; only which indicators cite it differs
        assert rescored["checks"][cid]["metrics"] == check["metrics"]
        assert [f["id"] for f in rescored["checks"][cid]["findings"]] == [f["id"] for f in check["findings"]]
    assert rescored["score"]["grade"] != report["score"]["grade"] or rescored["indicators"] != report["indicators"]


@pytest.mark.parametrize(("args", "message"), [
    (["audit", "not a url"], "not an http(s) URL"),
    (["audit", "ftp://example.gov.cn/"], "not an http(s) URL"),
    (["audit", "http://127.0.0.1:9/", "--profile", "no-such-profile"], "unknown profile"),
    (["audit", "http://127.0.0.1:9/", "--checks", "nope"], "unknown check"),
    (["audit", "http://127.0.0.1:9/", "--as-of", "2026-13-45"], "invalid --as-of"),
    (["audit", "http://127.0.0.1:9/", "--format", "pdf"], "unknown format"),
    (["audit", "http://127.0.0.1:9/", "--config", "/nonexistent/govaudit.toml"], "config file not found"),
    (["audit", "http://127.0.0.1:9/", "--max-pages", "0"], "must be at least 1"),
    (["report", "no-such-run", "--db", "runs.db"], "no-such-run"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    proc = cli(*args, cwd=tmp_path)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr


def test_unreachable_site_exits_3(tmp_path: Path) -> None:
    proc = cli("audit", "http://127.0.0.1:9/", "--timeout", "2", "--db", "r.db", cwd=tmp_path)
    assert proc.returncode == 3
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and "refused" in proc.stderr


def test_invalid_config_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "govaudit.toml").write_text("[crawl]\ndelay = 'soon'\n", encoding="utf-8")
    proc = cli("audit", "http://127.0.0.1:9/", cwd=tmp_path)
    assert proc.returncode == 2 and "invalid value for delay" in proc.stderr
    (tmp_path / "govaudit.toml").write_text("[crawl\n", encoding="utf-8")
    proc = cli("audit", "http://127.0.0.1:9/", cwd=tmp_path)
    assert proc.returncode == 2 and "not valid TOML" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_bad_check_option_fails_before_crawling(tmp_path: Path) -> None:
    (tmp_path / "govaudit.toml").write_text("[checks.freshness]\nno_such_option = 3\n", encoding="utf-8")
    proc = cli("audit", "http://127.0.0.1:9/", "--checks", "freshness", cwd=tmp_path)
    assert proc.returncode == 2 and "no_such_option" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
