"""The store on both engines: SQLite files and a real PostgreSQL server, through the same code.

Runs, pages and results round-trip identically; survey sites are claimed once under a lease and
carry their run; probe samples are kept once and read back by day window.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from govaudit.errors import StoreError, UsageError
from govaudit.store import Claim, ProbeSample, Store
from tests.store.helpers import make_page, make_result
from tests.support.server import free_port

AS_OF = date(2026, 11, 22)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "govaudit.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as s:
        yield s


def test_runs_pages_and_results_round_trip(store: Store) -> None:
    run_id = store.new_run("http://127.0.0.1:8080/", {"profile": "cn-gov-2019"}, AS_OF)
    pages = [make_page(i) for i in range(12)]
    for p in pages:
        store.add_page(run_id, p)
    store.add_page(run_id, pages[3])  # storing a page again replaces it, keeps its place
    assert store.pages(run_id) == pages
    result = make_result(run_id)
    store.finish_run(run_id, result)
    assert store.load_result(run_id) == result
    (row,) = store.runs()
    assert (row.id, row.status, row.pages, row.value, row.grade) == (
        run_id, "done", 12, result.scored.score.value, result.scored.score.grade)
    assert store.scores(run_id)["cn-gov-2019"] == result.scored


def test_postgres_keeps_floats_exact_and_survives_nul(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        run_id = store.new_run("http://127.0.0.1:8080/", {}, AS_OF)
        page = make_page(1)
        page.elapsed_ms = 83.33333333333333
        page.title = "标题\x00后半"  # PostgreSQL text cannot hold NUL
        store.add_page(run_id, page)
        (back,) = store.pages(run_id)
        assert back.elapsed_ms == 83.33333333333333  # DOUBLE PRECISION, not float4
        assert back.title == "标题\ufffd后半"


def test_claims_are_exclusive_and_carry_the_run(store: Store) -> None:
    assert store.create_survey("s", {"profile": "cn-gov-2019", "as_of": "2026-11-22"})
    assert not store.create_survey("s", {"profile": "other"})  # the first stays
    assert store.survey("s")["profile"] == "cn-gov-2019"
    assert store.add_survey_sites("s", [("http://a/", {"name": "甲"}), ("http://b/", {})]) == 2
    assert store.add_survey_sites("s", [("http://b/", {"name": "changed"}), ("http://c/", {})]) == 1
    assert [(x.url, x.pos, x.info) for x in store.survey_sites("s")] == [
        ("http://a/", 0, {"name": "甲"}), ("http://b/", 1, {}), ("http://c/", 1, {})]

    first = store.claim_site("s", "http://a/", "w1", 60, {"profile": "cn-gov-2019"}, AS_OF)
    assert isinstance(first, Claim) and first.run_status == "running" and first.pages == 0
    assert store.claim_site("s", "http://a/", "w2", 60, {}, AS_OF) == "running"  # held by w1
    store.add_page(first.run_id, make_page(0))
    # w1 dies; once its lease has run out w2 gets the same run back, with its page.
    store.renew_site("s", "http://a/", "w1", -1)
    again = store.claim_site("s", "http://a/", "w2", 60, {}, AS_OF)
    assert again == Claim(run_id=first.run_id, run_status="running", pages=1)
    assert not store.renew_site("s", "http://a/", "w1", 60)  # w1's lease is gone for good
    assert store.renew_site("s", "http://a/", "w2", 60)
    assert store.finish_site("s", "http://a/", "done", summary={"score": 90})
    assert not store.finish_site("s", "http://a/", "done", summary={"score": 1})  # once only
    site = store.survey_site("s", "http://a/")
    assert (site.status, site.summary, site.attempts, site.run_id) == ("done", {"score": 90}, 2, first.run_id)
    assert store.claim_site("s", "http://a/", "w3", 60, {}, AS_OF) == "done"
    assert len(store.runs()) == 1  # one site, one run, however many attempts

    # A killed local survey's sites are taken back at once by name, lease or not.
    b = store.claim_site("s", "http://b/", "local:h:1", 600, {}, AS_OF)
    assert store.claim_site("s", "http://b/", "local:h:2", 600, {}, AS_OF) == "running"
    stolen = store.claim_site("s", "http://b/", "local:h:2", 600, {}, AS_OF, steal_from="local:h:1")
    assert isinstance(stolen, Claim) and isinstance(b, Claim) and stolen.run_id == b.run_id
    assert store.release_site("s", "http://b/", "local:h:2")
    assert store.survey_counts("s") == {"pending": 2, "running": 0, "done": 1, "failed": 0}
    with pytest.raises(UsageError, match="unknown site"):
        store.claim_site("s", "http://nowhere/", "w", 60, {}, AS_OF)
    with pytest.raises(UsageError, match="unknown survey id"):
        store.add_survey_sites("nope", [("http://a/", {})])


def test_a_finished_run_whose_site_was_not_marked_is_found(store: Store) -> None:
    store.create_survey("s", {})
    store.add_survey_sites("s", [("http://127.0.0.1:8080/", {})])
    claim = store.claim_site("s", "http://127.0.0.1:8080/", "w1", 0.01, {}, AS_OF)
    assert isinstance(claim, Claim)
    store.finish_run(claim.run_id, make_result(claim.run_id))  # ... and the worker dies here
    time.sleep(0.05)
    again = store.claim_site("s", "http://127.0.0.1:8080/", "w2", 60, {}, AS_OF)
    assert again == Claim(run_id=claim.run_id, run_status="done", pages=0)


def _claimer(url: str, n: int, out: multiprocessing.Queue) -> None:
    with Store.open(url) as store:
        won = []
        for i in range(n):
            got = store.claim_site("race", f"http://s{i}/", f"p{multiprocessing.current_process().pid}", 600, {}, AS_OF)
            if isinstance(got, Claim):
                won.append((i, got.run_id))
        out.put(won)


def test_four_processes_racing_claim_each_site_once(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.create_survey("race", {})
        store.add_survey_sites("race", [(f"http://s{i}/", {}) for i in range(40)])
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    procs = [ctx.Process(target=_claimer, args=(store_url, 40, out)) for _ in range(4)]
    for p in procs:
        p.start()
    won = [w for _ in procs for w in out.get(timeout=120)]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert sorted(i for i, _ in won) == list(range(40))  # every site exactly once
    with Store.open(store_url) as store:
        assert len(store.runs(limit=1000)) == 40
        assert {s.run_id for s in store.survey_sites("race")} == {r for _, r in won}


def test_samples_kept_once_and_read_by_window(store: Store) -> None:
    samples = [ProbeSample(site="http://a/", at=f"2026-11-{d:02d}T{h:02d}:00:00.000000+08:00", day=f"2026-11-{d:02d}",
                           ok=h % 5 != 0, status=200 if h % 5 else None, error=None if h % 5 else "timeout",
                           elapsed_ms=12.5, origin="http://a", detail={"final_url": "http://a/"})
               for d in range(14, 23) for h in range(0, 24)]
    assert store.add_samples(samples) == len(samples)
    assert store.add_samples(samples[:10]) == 0  # the same visit twice is one sample
    week = store.samples("http://a/", date(2026, 11, 16), date(2026, 11, 22))
    assert len(week) == 7 * 24
    assert week[0] == samples[2 * 24]
    assert sum(1 for s in week if not s.ok) == 7 * 5
    # A site listed under another path of the same origin finds the samples by origin.
    assert len(store.samples("http://a/index.html", date(2026, 11, 22), date(2026, 11, 22), "http://a")) == 24
    assert store.samples("http://b/", date(2026, 11, 16), date(2026, 11, 22), "http://b") == []
    with pytest.raises(UsageError, match="invalid sample time"):
        store.add_samples([ProbeSample(site="http://a/", at="yesterday", day="2026-11-22", ok=True)])


def test_postgres_errors_are_one_line_and_hide_the_password(pg_server) -> None:
    port = free_port()
    with pytest.raises(StoreError) as info:
        Store.open(f"postgresql://audit:s3cret@127.0.0.1:{port}/govaudit")
    message = str(info.value)
    assert "\n" not in message and "s3cret" not in message
    assert message.startswith(f"cannot connect to the store postgresql://audit:***@127.0.0.1:{port}/govaudit: ")
    with pytest.raises(StoreError, match='database "absent" does not exist'):
        Store.open(pg_server.url("absent"))


def test_postgres_reconnects_after_the_server_dropped_the_connection(pg_url: str, pg_server) -> None:
    import psycopg

    with Store.open(pg_url) as store:
        run_id = store.new_run("http://127.0.0.1:8080/", {}, AS_OF)
        pid = store._conn.info.backend_pid  # noqa: SLF001 - the session the server is about to end
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError, match="lost the connection|store"):
            store.add_page(run_id, make_page(0))  # the write in flight fails, in one line
        store.add_page(run_id, make_page(1))  # the next one reconnects
        assert [p.url for p in store.pages(run_id)] == [make_page(1).url]
