"""write_reports: every format to a real folder, atomically; bad formats and unwritable targets
end with one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from govaudit.errors import StoreError, UsageError
from govaudit.model import AuditResult
from govaudit.report import FILENAMES, FORMATS, MANIFEST, write_reports
from govaudit.report.jsonreport import validate_report

ROOT = Path(__file__).resolve().parents[2]


def test_public_constants() -> None:
    assert FORMATS == ("json", "html", "md", "csv", "sarif", "junit")
    assert FILENAMES == {"json": "report.json", "html": "report.html", "md": "report.md", "csv": "findings.csv",
                         "sarif": "report.sarif", "junit": "junit.xml"}


def test_writes_every_format(result: AuditResult, tmp_path: Path) -> None:
    out = tmp_path / "runs" / "r1"
    paths = write_reports(result, out, list(FORMATS))
    assert paths == [out / FILENAMES[f] for f in FORMATS]
    # no temp files left; the list of govaudit's own files beside them (see test_first_hour.py)
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILENAMES.values(), MANIFEST])
    assert (out / MANIFEST).read_text(encoding="utf-8").split() == sorted(FILENAMES.values())
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["site"]["title"] == "某某县人民政府"
    assert "某某县人民政府" in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "findings.csv").read_bytes().startswith(b"\xef\xbb\xbfid,check,rule")
    assert json.loads((out / "report.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    ET.parse(out / "junit.xml")
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Inspection report: 某某县人民政府")
    assert oct((out / "report.json").stat().st_mode & 0o777) == "0o644"


def test_overwrites_in_place_and_writes_only_what_was_asked(result: AuditResult, tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text("old", encoding="utf-8")
    write_reports(result, tmp_path, ["json", "json", "md"])
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["schema"] == "govaudit.report/1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "report.json", "report.md"]


def test_unknown_format_writes_nothing(result: AuditResult, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^unknown report format 'pdf'; choose from json, html, md, csv, sarif, junit$"):
        write_reports(result, tmp_path / "out", ["json", "pdf"])
    assert not (tmp_path / "out").exists()


def test_a_report_that_breaks_the_contract_is_never_written(result: AuditResult, tmp_path: Path) -> None:
    result.scored.indicators[0].kind = "penalty"  # a scoring bug
    with pytest.raises(ValueError, match=r"\$\.indicators\[0\]\.kind"):
        write_reports(result, tmp_path, ["html", "json"])
    assert list(tmp_path.iterdir()) == []


def test_folder_under_a_file_is_a_store_error(result: AuditResult, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError) as err:
        write_reports(result, blocker / "out", ["json"])
    assert str(err.value) == f"cannot create report folder {blocker / 'out'}: Not a directory"


def test_target_name_taken_by_a_folder_is_a_store_error(result: AuditResult, tmp_path: Path) -> None:
    (tmp_path / "report.html").mkdir()
    with pytest.raises(StoreError, match=r"^cannot write report .*report\.html: Is a directory$"):
        write_reports(result, tmp_path, ["html"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # the temp file was removed


def test_full_disk_is_a_store_error_and_leaves_no_partial_file(tmp_path: Path) -> None:
    # A file-size limit makes write() fail mid-file exactly as a full disk does (EFBIG instead of ENOSPC),
    # without root or a special mount. It runs in a child so the limit cannot touch the test process.
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from tests.report.builders import build_result
        from govaudit.errors import StoreError
        from govaudit.report import write_reports
        out = Path({str(tmp_path)!r})
        (out / "report.html").write_text("previous report", encoding="utf-8")
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
        try:
            write_reports(build_result(), out, ["html"])
        except StoreError as exc:
            print("STORE:" + str(exc))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.strip()
    assert line.startswith(f"STORE:cannot write report {tmp_path / 'report.html'}: "), line
    assert "\n" not in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "previous report"  # untouched


def test_undecodable_text_from_a_page_still_writes(result: AuditResult, tmp_path: Path) -> None:
    result.site_title = "县政府\udcb7\udcfe"  # surrogate-escaped bytes a decoder could not map
    result.checks["links"].findings[0].message = "坏链\ud800"
    write_reports(result, tmp_path, list(FORMATS))
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert doc["site"]["title"].startswith("县政府")
    ET.parse(tmp_path / "junit.xml")


def test_a_bare_result_renders_in_every_format(tmp_path: Path) -> None:
    """A site that answered nothing useful: no checks ran, no indicators, no timestamps."""
    from datetime import date

    from govaudit.model import CrawlStats, Score, ScoredResult

    bare = AuditResult("r-0", "http://127.0.0.1:9/", "", date(2026, 1, 2), "", "", CrawlStats(), {},
                       ScoredResult("p", "", Score(0.0, 100.0, "n/a"), []), "0.4.0")
    write_reports(bare, tmp_path, list(FORMATS))
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert doc["checks"] == {} and doc["indicators"] == [] and "started_at" not in doc
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "(site without a title)" in html and "No findings." in html
    assert "No findings." in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert ET.parse(tmp_path / "junit.xml").getroot().get("tests") == "0"
