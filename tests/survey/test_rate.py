"""The survey's per-IP request rate (issue 13, item 6): requests to one address are spaced by
1/rate however many audits send them, in one process (LocalRate) and across workers (RedisRate on
a real Redis); the wait is never a request's own time; without a rate nothing is spaced."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from govaudit.crawl.fetcher import Fetcher, Pace
from govaudit.store import Store
from govaudit.survey.rate import LocalRate, RedisRate, reserve
from tests.conftest import run
from tests.crawl.test_fetcher import fast
from tests.support.server import LocalServer, free_port, page, serving
from tests.survey.helpers import AS_OF, FAST, RequestClock, govaudit
from tests.survey.portals import serve_portals


def _stamping() -> tuple[list[float], object]:
    arrivals: list[float] = []
    lock = threading.Lock()

    def handler(req: BaseHTTPRequestHandler):  # noqa: ANN202 - a route
        with lock:
            arrivals.append(time.monotonic())
        return page("<p>ok</p>")

    return arrivals, handler


async def _audits(srv: LocalServer, pace: Pace | None, audits: int, each: int, **cfg: object) -> list:
    """`audits` fetchers at once (as a survey's concurrent audits), each checking `each` URLs."""
    async def one(k: int) -> list:
        async with Fetcher(fast(obey_robots=False, **cfg), pace=pace) as f:
            got = await asyncio.gather(*(f.check(srv.url(f"/a{k}/{n}.html")) for n in range(each)))
            return [(r, f.paced_s) for r in got]
    return [x for part in await asyncio.gather(*(one(k) for k in range(audits))) for x in part]


def _gaps(arrivals: list[float]) -> list[float]:
    times = sorted(arrivals)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def assert_spaced(arrivals: list[float], rate: float) -> None:
    """The requests came at most `rate` a second: over the whole run, and between any two but a
    couple (a request is paced when it is sent; a new connection's setup can delay its arrival)."""
    gaps = _gaps(arrivals)
    assert sum(gaps) >= 0.9 * len(gaps) / rate, gaps
    assert sum(1 for g in gaps if g < 0.5 / rate) <= 2, gaps


def test_reserving_a_slot_spaces_requests_and_never_waits_on_an_idle_address() -> None:
    assert reserve(0.0, 100.0, 0.25) == (0.0, 100.25)  # idle: go now
    assert reserve(100.25, 100.1, 0.25) == (0.15000000000000568, 100.5)  # busy: wait for the next slot
    assert reserve(100.5, 200.0, 0.25) == (0.0, 200.25)  # a long pause does not bank a burst


def test_concurrent_audits_of_one_process_share_the_rate_of_an_address() -> None:
    arrivals, handler = _stamping()
    with serving({}, fallback=handler) as srv:
        results = run(_audits(srv, LocalRate(20.0), audits=3, each=5))
    assert {r.status for r, _ in results} == {200}
    assert len(arrivals) == 15
    assert_spaced(arrivals, 20.0)


def test_without_a_rate_the_same_audits_are_not_spaced() -> None:
    arrivals, handler = _stamping()
    with serving({}, fallback=handler) as srv:
        results = run(_audits(srv, None, audits=3, each=5))
    assert {r.status for r, _ in results} == {200} and len(arrivals) == 15
    assert sorted(arrivals)[-1] - sorted(arrivals)[0] < 0.5
    assert all(paced == 0.0 for _, paced in results)


def test_the_wait_for_the_rate_is_not_the_requests_own_time() -> None:
    arrivals, handler = _stamping()
    with serving({}, fallback=handler) as srv:
        # 8 requests at 4 a second: the last waits ~1.75 s, far over its 0.5 s timeout
        results = run(_audits(srv, LocalRate(4.0), audits=1, each=8, timeout=0.5))
    assert {r.status for r, _ in results} == {200}, {r.error for r, _ in results}
    assert all(r.elapsed_ms < 500 for r, _ in results)
    assert results[0][1] >= 1.5  # the fetcher counted the time its requests waited


def _worker(redis_url: str, srv: LocalServer, survey: str, rate: float, k: int, out: list) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    pace = RedisRate(client, survey, rate)

    async def go() -> None:
        async with Fetcher(fast(obey_robots=False), pace=pace) as f:
            got = await asyncio.gather(*(f.check(srv.url(f"/w{k}/{n}.html")) for n in range(6)))
        out.append(([r.status for r in got], pace.errors))

    asyncio.run(go())


def test_workers_in_other_threads_share_the_rate_through_redis(redis_url: str) -> None:
    arrivals, handler = _stamping()
    out: list = []
    with serving({}, fallback=handler) as srv:
        threads = [threading.Thread(target=_worker, args=(redis_url, srv, "s1", 10.0, k, out)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sorted(out) == [([200] * 6, 0)] * 3  # each worker's own requests, no Redis error
    assert len(arrivals) == 18
    assert_spaced(arrivals, 10.0)  # 1/10 s apart across the three workers
    # another survey's rate is its own: its first request does not queue behind s1's reservations
    import redis

    client = redis.Redis.from_url(redis_url)
    assert float(client.get("govaudit:rate:s1:127.0.0.1") or 0) > 0
    assert client.get("govaudit:rate:s2:127.0.0.1") is None


def test_a_worker_that_cannot_reach_redis_keeps_to_the_rate_by_itself() -> None:
    import redis

    arrivals, handler = _stamping()
    client = redis.Redis(port=free_port(), socket_connect_timeout=1)
    pace = RedisRate(client, "s1", 20.0)
    with serving({}, fallback=handler) as srv:
        results = run(_audits(srv, pace, audits=1, each=6))
    assert {r.status for r, _ in results} == {200}
    assert pace.errors == 6
    assert_spaced(arrivals, 20.0)


def test_a_survey_with_a_per_ip_rate_spaces_the_requests_to_a_shared_address(tmp_path: Path) -> None:
    clock = RequestClock()
    with serve_portals(3, per_address=3, first_address=40, on_request=clock) as shared:
        sites = tmp_path / "sites.csv"
        sites.write_text("url\n" + "\n".join(shared.urls) + "\n", encoding="utf-8")
        proc = govaudit("survey", str(sites), "--id", "rate", "--db", str(tmp_path / "g.db"), "--out",
                        str(tmp_path / "out"), "--as-of", AS_OF, "--per-ip", "3", "--per-ip-rate", "25",
                        "--checks", "links", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert clock.max_overlap("127.0.0.40") == 3  # three audits at once on the shared address...
    times = [t for (a, _), v in clock.times.items() if a == "127.0.0.40" for t in v]
    assert len(times) > 10
    assert_spaced(times, 25.0)  # ...and their requests 1/25 s apart
    with Store.open(str(tmp_path / "g.db")) as store:
        assert store.survey("rate")["per_ip_rate"] == 25.0


def test_a_per_ip_rate_that_is_not_a_rate_is_one_line() -> None:
    for bad in ("-1", "nan", "inf"):
        proc = govaudit("survey", "sites.csv", "--id", "x", "--per-ip-rate", bad)
        assert proc.returncode == 2 and "--per-ip-rate must be a number" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
