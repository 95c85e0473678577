"""Evidence files (screenshots) kept with their run, and runs marked "interrupted", on both engines
(an SQLite file and the suite's PostgreSQL server); a store of schema 1 is migrated in place
(issue 12, items 4 and 9)."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from govaudit.errors import UsageError
from govaudit.store import _SCHEMA, SCHEMA_VERSION, Store
from govaudit.survey.report import site_dir_name, write_missing_site_reports
from tests.store.helpers import BASE, make_page, make_result
from tests.survey.conftest import pg_server, pg_url  # noqa: F401 - the suite's PostgreSQL fixtures

AS_OF = date(2026, 11, 22)
# A real 1x1 PNG: the HTML report embeds only what it recognises as an image.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
SHOTS = {f"screenshot:{BASE}/": PNG, f"screenshot:{BASE}/news/3.html": PNG + b"\x00tail"}


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "govaudit.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as s:
        yield s


def test_evidence_is_kept_with_the_run(store: Store) -> None:
    run_id = store.new_run(f"{BASE}/", {"profile": "cn-gov-2019"}, AS_OF)
    store.add_page(run_id, make_page(0))
    assert store.evidence(run_id) == {}
    store.finish_run(run_id, make_result(run_id), SHOTS)
    assert store.evidence(run_id) == SHOTS  # bytes exactly, NUL included
    store.save_evidence(run_id, {f"screenshot:{BASE}/": b"\x89PNG other"})  # the same name replaces
    assert store.evidence(run_id)[f"screenshot:{BASE}/"] == b"\x89PNG other"
    other = store.new_run(f"{BASE}/", {}, AS_OF)
    assert store.evidence(other) == {}  # one run's evidence is its own
    with pytest.raises(UsageError, match="unknown run id"):
        store.evidence("no-such-run")


def test_interrupted_runs_are_listed_so_and_resume(store: Store) -> None:
    run_id = store.new_run(f"{BASE}/", {}, AS_OF)
    store.add_page(run_id, make_page(0))
    assert store.interrupt_run(run_id)
    (row,) = store.runs()
    assert (row.status, row.pages) == ("interrupted", 1)
    store.resume_run(run_id)
    assert store.run_state(run_id) == ("running", None)
    store.finish_run(run_id, make_result(run_id))
    assert not store.interrupt_run(run_id)  # a finished run stays done
    assert store.run_state(run_id) == ("done", None)


def test_survey_site_reports_carry_the_stored_screenshots(store: Store, tmp_path: Path) -> None:
    assert store.create_survey("s", {"profile": "cn-gov-2019", "as_of": AS_OF.isoformat()})
    store.add_survey_sites("s", [(f"{BASE}/", {})])
    claim = store.claim_site("s", f"{BASE}/", "w", 60, {"profile": "cn-gov-2019"}, AS_OF)
    assert not isinstance(claim, str)
    store.finish_run(claim.run_id, make_result(claim.run_id), SHOTS)
    store.finish_site("s", f"{BASE}/", "done", summary={})
    assert write_missing_site_reports(store, "s", tmp_path, ["html"]) == 1
    folder = tmp_path / "sites" / site_dir_name(f"{BASE}/")
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == len(SHOTS)
    assert len(list((folder / "screenshots").glob("*.png"))) == len(SHOTS)


def _schema_1(con: sqlite3.Connection) -> None:
    """A store as govaudit wrote it before schema 2: no evidence table, no "interrupted" status."""
    for ddl in _SCHEMA:
        if "EXISTS evidence" in ddl:
            continue
        con.execute(ddl.replace("{blob}", "BLOB").replace("{real}", "REAL")
                    .replace("'running', 'interrupted', 'done', 'failed'", "'running', 'done', 'failed'"))
    con.execute("INSERT INTO schema_version (version) VALUES (1)")


def test_a_schema_1_sqlite_store_is_migrated_and_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    _schema_1(con)
    con.commit()
    con.close()
    with Store.open(str(db)) as store:  # written by schema 1: what a user's govaudit.db holds
        run_id = store.new_run(f"{BASE}/", {}, AS_OF)
        pages = [make_page(i) for i in range(3)]
        store.add_pages(run_id, pages)
        store.finish_run(run_id, make_result(run_id))
    con = sqlite3.connect(db)
    con.execute("UPDATE schema_version SET version = 1")  # as if a schema-1 govaudit had written it all
    con.commit()
    con.close()
    with Store.open(str(db)) as store:
        assert store.pages(run_id) == pages  # the rebuild of runs cascaded nothing away
        assert store.load_result(run_id) == make_result(run_id)
        second = store.new_run(f"{BASE}/", {}, AS_OF)
        assert store.interrupt_run(second)
        store.save_evidence(second, SHOTS)
        assert store.evidence(second) == SHOTS
    con = sqlite3.connect(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def test_a_schema_1_postgres_store_is_migrated(pg_url: str) -> None:  # noqa: F811 - fixture
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        for ddl in _SCHEMA:
            if "EXISTS evidence" not in ddl:
                con.execute(ddl.replace("{blob}", "BYTEA").replace("{real}", "DOUBLE PRECISION")
                            .replace("'running', 'interrupted', 'done', 'failed'", "'running', 'done', 'failed'"))
        con.execute("INSERT INTO schema_version (version) VALUES (1)")
        con.execute("INSERT INTO runs (id, site_url, started_at, status, options) "
                    "VALUES ('old-run', 'http://x/', '2026-11-01T00:00:00+00:00', 'running', '{}')")
    with Store.open(pg_url) as store:
        assert store.interrupt_run("old-run")
        store.save_evidence("old-run", SHOTS)
        assert store.evidence("old-run") == SHOTS
        assert [r.status for r in store.runs()] == ["interrupted"]
    with psycopg.connect(pg_url, autocommit=True) as con:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_reading_commands_never_create_a_store(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no store at"):
        Store.open(str(tmp_path / "typo.db"), create=False)
    assert list(tmp_path.iterdir()) == []
    other = tmp_path / "other.db"  # an SQLite file of some other program: left as it was
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.commit()
    con.close()
    with pytest.raises(UsageError, match="no govaudit store"):
        Store.open(str(other), create=False)
    con = sqlite3.connect(other)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["notes"]
    con.close()
