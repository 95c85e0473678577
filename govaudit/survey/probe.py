"""Availability samples for cron: one visit of each site's home page, recorded with its time.

The cn-gov-2019 veto 站点无法访问 is judged over a week of visits, at least 20 a day, a visit
failing when the home page has not opened after 15 s. `govaudit probe SITES.csv` takes one such
visit per site; cron runs it often enough (docs/survey.md) and the availability check reads the
samples back from the store.

A visit is one GET of the home page, following redirects, with no retry (a retry would hide the
failure the rule counts) and without asking robots.txt (an inspector's visit is a browser's).

Each sample is in one of three states (`sample_state`): `up`, `down`, or `up (challenge)` — a
firewall's anti-bot challenge answered in place of the page (瑞数 412, 加速乐 521, Cloudflare…). The
site is up then: a person's browser passes the challenge. Such a sample is stored with `ok` true,
error `blocked` and `detail["state"] = "up (challenge)"` (with the product in `detail["wall"]`),
so the availability check never counts it as a failure.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo

from govaudit.config import CrawlConfig
from govaudit.crawl.fetcher import Fetcher
from govaudit.crawl.urls import origin_of
from govaudit.errors import UsageError
from govaudit.store import ProbeSample
from govaudit.survey.runner import IpBudget

PROBE_TIMEOUT = 15.0  # the rule's limit: still not open after 15 s (含) is a failure
PROBE_MAX_BYTES = 2 * 1024 * 1024  # enough to have opened the page; a bigger one is cut, not failed
UP, DOWN, UP_CHALLENGE = "up", "down", "up (challenge)"


def sample_state(sample: ProbeSample) -> str:
    """`up`, `down` or `up (challenge)`; samples stored before the third state existed (ok false,
    error blocked) read as `up (challenge)` too."""
    if sample.detail.get("state") == UP_CHALLENGE or sample.error == "blocked":
        return UP_CHALLENGE
    return UP if sample.ok else DOWN


@dataclass(slots=True)
class ProbeSettings:
    timeout: float = PROBE_TIMEOUT
    concurrency: int = 50  # visits at once
    per_ip: int = 4  # visits at once to one address (a shared platform hosts many portals)
    user_agent: str = ""
    verify_tls: bool = True


def zone(name: str | None) -> tzinfo | None:
    """The time zone whose calendar days the samples count for (None: this machine's)."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}: use a name like Asia/Shanghai") from None


async def probe_sites(urls: list[str], settings: ProbeSettings | None = None, tz: tzinfo | None = None) -> list[ProbeSample]:
    """One sample per URL, in the order given."""
    settings = settings or ProbeSettings()
    if settings.timeout <= 0 or settings.concurrency < 1 or settings.per_ip < 1:
        raise UsageError("probe --timeout must be positive and --concurrency / --per-ip at least 1")
    cfg = CrawlConfig(timeout=settings.timeout, retries=0, concurrency=settings.concurrency, host_concurrency=1,
                      delay=0.0, budget=86400.0, max_bytes=PROBE_MAX_BYTES, obey_robots=False,
                      verify_tls=settings.verify_tls)
    if settings.user_agent:
        cfg.user_agent = settings.user_agent
    budget = IpBudget(settings.per_ip)
    async with Fetcher(cfg) as fetcher:
        async def one(url: str) -> ProbeSample:
            async with await budget.slot(url):
                return await _visit(fetcher, url, settings.timeout, tz)

        return list(await asyncio.gather(*(one(u) for u in urls)))


async def _visit(fetcher: Fetcher, url: str, limit: float, tz: tzinfo | None) -> ProbeSample:
    started = datetime.now(tz).astimezone(tz)  # aware, in the sampling zone (or this machine's)
    t0 = time.monotonic()
    detail: dict[str, object] = {}
    try:
        async with asyncio.timeout(limit):  # the whole visit, redirects included
            res = await fetcher.fetch(url, robots=False, max_bytes=PROBE_MAX_BYTES)
    except TimeoutError:
        ok, status, error = False, None, "timeout"
        detail["error_detail"] = f"not open after {limit:g} s"
    else:
        ok, status, error = res.ok, res.status, res.error
        if res.final_url != url:
            detail["final_url"] = res.final_url
        if error == "blocked":  # a challenge answered: up, in its own state
            ok = True
            detail["state"] = UP_CHALLENGE
            detail["wall"] = res.error_detail[:300]
        elif res.error_detail:
            detail["error_detail"] = res.error_detail[:300]
        if error is None and status is not None and status >= 400:
            detail["error_detail"] = f"HTTP {status}"
    elapsed = round((time.monotonic() - t0) * 1000, 1)
    return ProbeSample(site=url, at=started.isoformat(timespec="microseconds"), day=started.date().isoformat(),
                       ok=ok, status=status, error=error, elapsed_ms=elapsed, origin=origin_of(url), detail=detail)
