"""The SQLite store on real files in tmp_path: round trips, idempotence, WAL, kills and bad paths."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from govaudit.errors import StoreError, UsageError
from govaudit.profiles import load_profile
from govaudit.scoring import score
from govaudit.store import SCHEMA_VERSION, Store, unpack_links
from tests.store.helpers import make_page, make_result

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 22)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "runs" / "govaudit.db"  # a folder that does not exist yet


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


# ---- round trips ----------------------------------------------------------------------------------


def test_full_round_trip(db: Path) -> None:
    with Store.open(str(db)) as store:
        run_id = store.new_run("http://127.0.0.1:8080/", {"profile": "cn-gov-2019", "max_pages": 10}, AS_OF)
        assert len(run_id) == 20 and run_id[8] == "-" and run_id[15] == "-"
        pages = [make_page(i) for i in range(6)]
        for p in pages:
            store.add_page(run_id, p)
        assert [r.status for r in store.runs()] == ["running"]
        result = make_result(run_id)
        store.finish_run(run_id, result)
    # a fresh process-like reopen reads everything back
    with Store.open(str(db)) as store:
        assert store.pages(run_id) == pages
        assert store.pages(run_id)[3].text == pages[3].text
        assert store.load_result(run_id) == result
        (row,) = store.runs()
        assert (row.id, row.status, row.profile, row.as_of, row.pages) == (run_id, "done", "cn-gov-2019", AS_OF, 6)
        assert (row.value, row.grade) == (result.scored.score.value, result.scored.score.grade)
        assert store.scores(run_id) == {"cn-gov-2019": result.scored}
    con = raw(db)
    rows = con.execute("SELECT check_id, id, rule, status, page, evidence FROM findings ORDER BY pos").fetchall()
    assert [r[1] for r in rows] == ["f-1", "f-2", "f-3", "f-4", "f-5"]
    assert rows[0][0] == "links" and rows[0][3] == "404" and rows[1][3] == "timeout"
    assert '"on_home":true' in rows[0][5]
    # schema 3: a page's links are one packed value on its row, not a row each
    assert con.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM pages WHERE links_z IS NOT NULL").fetchone()[0] == 6
    score = result.scored.score
    assert con.execute("SELECT grade, passed FROM scores").fetchone() == (score.grade, int(score.passed))
    con.close()


def test_add_page_is_idempotent(db: Path) -> None:
    with Store.open(str(db)) as store:
        run_id = store.new_run("http://127.0.0.1:8080/", {}, AS_OF)
        first, second = make_page(0), make_page(1)
        store.add_page(run_id, first)
        store.add_page(run_id, second)
        store.add_page(run_id, first)  # the same page stored again
        again = replace(make_page(1), title="updated", links=make_page(1).links[:1])
        store.add_page(run_id, again)  # a refetch replaces, links included
        assert store.pages(run_id) == [first, again]  # first-stored order kept
    con = raw(db)
    assert con.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 2
    packed = con.execute("SELECT links_z FROM pages WHERE url = ?", (again.url,)).fetchone()[0]
    assert len(unpack_links(packed, "test")) == 1
    con.close()


def test_finish_twice_and_rescore(db: Path) -> None:
    with Store.open(str(db)) as store:
        run_id = store.new_run("http://127.0.0.1:8080/", {"profile": "cn-gov-2019"}, AS_OF)
        result = make_result(run_id)
        store.finish_run(run_id, result)
        store.finish_run(run_id, result)  # a retried finish does not duplicate findings
        rescored = score(load_profile("links"), result.checks)
        store.save_score(run_id, rescored)
        store.save_score(run_id, rescored)
        scores = store.scores(run_id)
        assert sorted(scores) == ["cn-gov-2019", "links"]
        assert scores["links"] == rescored and scores["links"].score.grade == "fail"
        # the run's own row still shows the audit's profile
        (row,) = store.runs()
        assert (row.profile, row.grade) == ("cn-gov-2019", result.scored.score.grade)
    con = raw(db)
    assert con.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 5
    assert con.execute("SELECT COUNT(*) FROM scores").fetchone()[0] == 2
    con.close()


def test_fail_run_and_listing_order(db: Path) -> None:
    with Store.open(str(db)) as store:
        ids = [store.new_run(f"http://127.0.0.1:{8000 + n}/", {}, AS_OF) for n in range(3)]
        store.fail_run(ids[1], "cannot open http://127.0.0.1:8001/: refused")
        rows = store.runs(limit=50)
        assert len({r.id for r in rows}) == 3
        failed = [r for r in rows if r.id == ids[1]][0]
        assert (failed.status, failed.error) == ("failed", "cannot open http://127.0.0.1:8001/: refused")
        assert failed.finished_at and failed.value is None
        assert len(store.runs(limit=2)) == 2
        with pytest.raises(UsageError, match="has no result .status failed."):
            store.load_result(ids[1])
        with pytest.raises(UsageError, match="has no result .status running."):
            store.load_result(ids[0])
        with pytest.raises(UsageError, match="limit must be"):
            store.runs(limit=0)


def test_unknown_run_id_is_usage_error(db: Path) -> None:
    with Store.open(str(db)) as store:
        result = make_result("nope")
        calls = [
            lambda: store.add_page("nope", make_page(0)), lambda: store.pages("nope"),
            lambda: store.finish_run("nope", result), lambda: store.fail_run("nope", "x"),
            lambda: store.load_result("nope"), lambda: store.save_score("nope", result.scored),
            lambda: store.scores("nope"),
        ]
        for call in calls:
            with pytest.raises(UsageError, match="unknown run id 'nope'"):
                call()
        assert store.runs() == []


# ---- the database itself -------------------------------------------------------------------------


def test_wal_foreign_keys_and_schema_version(db: Path) -> None:
    store = Store.open(str(db))
    store.new_run("http://127.0.0.1:8080/", {}, AS_OF)
    con = raw(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    con.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO pages (run_id, url, seq, final_url, depth, content_type, elapsed_ms, size, "
                    "title, fetched_at, extra) VALUES ('ghost', 'u', 1, 'u', 0, '', 0, 0, '', '', '{}')")
    con.close()
    store.close()
    Store.open(str(db)).close()  # reopening does not add a second version row
    con = raw(db)
    assert con.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1
    con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    newer = rf"written by a newer govaudit \(schema {SCHEMA_VERSION + 1}, this version reads {SCHEMA_VERSION}\)"
    with pytest.raises(StoreError, match=newer):
        Store.open(str(db))


def test_dropped_connection_leaves_a_resumable_run(db: Path) -> None:
    store = Store.open(str(db))
    run_id = store.new_run("http://127.0.0.1:8080/", {"profile": "cn-gov-2019"}, AS_OF)
    pages = [make_page(i) for i in range(4)]
    for p in pages:
        store.add_page(run_id, p)
    store._conn.close()  # noqa: SLF001 - the connection goes away without finish_run or close()
    with Store.open(str(db)) as again:
        (row,) = again.runs()
        assert (row.id, row.status, row.pages) == (run_id, "running", 4)
        assert again.pages(run_id) == pages
        again.add_page(run_id, make_page(4))  # the resumed crawl goes on
        again.finish_run(run_id, make_result(run_id))
        assert again.runs()[0].status == "done"


CHILD = """
import sys
from datetime import date
from govaudit.store import Store
from tests.store.helpers import make_page
store = Store.open(sys.argv[1])
run_id = store.new_run("http://127.0.0.1:8080/", {"profile": "cn-gov-2019"}, date(2026, 11, 22))
print(run_id, flush=True)
i = 0
while True:
    store.add_page(run_id, make_page(i, size=2000))
    print(i, flush=True)
    i += 1
