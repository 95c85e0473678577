"""Distributed mode on real services: redis-server and PostgreSQL started by the tests, two
`govaudit worker` processes, one killed with kill -9 mid-task; every site's result stored once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from govaudit.store import Store
from govaudit.survey.distributed import KEY_PREFIX, RedisSemaphore
from tests.support.server import free_port
from tests.survey.helpers import AS_OF, RequestClock, govaudit, start, wait_for
from tests.survey.portals import serve_portals

LEASE = "6"  # seconds: a dead worker's site and slots are free again this soon
WORKER_OPTS = ("--pool", "prefork", "-c", "1", "--visibility-timeout", "8", "--restore-interval", "1", "--loglevel", "info")


def children(pid: int) -> list[int]:
    """Direct children of a process we started (its Celery pool processes)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


@pytest.fixture
def workers(redis_url: str, pg_url: str) -> Iterator[list[subprocess.Popen[str]]]:
    Store.open(pg_url).close()  # the tables exist before the test starts reading them
    procs = [start("worker", "--queue", redis_url, "--db", pg_url, *WORKER_OPTS, start_new_session=True)
             for _ in range(2)]
    try:
        yield procs
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)  # the group of a worker we started: it and its pool
        for p in procs:
            try:
                p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate(timeout=10)


def sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def test_two_workers_one_killed_mid_task_every_site_stored_once(tmp_path: Path, redis_url: str, pg_url: str,
                                                               workers: list[subprocess.Popen[str]]) -> None:
    n = 12
    victim = workers[0]
    # slow enough that a page batch (stored every second) lands while the crawl still runs
    with serve_portals(n, per_address=2, first_address=60, delay=0.3) as portals:
        sites = portals.write_csv(tmp_path / "sites.csv")
        coordinator = start("survey", str(sites), "--id", "nation", "--queue", redis_url, "--db", pg_url,
                            "--out", str(tmp_path / "out"), "--as-of", AS_OF, "--checks", "links", "--delay", "0",
                            "--lease", LEASE)
        try:
            def victim_mid_task() -> bool:
                pids = children(victim.pid)
                rows = sql(pg_url, "SELECT s.worker, (SELECT COUNT(*) FROM pages p WHERE p.run_id = s.run_id) "
                                   "FROM survey_sites s WHERE s.status = 'running'")
                return any(any(w.split(":")[2] == str(pid) for pid in pids) and pages >= 2 for w, pages in rows)

            wait_for(victim_mid_task, 120, "worker 1 in the middle of an audit", every=0.02)
            victim_pids = {str(pid) for pid in children(victim.pid)}
            os.killpg(victim.pid, signal.SIGKILL)  # the worker and its pool process, mid-task
            victim.wait(10)
            killed_rows = sql(pg_url, "SELECT url, run_id, worker FROM survey_sites WHERE status = 'running'")
            killed = [(u, r) for u, r, w in killed_rows if w.split(":")[2] in victim_pids]
            assert len(killed) == 1
            # The dead worker's slot on that site's origin is still held: nobody released it.
            client = redis.Redis.from_url(redis_url)
            origin_slot = RedisSemaphore(client, f"origin:{killed[0][0].rstrip('/')}", 1, 1)
            assert origin_slot.holders() == 1
            stdout, stderr = coordinator.communicate(timeout=180)
        finally:
            if coordinator.poll() is None:
                coordinator.kill()
                coordinator.communicate()
        assert coordinator.returncode == 0, stderr
        assert f"survey nation: {n} audited, 0 could not be audited, 0 unfinished" in stdout

        # Every site: one row done, one run done, one score; the killed site resumed its own run.
        sites_rows = sql(pg_url, "SELECT url, status, run_id, attempts FROM survey_sites")
        assert sorted(u for u, *_ in sites_rows) == sorted(portals.urls)
        assert {s for _, s, _, _ in sites_rows} == {"done"}
        runs = sql(pg_url, "SELECT site_url, COUNT(*), MIN(status), MAX(status) FROM runs GROUP BY site_url")
        assert sorted(runs) == sorted((u, 1, "done", "done") for u in portals.urls)
        assert sql(pg_url, "SELECT COUNT(*), COUNT(DISTINCT run_id) FROM scores") == [(n, n)]
        (killed_url, killed_run), = killed
        row = next(r for r in sites_rows if r[0] == killed_url)
        assert row[2] == killed_run and row[3] >= 2  # same run, a second attempt
        home_gets = [p for m, p in portals.by_url(killed_url).log if m == "GET" and p == "/"]
        assert len(home_gets) == 1  # the survivor resumed the crawl, it did not start over
        doc = json.loads((tmp_path / "out" / "survey.json").read_text(encoding="utf-8"))
        assert doc["counts"]["done"] == n and all((tmp_path / "out" / r["report"]).is_file() for r in doc["sites"])
        assert workers[1].poll() is None  # the survivor is still serving

    # ... until its lease ran out (the survivor got the site); now no slot at all is held.
    assert origin_slot.holders() == 0
    keys = [k.decode()[len(KEY_PREFIX):] for k in client.keys(KEY_PREFIX + "*")]
    assert all(RedisSemaphore(client, k, 1, 1).holders() == 0 for k in keys)


