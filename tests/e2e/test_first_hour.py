"""A newcomer's first hour (issue 12, items 4, 5, 6 and 11), through the real CLI in subprocesses.

4: `report` and `rescore` re-render the screenshots the audit took (kept in the store).
5: a report folder holds one run's files, never a mix of two; nothing else in it is touched.
6: `govaudit demo serve` + the README's `govaudit audit` command line gives the demo's numbers,
   and the report's `options` records every setting the demo chose.
11: mistyped input is one line and exit 2 (and a mistyped --db creates no database).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from govaudit.cli import demo_command
from govaudit.demo import load_manifest
from tests.hostile.runner import GOVAUDIT, REPO
from tests.support.server import LocalServer, Reply, free_port

SHOT = "data:image/png;base64,"


def cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVAUDIT, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def one_line(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def report_json(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    work = tmp_path_factory.mktemp("first-hour")
    proc = cli("demo", "--out", "out", "--db", "runs.db", cwd=work)
    assert proc.returncode == 0, proc.stderr
    return work, report_json(work / "out")


# ---- item 4: evidence kept with the run -------------------------------------------------------


def test_report_and_rescore_keep_the_screenshots(demo: tuple[Path, dict[str, Any]]) -> None:
    work, report = demo
    html = (work / "out" / "report.html").read_text(encoding="utf-8")
    shots = sorted(p.name for p in (work / "out" / "screenshots").glob("*.png"))
    assert html.count(SHOT) >= 3 and len(shots) >= 3  # the accessibility check's evidence
    again = cli("report", report["run_id"], "--db", "runs.db", "--out", "again", cwd=work)
    assert again.returncode == 0, again.stderr
    assert (work / "again" / "report.html").read_text(encoding="utf-8").count(SHOT) == html.count(SHOT)
    assert sorted(p.name for p in (work / "again" / "screenshots").glob("*.png")) == shots
    for name in shots:
        assert (work / "again" / "screenshots" / name).read_bytes() == (work / "out" / "screenshots" / name).read_bytes()
    resc = cli("rescore", report["run_id"], "--profile", "wcag21-aa", "--db", "runs.db", "--format", "html",
               "--out", "wcag", cwd=work)
    assert resc.returncode == 0, resc.stderr
    assert (work / "wcag" / "report.html").read_text(encoding="utf-8").count(SHOT) == html.count(SHOT)


# ---- item 5: one run's files in a report folder ------------------------------------------------


def small_site() -> LocalServer:
    pages = {"/": Reply(body='<title>首页</title><a href="/a.html">a</a><a href="/gone.html">gone</a>'),
             "/a.html": Reply(body="<title>A</title><p>内容</p>")}
    return LocalServer(pages, Reply(status=404, body="<title>404</title>"))


def quick_audit(url: str, out: str, formats: str, *extra: str) -> list[str]:
    return ["audit", url, "--profile", "links", "--checks", "links", "--as-of", "2026-11-20", "--delay", "0",
            "--timeout", "5", "--format", formats, "--db", "runs.db", "--out", out, *extra]


def test_a_report_folder_never_mixes_two_runs(tmp_path: Path) -> None:
    with small_site() as srv:
        first = cli(*quick_audit(srv.url("/"), "out", "json,html,md,csv,sarif,junit"), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")  # the user's own file
        run_id = report_json(tmp_path / "out")["run_id"]
        # report and rescore into the audit's folder: only the formats asked for are left
        again = cli("report", run_id, "--db", "runs.db", "--format", "json,md", "--out", "out", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
            ".govaudit-files", "notes.txt", "report.json", "report.md"]
        resc = cli("rescore", run_id, "--profile", "cn-gov-2019", "--db", "runs.db", "--format", "csv",
                   "--out", "out", cwd=tmp_path)
        assert resc.returncode == 0, resc.stderr
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".govaudit-files", "findings.csv", "notes.txt"]
        # audit: the same rule
        second = cli(*quick_audit(srv.url("/"), "out", "json"), cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".govaudit-files", "notes.txt", "report.json"]
        assert report_json(tmp_path / "out")["run_id"] != run_id


def test_a_folder_written_before_the_file_list_is_cleaned_and_a_foreign_one_is_not(tmp_path: Path) -> None:
    with small_site() as srv:
        first = cli(*quick_audit(srv.url("/"), "old", "json,csv,junit"), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        (tmp_path / "old" / ".govaudit-files").unlink()  # as an older govaudit left it
        foreign = tmp_path / "docs"
        foreign.mkdir()
        (foreign / "report.md").write_text("# someone's own notes\n", encoding="utf-8")
        (foreign / "junit.xml").write_text("<testsuites/>\n", encoding="utf-8")
        for out in ("old", "docs"):
            proc = cli(*quick_audit(srv.url("/"), out, "json"), cwd=tmp_path)
            assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "old").iterdir()) == [".govaudit-files", "report.json"]
    assert sorted(p.name for p in foreign.iterdir()) == [".govaudit-files", "junit.xml", "report.json", "report.md"]
    assert (foreign / "report.md").read_text(encoding="utf-8") == "# someone's own notes\n"


# ---- item 9 (part): an unwritable --out is found before the crawl -------------------------------


def test_an_unwritable_out_is_found_before_the_crawl(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    with small_site() as srv:
        one_line(cli(*quick_audit(srv.url("/"), "taken", "json"), cwd=tmp_path), 2, "taken", "is a file")
        one_line(cli(*quick_audit(srv.url("/"), "taken/reports", "json"), cwd=tmp_path), 4, "taken/reports")
        assert srv.log == []  # not one request (a read-only disk: tests/faults/test_disk.py)


# ---- item 6: the demo's numbers by hand --------------------------------------------------------


def readme_demo_command() -> str:
    """The `govaudit audit` line of README's "Reproduce the demo by hand" block."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("Reproduce the demo by hand", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    (line,) = [ln for ln in block.replace("\\\n", " ").splitlines() if ln.strip().startswith("govaudit audit")]
    return " ".join(line.split())


