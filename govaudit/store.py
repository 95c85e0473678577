"""The run store: runs, pages, links, findings, scores, surveys and probe samples.

SQLite (a file, no server) by default; PostgreSQL by URL for surveys shared by several machines.
Every write is one short transaction, so a process killed at any moment leaves a consistent
store: a killed audit's run stays "running" with every page it had stored, ready to resume; an
audit stopped by Ctrl-C or SIGTERM is marked "interrupted" (resumable the same way).
Evidence files a run produced (screenshots: "screenshot:<page url>" -> PNG) are kept with it in
`evidence`, so a re-render or re-score shows what the audit showed.
All SQL lives in `_SCHEMA` and `_SQL` below, written once with `?` placeholders; `_Dialect`
adapts them, so both engines go through the same code.

Migrations: `_SCHEMA` is the current shape (a new table is added there, and appears in an older
store on its next open); a change an older govaudit could not read raises SCHEMA_VERSION and adds
a step to `_MIGRATIONS`, run once, in one transaction, by the first newer govaudit that opens it.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from govaudit.errors import StoreError, UsageError
from govaudit.model import AuditResult, Hop, Link, Page, ScoredResult
from govaudit.serialize import audit_from_dict, from_dict, scored_from_dict, to_dict

SCHEMA_VERSION = 3  # 2: runs may be "interrupted"; evidence table. 3: a page's links packed in pages.links_z
DEFAULT_PATH = "govaudit.db"
RUN_STATUSES = ("running", "interrupted", "done", "failed")
SITE_STATUSES = ("pending", "running", "done", "failed")  # a survey's site; done/failed are final
_PG_LOCK_KEY = 0x60AD17  # advisory lock: two processes creating the schema at once must not race


@dataclass(slots=True)
class RunRow:
    """One line of `govaudit runs`."""

    id: str
    site_url: str
    status: str  # running | interrupted | done | failed
    started_at: str
    finished_at: str | None
    profile: str | None
    as_of: date | None
    error: str | None  # why a failed run failed
    pages: int
    value: float | None  # the score under the run's own profile, once finished
    grade: str | None


@dataclass(slots=True)
class SurveySite:
    """One site of a survey: where it stands, and its summary once audited."""

    survey_id: str
    url: str
    pos: int  # order in the input, for stable reports
    info: dict[str, Any]  # name, region, level, site_id_code, line, and any other input columns
    status: str  # one of SITE_STATUSES
    run_id: str | None = None
    worker: str | None = None  # who holds (or last held) it: "host:pid" locally, a Celery worker
    lease_until: float | None = None  # epoch seconds; a running site whose lease ran out is free
    attempts: int = 0
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None  # why a failed site failed
    summary: dict[str, Any] | None = None  # score, grade, vetoes, metrics, indicators (done sites)


@dataclass(slots=True)
class Claim:
    """A site taken for auditing, with the run that holds its pages.

    `run_status` is "running" for a fresh or killed attempt (resume it: its stored pages are kept),
    "done" or "failed" when an earlier attempt finished the run but died before marking the site.
    """

    run_id: str
    run_status: str
    pages: int = 0


@dataclass(slots=True)
class ProbeSample:
    """One availability visit of a site's home page."""

    site: str  # the site's normalised URL
    at: str  # ISO timestamp with offset
    day: str  # the calendar day (YYYY-MM-DD) the sample counts for, in the probe's time zone
    ok: bool
    status: int | None = None
    error: str | None = None  # an ERROR_WORDS word, or None
    elapsed_ms: float = 0.0
    origin: str = ""  # scheme://host[:port], to find samples of a site given by another path
    detail: dict[str, Any] = field(default_factory=dict)  # final URL, error detail


@dataclass(frozen=True, slots=True)
class _Dialect:
    """What differs between database engines, applied to the SQL text."""

    name: str
    param: str
    blob: str
    real: str
    begin_write: str
    begin_read: str

    def sql(self, text: str) -> str:
        return text.replace("{blob}", self.blob).replace("{real}", self.real).replace("?", self.param)


# SQLite writers take the write lock up front (IMMEDIATE) so two processes never deadlock
# upgrading a read; PostgreSQL locks rows as UPDATEs touch them.
SQLITE = _Dialect("sqlite", "?", "BLOB", "REAL", "BEGIN IMMEDIATE", "BEGIN")
POSTGRES = _Dialect("postgresql", "%s", "BYTEA", "DOUBLE PRECISION", "BEGIN", "BEGIN")

