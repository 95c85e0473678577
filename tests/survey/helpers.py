"""Running the real `govaudit` command and reading what a survey stored."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOVAUDIT = Path(sys.executable).parent / "govaudit"
AS_OF = "2026-11-22"
FAST = ["--delay", "0", "--timeout", "5"]  # loopback portals: no politeness delay needed


def env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO), GOVAUDIT_DEBUG="1")


def govaudit(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GOVAUDIT), *args], capture_output=True, text=True, cwd=cwd or REPO, env=env(),
                          timeout=timeout)


def start(*args: str, cwd: Path | None = None, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen([str(GOVAUDIT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=cwd or REPO, env=env(), **kw)  # type: ignore[call-overload]


def sqlite_rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read a store file the way another process would, without the store code."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


class RequestClock:
    """Records when each portal (address:port) was asked for a page, to see which audits overlapped."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[tuple[str, int], list[float]] = defaultdict(list)

    def __call__(self, req: BaseHTTPRequestHandler) -> None:
        addr = req.server.server_address
        with self.lock:
            self.times[(str(addr[0]), int(addr[1]))].append(time.monotonic())

    def windows(self) -> dict[tuple[str, int], tuple[float, float]]:
        with self.lock:
            return {k: (min(v), max(v)) for k, v in self.times.items() if v}

    def max_overlap(self, address: str | None = None) -> int:
        """The most portals (of one address, or all) being crawled at one instant."""
        spans = [w for (a, _), w in self.windows().items() if address is None or a == address]
        events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda x: (x[0], x[1]))
        best = cur = 0
        for _, step in events:
            cur += step
            best = max(best, cur)
        return best
