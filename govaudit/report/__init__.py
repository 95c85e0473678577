"""Report renderers over a scored AuditResult, and writing them to an output folder.

Every format is rendered in memory first, so a rendering bug leaves no half-written folder; then
each file is written to a temporary name beside its target and renamed over it, so a reader never
sees a truncated report.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from govaudit.errors import StoreError, UsageError
from govaudit.model import AuditResult

FORMATS = ("json", "html", "md", "csv", "sarif", "junit")
FILENAMES = {
    "json": "report.json",
    "html": "report.html",
    "md": "report.md",
    "csv": "findings.csv",
    "sarif": "report.sarif",
    "junit": "junit.xml",
}


def _json(result: AuditResult, assets: dict[str, bytes] | None) -> str:
    from govaudit.report.jsonreport import to_report, validate_report

    doc = to_report(result)
    validate_report(doc)  # our own bug if this fails: it must never reach a reader
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _html(result: AuditResult, assets: dict[str, bytes] | None) -> str:
    from govaudit.report.html import render_html

    return render_html(result, assets)


def _md(result: AuditResult, assets: dict[str, bytes] | None) -> str:
    from govaudit.report.markdown import render_markdown

    return render_markdown(result)


def _csv(result: AuditResult, assets: dict[str, bytes] | None) -> str:
    from govaudit.report.csvreport import render_findings_csv

    return "\ufeff" + render_findings_csv(result)  # the BOM makes Excel read UTF-8 (Chinese) text


def _sarif(result: AuditResult, assets: dict[str, bytes] | None) -> str:
    from govaudit.report.sarif import render_sarif

    # Compact: SARIF is read by machines, and code-scanning uploads have size limits.
    return json.dumps(render_sarif(result), ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _junit(result: AuditResult, assets: dict[str, bytes] | None) -> str:
    from govaudit.report.junit import render_junit

    return render_junit(result)


_RENDERERS: dict[str, Callable[[AuditResult, dict[str, bytes] | None], str]] = {
    "json": _json, "html": _html, "md": _md, "csv": _csv, "sarif": _sarif, "junit": _junit,
}


def render(result: AuditResult, fmt: str, assets: dict[str, bytes] | None = None) -> str:
    """One format as text, exactly as write_reports would write it."""
    if fmt not in _RENDERERS:
        raise UsageError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    return _RENDERERS[fmt](result, assets)


def write_reports(result: AuditResult, out_dir: Path, formats: list[str],
                  assets: dict[str, bytes] | None = None) -> list[Path]:
    """Write the chosen formats into `out_dir` (created if needed); returns the files written.

    Unknown formats are a UsageError before anything is written; a folder or disk that cannot take
    the files is a StoreError with one line naming the path and the reason.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in _RENDERERS]
    if unknown:
        raise UsageError(f"unknown report format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    texts = {fmt: render(result, fmt, assets) for fmt in wanted}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create report folder {out_dir}: {exc.strerror or exc}") from None
    written = []
    for fmt, text in texts.items():
        target = out_dir / FILENAMES[fmt]
        # Lone surrogates (undecodable bytes kept from a page) cannot be UTF-8: they become "?".
        _write_atomic(target, text.encode("utf-8", "replace"))
        written.append(target)
    return written


def _write_atomic(target: Path, data: bytes) -> None:
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp makes 0600; reports are meant to be shared
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise StoreError(f"cannot write report {target}: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