# ---- all SQL, portable between SQLite and PostgreSQL ----------------------------------------

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY,
        site_url TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'done', 'failed')),
        profile TEXT,
        as_of TEXT,
        options TEXT NOT NULL,
        result TEXT,
        error TEXT)""",
    "CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at)",
    """CREATE TABLE IF NOT EXISTS pages (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        seq INTEGER NOT NULL,
        final_url TEXT NOT NULL,
        status INTEGER,
        error TEXT,
        depth INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        elapsed_ms {real} NOT NULL,
        size INTEGER NOT NULL,
        title TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        extra TEXT NOT NULL,
        text_z {blob},
        links_z {blob},
        PRIMARY KEY (run_id, url))""",
    "CREATE INDEX IF NOT EXISTS pages_seq ON pages (run_id, seq)",
    """CREATE TABLE IF NOT EXISTS links (
        run_id TEXT NOT NULL,
        page_url TEXT NOT NULL,
        pos INTEGER NOT NULL,
        target TEXT NOT NULL,
        element TEXT NOT NULL,
        kind TEXT NOT NULL,
        attr TEXT NOT NULL,
        raw TEXT NOT NULL,
        text TEXT NOT NULL,
        fragment TEXT NOT NULL,
        PRIMARY KEY (run_id, page_url, pos),
        FOREIGN KEY (run_id, page_url) REFERENCES pages (run_id, url) ON DELETE CASCADE)""",
    "CREATE INDEX IF NOT EXISTS links_target ON links (run_id, target)",
    """CREATE TABLE IF NOT EXISTS findings (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        check_id TEXT NOT NULL,
        id TEXT NOT NULL,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        page TEXT NOT NULL,
        target TEXT,
        status TEXT,
        element TEXT,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (run_id, pos))""",
    "CREATE INDEX IF NOT EXISTS findings_rule ON findings (rule)",
    # evidence files of a run: name ("screenshot:<page url>") -> bytes, for re-rendered reports
    """CREATE TABLE IF NOT EXISTS evidence (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        data {blob} NOT NULL,
        PRIMARY KEY (run_id, name))""",
    """CREATE TABLE IF NOT EXISTS scores (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        value {real} NOT NULL,
        grade TEXT NOT NULL,
        passed INTEGER NOT NULL,
        vetoes TEXT NOT NULL,
        indicators TEXT NOT NULL,
        scored TEXT NOT NULL,
        scored_at TEXT NOT NULL,
        PRIMARY KEY (run_id, profile))""",
    # ---- surveys: one row per site, claimed with a lease so a dead worker's site is redone ----
    """CREATE TABLE IF NOT EXISTS surveys (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        options TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS survey_sites (
        survey_id TEXT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        pos INTEGER NOT NULL,
        info TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
        run_id TEXT,
        worker TEXT,
        lease_until {real},
        attempts INTEGER NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        error TEXT,
        summary TEXT,
        PRIMARY KEY (survey_id, url))""",
    "CREATE INDEX IF NOT EXISTS survey_sites_status ON survey_sites (survey_id, status)",
    # ---- availability samples from `govaudit probe` ----
    """CREATE TABLE IF NOT EXISTS probe_samples (
        site TEXT NOT NULL,
        at_utc TEXT NOT NULL,
        at TEXT NOT NULL,
        day TEXT NOT NULL,
        origin TEXT NOT NULL,
        ok INTEGER NOT NULL,
        status INTEGER,
        error TEXT,
        elapsed_ms {real} NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (site, at_utc))""",
    "CREATE INDEX IF NOT EXISTS probe_samples_day ON probe_samples (site, day)",
    "CREATE INDEX IF NOT EXISTS probe_samples_origin ON probe_samples (origin, day)",
)

_SCHEMA_NAMES = frozenset(re.findall(r"CREATE (?:TABLE|INDEX) IF NOT EXISTS (\w+)", " ".join(_SCHEMA)))
_SITE_COLUMNS = ("survey_id, url, pos, info, status, run_id, worker, lease_until, attempts, started_at, "
                 "finished_at, error, summary")
_SAMPLE_COLUMNS = "site, at_utc, at, day, origin, ok, status, error, elapsed_ms, detail"

_PAGE_COLUMNS = ("run_id, url, seq, final_url, status, error, depth, content_type, elapsed_ms, size, title, "
                 "fetched_at, extra, text_z, links_z")

_SQL = {
    "version": "SELECT version FROM schema_version",
    "set_version": "INSERT INTO schema_version (version) VALUES (?)",
    "run_exists": "SELECT status FROM runs WHERE id = ?",
    "insert_run": "INSERT INTO runs (id, site_url, started_at, status, profile, as_of, options) "
                  "VALUES (?, ?, ?, 'running', ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    "next_seq": "SELECT COALESCE(MAX(seq), 0) + 1 FROM pages WHERE run_id = ?",
    "upsert_page": f"INSERT INTO pages ({_PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (run_id, url) DO UPDATE SET final_url = excluded.final_url, "
                   "status = excluded.status, error = excluded.error, depth = excluded.depth, "
                   "content_type = excluded.content_type, elapsed_ms = excluded.elapsed_ms, "
                   "size = excluded.size, title = excluded.title, fetched_at = excluded.fetched_at, "
                   "extra = excluded.extra, text_z = excluded.text_z, links_z = excluded.links_z",
    "delete_links": "DELETE FROM links WHERE run_id = ? AND page_url = ?",
    "select_pages": f"SELECT {_PAGE_COLUMNS} FROM pages WHERE run_id = ? ORDER BY seq",
    "select_links": "SELECT page_url, target, element, kind, attr, raw, text, fragment FROM links "
                    "WHERE run_id = ? ORDER BY page_url, pos",
    "finish_run": "UPDATE runs SET status = 'done', finished_at = ?, profile = ?, result = ?, error = NULL "
                  "WHERE id = ?",
    "fail_run": "UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?",
    "interrupt_run": "UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? "
                     "WHERE id = ? AND status IN ('running', 'interrupted')",
    "resume_run": "UPDATE runs SET status = 'running', finished_at = NULL, error = NULL "
                  "WHERE id = ? AND status = 'interrupted'",
    "upsert_evidence": "INSERT INTO evidence (run_id, name, data) VALUES (?, ?, ?) "
                       "ON CONFLICT (run_id, name) DO UPDATE SET data = excluded.data",
    "select_evidence": "SELECT name, data FROM evidence WHERE run_id = ? ORDER BY name",
    "delete_findings": "DELETE FROM findings WHERE run_id = ?",
    "insert_finding": "INSERT INTO findings (run_id, pos, check_id, id, rule, severity, page, target, status, "
                      "element, message, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "upsert_score": "INSERT INTO scores (run_id, profile, value, grade, passed, vetoes, indicators, scored, "
                    "scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (run_id, profile) DO UPDATE SET value = excluded.value, "
                    "grade = excluded.grade, passed = excluded.passed, vetoes = excluded.vetoes, "
                    "indicators = excluded.indicators, scored = excluded.scored, scored_at = excluded.scored_at",
    "select_result": "SELECT status, result FROM runs WHERE id = ?",
    "select_scores": "SELECT scored FROM scores WHERE run_id = ? ORDER BY profile",
    "select_runs": "SELECT r.id, r.site_url, r.status, r.started_at, r.finished_at, r.profile, r.as_of, "
                   "r.error, (SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id), s.value, s.grade "
                   "FROM runs r LEFT JOIN scores s ON s.run_id = r.id AND s.profile = r.profile "
                   "ORDER BY r.started_at DESC, r.id DESC LIMIT ?",
    "count_pages": "SELECT COUNT(*) FROM pages WHERE run_id = ?",
    # surveys
    "select_survey": "SELECT created_at, options FROM surveys WHERE id = ?",
    "insert_survey": "INSERT INTO surveys (id, created_at, options) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
    "insert_site": f"INSERT INTO survey_sites ({_SITE_COLUMNS}) "
                   "VALUES (?, ?, ?, ?, 'pending', NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL) "
                   "ON CONFLICT (survey_id, url) DO NOTHING",
    "select_sites": f"SELECT {_SITE_COLUMNS} FROM survey_sites WHERE survey_id = ? ORDER BY pos, url",
    "select_site": f"SELECT {_SITE_COLUMNS} FROM survey_sites WHERE survey_id = ? AND url = ?",
    "count_sites": "SELECT status, COUNT(*) FROM survey_sites WHERE survey_id = ? GROUP BY status",
    # A site is free when pending, or running under a lease that ran out (its worker died).
    "claim_site": "UPDATE survey_sites SET status = 'running', worker = ?, lease_until = ?, "
                  "attempts = attempts + 1, started_at = COALESCE(started_at, ?) "
                  "WHERE survey_id = ? AND url = ? AND (status = 'pending' "
                  "OR (status = 'running' AND (lease_until IS NULL OR lease_until < ? OR worker = ?)))",
    "set_site_run": "UPDATE survey_sites SET run_id = ? WHERE survey_id = ? AND url = ?",
    "renew_site": "UPDATE survey_sites SET lease_until = ? "
                  "WHERE survey_id = ? AND url = ? AND status = 'running' AND worker = ?",
    "finish_site": "UPDATE survey_sites SET status = ?, finished_at = ?, summary = ?, error = ?, "
                   "lease_until = NULL WHERE survey_id = ? AND url = ? AND status = 'running'",
    "release_site": "UPDATE survey_sites SET status = 'pending', lease_until = NULL "
                    "WHERE survey_id = ? AND url = ? AND status = 'running' AND worker = ?",
    "run_state": "SELECT status, error FROM runs WHERE id = ?",
    # probe samples
    "insert_sample": f"INSERT INTO probe_samples ({_SAMPLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT (site, at_utc) DO NOTHING",
    "samples_site": f"SELECT {_SAMPLE_COLUMNS} FROM probe_samples WHERE site = ? AND day >= ? AND day <= ? "
                    "ORDER BY at_utc",
    "samples_origin": f"SELECT {_SAMPLE_COLUMNS} FROM probe_samples WHERE origin = ? AND day >= ? "
                      "AND day <= ? ORDER BY at_utc",
    # the survey operator's view: rounds, daily availability, findings by site
    "list_surveys": "SELECT id, created_at, options FROM surveys ORDER BY created_at, id",
    "site_rounds": "SELECT survey_id, status, error, summary, info FROM survey_sites WHERE url = ?",
    "probe_daily": "SELECT site, origin, day, COUNT(*), SUM(ok), AVG(elapsed_ms) FROM probe_samples "
                   "WHERE day >= ? AND day <= ? GROUP BY site, origin, day",
    "survey_findings": "SELECT s.url, f.check_id, f.id, f.rule, f.severity, f.page, f.target, f.message, "
                       "f.evidence FROM survey_sites s JOIN findings f ON f.run_id = s.run_id "
                       "WHERE s.survey_id = ? AND s.status = 'done' ORDER BY s.pos, s.url, f.pos",
}


class Store:
    """Open with `Store.open(url)`; every method commits before it returns."""

    def __init__(self, conn: Any, dialect: _Dialect, where: str, url: str | None = None) -> None:
        self._conn: Any = conn  # sqlite3.Connection or psycopg.Connection
        self._dialect = dialect
        self.where = where  # the path or URL (password hidden), for messages
        self._url = url  # PostgreSQL: to reconnect after the server dropped us
        self._lock = threading.RLock()  # one connection; a worker thread may share the store

    @property
    def engine(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._dialect.name

    # ---- opening ----

    @classmethod
    def open(cls, url: str | None = None, create: bool = True) -> Store:
        """None or a path or `sqlite:///path` -> an SQLite file (default ./govaudit.db).

        `create=False` (commands that only read: runs, report, rescore) never makes a store: a
        missing file, or a database without govaudit's tables, is a one-line UsageError, so a
        mistyped --db does not leave an empty database behind.
        """
        target = (url or "").strip() or DEFAULT_PATH
        scheme = target.split("://", 1)[0].lower() if "://" in target else ""
        if scheme in ("postgresql", "postgres"):
            return cls._open_postgres(target, create)
        if scheme == "sqlite":
            rest = target[len("sqlite://"):]
            if not rest.startswith("/") or len(rest) < 2:
                raise UsageError(f"invalid store URL {target!r}: use sqlite:///relative/path or sqlite:////absolute/path")
            target = rest[1:]
        elif scheme:
            raise UsageError(f"unsupported store URL {target!r}: use a file path, sqlite:///path or postgresql://…")
        return cls._open_sqlite(target, create)

    @classmethod
    def _open_sqlite(cls, target: str, create: bool = True) -> Store:
        if target != ":memory:":
            path = Path(target)
            if path.is_dir():
                raise StoreError(f"cannot open the store {path}: it is a directory")
            if not create and not path.is_file():
                raise UsageError(f"no store at {path}: no such file (check --db; `govaudit audit` creates one)")
            if path.parent.exists() and not path.parent.is_dir():
                raise StoreError(f"cannot create the store {path}: {path.parent} is a file, not a folder")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store's folder {path.parent}: {exc.strerror or exc}") from None
        try:
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=10.0)
        except sqlite3.Error as exc:
            raise _store_error(target, exc) from None
        store = cls(conn, SQLITE, target)
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            if not create:  # before anything writes to the file: another program's database stays as it is
                store._require_schema()
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            # NORMAL is safe with WAL: a killed process loses nothing committed; only a power cut
            # may drop the last transactions, never corrupt the file.
            conn.execute("PRAGMA synchronous = NORMAL")
            # Migrations rebuild tables, which must not cascade: foreign keys come on after them.
            conn.execute("PRAGMA foreign_keys = OFF")
            store._migrate()
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise _store_error(target, exc) from None
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def _open_postgres(cls, url: str, create: bool = True) -> Store:
        conn = _pg_connect(url)
        store = cls(conn, POSTGRES, redact_url(url), url)
        try:
            if not create:
                store._require_schema()
            store._migrate()
        except BaseException:
            conn.close()
            raise
        return store

    def _migrate(self) -> None:
        with self._tx() as cur:
            if self._dialect is POSTGRES:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK_KEY,))
            if not (self._dialect is POSTGRES and self._schema_present(cur)):
                # PostgreSQL's CREATE ... IF NOT EXISTS locks the table even when it exists: run
                # against a live survey it deadlocks with workers' writes, so it runs only when
                # something is missing.
                for ddl in _SCHEMA:
                    cur.execute(self._dialect.sql(ddl))
            rows = cur.execute(self._q("version")).fetchall()
            if not rows:
                cur.execute(self._q("set_version"), (SCHEMA_VERSION,))
            elif rows[0][0] > SCHEMA_VERSION:
                raise StoreError(f"the store {self.where} was written by a newer govaudit "
                                 f"(schema {rows[0][0]}, this version reads {SCHEMA_VERSION})")
            elif rows[0][0] < SCHEMA_VERSION:
                for version in range(int(rows[0][0]), SCHEMA_VERSION):
                    _MIGRATIONS[version](self, cur)
                cur.execute("UPDATE schema_version SET version = ?".replace("?", self._dialect.param),
                            (SCHEMA_VERSION,))

    def _require_schema(self) -> None:
        """For a store opened to read: govaudit's tables must be there (nothing is created)."""
        with self._tx(write=False) as cur:
            if self._dialect is POSTGRES:
                present = cur.execute("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                      "WHERE n.nspname = current_schema() AND c.relname = 'runs'").fetchone()
            else:
                present = cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone()
        if present is None:
            raise UsageError(f"no govaudit store in {self.where}: it has no runs table (check --db)")

    def _migrate_2_to_3(self, cur: Any) -> None:
        """Schema 2 -> 3: a page's links may be packed in pages.links_z (old pages keep their rows)."""
        if self._dialect is POSTGRES:
            cur.execute("ALTER TABLE pages ADD COLUMN IF NOT EXISTS links_z BYTEA")
            return
        if "links_z" not in {row[1] for row in cur.execute("PRAGMA table_info(pages)").fetchall()}:
            cur.execute("ALTER TABLE pages ADD COLUMN links_z BLOB")

    def _migrate_1_to_2(self, cur: Any) -> None:
        """Schema 1 -> 2: a run's status may be "interrupted" (the evidence table is new: _SCHEMA)."""
        if self._dialect is POSTGRES:
            cur.execute("ALTER TABLE runs DROP CONSTRAINT IF EXISTS runs_status_check")
            cur.execute("ALTER TABLE runs ADD CONSTRAINT runs_status_check "
                        "CHECK (status IN ('running', 'interrupted', 'done', 'failed'))")
            return
        # SQLite cannot change a CHECK in place: the table is rebuilt (foreign keys are off here,
        # so dropping the old one cascades nothing; pages, findings and scores keep their rows).
        ddl = next(d for d in _SCHEMA if "CREATE TABLE IF NOT EXISTS runs " in d)
        cur.execute(ddl.replace("IF NOT EXISTS runs ", "runs_v2 "))
        cur.execute("INSERT INTO runs_v2 SELECT id, site_url, started_at, finished_at, status, profile, as_of, "
                    "options, result, error FROM runs")
        cur.execute("DROP TABLE runs")
        cur.execute("ALTER TABLE runs_v2 RENAME TO runs")
        cur.execute("CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at)")

    def _schema_present(self, cur: Any) -> bool:
        rows = cur.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE n.nspname = current_schema()").fetchall()
        return _SCHEMA_NAMES <= {r[0] for r in rows}

    # ---- plumbing ----

    def _q(self, name: str) -> str:
        return self._dialect.sql(_SQL[name])

    @contextmanager
    def _tx(self, write: bool = True) -> Iterator[Any]:
        """One short transaction; any database error becomes a one-line StoreError.

        SQLite writers take the write lock up front (IMMEDIATE) so two processes never deadlock
        upgrading a read; readers stay deferred so they never wait on a writer (WAL).
        """
        with self._lock:
            if self._conn is None:
                raise StoreError(f"the store {self.where} is closed")
            if self._dialect is POSTGRES and self._conn.closed and self._url:
                self._conn = _pg_connect(self._url)  # the server restarted or dropped us: once more
            cur = self._conn.cursor()
            try:
                cur.execute(self._dialect.begin_write if write else self._dialect.begin_read)
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                self._rollback()
                if isinstance(exc, sqlite3.Error):
                    raise _store_error(self.where, exc) from None
                if _is_pg_error(exc):
                    raise _pg_store_error(self.where, exc) from None
                raise
            finally:
                cur.close()

    def _rollback(self) -> None:
        conn = self._conn
        if self._dialect is SQLITE and not conn.in_transaction:
            return
        if self._dialect is POSTGRES and conn.closed:
            return
        try:
            conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 - the first error is the one worth reporting
            pass

    def _require_run(self, cur: Any, run_id: str) -> str:
        row = cur.execute(self._q("run_exists"), (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"unknown run id {run_id!r} in the store {self.where}")
        return str(row[0])

    # ---- runs ----

    def new_run(self, site_url: str, options: dict[str, Any], as_of: date) -> str:
        """Record a run as "running" and return its id, like 20261122-143501-ab12."""
        with self._tx() as cur:
            return self._insert_run(cur, site_url, options, as_of)

    def _insert_run(self, cur: Any, site_url: str, options: dict[str, Any], as_of: date) -> str:
        now = datetime.now().astimezone()
        options_json = _json(options)
        profile = options.get("profile") if isinstance(options.get("profile"), str) else None
        for _ in range(8):
            run_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
            # ON CONFLICT: two runs in the same second that drew the same suffix try another one,
            # even when they come from two processes at once.
            cur.execute(self._q("insert_run"), (run_id, _txt(site_url), now.isoformat(timespec="seconds"),
                                                profile, as_of.isoformat(), options_json))
            if cur.rowcount == 1:
                return run_id
        raise StoreError(f"could not find a free run id in the store {self.where}")

    def run_state(self, run_id: str) -> tuple[str, str | None] | None:
        """(status, error) of a run, or None when there is no such run."""
        with self._tx(write=False) as cur:
            row = cur.execute(self._q("run_state"), (run_id,)).fetchone()
        return None if row is None else (str(row[0]), row[1])

    def finish_run(self, run_id: str, result: AuditResult, evidence: dict[str, bytes] | None = None) -> None:
        """Store the result, its findings, its score and its evidence files in one transaction;
        the run becomes "done"."""
        result_json = _json(to_dict(result))
        finished = result.finished_at or _now()
        with self._tx() as cur:
            self._require_run(cur, run_id)
            cur.execute(self._q("finish_run"), (_txt(finished), _txt(result.scored.profile_id), result_json, run_id))
            cur.execute(self._q("delete_findings"), (run_id,))
            rows = []
            for check_id, check in result.checks.items():
                for f in check.findings:
                    rows.append((run_id, len(rows) + 1, _txt(check_id), _txt(f.id), _txt(f.rule),
                                 _txt(f.severity), _txt(f.page), _txt(f.target),
                                 None if f.status is None else _txt(str(f.status)), _txt(f.element),
                                 _txt(f.message), _json(f.evidence)))
            cur.executemany(self._q("insert_finding"), rows)
            self._write_score(cur, run_id, result.scored)
            if evidence:
                self._write_evidence(cur, run_id, evidence)

    def interrupt_run(self, run_id: str, reason: str = "interrupted") -> bool:
        """Mark a running run "interrupted" (Ctrl-C, SIGTERM): its pages stay, --resume continues
        it. False when the run had already finished (done or failed stay what they are)."""
        with self._tx() as cur:
            self._require_run(cur, run_id)
            cur.execute(self._q("interrupt_run"), (_now(), _txt(reason), run_id))
            return cur.rowcount == 1

    def resume_run(self, run_id: str) -> None:
        """An interrupted run taken up again by --resume is "running" once more."""
        with self._tx() as cur:
            self._require_run(cur, run_id)
            cur.execute(self._q("resume_run"), (run_id,))

    def save_evidence(self, run_id: str, evidence: dict[str, bytes]) -> None:
        """Keep a run's evidence files (name -> bytes); a name stored again is replaced."""
        with self._tx() as cur:
            self._require_run(cur, run_id)
            self._write_evidence(cur, run_id, evidence)

    def _write_evidence(self, cur: Any, run_id: str, evidence: dict[str, bytes]) -> None:
        rows = [(run_id, _txt(name), bytes(data)) for name, data in sorted(evidence.items())]
        if rows:
            cur.executemany(self._q("upsert_evidence"), rows)

    def evidence(self, run_id: str) -> dict[str, bytes]:
        """A run's evidence files by name ("screenshot:<page url>" -> PNG), for re-rendered reports."""
        with self._tx(write=False) as cur:
            self._require_run(cur, run_id)
            rows = cur.execute(self._q("select_evidence"), (run_id,)).fetchall()
        return {str(name): bytes(data) for name, data in rows}

    def fail_run(self, run_id: str, reason: str) -> None:
        with self._tx() as cur:
            self._require_run(cur, run_id)
            cur.execute(self._q("fail_run"), (_now(), _txt(reason), run_id))

    def save_score(self, run_id: str, scored: ScoredResult) -> None:
        """Keep a (re-)score of a run under its profile id; one row per (run, profile)."""
        with self._tx() as cur:
            self._require_run(cur, run_id)
            self._write_score(cur, run_id, scored)

    def _write_score(self, cur: Any, run_id: str, scored: ScoredResult) -> None:
        sc = scored.score
        cur.execute(self._q("upsert_score"), (
            run_id, _txt(scored.profile_id), sc.value, _txt(sc.grade), int(sc.passed), _json(sc.vetoes),
            _json(to_dict(scored.indicators)), _json(to_dict(scored)), _now(),
        ))

    def load_result(self, run_id: str) -> AuditResult:
        with self._tx(write=False) as cur:
            row = cur.execute(self._q("select_result"), (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"unknown run id {run_id!r} in the store {self.where}")
        status, result_json = row
        if result_json is None:
            raise UsageError(f"run {run_id} has no result (status {status})")
        return audit_from_dict(_unjson(result_json, self.where))

    def scores(self, run_id: str) -> dict[str, ScoredResult]:
        """Every stored score of a run, by profile id (the audit's own and any re-scores)."""
        with self._tx(write=False) as cur:
            self._require_run(cur, run_id)
            rows = cur.execute(self._q("select_scores"), (run_id,)).fetchall()
        out = [scored_from_dict(_unjson(r[0], self.where)) for r in rows]
        return {s.profile_id: s for s in out}

    def runs(self, limit: int = 50) -> list[RunRow]:
        """The most recent runs first."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise UsageError(f"limit must be a whole number of at least 1, got {limit!r}")
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("select_runs"), (limit,)).fetchall()
        return [
            RunRow(id=r[0], site_url=r[1], status=r[2], started_at=r[3], finished_at=r[4], profile=r[5],
                   as_of=date.fromisoformat(r[6]) if r[6] else None, error=r[7], pages=int(r[8]),
                   value=r[9], grade=r[10])
            for r in rows
        ]

    # ---- pages ----

    def add_page(self, run_id: str, page: Page) -> None:
        """Store a fetched page and its links; storing the same URL again replaces it."""
        self.add_pages(run_id, [page])

    def add_pages(self, run_id: str, pages: Sequence[Page]) -> None:
        """Store a batch of pages in one transaction (a commit per page would cost more than the crawl)."""
        latest = list({page.url: page for page in pages}.values())  # a URL twice in a batch: its last fetch
        if not latest:
            return
        with self._tx() as cur:
            self._require_run(cur, run_id)
            seq = cur.execute(self._q("next_seq"), (run_id,)).fetchone()[0]
            page_rows: list[tuple[Any, ...]] = []
            for n, page in enumerate(latest):
                extra = _json({
                    "error_detail": page.error_detail, "redirects": to_dict(page.redirects),
                    "headers": page.headers, "truncated": page.truncated, "encoding": page.encoding,
                    "is_html": page.is_html,
                })
                page_rows.append((
                    run_id, _txt(page.url), seq + n, _txt(page.final_url), page.status, _txt(page.error),
                    page.depth, _txt(page.content_type), page.elapsed_ms, page.size, _txt(page.title),
                    _txt(page.fetched_at), extra, page.text_z or None, pack_links(page.links),
                ))
            cur.executemany(self._q("upsert_page"), page_rows)
            # rows of the links table are a schema-2 page's; a page stored again keeps only its pack
            cur.executemany(self._q("delete_links"), [(run_id, row[1]) for row in page_rows])

    def pages(self, run_id: str) -> list[Page]:
        """A run's pages in the order they were first stored, links included (for resume)."""
        with self._tx(write=False) as cur:
            self._require_run(cur, run_id)
            page_rows = cur.execute(self._q("select_pages"), (run_id,)).fetchall()
            link_rows = cur.execute(self._q("select_links"), (run_id,)).fetchall()
        links: dict[str, list[Link]] = {}
        for page_url, target, element, kind, attr, raw, text, fragment in link_rows:  # schema-2 pages
            links.setdefault(page_url, []).append(
                Link(url=target, raw=raw, element=element, attr=attr, text=text, kind=kind, fragment=fragment))
        return [self._page(row, unpack_links(row[14], self.where) if row[14] else links.get(row[1], []))
                for row in page_rows]

    def _page(self, row: Sequence[Any], links: list[Link]) -> Page:
        (_run, url, _seq, final_url, status, error, depth, content_type, elapsed_ms, size, title,
         fetched_at, extra_json, text_z, _links_z) = row
        extra = _unjson(extra_json, self.where)
        return Page(
            url=url, final_url=final_url, depth=depth, status=status, error=error,
            error_detail=extra.get("error_detail", ""),
            redirects=[from_dict(Hop, h) for h in extra.get("redirects", [])],
            headers=dict(extra.get("headers", {})), content_type=content_type, elapsed_ms=elapsed_ms,
            size=size, truncated=bool(extra.get("truncated", False)), encoding=extra.get("encoding"),
            title=title, is_html=bool(extra.get("is_html", False)), links=links,
            text_z=bytes(text_z) if text_z else b"", fetched_at=fetched_at,
        )

    # ---- surveys ----

    def survey(self, survey_id: str) -> dict[str, Any] | None:
        """A survey's stored options (plus `created_at`), or None when there is no such survey."""
        with self._tx(write=False) as cur:
            row = cur.execute(self._q("select_survey"), (survey_id,)).fetchone()
        if row is None:
            return None
        return dict(_unjson(row[1], self.where), created_at=row[0])

    def create_survey(self, survey_id: str, options: dict[str, Any]) -> bool:
        """Record a survey; False (and nothing changed) when the id is already taken."""
        with self._tx() as cur:
            cur.execute(self._q("insert_survey"), (_txt(survey_id), _now(), _json(options)))
            return cur.rowcount == 1

    def add_survey_sites(self, survey_id: str, sites: Sequence[tuple[str, dict[str, Any]]]) -> int:
        """Add (url, info) pairs as pending, in order; a URL already in the survey is kept as it
        is (a restarted survey must not forget what it did). Returns how many were new."""
        with self._tx() as cur:
            if cur.execute(self._q("select_survey"), (survey_id,)).fetchone() is None:
                raise UsageError(f"unknown survey id {survey_id!r} in the store {self.where}")
            added = 0
            for pos, (url, info) in enumerate(sites):
                cur.execute(self._q("insert_site"), (survey_id, _txt(url), pos, _json(info)))
                added += max(cur.rowcount, 0)
            return added

    def survey_sites(self, survey_id: str) -> list[SurveySite]:
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("select_sites"), (survey_id,)).fetchall()
        return [self._site(r) for r in rows]

    def survey_site(self, survey_id: str, url: str) -> SurveySite | None:
        with self._tx(write=False) as cur:
            row = cur.execute(self._q("select_site"), (survey_id, url)).fetchone()
        return None if row is None else self._site(row)

    def survey_counts(self, survey_id: str) -> dict[str, int]:
        """Sites by status; every status is present (0 when none)."""
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("count_sites"), (survey_id,)).fetchall()
        out = dict.fromkeys(SITE_STATUSES, 0)
        out.update({str(s): int(n) for s, n in rows})
        return out

    def claim_site(self, survey_id: str, url: str, worker: str, lease_s: float, run_options: dict[str, Any],
                   as_of: date, steal_from: str | None = None) -> Claim | str:
        """Take a site for auditing, in one transaction with the run that will hold its pages.

        Free: pending, or running under a lease that ran out (its worker died), or held by
        `steal_from` (a local survey taking back the sites of its own killed predecessor). The
        first claim creates the run; a later one gets the same run back, so a redone site resumes
        its crawl and never leaves a second run behind. Returns the Claim, or the site's status
        word when it is not free ("done", "failed", or "running" under someone else's lease).
        """
        now = time.time()
        with self._tx() as cur:
            cur.execute(self._q("claim_site"), (_txt(worker), now + lease_s, _now(), survey_id, url, now,
                                                steal_from))
            if cur.rowcount != 1:
                row = cur.execute(self._q("select_site"), (survey_id, url)).fetchone()
                if row is None:
                    raise UsageError(f"unknown site {url!r} in survey {survey_id!r}")
                return str(row[4])
            site = self._site(cur.execute(self._q("select_site"), (survey_id, url)).fetchone())
            if site.run_id is None:
                run_id = self._insert_run(cur, url, run_options, as_of)
                cur.execute(self._q("set_site_run"), (run_id, survey_id, url))
                return Claim(run_id=run_id, run_status="running")
            state = cur.execute(self._q("run_state"), (site.run_id,)).fetchone()
            pages = int(cur.execute(self._q("count_pages"), (site.run_id,)).fetchone()[0])
            return Claim(run_id=site.run_id, run_status=str(state[0]) if state else "running", pages=pages)

    def renew_site(self, survey_id: str, url: str, worker: str, lease_s: float) -> bool:
        """Extend a held lease; False when the site is no longer ours (finished, or taken over)."""
        with self._tx() as cur:
            cur.execute(self._q("renew_site"), (time.time() + lease_s, survey_id, url, _txt(worker)))
            return cur.rowcount == 1

    def finish_site(self, survey_id: str, url: str, status: str, summary: dict[str, Any] | None = None,
                    error: str | None = None) -> bool:
        """Mark a running site done or failed, once: True for the call that did it, False after."""
        if status not in ("done", "failed"):
            raise ValueError(f"a site finishes done or failed, not {status!r}")
        with self._tx() as cur:
            cur.execute(self._q("finish_site"), (status, _now(), None if summary is None else _json(summary),
                                                 _txt(error), survey_id, url))
            return cur.rowcount == 1

    def release_site(self, survey_id: str, url: str, worker: str) -> bool:
        """Give a held site back (pending) so another attempt takes it without waiting for the lease."""
        with self._tx() as cur:
            cur.execute(self._q("release_site"), (survey_id, url, _txt(worker)))
            return cur.rowcount == 1

    def _site(self, row: Sequence[Any]) -> SurveySite:
        (survey_id, url, pos, info, status, run_id, worker, lease_until, attempts, started_at, finished_at,
         error, summary) = row
        return SurveySite(
            survey_id=survey_id, url=url, pos=int(pos), info=_unjson(info, self.where), status=status,
            run_id=run_id, worker=worker, lease_until=None if lease_until is None else float(lease_until),
            attempts=int(attempts), started_at=started_at, finished_at=finished_at, error=error,
            summary=None if summary is None else _unjson(summary, self.where),
        )

    # ---- availability samples ----

    def add_samples(self, samples: Sequence[ProbeSample]) -> int:
        """Store probe samples; one taken at the same instant for the same site is kept once."""
        rows = []
        for s in samples:
            try:
                at_utc = datetime.fromisoformat(s.at).astimezone(UTC).isoformat(timespec="microseconds")
            except (TypeError, ValueError):
                raise UsageError(f"invalid sample time {s.at!r}: use an ISO timestamp with offset") from None
            rows.append((_txt(s.site), at_utc, _txt(s.at), _txt(s.day), _txt(s.origin), int(bool(s.ok)), s.status,
                         _txt(s.error), float(s.elapsed_ms), _json(s.detail)))
        added = 0
        with self._tx() as cur:
            for row in rows:
                cur.execute(self._q("insert_sample"), row)
                added += max(cur.rowcount, 0)
        return added

    def samples(self, site: str, first_day: date, last_day: date, origin: str = "") -> list[ProbeSample]:
        """Samples of `site` on the days first_day..last_day (inclusive), oldest first. When none
        were taken under that exact URL, those of its origin count (the probe list may name the
        site by another path of the same host)."""
        days = (first_day.isoformat(), last_day.isoformat())
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("samples_site"), (site, *days)).fetchall()
            if not rows and origin:
                rows = cur.execute(self._q("samples_origin"), (origin, *days)).fetchall()
        return [
            ProbeSample(site=r[0], at=r[2], day=r[3], origin=r[4], ok=bool(r[5]), status=r[6], error=r[7],
                        elapsed_ms=float(r[8]), detail=_unjson(r[9], self.where))
            for r in rows
        ]

    # ---- the survey operator's view (read only) ----

    def surveys(self) -> list[dict[str, Any]]:
        """Every survey: its stored options with `id` and `created_at`, oldest first."""
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("list_surveys")).fetchall()
        return [dict(_unjson(opts, self.where), id=sid, created_at=created) for sid, created, opts in rows]

    def site_rounds(self, url: str) -> list[dict[str, Any]]:
        """The site in every survey that lists it: survey_id, status, error, summary, info."""
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("site_rounds"), (url,)).fetchall()
        return [{"survey_id": sid, "status": status, "error": error,
                 "summary": None if summary is None else _unjson(summary, self.where),
                 "info": _unjson(info, self.where)} for sid, status, error, summary, info in rows]

    def probe_daily(self, first_day: date, last_day: date) -> list[tuple[str, str, str, int, int, float]]:
        """Probe samples per site and day in first_day..last_day: (site, origin, day, visits,
        visits that opened, mean response ms) — one aggregate query, however many samples."""
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("probe_daily"), (first_day.isoformat(), last_day.isoformat())).fetchall()
        return [(str(a), str(o), str(d), int(n), int(ok or 0), float(ms or 0.0)) for a, o, d, n, ok, ms in rows]

    def survey_findings(self, survey_id: str) -> list[dict[str, Any]]:
        """The findings of every audited site of a survey, in the survey's order."""
        with self._tx(write=False) as cur:
            rows = cur.execute(self._q("survey_findings"), (survey_id,)).fetchall()
        return [{"url": url, "check": check, "id": fid, "rule": rule, "severity": sev, "page": page,
                 "target": target, "message": message, "evidence": _unjson(ev, self.where)}
                for url, check, fid, rule, sev, page, target, message, ev in rows]

    # ---- lifetime ----

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_MIGRATIONS = {1: Store._migrate_1_to_2, 2: Store._migrate_2_to_3}  # from version N to N + 1


