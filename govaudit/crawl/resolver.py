"""Name lookups for one audit: one per host name, in their own threads, outside request timeouts.

A dead outside host linked from 1,000 pages must cost one lookup, and a slow resolver (one that
drops a query, so the C library waits its 5 s and asks again) must never turn "this name has no
address" into "timeout": the fetcher resolves a URL's host before the request's own deadline starts,
through this cache, and the HTTP client's connector asks the same cache (answered at once).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult

# The lookup function; tests swap in a slow or failing one to play a bad resolver.
getaddrinfo: Callable[..., list[Any]] = socket.getaddrinfo
LOOKUP_THREADS = 32  # lookups wait on the network, not the CPU: many at once (the default pool has 6)


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class HostResolver(AbstractResolver):
    """aiohttp resolver with a per-audit cache of answers and failures (shared futures)."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout  # a lookup with no answer by then is a DNS failure, never a timeout
        self.lookups = 0
        self._cache: dict[tuple[str, int, int], asyncio.Future[list[ResolveResult]]] = {}
        self._pool = ThreadPoolExecutor(max_workers=LOOKUP_THREADS, thread_name_prefix="govaudit-dns")

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        return await self.lookup(host, port, int(family))

    async def lookup(self, host: str, port: int = 0, family: int = 0) -> list[ResolveResult]:
        """Addresses of `host`; raises OSError (socket.gaierror) when it has none."""
        key = (host.lower(), port, family)
        fut = self._cache.get(key)
        if fut is None:
            fut = asyncio.get_running_loop().create_future()
            self._cache[key] = fut
            try:
                fut.set_result(await self._ask(host, port, family))
            except BaseException as exc:  # noqa: BLE001 - the failure is the answer, for every waiter
                if isinstance(exc, asyncio.CancelledError):
                    del self._cache[key]
                    fut.cancel()
                    raise
                fut.set_exception(exc if isinstance(exc, OSError) else OSError(str(exc)))
                fut.exception()  # retrieved: waiters re-raise it themselves
        return await asyncio.shield(fut)

    async def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def _ask(self, host: str, port: int, family: int) -> list[ResolveResult]:
        self.lookups += 1
        loop = asyncio.get_running_loop()
        call = loop.run_in_executor(self._pool, lambda: getaddrinfo(host, port, family, socket.SOCK_STREAM))
        try:
            infos = await asyncio.wait_for(call, self.timeout)
        except TimeoutError:
            raise socket.gaierror(socket.EAI_AGAIN, f"no answer from the resolver in {self.timeout:g} s "
                                                    "(name resolution)") from None
        out: list[ResolveResult] = []
        for fam, _, proto, _, address in infos:
            if fam == socket.AF_INET6 and len(address) < 3:
                continue  # IPv6 not available in this Python
            if fam not in (socket.AF_INET, socket.AF_INET6):
                continue
            out.append(ResolveResult(hostname=host, host=address[0], port=address[1], family=fam, proto=proto,
                                     flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV))
        if not out:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: no address associated with hostname")
        return out
