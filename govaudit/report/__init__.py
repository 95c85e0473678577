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


MANIFEST = ".govaudit-files"  # in a report folder: the files govaudit wrote there, one a line


def write_reports(result: AuditResult, out_dir: Path, formats: list[str],
                  assets: dict[str, bytes] | None = None) -> list[Path]:
    """Write the chosen formats into `out_dir` (created if needed); returns the files written.

    With `assets`, its screenshots go to `out_dir/screenshots/` (and are embedded in the HTML).
    The folder then holds one run's reports, never a mix of two: govaudit's own files from an
    earlier write there (listed in `.govaudit-files`, or the report files beside a govaudit
    report.json written before that list existed) that this write does not replace are removed.
    Nothing else in the folder is touched.

    Unknown formats are a UsageError before anything is written; a folder or disk that cannot take
    the files is a StoreError with one line naming the path and the reason.
    """
    from govaudit.browser.screens import save_screenshots

    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in _RENDERERS]
    if unknown:
        raise UsageError(f"unknown report format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    texts = {fmt: render(result, fmt, assets) for fmt in wanted}
    ensure_writable(out_dir)
    before = previous_files(out_dir)
    written = []
    for fmt, text in texts.items():
        target = out_dir / FILENAMES[fmt]
        # Lone surrogates (undecodable bytes kept from a page) cannot be UTF-8: they become "?".
        _write_atomic(target, text.encode("utf-8", "replace"))
        written.append(target)
    shots = save_screenshots(out_dir, assets or {})
    if shots:
        shots.append(shots[0].parent / "index.json")
    mine = {p.relative_to(out_dir).as_posix() for p in [*written, *shots]}
    for name in sorted(before - mine):
        _remove_stale(out_dir, name)
    _write_atomic(out_dir / MANIFEST, "".join(f"{n}\n" for n in sorted(mine)).encode("utf-8"))
    return written + ([shots[0].parent] if shots else [])


def ensure_writable(out_dir: Path) -> None:
    """Create the report folder and prove a file can be written there, or a one-line StoreError
    (exit 4): `audit` calls it before the crawl, so an unwritable --out costs no network work."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"cannot create report folder {out_dir}: a file of that name is in the way") from None
    except OSError as exc:
        raise StoreError(f"cannot create report folder {out_dir}: {exc.strerror or exc}") from None
    try:
        fd, probe = tempfile.mkstemp(dir=out_dir, prefix=".govaudit-probe.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise StoreError(f"cannot write reports into {out_dir}: {exc.strerror or exc}") from None


def previous_files(out_dir: Path) -> set[str]:
    """govaudit's own files from an earlier write into `out_dir` (paths relative to it)."""
    try:
        listed = (Path(out_dir) / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        listed = _legacy_files(Path(out_dir))
    return {n for n in listed if n and _is_own_name(n)}


def _legacy_files(out_dir: Path) -> list[str]:
    """A folder written before the manifest existed: its report files count as govaudit's only
    when its report.json says it is a govaudit report."""
    try:
        with open(out_dir / FILENAMES["json"], encoding="utf-8") as fh:
            head = fh.read(4096)
    except OSError:
        return []
    if '"schema": "govaudit.report/' not in head:
        return []
    names = list(FILENAMES.values())
    index = out_dir / "screenshots" / "index.json"
    try:
        shots = json.loads(index.read_text(encoding="utf-8"))
        names += [f"screenshots/{n}" for n in shots.values() if isinstance(n, str)] + ["screenshots/index.json"]
    except (OSError, ValueError, AttributeError):
        pass
    return names


def _is_own_name(name: str) -> bool:
    """Only names govaudit writes: a report file, or a screenshot in screenshots/ (a hand-edited
    manifest can never make it remove anything else)."""
    if name in FILENAMES.values():
        return True
    parts = name.split("/")
    return (len(parts) == 2 and parts[0] == "screenshots" and ".." not in parts
            and (parts[1] == "index.json" or parts[1].endswith(".png")))


def _remove_stale(out_dir: Path, name: str) -> None:
    target = out_dir / name
    try:
        if target.is_file() and not target.is_symlink():
            target.unlink()
        if name.startswith("screenshots/"):
            target.parent.rmdir()  # only when it is now empty
    except OSError:
        pass  # a file that will not go leaves a stale file, never a failed report


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
