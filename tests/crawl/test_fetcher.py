"""The fetcher against real servers on 127.0.0.1: statuses, errors, retries, redirects, limits."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler

from govaudit.config import CrawlConfig
from govaudit.crawl.fetcher import Fetcher, parse_retry_after
from tests.conftest import run
from tests.support.server import Reply, free_port, page, redirect, serving, status


def fast(**kw: object) -> CrawlConfig:
    cfg = CrawlConfig(delay=0.0, host_concurrency=8, concurrency=16, timeout=3.0, backoff=0.05)
    for k, v in kw.items():
        setattr(cfg, k, v)
    return cfg


async def fetch(url: str, cfg: CrawlConfig | None = None, **kw: object):
    async with Fetcher(cfg or fast()) as f:
        return await f.fetch(url, **kw)


def test_statuses_and_body() -> None:
    with serving({"/ok": page("<title>ok</title>"), "/gone": status(410), "/err": status(500)}) as srv:
        ok = run(fetch(srv.url("/ok")))
        assert ok.status == 200 and ok.ok and b"<title>ok</title>" in (ok.body or b"")
        assert ok.content_type == "text/html"
        assert run(fetch(srv.url("/missing"))).status == 404
        assert run(fetch(srv.url("/gone"))).status == 410
        err = run(fetch(srv.url("/err")))
        assert err.status == 500 and not err.ok and err.attempts == 1  # 500 is not retried


def test_refused_and_dns() -> None:
    refused = run(fetch(f"http://127.0.0.1:{free_port()}/", robots=False))  # robots.txt would learn it first
    assert refused.error == "refused" and refused.status is None
    assert refused.attempts == 3  # connect errors are retried (2 retries by default)
    dns = run(fetch("http://www.no-such-host.invalid/"))
    assert dns.error == "dns"
    assert dns.attempts == 1  # DNS failures are not retried


def test_timeout_on_slow_server() -> None:
    def slow(req: BaseHTTPRequestHandler) -> Reply:
        time.sleep(2.5)
        return page("late")

    with serving({"/slow": slow}) as srv:
        t0 = time.monotonic()
        res = run(fetch(srv.url("/slow"), fast(timeout=0.5, retries=0)))
        assert res.error == "timeout"
        assert time.monotonic() - t0 < 2.0


def test_slowloris_body_is_bounded_by_the_deadline_and_keeps_what_came() -> None:
    def trickle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", "1000")
        req.end_headers()
        try:
            req.wfile.write(b"<html><title>slow</title>")
            req.wfile.flush()
            for _ in range(40):
                req.wfile.write(b"x")
                req.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    with serving({"/trickle": trickle}) as srv:
        t0 = time.monotonic()
        res = run(fetch(srv.url("/trickle"), fast(timeout=1.0, retries=0)))
        assert time.monotonic() - t0 < 2.5
        assert res.status == 200 and res.truncated
        assert res.body is not None and res.body.startswith(b"<html><title>slow</title>")


def test_redirect_chain_loop_and_too_many() -> None:
    routes = {"/a": redirect("/b", 301), "/b": redirect("/c"), "/c": page("end"),
              "/loop1": redirect("/loop2"), "/loop2": redirect("/loop1")}
    for i in range(15):
        routes[f"/hop{i}"] = redirect(f"/hop{i + 1}")
    with serving(routes) as srv:
        res = run(fetch(srv.url("/a")))
        assert res.status == 200 and res.final_url == srv.url("/c")
        assert [(h.url, h.status) for h in res.redirects] == [(srv.url("/a"), 301), (srv.url("/b"), 302)]
        loop = run(fetch(srv.url("/loop1")))
        assert loop.error == "redirect-loop" and len(loop.redirects) == 2
        many = run(fetch(srv.url("/hop0")))
        assert many.error == "too-many-redirects" and len(many.redirects) == 11


def test_429_then_200_with_retry_after_is_waited_for() -> None:
    hits = {"n": 0}

    def flaky(req: BaseHTTPRequestHandler) -> Reply:
        hits["n"] += 1
        return status(429, **{"Retry-After": "1"}) if hits["n"] == 1 else page("fine")

    with serving({"/busy": flaky}) as srv:
        t0 = time.monotonic()
        res = run(fetch(srv.url("/busy")))
        assert res.status == 200 and res.attempts == 2 and res.retry_after == 1.0
        assert time.monotonic() - t0 >= 0.9


def test_retry_after_over_the_cap_is_reported_not_slept() -> None:
    with serving({"/later": status(503, **{"Retry-After": "3600"})}) as srv:
        t0 = time.monotonic()
        res = run(fetch(srv.url("/later")))
        assert time.monotonic() - t0 < 2
        assert res.error == "retry-after" and res.status == 503 and res.retry_after == 3600


def test_body_cap_and_gzip_bomb() -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), 9)  # 200 MB of zeros in ~200 KB
    big = b"<html>" + b"a" * (3 * 1024 * 1024)
    with serving({"/bomb": Reply(body=bomb, headers={"Content-Encoding": "gzip"}),
                  "/big": Reply(body=big)}) as srv:
        res = run(fetch(srv.url("/bomb"), fast(max_bytes=1024 * 1024)))
        assert res.status == 200 and res.truncated and len(res.body or b"") == 1024 * 1024
        res = run(fetch(srv.url("/big"), fast(max_bytes=100_000)))
        assert res.truncated and len(res.body or b"") == 100_000


def test_gzip_body_is_decoded() -> None:
    html = "<html><title>压缩</title></html>".encode()
    with serving({"/z": Reply(body=gzip.compress(html), headers={"Content-Encoding": "gzip"})}) as srv:
        res = run(fetch(srv.url("/z")))
        assert res.body == html and not res.truncated


def test_robots_disallow_is_never_fetched() -> None:
    robots = Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    with serving({"/robots.txt": robots, "/private/x": page("secret"), "/public": page("hi")}) as srv:
        async def both():
            async with Fetcher(fast()) as f:
                return await f.fetch(srv.url("/private/x")), await f.fetch(srv.url("/public")), f

        blocked, ok, f = run(both())
        assert blocked.error == "robots" and blocked.status is None
        assert ok.status == 200
        assert ("GET", "/private/x") not in srv.log
        assert sum(1 for m, p in srv.log if p == "/robots.txt") == 1  # fetched once per origin
        assert f.robots_skipped == [srv.url("/private/x")]


def test_robots_500_is_crawled_with_a_note() -> None:
    with serving({"/robots.txt": status(500), "/p": page("hi")}) as srv:
        async def go():
            async with Fetcher(fast(retries=0)) as f:
                return await f.fetch(srv.url("/p")), f.notes

        res, notes = run(go())
        assert res.status == 200
        assert any("robots.txt answered 500" in n for n in notes)


def test_check_head_405_falls_back_to_get_and_is_cached() -> None:
    def doc(req: BaseHTTPRequestHandler) -> Reply:
        if req.command == "HEAD":
            return status(405)
        return Reply(body=b"%PDF-1.4 " + b"x" * 10000, content_type="application/pdf")

    with serving({"/files/a.pdf": doc}) as srv:
        async def go():
            async with Fetcher(fast()) as f:
                return await f.check(srv.url("/files/a.pdf")), await f.check(srv.url("/files/a.pdf"))

        first, again = run(go())
        assert first.status == 200 and first.method == "GET"
        assert len(first.body or b"") <= 2048  # the fallback GET reads only the first bytes
        assert again is first
        assert [m for m, p in srv.log if p == "/files/a.pdf"] == ["HEAD", "GET"]


def test_user_agent_and_per_host_politeness() -> None:
    seen: list[tuple[float, str]] = []
    lock = threading.Lock()

    def rec(req: BaseHTTPRequestHandler) -> Reply:
        with lock:
            seen.append((time.monotonic(), req.headers.get("User-Agent", "")))
        return page("ok")

    with serving({}, fallback=rec) as srv:
        cfg = fast(delay=0.2, host_concurrency=1, obey_robots=False, user_agent="inspector/1.0 (+mailto:x@y)")

        async def go():
            import asyncio

            async with Fetcher(cfg) as f:
                await asyncio.gather(*(f.fetch(srv.url(f"/p{i}")) for i in range(4)))

        run(go())
        times = sorted(t for t, _ in seen)
        assert len(times) == 4 and all(ua == "inspector/1.0 (+mailto:x@y)" for _, ua in seen)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= 0.18  # the minimum delay between two requests to one host holds


def test_budget_exhausted_requests_are_not_sent() -> None:
    with serving({"/": page("x")}) as srv:
        res = run(fetch(srv.url("/"), fast(budget=0.0)))
        assert res.error == "budget" and srv.log == []


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert 0 <= (parse_retry_after("Wed, 21 Oct 2099 07:28:00 GMT") or 0) > 1000


def test_a_robots_txt_read_only_in_part_says_so() -> None:
    """A 600 KiB robots.txt is read to its first 512 KiB (issue 16 item 4): said in the notes."""
    big = "User-agent: *\n" + "".join(f"Disallow: /x{i}/\n" for i in range(36_000))
    assert len(big) > 540_000
    with serving({"/robots.txt": Reply(body=big, content_type="text/plain"), "/": page("home")}) as srv:
        async def go() -> list[str]:
            async with Fetcher(fast(timeout=20.0)) as f:
                await f.fetch(srv.url("/"))
                return f.notes
        notes = run(go())
    assert any("robots.txt read only in part" in n and "524,288 bytes" in n for n in notes), notes
