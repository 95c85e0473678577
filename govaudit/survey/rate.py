"""A survey's per-IP request rate: at most `rate` requests a second to one IP address, summed over
every audit of the survey that reaches it (many county portals share one government-cloud address).

Each request reserves the next free slot of its address, `1 / rate` seconds after the one before,
and waits for it: the requests to one address are spaced evenly, however many audits (and, with
Redis, however many workers on however many machines) send them. The fetcher awaits the limiter
right before a request goes out (govaudit.crawl.fetcher.Pace); the wait is never the request's
own time, so a busy address does not turn into timeouts.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

DEFAULT_PER_IP_RATE = 4.0  # requests a second: the default per-IP audits (2) x one host's default pace (2/s)


def check_rate(rate: float) -> float:
    from govaudit.errors import UsageError

    if not rate >= 0 or rate == float("inf"):
        raise UsageError(f"--per-ip-rate must be a number of requests a second, 0 for no limit (got {rate!r})")
    return float(rate)


def reserve(next_free: float, now: float, interval: float) -> tuple[float, float]:
    """(seconds to wait, the address's next free slot) for one request arriving at `now`."""
    slot = max(now, next_free)
    return slot - now, slot + interval


class LocalRate:
    """The per-IP rate of the audits of one process (a local survey)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next: dict[str, float] = {}
        self.waited = 0.0

    async def __call__(self, url: str, address: str) -> None:
        wait, self._next[address] = reserve(self._next.get(address, 0.0), time.monotonic(), self.interval)
        if wait > 0:
            self.waited += wait
            await asyncio.sleep(wait)


# The same reservation in Redis, on Redis's clock (workers' clocks may disagree): returns the wait
# in seconds as a string (Lua numbers lose precision on the way back as integers).
_RESERVE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%.6f', slot + interval), 'PX', math.ceil((slot + interval - now) * 1000) + 1000)
return string.format('%.6f', slot - now)
"""
KEY_PREFIX = "govaudit:rate:"


class RedisRate:
    """The per-IP rate across every worker of a distributed survey; if Redis cannot be asked, the
    worker keeps to the rate by itself (a passing outage must not stop the audits)."""

    def __init__(self, client: Any, survey_id: str, rate: float) -> None:
        self.interval = 1.0 / rate
        self.prefix = f"{KEY_PREFIX}{survey_id}:"
        self._reserve = client.register_script(_RESERVE)
        self._fallback = LocalRate(rate)
        self.waited = 0.0
        self.errors = 0

    async def __call__(self, url: str, address: str) -> None:
        try:
            # redis-py is blocking: asked from a thread, a slow Redis never stalls the audit's loop
            wait = float(await asyncio.to_thread(self._reserve, keys=[self.prefix + address], args=[self.interval]))
        except Exception:  # noqa: BLE001 - Redis away: pace locally instead
            self.errors += 1
            await self._fallback(url, address)
            return
        if wait > 0:
            self.waited += wait
            await asyncio.sleep(wait)
