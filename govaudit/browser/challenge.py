"""Passing an anti-bot challenge in the browser, for the HTTP client (issue 11 item 4).

A JS cookie challenge (加速乐's 521, 瑞数's 412, a generic "checking your browser" page) answers a
client that runs no script. A person's browser runs it: the script computes a cookie, sets it and
reloads, and the site answers. `pass_challenge` lets the audit's Chromium do exactly that and hands
back what the HTTP client needs to be let in too: the cookies the browser holds for the URL and the
browser's User-Agent (challenge cookies are often bound to it).

`solver(renderer)` wraps it as the Fetcher's `solver` hook; the Fetcher decides when to call it
(a GET answered by a wall, at most a few times per origin) and checks the cookies really let it in.
The browser sees the page the Fetcher was already allowed to ask for, so the Renderer's robots gate
is not asked again (it would wait on the very robots.txt being fetched when that is challenged).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from govaudit.crawl.antibot import challenge as wall_of
from govaudit.crawl.clearance import Clearance, Solver

if TYPE_CHECKING:
    from govaudit.browser.session import Renderer

SOLVE_WAIT_S = 10.0  # at least: a challenge script may compute for a few seconds before it reloads
SETTLE_MS = 1_500  # after the site's page arrived, for scripts that set a last cookie on load

WallTest = Callable[[int | None, dict[str, str], bytes | None], str | None]


class ChallengeFailed(Exception):
    """The browser did not get past the challenge (still challenged, navigation failed, no browser)."""


async def pass_challenge(renderer: Renderer, url: str, wait_s: float | None = None,
                         is_wall: WallTest = wall_of) -> Clearance:
    """Open `url` in the browser until a main-frame answer is the site's (not a wall); return the
    browser's cookies for the URL and its User-Agent. Raises ChallengeFailed with a one-line reason."""
    from playwright.async_api import Error as PlaywrightError

    from govaudit.browser.locate import BrowserUnavailable

    limit = max(SOLVE_WAIT_S, renderer.timeout) if wait_s is None else wait_s
    try:
        async with renderer.page() as pg:
            passed = asyncio.Event()
            seen: list[str] = []
            pending: set[asyncio.Task[None]] = set()

            async def judge(resp: Any) -> None:
                status = resp.status
                if 300 <= status < 400:
                    return  # a redirect is no verdict; where it leads is
                try:
                    # all_headers: `headers` leaves out Set-Cookie, which names some products
                    headers = {k.lower(): v for k, v in (await resp.all_headers()).items()}
                    body: bytes | None = await resp.body()
                except Exception:  # noqa: BLE001 - replaced by the script's reload before it was read
                    return
                wall = is_wall(status, headers, body)
                seen.append(wall or f"HTTP {status}")
                if wall is None:
                    passed.set()

            def on_response(resp: Any) -> None:
                if resp.frame == pg.main_frame and resp.request.is_navigation_request():
                    task = asyncio.ensure_future(judge(resp))
                    pending.add(task)
                    task.add_done_callback(pending.discard)

            pg.on("response", on_response)
            started = time.monotonic()
            try:
                with contextlib.suppress(PlaywrightError):  # the script's reload interrupts goto: fine
                    await pg.goto(url, wait_until="commit", timeout=limit * 1000)
                left = limit - (time.monotonic() - started)
                try:
                    await asyncio.wait_for(passed.wait(), timeout=max(0.05, left))
                except TimeoutError:
                    last = seen[-1] if seen else "no answer"
                    raise ChallengeFailed(f"still challenged after {limit:.0f} s in the browser "
                                          f"({len(seen)} answers, the last: {last})") from None
                with contextlib.suppress(PlaywrightError):
                    await pg.wait_for_load_state("load", timeout=SETTLE_MS)
                cookies = await pg.context.cookies([url])
                agent = str(await pg.evaluate("() => navigator.userAgent"))
                with contextlib.suppress(PlaywrightError):  # back to the pool without the site's scripts
                    await pg.goto("about:blank", timeout=SETTLE_MS)
            finally:
                pg.remove_listener("response", on_response)
                for task in list(pending):
                    task.cancel()
    except BrowserUnavailable as exc:
        raise ChallengeFailed(f"no browser: {exc}") from None
    except PlaywrightError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ChallengeFailed(first[:200]) from None
    return Clearance(url=url, user_agent=agent, cookies=[
        {"name": c["name"], "value": c["value"], "domain": c.get("domain", ""), "path": c.get("path", "/"),
         "expires": float(c.get("expires", -1)), "secure": bool(c.get("secure")),
         "http_only": bool(c.get("httpOnly"))} for c in cookies])


def solver(renderer: Renderer) -> Solver:
    """The Fetcher's hook: `await hook(url, seconds)` passes the challenge at `url` in this browser."""

    async def solve(url: str, seconds: float) -> Clearance:
        return await pass_challenge(renderer, url, wait_s=seconds)

    return solve