def pack_links(links: Sequence[Link]) -> bytes | None:
    """A page's links as one compressed JSON array (a row per link cost more than the crawl's
    parsing: 34 links a page, ten escaped fields each). ASCII JSON, so a lone surrogate is safe."""
    if not links:
        return None
    rows = [[lk.url, lk.raw, lk.element, lk.attr, lk.text, lk.kind, lk.fragment] for lk in links]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode("ascii"), 1)


def unpack_links(blob: bytes | memoryview, where: str) -> list[Link]:
    try:
        rows = json.loads(zlib.decompress(bytes(blob)))
        intern = sys.intern  # the crawl interns link strings; a resumed crawl keeps the same memory
        return [Link(intern(u), intern(r), intern(e), a, intern(t), k, f) for u, r, e, a, t, k, f in rows]
    except (zlib.error, ValueError, TypeError) as exc:
        raise StoreError(f"the store {where} holds a page whose links cannot be read: {exc}") from None


def redact_url(url: str) -> str:
    """A database or broker URL fit for messages: the password hidden."""
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _pg_connect(url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise UsageError("a PostgreSQL store needs psycopg: pip install 'psycopg[binary]' "
                         "(or the survey extra, 'govaudit[survey]')") from None
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to the store {redact_url(url)}: {_first_line(exc)}") from None
    conn.adapters.register_dumper(str, _pg_text_dumper())
    return conn


@functools.cache
def _pg_text_dumper() -> type:
    """PostgreSQL text cannot hold NUL; a page title or message with one is stored with U+FFFD."""
    from psycopg.types.string import StrDumperUnknown

    class NulFreeText(StrDumperUnknown):
        def dump(self, obj: str) -> Any:
            return super().dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)

    return NulFreeText


