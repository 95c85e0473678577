"""The run store: runs, pages, links, findings and scores in SQLite (a file, no server).

Every write is one short transaction, so a process killed at any moment leaves a consistent
store: a killed audit's run stays "running" with every page it had stored, ready to resume.
All SQL lives in `_SCHEMA` and `_SQL` below, written once with `?` placeholders; `_Dialect`
adapts them, so PostgreSQL (for shared surveys) can come through the same code later.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from govaudit.errors import StoreError, UsageError
from govaudit.model import AuditResult, Hop, Link, Page, ScoredResult
from govaudit.serialize import audit_from_dict, from_dict, scored_from_dict, to_dict

SCHEMA_VERSION = 1
DEFAULT_PATH = "govaudit.db"
RUN_STATUSES = ("running", "done", "failed")


@dataclass(slots=True)
class RunRow:
    """One line of `govaudit runs`."""

    id: str
    site_url: str
    status: str  # running | done | failed
    started_at: str
    finished_at: str | None
    profile: str | None
    as_of: date | None
    error: str | None  # why a failed run failed
    pages: int
    value: float | None  # the score under the run's own profile, once finished
    grade: str | None


@dataclass(frozen=True, slots=True)
class _Dialect:
    """What differs between database engines, applied to the SQL text."""

    name: str
    param: str
    blob: str

    def sql(self, text: str) -> str:
        return text.replace("{blob}", self.blob).replace("?", self.param)


SQLITE = _Dialect("sqlite", "?", "BLOB")
POSTGRES = _Dialect("postgresql", "%s", "BYTEA")  # for the survey issue; not wired yet

# ---- all SQL, portable between SQLite and PostgreSQL ----------------------------------------

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY,
        site_url TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
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
        elapsed_ms REAL NOT NULL,
        size INTEGER NOT NULL,
        title TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        extra TEXT NOT NULL,
        text_z {blob},
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
    """CREATE TABLE IF NOT EXISTS scores (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        value REAL NOT NULL,
        grade TEXT NOT NULL,
        passed INTEGER NOT NULL,
        vetoes TEXT NOT NULL,
        indicators TEXT NOT NULL,
        scored TEXT NOT NULL,
        scored_at TEXT NOT NULL,
        PRIMARY KEY (run_id, profile))""",
)

_PAGE_COLUMNS = ("run_id, url, seq, final_url, status, error, depth, content_type, elapsed_ms, size, title, "
                 "fetched_at, extra, text_z")

_SQL = {
    "version": "SELECT version FROM schema_version",
    "set_version": "INSERT INTO schema_version (version) VALUES (?)",
    "run_exists": "SELECT status FROM runs WHERE id = ?",
    "insert_run": "INSERT INTO runs (id, site_url, started_at, status, profile, as_of, options) "
                  "VALUES (?, ?, ?, 'running', ?, ?, ?)",
    "next_seq": "SELECT COALESCE(MAX(seq), 0) + 1 FROM pages WHERE run_id = ?",
    "upsert_page": f"INSERT INTO pages ({_PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (run_id, url) DO UPDATE SET final_url = excluded.final_url, "
                   "status = excluded.status, error = excluded.error, depth = excluded.depth, "
                   "content_type = excluded.content_type, elapsed_ms = excluded.elapsed_ms, "
                   "size = excluded.size, title = excluded.title, fetched_at = excluded.fetched_at, "
                   "extra = excluded.extra, text_z = excluded.text_z",
    "delete_links": "DELETE FROM links WHERE run_id = ? AND page_url = ?",
    "insert_link": "INSERT INTO links (run_id, page_url, pos, target, element, kind, attr, raw, text, fragment) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "select_pages": f"SELECT {_PAGE_COLUMNS} FROM pages WHERE run_id = ? ORDER BY seq",
    "select_links": "SELECT page_url, target, element, kind, attr, raw, text, fragment FROM links "
                    "WHERE run_id = ? ORDER BY page_url, pos",
    "finish_run": "UPDATE runs SET status = 'done', finished_at = ?, profile = ?, result = ?, error = NULL "
                  "WHERE id = ?",
    "fail_run": "UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?",
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
}


class Store:
    """Open with `Store.open(url)`; every method commits before it returns."""

    def __init__(self, conn: sqlite3.Connection, dialect: _Dialect, where: str) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._dialect = dialect
        self.where = where  # the path or URL, for messages
        self._lock = threading.RLock()  # one connection; a worker thread may share the store

    # ---- opening ----

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """None or a path or `sqlite:///path` -> an SQLite file (default ./govaudit.db)."""
        target = (url or "").strip() or DEFAULT_PATH
        scheme = target.split("://", 1)[0].lower() if "://" in target else ""
        if scheme in ("postgresql", "postgres"):
            raise UsageError("PostgreSQL store needs the survey extra (pip install 'govaudit[survey]'); "
                             "use an SQLite path for now")
        if scheme == "sqlite":
            rest = target[len("sqlite://"):]
            if not rest.startswith("/") or len(rest) < 2:
                raise UsageError(f"invalid store URL {target!r}: use sqlite:///relative/path or sqlite:////absolute/path")
            target = rest[1:]
        elif scheme:
            raise UsageError(f"unsupported store URL {target!r}: use a file path, sqlite:///path or postgresql://…")
        return cls._open_sqlite(target)

    @classmethod
    def _open_sqlite(cls, target: str) -> Store:
        if target != ":memory:":
            path = Path(target)
            if path.is_dir():
                raise StoreError(f"cannot open the store {path}: it is a directory")
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
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            # NORMAL is safe with WAL: a killed process loses nothing committed; only a power cut
            # may drop the last transactions, never corrupt the file.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            store._migrate()
        except sqlite3.Error as exc:
            conn.close()
            raise _store_error(target, exc) from None
        except BaseException:
            conn.close()
            raise
        return store

    def _migrate(self) -> None:
        with self._tx() as cur:
            for ddl in _SCHEMA:
                cur.execute(self._dialect.sql(ddl))
            rows = cur.execute(self._q("version")).fetchall()
            if not rows:
                cur.execute(self._q("set_version"), (SCHEMA_VERSION,))
            elif rows[0][0] > SCHEMA_VERSION:
                raise StoreError(f"the store {self.where} was written by a newer govaudit "
                                 f"(schema {rows[0][0]}, this version reads {SCHEMA_VERSION})")

    # ---- plumbing ----

    def _q(self, name: str) -> str:
        return self._dialect.sql(_SQL[name])

    @contextmanager
    def _tx(self, write: bool = True) -> Iterator[sqlite3.Cursor]:
        """One short transaction; any database error becomes a one-line StoreError.

        Writers take the write lock up front (IMMEDIATE) so two processes never deadlock upgrading
        a read; readers stay deferred so they never wait on a writer (WAL).
        """
        with self._lock:
            if self._conn is None:
                raise StoreError(f"the store {self.where} is closed")
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the first error is the one worth reporting
                if isinstance(exc, sqlite3.Error):
                    raise _store_error(self.where, exc) from None
                raise
            finally:
                cur.close()

    def _require_run(self, cur: sqlite3.Cursor, run_id: str) -> str:
        row = cur.execute(self._q("run_exists"), (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"unknown run id {run_id!r} in the store {self.where}")
        return str(row[0])

    # ---- runs ----

    def new_run(self, site_url: str, options: dict[str, Any], as_of: date) -> str:
        """Record a run as "running" and return its id, like 20261122-143501-ab12."""
        now = datetime.now().astimezone()
        options_json = _json(options)
        profile = options.get("profile") if isinstance(options.get("profile"), str) else None
        for _ in range(8):
            run_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
            with self._tx() as cur:
                if cur.execute(self._q("run_exists"), (run_id,)).fetchone() is not None:
                    continue  # two runs in the same second drew the same suffix
                cur.execute(self._q("insert_run"), (run_id, _txt(site_url), now.isoformat(timespec="seconds"),
                                                    profile, as_of.isoformat(), options_json))
                return run_id
        raise StoreError(f"could not find a free run id in the store {self.where}")

    def finish_run(self, run_id: str, result: AuditResult) -> None:
        """Store the result, its findings and its score in one transaction; the run becomes "done"."""
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

    def fail_run(self, run_id: str, reason: str) -> None:
        with self._tx() as cur:
            self._require_run(cur, run_id)
            cur.execute(self._q("fail_run"), (_now(), _txt(reason), run_id))

    def save_score(self, run_id: str, scored: ScoredResult) -> None:
        """Keep a (re-)score of a run under its profile id; one row per (run, profile)."""
        with self._tx() as cur:
            self._require_run(cur, run_id)
            self._write_score(cur, run_id, scored)

    def _write_score(self, cur: sqlite3.Cursor, run_id: str, scored: ScoredResult) -> None:
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
        extra = _json({
            "error_detail": page.error_detail, "redirects": to_dict(page.redirects), "headers": page.headers,
            "truncated": page.truncated, "encoding": page.encoding, "is_html": page.is_html,
        })
        with self._tx() as cur:
            self._require_run(cur, run_id)
            seq = cur.execute(self._q("next_seq"), (run_id,)).fetchone()[0]
            cur.execute(self._q("upsert_page"), (
                run_id, _txt(page.url), seq, _txt(page.final_url), page.status, _txt(page.error), page.depth,
                _txt(page.content_type), page.elapsed_ms, page.size, _txt(page.title), _txt(page.fetched_at),
                extra, page.text_z or None,
            ))
            cur.execute(self._q("delete_links"), (run_id, _txt(page.url)))
            cur.executemany(self._q("insert_link"), [
                (run_id, _txt(page.url), n, _txt(link.url), _txt(link.element), _txt(link.kind), _txt(link.attr),
                 _txt(link.raw), _txt(link.text), _txt(link.fragment))
                for n, link in enumerate(page.links)
            ])

    def pages(self, run_id: str) -> list[Page]:
        """A run's pages in the order they were first stored, links included (for resume)."""
        with self._tx(write=False) as cur:
            self._require_run(cur, run_id)
            page_rows = cur.execute(self._q("select_pages"), (run_id,)).fetchall()
            link_rows = cur.execute(self._q("select_links"), (run_id,)).fetchall()
        links: dict[str, list[Link]] = {}
        for page_url, target, element, kind, attr, raw, text, fragment in link_rows:
            links.setdefault(page_url, []).append(
                Link(url=target, raw=raw, element=element, attr=attr, text=text, kind=kind, fragment=fragment))
        return [self._page(row, links.get(row[1], [])) for row in page_rows]

    def _page(self, row: Sequence[Any], links: list[Link]) -> Page:
        (_run, url, _seq, final_url, status, error, depth, content_type, elapsed_ms, size, title,
         fetched_at, extra_json, text_z) = row
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
