"""One Chromium for the concurrent audits of a local survey.

Eight audits at once used to start eight browsers (each a handful of processes and ~150 MB before
the first page). With a SharedBrowser each audit's Renderer opens its own context in the one
browser instead: cookies, cache and storage stay per audit, the browser starts on the first audit
that needs it, a browser that crashed is started again for the next audit that asks, and `tabs`
caps the pages open at once across every audit.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from govaudit.browser.locate import BrowserUnavailable

DEFAULT_TABS = 8  # pages open at once across the audits sharing the browser (2 cores)


class SharedBrowser:
    def __init__(self, executable: str, *, timeout: float = 15.0, tabs: int = DEFAULT_TABS) -> None:
        self.executable = executable
        self.timeout = timeout
        self.tabs = asyncio.Semaphore(max(1, tabs))
        self.launches = 0  # browsers started (more than one only after a crash)
        self.contexts = 0  # audits' contexts opened in it
        self._lock = asyncio.Lock()
        self._pw: Any = None
        self._browser: Any = None

    async def browser(self) -> Any:
        """The running browser, started (or started again after a crash) when needed."""
        from govaudit.browser.session import LAUNCH_ARGS

        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            await self._stop()
            try:
                from playwright.async_api import async_playwright
            except ImportError:
                raise BrowserUnavailable("Playwright is not installed: pip install 'playwright>=1.45,<2' "
                                         "(never `playwright install`: govaudit uses the system Chromium)") from None
            try:
                self._pw = await async_playwright().start()
                self._browser = await self._pw.chromium.launch(
                    executable_path=self.executable, args=list(LAUNCH_ARGS), headless=True,
                    timeout=max(30_000, self.timeout * 1000))
            except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser" for this audit
                await self._stop()
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise BrowserUnavailable(f"cannot start {self.executable}: {first[:300]}") from None
            self.launches += 1
            return self._browser

    async def new_context(self, **options: Any) -> tuple[Any, str]:
        """A fresh context for one audit, and the browser's version."""
        browser = await self.browser()
        context = await browser.new_context(**options)
        self.contexts += 1
        return context, browser.version

    async def close(self) -> None:
        async with self._lock:
            await self._stop()

    async def _stop(self) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await self._browser.close()
        if self._pw is not None:
            with contextlib.suppress(Exception):
                await self._pw.stop()
        self._browser = self._pw = None
