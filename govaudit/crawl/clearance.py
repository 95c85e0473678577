"""Getting the HTTP client past an anti-bot challenge with the browser's help (issue 11 item 4).

When a GET is answered by a JS cookie challenge (the fetcher's error `blocked`), the Fetcher asks
its `solver` hook (govaudit.browser.challenge: the audit's Chromium runs the challenge script) for a
`Clearance` — the browser's cookies for the URL and its User-Agent — puts the cookies in its own
cookie jar, sends that User-Agent to the origin from then on, and asks again. When the challenge
comes back (the cookie expired) it is passed again, at most `MAX_PASSES` times per origin and
audit; one that the browser cannot pass, or whose cookies do not let the client in, is not tried
again for that origin. Requests blocked while a pass is under way wait for it instead of starting
their own. Every pass and failure is one crawl note.

Nothing here knows the browser: the hook is any `async (url, seconds) -> Clearance`.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, Morsel
from typing import Any, Literal

from govaudit.crawl.urls import origin_of

MAX_PASSES = 3  # per origin and audit: a challenge that keeps coming back is not chased forever
PASS_WAIT_S = 10.0  # at least, for the browser to get past one challenge
BROWSER_SLACK_S = 40.0  # beyond that, for the browser to start (its launch timeout is 30 s) and close a tab

Verdict = Literal["passed", "fresh", "no"]


@dataclass(slots=True)
class Clearance:
    """What a browser that passed a challenge at `url` holds: its cookies and its User-Agent."""

    url: str
    user_agent: str = ""
    # Playwright's shape, in snake case: name, value, domain (".x" for a domain cookie), path,
    # expires (Unix seconds; -1 for a session cookie), secure, http_only
    cookies: list[dict[str, Any]] = field(default_factory=list)


Solver = Callable[[str, float], Awaitable[Clearance]]


def morsels(clearance: Clearance) -> list[Morsel[str]]:
    """The clearance's cookies as Morsels with their domain, path, expiry and flags (for a cookie
    jar). A host-only cookie keeps no domain attribute, so the jar binds it to the URL's host."""
    out: list[Morsel[str]] = []
    for c in clearance.cookies:
        m: Morsel[str] = Morsel()
        try:
            m.set(str(c["name"]), str(c["value"]), str(c["value"]))
        except (CookieError, KeyError):
            continue  # a name no Cookie header can carry
        domain = str(c.get("domain") or "")
        if domain.startswith("."):
            m["domain"] = domain
        m["path"] = str(c.get("path") or "/")
        expires = float(c.get("expires", -1) or -1)
        if expires > 0:
            m["expires"] = email.utils.formatdate(expires, usegmt=True)
        if c.get("secure"):
            m["secure"] = True
        if c.get("http_only"):
            m["httponly"] = True
        out.append(m)
    return out


class ChallengePasses:
    """Per-origin bookkeeping of challenge passes for one Fetcher."""

    def __init__(self, timeout: float, notes: list[str]) -> None:
        self.wait_s = max(PASS_WAIT_S, timeout)
        self.count: dict[str, int] = {}  # passes started, by origin
        self.passed = 0  # passes that got the client in, all origins
        self.failed: dict[str, str] = {}  # origin -> why it is not tried again
        self.cleared_at: dict[str, float] = {}  # origin -> monotonic time of its last pass
        self.notes = notes  # the Fetcher's: they reach the crawl's notes
        self._running: dict[str, asyncio.Future[bool]] = {}

    async def attempt(self, url: str, wall: str, since: float, solver: Solver, left_s: float,
                      adopt: Callable[[Clearance], None]) -> Verdict:
        """Get past the challenge at `url` (`wall` names it) for a request started at `since`:
        "fresh" when another request's pass ended after it started (ask again, no new pass),
        "passed" when a pass (ours or one under way) got the cookies, "no" when none may or did."""
        origin = origin_of(url)
        if self.cleared_at.get(origin, -1.0) > since:
            return "fresh"
        if origin in self.failed:
            return "no"
        running = self._running.get(origin)
        if running is not None:
            return "passed" if await asyncio.shield(running) else "no"
        done = self.count.get(origin, 0)
        if done >= MAX_PASSES:
            self.give_up(origin, f"{wall} came back after {MAX_PASSES} passes in the browser; "
                                 f"not passed again (at most {MAX_PASSES} per site and audit)")
            return "no"
        seconds = min(self.wait_s, left_s)
        if seconds < 1.0:
            return "no"  # the budget is spent: the block stands as it is
        fut: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._running[origin] = fut
        self.count[origin] = done + 1
        ok = False
        try:
            # The browser's launch (first use) and its page's close are bounded too: never a hung audit.
            async with asyncio.timeout(seconds + BROWSER_SLACK_S):
                clearance = await solver(url, seconds)
            adopt(clearance)
            ok = True
            self.passed += 1
            self.cleared_at[origin] = time.monotonic()
            again = "" if done == 0 else f" again (pass {done + 1} of at most {MAX_PASSES}: the challenge came back)"
            self.notes.append(f"{origin}: {wall} answered; passed in the browser{again}, its cookies "
                              f"({len(clearance.cookies)}) and User-Agent carried to the crawl")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the browser side means "not passed"
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            if isinstance(exc, TimeoutError):
                first = f"the browser did not finish within {seconds + BROWSER_SLACK_S:.0f} s"
            self.give_up(origin, f"{wall} answered and was not passed in the browser: {first[:200]}")
        finally:
            self._running.pop(origin, None)
            fut.set_result(ok)
        return "passed" if ok else "no"

    def give_up(self, origin: str, why: str) -> None:
        if origin not in self.failed:
            self.failed[origin] = why
            self.notes.append(f"{origin}: {why}")