def test_per_ip_budget_is_shared_by_workers(tmp_path: Path, redis_url: str, pg_url: str,
                                           workers: list[subprocess.Popen[str]]) -> None:
    clock = RequestClock()
    with serve_portals(4, per_address=4, first_address=70, delay=0.05, on_request=clock) as shared, \
            serve_portals(4, per_address=1, first_address=71, delay=0.05, on_request=clock) as alone:
        sites = tmp_path / "sites.csv"
        sites.write_text("url\n" + "\n".join(shared.urls + alone.urls) + "\n", encoding="utf-8")
        proc = govaudit("survey", str(sites), "--id", "ip", "--queue", redis_url, "--db", pg_url, "--out",
                        str(tmp_path / "out"), "--as-of", AS_OF, "--checks", "links", "--delay", "0",
                        "--per-ip", "1", "--lease", LEASE, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert len(clock.windows()) == 8
    assert clock.max_overlap("127.0.0.70") == 1  # two workers, never both on the shared address
    assert clock.max_overlap() == 2  # while both did work at once elsewhere


def test_no_wait_then_collect_and_a_rerun_enqueues_nothing_done(tmp_path: Path, redis_url: str, pg_url: str,
                                                               workers: list[subprocess.Popen[str]]) -> None:
    with serve_portals(3, first_address=80) as portals:
        sites = portals.write_csv(tmp_path / "sites.csv")
        args = ("survey", str(sites), "--id", "later", "--queue", redis_url, "--db", pg_url, "--out",
                str(tmp_path / "out"), "--as-of", AS_OF, "--checks", "links", "--delay", "0", "--lease", LEASE)
        first = govaudit(*args, "--no-wait")
        assert first.returncode == 0, first.stderr
        assert "enqueued 3 sites" in first.stderr
        wait_for(lambda: sql(pg_url, "SELECT COUNT(*) FROM survey_sites WHERE status = 'done'")[0][0] == 3, 120,
                 "three sites done")
        again = govaudit(*args)
    assert again.returncode == 0, again.stderr
    assert "enqueued 0 sites" in again.stderr
    assert "survey later: 3 audited" in again.stdout
    assert sql(pg_url, "SELECT COUNT(*) FROM runs") == [(3,)]


def test_doctor_and_worker_say_what_is_unreachable(redis_url: str, pg_url: str) -> None:
    dead_q = f"redis://127.0.0.1:{free_port()}/0"
    dead_db = f"postgresql://govaudit:pw@127.0.0.1:{free_port()}/govaudit"
    bad = govaudit("doctor", "--queue", dead_q, "--db", dead_db)
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert any(line.startswith(f"MISSING queue: cannot reach {dead_q}: ") for line in lines), bad.stdout
    assert any(line.startswith("MISSING store: cannot connect to the store postgresql://govaudit:***@127.0.0.1:")
               for line in lines), bad.stdout
    assert "pw@" not in bad.stdout
    good = govaudit("doctor", "--queue", redis_url, "--db", pg_url)
    lines = good.stdout.splitlines()
    assert any(line.startswith(f"ok   queue: {redis_url} answers (Redis ") for line in lines), good.stdout
    assert f"ok   store: {pg_url} reachable; tables ready" in lines
    worker = govaudit("worker", "--queue", dead_q, "--db", pg_url, timeout=60)
    assert worker.returncode == 2
    assert worker.stderr.startswith(f"govaudit: queue: cannot reach {dead_q}: ")
    assert len(worker.stderr.splitlines()) == 1
    survey = govaudit("survey", "/dev/null", "--id", "x", "--queue", "amqp://x", "--db", pg_url)
    assert survey.returncode == 2


def test_redis_semaphore_limit_renewal_and_expiry(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    sem = RedisSemaphore(client, "ip:203.0.113.7", 2, 1.0)
    a, b = sem.acquire(), sem.acquire()
    assert a and b and sem.acquire() is None  # the third waits: two audits per address
    sem.release(a)
    c = sem.acquire()
    assert c is not None and sem.holders() == 2
    time.sleep(0.6)
    assert sem.renew(b)  # b keeps beating; c (a killed worker) does not
    time.sleep(0.6)
    assert sem.holders() == 1
    d = sem.acquire()  # c's slot expired on its own
    assert d is not None and sem.acquire() is None
    assert not sem.renew(c)  # a slot that expired cannot be renewed back
