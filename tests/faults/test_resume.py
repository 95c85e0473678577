"""kill -9 in the middle of a crawl, then `govaudit audit … --resume RUN_ID` (issue #7, section 3).

The resumed audit must complete, lose nothing the killed one had stored, fetch no stored page
again and store nothing twice; the SQLite file (WAL) must pass its integrity check throughout.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from govaudit.audit import PageBatch
from govaudit.store import unpack_links
from tests.hostile.runner import GOVAUDIT, REPO, run_cli
from tests.support.server import LocalServer, Reply

PAGES = 240  # /p/0.html … /p/239.html, plus the home page
SLOW_S = 0.03  # per response: slow enough to kill the crawl half-way


def broken_targets() -> set[str]:
    return {f"/gone/{i}.html" for i in range(0, PAGES, 40)}


def site_page(req: BaseHTTPRequestHandler) -> Reply:
    time.sleep(SLOW_S)
    path = req.path.split("?", 1)[0]
    if path == "/":
        links = "".join(f'<a href="/p/{i}.html">{i}</a>' for i in range(0, PAGES, 12))
        return Reply(body=f"<title>首页</title>{links}")
    if path.startswith("/p/") and path.endswith(".html"):
        i = int(path[3:-5])
        if 0 <= i < PAGES:
            nxt = "".join(f'<a href="/p/{(i + k) % PAGES}.html">n{k}</a>' for k in (1, 2, 3))
            gone = f'<a href="/gone/{i}.html">gone</a>' if i % 40 == 0 else ""
            return Reply(body=f"<title>第{i}页</title><p>{'内容' * 50}</p>{nxt}{gone}")
    return Reply(status=404, body="<title>404</title>")


def stored_pages(db: Path) -> dict[str, str]:
    """url -> fetched_at of every stored page, read without disturbing a live writer."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return dict(con.execute("SELECT url, fetched_at FROM pages"))
    except sqlite3.OperationalError:
        return {}  # the schema is not there yet
    finally:
        con.close()


def audit_args(url: str, tmp: Path) -> list[str]:
    return ["audit", url, "--profile", "links", "--checks", "links", "--format", "json", "--as-of", "2026-11-22",
            "--delay", "0", "--concurrency", "2", "--host-concurrency", "2", "--timeout", "5",
            "--max-pages", "1000", "--max-depth", "300", "--db", str(tmp / "store.db"), "--out", str(tmp / "out")]


def test_kill_9_mid_crawl_then_resume_loses_nothing_and_stores_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with LocalServer(fallback=site_page) as srv:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVAUDIT_")}
        env.update({"NO_COLOR": "1", "TERM": "dumb", "PYTHONPATH": str(REPO)})
        child = subprocess.Popen([*GOVAUDIT, *audit_args(srv.url("/"), tmp_path)], cwd=tmp_path, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            before: dict[str, str] = {}
            while time.monotonic() < deadline and len(before) < 60 and child.poll() is None:
                time.sleep(0.1)
                before = stored_pages(db) if db.exists() else {}
            assert child.poll() is None, "the audit finished before it could be killed: slow the site down"
            assert len(before) >= 60
            os.kill(child.pid, signal.SIGKILL)
            served = {p for m, p in srv.log if m == "GET" and p.startswith("/p/")}

        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
        assert child.returncode == -signal.SIGKILL
        before = stored_pages(db)  # what the killed audit had committed
        assert 60 <= len(before) < PAGES
        # Pages are stored in batches: the kill lost at most the last batch (and what was in flight).
        lost = served - {u[len(srv.url("")):] for u in before}
        assert len(lost) <= PageBatch(None, None).size + 2, len(lost)
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ((run_id, status),) = con.execute("SELECT id, status FROM runs").fetchall()
        con.close()
        assert status == "running"

        log_start = len(srv.log)
        resumed = run_cli([*audit_args(srv.url("/"), tmp_path), "--resume", run_id], tmp_path, limit_s=90)
        refetched = [p for m, p in srv.log[log_start:] if m == "GET" and srv.url(p) in before]

    assert resumed.code == 0, resumed.stderr
    resumed.assert_clean_stderr(max_lines=0)
    report = resumed.report
    # It completed: every page of the site, and every broken link, as an uninterrupted audit finds.
    after = stored_pages(db)
    assert set(after) >= {srv.url("/")} | {srv.url(f"/p/{i}.html") for i in range(PAGES)}
    assert report["crawl"]["pages"] == len(after)
    broken = {f["target"][len(srv.url("")):] for f in report["checks"]["links"]["findings"]
              if f["rule"] == "broken-link"}
    assert broken == broken_targets()
    # Nothing lost: each page stored before the kill is still there, as it was (not fetched again).
    assert {u: after[u] for u in before} == before
    assert refetched == []
    # Nothing twice: one run, one row per page, one row per link position, findings unique.
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT id, status FROM runs").fetchall() == [(run_id, "done")]
        packs = con.execute("SELECT url, links_z FROM pages").fetchall()
        for url, packed in packs:  # one packed list per page, no link in it twice
            links = unpack_links(packed, str(db)) if packed else []
            keys = [(lk.url, lk.element, lk.attr) for lk in links]
            assert len(keys) == len(set(keys)), url
        assert con.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 0
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    keys = Counter((f["rule"], f["page"], f["target"]) for f in report["checks"]["links"]["findings"])
    assert max(keys.values()) == 1
    assert report["run_id"] == run_id


def test_resume_of_an_unknown_run_is_one_clear_line(tmp_path: Path) -> None:
    bad = "no-such-run"
    with LocalServer(fallback=site_page) as srv:
        first = run_cli(audit_args(srv.url("/"), tmp_path) + ["--max-pages", "3"], tmp_path, name="first")
        assert first.code == 0, first.stderr
        run = run_cli([*audit_args(srv.url("/"), tmp_path), "--resume", bad], tmp_path)
    assert run.code == 2
    run.assert_clean_stderr(max_lines=1)
    assert f"unknown run id {bad!r}" in run.stderr


def test_resume_with_another_sites_url_is_refused(tmp_path: Path) -> None:
    with LocalServer(fallback=site_page) as srv, LocalServer(fallback=site_page) as other:
        first = run_cli(audit_args(srv.url("/"), tmp_path) + ["--max-pages", "3"], tmp_path, name="first")
        assert first.code == 0, first.stderr
        (run_id,) = first.run_ids()
        log_start = len(other.log)
        run = run_cli([*audit_args(other.url("/"), tmp_path), "--resume", run_id], tmp_path)
        assert other.log[log_start:] == []  # refused before any request
    assert run.code == 2
    run.assert_clean_stderr(max_lines=1)
    assert run_id in run.stderr and srv.url("/") in run.stderr
