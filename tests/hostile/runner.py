"""Run the real `govaudit` command as a subprocess and collect what a user would see.

Exit code, stdout, stderr, wall time, the child's own peak RSS (from wait4, so other tests'
processes do not count), report.json and the SQLite store it wrote.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govaudit.model import Page
from govaudit.store import Store

REPO = Path(__file__).resolve().parents[2]
_SCRIPT = Path(sys.executable).parent / "govaudit"
# The installed console script, as a user runs it (the module when the venv has no script).
GOVAUDIT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "govaudit.cli"]
# Politeness lifted for loopback, short limits so every hostile behaviour ends fast.
FAST = ["--delay", "0", "--host-concurrency", "16", "--concurrency", "32", "--timeout", "2"]
# Pages are read up to 1 MiB here (the default is 5 MiB): the bound is what is tested, not its size.
MAX_BYTES = 1024 * 1024


@dataclass
class CliRun:
    args: list[str]
    code: int
    stdout: str
    stderr: str
    elapsed_s: float
    peak_rss_mb: float
    out: Path
    db: Path

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.out / "report.json").read_text(encoding="utf-8"))

    def findings(self, check: str = "links") -> list[dict[str, Any]]:
        return list(self.report["checks"][check]["findings"])

    def pages(self) -> dict[str, Page]:
        """The pages the store holds for the newest run, by requested URL (read through the
        store's own API, as `govaudit report` and `--resume` do)."""
        with Store.open(str(self.db)) as store:
            run = store.runs(limit=1)[0]
            return {p.url: p for p in store.pages(run.id)}

    def run_ids(self) -> list[str]:
        with Store.open(str(self.db)) as store:
            return [r.id for r in store.runs()]

    def assert_clean_stderr(self, max_lines: int = 3) -> None:
        """No traceback, and every problem said in one line."""
        assert "Traceback" not in self.stderr, self.stderr[-3000:]
        assert "Error:" not in self.stderr or self.stderr.count("\n") <= max_lines, self.stderr[-3000:]
        assert self.stderr.count("\n") <= max_lines, self.stderr[-3000:]


def run_cli(args: list[str], tmp: Path, *, limit_s: float = 90.0, name: str = "run",
            extra_env: dict[str, str] | None = None, preexec: Any = None) -> CliRun:
    """`govaudit <args>` with --out/--db under `tmp` unless the args give them."""
    out = tmp / f"{name}-out"
    db = tmp / f"{name}.db"
    full = list(args)
    if args and args[0] == "audit":
        if "--out" in full:
            out = Path(full[full.index("--out") + 1])
        else:
            full += ["--out", str(out)]
        if "--db" in full:
            db = Path(full[full.index("--db") + 1])
        else:
            full += ["--db", str(db)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVAUDIT_")}
    env.update({"NO_COLOR": "1", "TERM": "dumb", "PYTHONPATH": str(REPO)})
    env.update(extra_env or {})
    started = time.monotonic()
    proc = subprocess.Popen([*GOVAUDIT, *full], cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, preexec_fn=preexec)
    # Read both pipes on threads so a chatty child never blocks; wait4 gives its own peak RSS.
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream: Any) -> None:
        chunks[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    status = rusage = None
    hwm_kb = 0
    while True:
        hwm_kb = max(hwm_kb, _peak_rss_kb(proc.pid))
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > limit_s:
            os.kill(proc.pid, signal.SIGKILL)
            _, status, rusage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join(10)
    assert elapsed <= limit_s, f"govaudit {' '.join(args)[:200]} ran over {limit_s}s and was killed"
    return CliRun(args=full, code=proc.returncode, stdout=chunks.get("out", b"").decode("utf-8", "replace"),
                  stderr=chunks.get("err", b"").decode("utf-8", "replace"), elapsed_s=elapsed,
                  peak_rss_mb=(hwm_kb or rusage.ru_maxrss) / 1024, out=out, db=db)


_OWN_CMDLINE = Path(f"/proc/{os.getpid()}/cmdline").read_bytes()


def _peak_rss_kb(pid: int) -> int:
    """The child's own high-water RSS (VmHWM), read while it runs, once it is the govaudit program.

    wait4's ru_maxrss is no good here: Linux keeps the high-water mark across fork+exec, so a child
    forked from a pytest process that has grown to 370 MB reports at least that much."""
    try:
        if Path(f"/proc/{pid}/cmdline").read_bytes() == _OWN_CMDLINE:
            return 0  # still between fork and exec: the numbers are the parent's
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def write_config(folder: Path, **crawl: object) -> Path:
    """A govaudit.toml with a [crawl] table (small body cap unless given)."""
    settings = {"max_bytes": MAX_BYTES, **crawl}
    lines = ["[crawl]"] + [f"{k} = {_toml(v)}" for k, v in settings.items()]
    path = folder / "govaudit.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)
