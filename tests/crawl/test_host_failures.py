"""Failures that belong to a host are learned once (issue 10, item 2): a dead outside host linked
from a thousand pages costs one lookup, every other URL of it gets the same word at once, and the
word stays right (`dns` stays `dns`, `refused` stays `refused`, nothing becomes `timeout`)."""

from __future__ import annotations

import asyncio

from govaudit.crawl.fetcher import Fetcher
from tests.conftest import run
from tests.crawl.test_fetcher import fast
from tests.support.server import free_port, page, serving


async def _check_all(urls: list[str], **cfg: object) -> tuple[list, Fetcher]:
    async with Fetcher(fast(**cfg)) as f:
        results = await asyncio.gather(*(f.check(u) for u in urls))
        return list(results), f


def test_a_dead_name_is_looked_up_once_for_all_its_urls_and_ports() -> None:
    urls = [f"http://dead-host.invalid/page/{n}.html" for n in range(40)]
    urls += [f"http://dead-host.invalid:8080/file/{n}.pdf" for n in range(10)]  # same name, other port
    results, f = _check_all_sync(urls)
    assert {r.error for r in results} == {"dns"}
    # The two origins' robots.txt lookups start together, before either answer: at most those two.
    assert f.requests <= 2
    assert sum("learned" in r.error_detail for r in results) == len(urls)
    assert f.learned >= len(urls)


def test_a_closed_port_is_learned_after_its_retries() -> None:
    port = free_port()
    urls = [f"http://127.0.0.1:{port}/p/{n}.html" for n in range(30)]
    results, f = _check_all_sync(urls, retries=2)
    assert {r.error for r in results} == {"refused"}
    assert f.requests == 3  # robots.txt: the first try and its two retries, then learned
    assert all(r.status is None for r in results)


def test_learning_stays_with_its_host() -> None:
    port = free_port()
    with serving({"/ok.html": page("<title>ok</title>")}) as srv:
        async def go() -> tuple[list, Fetcher]:
            async with Fetcher(fast(retries=0)) as f:
                dead = await asyncio.gather(*(f.check(f"http://127.0.0.1:{port}/{n}") for n in range(5)),
                                            *(f.check(f"http://other.invalid/{n}") for n in range(5)))
                live = await f.check(srv.url("/ok.html"))
                return [*dead, live], f
        results, _ = run(go())
    assert [r.error for r in results[:5]] == ["refused"] * 5
    assert [r.error for r in results[5:10]] == ["dns"] * 5
    assert (results[10].status, results[10].error) == (200, None)  # same address, another port: asked


def _check_all_sync(urls: list[str], **cfg: object) -> tuple[list, Fetcher]:
    return run(_check_all(urls, **cfg))


def test_a_slow_resolver_is_never_called_timeout(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A resolver that drops queries (glibc then waits its 5 s and asks again; played here as 1.5 s
    before "no such name") with a 1 s request timeout and 20 dead hosts on 4 request slots: the
    lookups happen before each request's deadline, once per name, and every verdict is `dns`."""
    import socket
    import threading
    import time

    from govaudit.crawl import resolver

    asked: list[str] = []
    lock = threading.Lock()
    real = socket.getaddrinfo

    def slow(host: str, *args: object, **kw: object) -> list:
        if host.endswith(".invalid"):
            with lock:
                asked.append(host)
            time.sleep(1.5)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kw)

    monkeypatch.setattr(resolver, "getaddrinfo", slow)
    urls = [f"http://h{n % 20}.example.invalid/p/{n}.html" for n in range(60)]
    results, f = _check_all_sync(urls, timeout=1.0, concurrency=4, host_concurrency=4)
    assert {r.error for r in results} == {"dns"}
    assert sorted(set(asked)) == sorted(asked)  # one lookup per name
    assert len(asked) == 20
    assert f.requests == 0  # nothing was sent: no name had an address