"""


def test_kill_9_mid_crawl_leaves_a_consistent_store(db: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, text=True,
                             cwd=REPO, env=env)
    try:
        assert child.stdout is not None
        run_id = child.stdout.readline().strip()
        seen = -1
        deadline = time.monotonic() + 60
        while seen < 40 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            seen = int(line)
        assert seen >= 40, "the child stopped writing early"
        os.kill(child.pid, signal.SIGKILL)  # no cleanup, mid-write
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    con = raw(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with Store.open(str(db)) as store:
        (row,) = store.runs()
        assert (row.id, row.status) == (run_id, "running")
        pages = store.pages(run_id)
        assert len(pages) >= seen + 1  # every page the child reported stored (maybe one more)
        assert pages == [make_page(i, size=2000) for i in range(len(pages))]


# ---- opening: URLs, paths and failures -----------------------------------------------------------


def test_open_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Store.open(None).close()
    assert (tmp_path / "govaudit.db").is_file()
    Store.open("sqlite:///rel/a.db").close()
    assert (tmp_path / "rel" / "a.db").is_file()
    absolute = tmp_path / "abs" / "b.db"
    Store.open(f"sqlite:///{absolute}").close()  # sqlite:////tmp/... -> /tmp/...
    assert absolute.is_file()
    # a PostgreSQL URL goes to psycopg (tests/store/test_engines.py runs a real server); an unknown host
    # is one clear line, not a traceback
    with pytest.raises(StoreError, match="cannot connect to the store postgresql://user@db.invalid/govaudit"):
        Store.open("postgresql://user@db.invalid/govaudit")
    with pytest.raises(UsageError, match="unsupported store URL 'mysql://x/y'"):
        Store.open("mysql://x/y")
    with pytest.raises(UsageError, match="invalid store URL"):
        Store.open("sqlite://")


def one_line_store_error(target: str) -> str:
    with pytest.raises(StoreError) as info:
        Store.open(target)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_path_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert one_line_store_error(str(blocker / "govaudit.db")) == (
        f"cannot create the store {blocker / 'govaudit.db'}: {blocker} is a file, not a folder")
    message = one_line_store_error(str(blocker / "deeper" / "govaudit.db"))
    assert message.startswith(f"cannot create the store's folder {blocker / 'deeper'}")


@pytest.fixture
def unwritable_dir(tmp_path: Path) -> Path:
    """A directory where no file can be created. Root ignores chmod, so for root use /sys: sysfs
    refuses new files to everyone."""
    if os.geteuid() == 0:
        return Path("/sys")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return ro


def test_read_only_directory(unwritable_dir: Path) -> None:
    target = unwritable_dir / "govaudit-test.db"
    message = one_line_store_error(str(target))
    assert message == f"cannot open the store {target}: the file cannot be created or opened (is the folder writable?)"
    assert not target.exists()


def test_not_a_database_and_a_directory(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite, just a text file that is long enough to look like a header" * 20)
    assert one_line_store_error(str(junk)) == f"{junk} is not a govaudit store (not an SQLite database)"
    assert one_line_store_error(str(tmp_path)) == f"cannot open the store {tmp_path}: it is a directory"


def test_full_database_is_a_store_error_and_keeps_earlier_pages(db: Path) -> None:
    store = Store.open(str(db))
    run_id = store.new_run("http://127.0.0.1:8080/", {}, AS_OF)
    store.add_page(run_id, make_page(0))
    used = store._conn.execute("PRAGMA page_count").fetchone()[0]  # noqa: SLF001
    # SQLite's own size limit: the same SQLITE_FULL a full disk gives, without filling the disk
    store._conn.execute(f"PRAGMA max_page_count = {used + 4}")  # noqa: SLF001
    stored = 1
    with pytest.raises(StoreError) as info:
        for i in range(1, 200):
            store.add_page(run_id, make_page(i, size=3000))
            stored += 1
    assert str(info.value) == f"cannot write the store {db}: the disk or database is full"
    assert len(store.pages(run_id)) == stored  # the failed write left nothing half-done
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.pages(run_id)
    con = raw(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