def _is_pg_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("psycopg")


def _pg_store_error(where: str, exc: BaseException) -> StoreError:
    """One line for a PostgreSQL error, in words a user can act on."""
    code = getattr(getattr(exc, "diag", None), "sqlstate", None) or ""
    if code == "53100":
        return StoreError(f"cannot write the store {where}: the database server's disk is full")
    if code == "25006":
        return StoreError(f"cannot write the store {where}: it is read-only")
    if code.startswith("42501") or code.startswith("28"):
        return StoreError(f"the store {where} refused us: {_first_line(exc)}")
    if type(exc).__name__ in ("OperationalError", "InterfaceError") and not code:
        return StoreError(f"lost the connection to the store {where}: {_first_line(exc)}")
    return StoreError(f"store {where}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def _store_error(where: str, exc: sqlite3.Error) -> StoreError:
    """One line that says what went wrong with the store, in words a user can act on."""
    code = getattr(exc, "sqlite_errorname", "")
    if code.startswith("SQLITE_READONLY"):
        return StoreError(f"cannot write the store {where}: it is read-only")
    if code == "SQLITE_FULL":
        return StoreError(f"cannot write the store {where}: the disk or database is full")
    if code.startswith("SQLITE_CANTOPEN"):
        return StoreError(f"cannot open the store {where}: the file cannot be created or opened "
                          "(is the folder writable?)")
    if code == "SQLITE_NOTADB":
        return StoreError(f"{where} is not a govaudit store (not an SQLite database)")
    if code.startswith("SQLITE_BUSY") or code.startswith("SQLITE_LOCKED"):
        return StoreError(f"the store {where} is locked by another process; try again")
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StoreError(f"store {where}: {first}")


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if _txt(text) is not text:  # a lone surrogate: SQLite stores UTF-8 only; \u escapes keep it
        text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text


def _txt(value: str | None) -> str | None:
    """Text SQLite can store. A lone surrogate (never from a decoded page, but possible in a
    hand-built object) would make the driver raise; it is written as a backslash escape instead."""
    if value is None or value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _unjson(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise StoreError(f"the store {where} holds unreadable JSON; was it edited by hand?") from None


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
