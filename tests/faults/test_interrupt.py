"""Ctrl-C and SIGTERM during an audit (issue 12, item 9), with real signals on a real subprocess.

The audit stops with one line naming the run and the `--resume` command (no traceback, no asyncio
noise), `govaudit runs` lists the run as `interrupted`, and the printed command finishes it. Ctrl-C
is sent as a terminal sends it: to the whole process group, the browser included.
"""

from __future__ import annotations

import os
import shlex
import signal
import sqlite3
import subprocess
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.hostile.runner import GOVAUDIT, REPO
from tests.support.server import LocalServer, Reply

PAGES = 200
SLOW_S = 0.05  # per response: the crawl takes seconds, so a signal lands in the middle of it


def slow_page(req: BaseHTTPRequestHandler) -> Reply:
    time.sleep(SLOW_S)
    path = req.path.split("?", 1)[0]
    if path == "/":
        return Reply(body="<title>首页</title>" + "".join(f'<a href="/p/{i}.html">{i}</a>' for i in range(0, PAGES, 10)))
    if path.startswith("/p/") and path.endswith(".html") and path[3:-5].isdigit():
        i = int(path[3:-5])
        links = "".join(f'<a href="/p/{(i + k) % PAGES}.html">n</a>' for k in (1, 2))
        return Reply(body=f"<title>第{i}页</title><p>{'内容' * 40}</p>{links}")
    return Reply(status=404, body="<title>404</title>")


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("GOVAUDIT_")}
    out.update({"NO_COLOR": "1", "TERM": "dumb", "PYTHONPATH": str(REPO)})
    return out


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return int(con.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def statuses(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at")]
    finally:
        con.close()


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for kid in children.get(todo.pop(), []):
            out.append(kid)
            todo.append(kid)
    return out


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def assert_one_line(stderr: str, *words: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    for noise in ("Traceback", "Task was destroyed", "never retrieved", "CancelledError", "Exception ignored"):
        assert noise not in stderr, stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_sigterm_mid_crawl_names_the_run_marks_it_interrupted_and_the_command_resumes_it(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with LocalServer(fallback=slow_page) as srv:
        args = ["audit", srv.url("/"), "--profile", "links", "--checks", "links", "--format", "json",
                "--as-of", "2026-11-20", "--delay", "0", "--concurrency", "2", "--host-concurrency", "2",
                "--timeout", "5", "--db", str(db), "--out", str(tmp_path / "out")]
        child = subprocess.Popen([*GOVAUDIT, *args], cwd=tmp_path, env=env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and stored(db) < 20 and child.poll() is None:
            time.sleep(0.05)
        assert child.poll() is None, "the audit finished before the signal: slow the site down"
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
        assert child.returncode == 128 + signal.SIGTERM, err
        line = assert_one_line(err, "interrupted by SIGTERM", "--resume")
        run_id = line.split("run ", 1)[1].split()[0]
        assert statuses(db) == ["interrupted"]
        kept = stored(db)
        assert kept >= 20
        listed = subprocess.run([*GOVAUDIT, "runs", "--db", str(db)], cwd=tmp_path, env=env(),
                                capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0 and f"{run_id}  interrupted" in listed.stdout, listed.stdout
        assert not (tmp_path / "out" / "report.json").exists()

        command = shlex.split(line.split("continue it with: ", 1)[1])
        assert command[0] == "govaudit" and command[-2:] == ["--resume", run_id]
        served_before = len(srv.log)
        resumed = subprocess.run([*GOVAUDIT, *command[1:]], cwd=tmp_path, env=env(), capture_output=True,
                                 text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr
        assert statuses(db) == ["done"]
        assert stored(db) > kept
        assert len(srv.log) - served_before < PAGES  # the stored pages were not fetched again


def test_ctrl_c_in_the_browser_phase_is_one_line(tmp_path: Path) -> None:
    """The demo's accessibility check drives Chromium; Ctrl-C reaches the whole process group."""
    db = tmp_path / "demo.db"
    child = subprocess.Popen([*GOVAUDIT, "demo", "--db", str(db), "--out", str(tmp_path / "out"), "--format", "json"],
                             cwd=tmp_path, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        browser: list[int] = []
        while time.monotonic() < deadline and child.poll() is None and not browser:
            browser = [p for p in descendants(child.pid) if "chrom" in cmdline(p)]
            time.sleep(0.05)
        assert child.poll() is None and browser, "the demo finished before its browser started"
        time.sleep(1.0)  # inside the browser's work, not its start
        os.killpg(child.pid, signal.SIGINT)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == 130, err
    assert_one_line(err, "interrupted by Ctrl-C", "run ")
    assert statuses(db) == ["interrupted"]
    time.sleep(0.5)
    assert not [p for p in browser if "chrom" in cmdline(p)]  # no browser process left behind