def test_readme_states_every_option_the_demo_sets() -> None:
    assert readme_demo_command() == demo_command(load_manifest(), "http://127.0.0.1:8080/")


def test_demo_serve_and_the_readme_audit_give_the_demo_numbers(demo: tuple[Path, dict[str, Any]]) -> None:
    work, report = demo
    port = free_port()
    serve = subprocess.Popen([*GOVAUDIT, "demo", "serve", "--port", str(port)], cwd=work,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert serve.stdout is not None and "demo portal on" in serve.stdout.readline()
        args = shlex.split(readme_demo_command().replace(":8080/", f":{port}/"))[1:]
        assert args[0] == "audit"
        proc = cli(*args, "--db", "byhand.db", "--out", "byhand", cwd=work)
        assert proc.returncode == 0, proc.stderr
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    byhand = report_json(work / "byhand")
    assert byhand["score"]["value"] == report["score"]["value"]
    assert byhand["score"]["grade"] == report["score"]["grade"]
    links, demo_links = byhand["checks"]["links"]["metrics"], report["checks"]["links"]["metrics"]
    assert links["broken"] == demo_links["broken"] and links["skipped"] == demo_links["skipped"]
    # every option the demo chose is in its report, and the same as the by-hand audit's
    mine = {k: v for k, v in byhand["options"].items() if k != "url"}
    assert mine == {k: v for k, v in report["options"].items() if k != "url"}
    assert report["options"]["crawl"] == {"concurrency": 16, "host_concurrency": 8, "delay": 0.0, "timeout": 5.0}
    assert report["options"]["as_of"] == load_manifest()["as_of"]
    assert report["options"]["check_options"]["links"]["skip"]


# ---- item 11: mistyped input ------------------------------------------------------------------


@pytest.mark.parametrize(("args", "words"), [
    (["runs", "--db", "typo.db"], ["no store at typo.db"]),
    (["report", "20261120-101010-abcd", "--db", "typo.db"], ["20261120-101010-abcd", "no store at typo.db"]),
    (["rescore", "20261120-101010-abcd", "--profile", "links", "--db", "typo.db"], ["no store at typo.db"]),
    (["runs"], ["no store at govaudit.db"]),
    (["audit", "http://127.0.0.1:99999/"], ["invalid port", "99999", "1 to 65535"]),
    (["audit", "http://127.0.0.1:0/"], ["invalid port"]),
    (["audit", "www.example.gov.cn"], ["did you mean http://www.example.gov.cn/"]),
    (["audit", "www.example.gov.cn/col/index.html"], ["did you mean http://www.example.gov.cn/col/index.html"]),
    (["audit", "http://127.0.0.1:9/", "--as-of", "2999-01-01"], ["--as-of 2999-01-01 is in the future"]),
])
def test_mistyped_input_is_one_line_exit_2_and_creates_nothing(tmp_path: Path, args: list[str],
                                                                words: list[str]) -> None:
    one_line(cli(*args, cwd=tmp_path), 2, *words)
    assert list(tmp_path.iterdir()) == []  # no empty database, no report folder


def test_as_of_today_is_accepted(tmp_path: Path) -> None:
    today = time.strftime("%Y-%m-%d")
    proc = cli("audit", f"http://127.0.0.1:{free_port()}/", "--as-of", today, "--timeout", "2", "--db", "r.db",
               cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr  # past the date check: the site is what fails
    assert re.search(r"refused|cannot open", proc.stderr)

