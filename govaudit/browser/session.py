"""One browser per audit: Playwright on the system Chromium, started on first use, with a pool of
reused pages (4 reused pages measured 1.6x faster than a new page per URL on 2 cores).

`Renderer` is what checks see as `ctx.renderer`: `await render(url) -> str` gives the DOM after
scripts ran; `page()` lends a loaded-page slot for checks that need more (axe, screenshots).
Navigation goes through an optional `gate` (robots.txt, the audit's time budget) so the browser
never fetches a page the crawler itself would not.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from govaudit.browser.axe import HTML_CAP, MAX_NODES, RUN_JS, axe_version, load_axe
from govaudit.browser.errorpage import browser_error
from govaudit.browser.locate import BrowserUnavailable
from govaudit.browser.shared import SharedBrowser

# Headless as root, and no calls to outside services (this machine and many inspection
# machines refuse them; Chromium would keep retrying).
LAUNCH_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
)
VIEWPORT = {"width": 1280, "height": 800}
LOAD_WAIT_MS = 10_000  # after DOMContentLoaded, how long a slow image may hold "load"
IDLE_WAIT_MS = 2_500  # after load, how long to wait for script-driven requests to settle

Gate = Callable[[str], Awaitable[str | None]]  # url -> None when allowed, else the refusal word


class RenderError(Exception):
    """One page could not be rendered (timeout, network error, refused by the gate)."""


@dataclass(slots=True)
class Rendered:
    url: str
    final_url: str  # after HTTP and script redirects
    html: str  # the serialised DOM after scripts ran
    status: int | None


@dataclass(slots=True)
class PageState:
    """What happened on a pooled page since its last navigation."""

    loaded_at: float = 0.0  # monotonic time of the load event
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt texts, auto-dismissed
    popups: list[str] = field(default_factory=list)  # URLs of windows the page opened, auto-closed


class Renderer:
    def __init__(self, executable: str, *, user_agent: str | None = None, timeout: float = 15.0,
                 pool: int = 4, axe_js: str | None = None, verify_tls: bool = True,
                 gate: Gate | None = None, shared: SharedBrowser | None = None) -> None:
        self.executable = shared.executable if shared is not None else executable
        self.shared = shared  # a survey's one browser: this audit opens a context in it, not a browser
        self.user_agent = user_agent
        self.timeout = timeout
        self.pool = max(1, pool)
        self.axe_js = axe_js
        self.verify_tls = verify_tls
        self.gate = gate
        self.assets: dict[str, bytes] = {}  # "screenshot:<url>" -> PNG, collected by the audit
        self.renders = 0  # pages navigated
        self.pages_created = 0  # browser tabs opened: at most `pool` while none crashes
        self.version = ""  # browser version once started
        self._error: str | None = None
        self._lock = asyncio.Lock()
        self._pw: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._slots = asyncio.Semaphore(self.pool)
        self._idle: list[Any] = []
        self._state: dict[int, PageState] = {}
        self._axe: str | None = None

    # -- lifetime -------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._context is not None

    async def start(self) -> None:
        """Launch the browser once; a failure is remembered and raised again as BrowserUnavailable."""
        async with self._lock:
            if self._error is not None:
                raise BrowserUnavailable(self._error)
            if self._context is not None:
                return
            try:
                await self._launch()
            except BrowserUnavailable as exc:
                self._error = str(exc)
                await self._shutdown()
                raise
            except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser"
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                self._error = f"cannot start {self.executable}: {first[:300]}"
                await self._shutdown()
                raise BrowserUnavailable(self._error) from None

    async def _launch(self) -> None:
        try:
            from playwright.async_api import async_playwright
        except ImportError:
            raise BrowserUnavailable("Playwright is not installed: pip install 'playwright>=1.45,<2' "
                                     "(never `playwright install`: govaudit uses the system Chromium)") from None
        opts: dict[str, Any] = {"viewport": dict(VIEWPORT), "ignore_https_errors": not self.verify_tls,
                                "accept_downloads": False, "bypass_csp": True, "locale": "zh-CN"}
        if self.user_agent:
            opts["user_agent"] = self.user_agent
        if self.shared is not None:
            self._context, self.version = await self.shared.new_context(**opts)
            return
        self._pw = await async_playwright().start()
        self._browser = await self._pw.chromium.launch(
            executable_path=self.executable, args=list(LAUNCH_ARGS), headless=True,
            timeout=max(30_000, self.timeout * 1000),
        )
        self.version = self._browser.version
        self._context = await self._browser.new_context(**opts)

    async def close(self) -> None:
        async with self._lock:
            await self._shutdown()

    async def _shutdown(self) -> None:
        # a shared browser is the survey's to close: only this audit's context goes
        for closer in (self._context, self._browser):
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer.close()
        if self._pw is not None:
            with contextlib.suppress(Exception):
                await self._pw.stop()
        self._context = self._browser = self._pw = None
        self._idle.clear()
        self._state.clear()

    async def __aenter__(self) -> Renderer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- pages ----------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def page(self) -> AsyncIterator[Any]:
        """Borrow a Playwright page from the pool (the browser starts on first use)."""
        await self.start()
        async with self._slots, (self.shared.tabs if self.shared is not None else contextlib.nullcontext()):
            pg = self._idle.pop() if self._idle else await self._new_page()
            failed = True
            try:
                yield pg
                failed = False
            finally:
                # A page that failed may still be navigating to Chromium's error page: a fresh tab is
                # cheaper than a reused one that a late navigation interrupts.
                await (self._drop(pg) if failed else self._give_back(pg))

    async def _new_page(self) -> Any:
        pg = await self._context.new_page()
        self.pages_created += 1
        state = PageState()
        self._state[id(pg)] = state

        async def on_dialog(dialog: Any) -> None:
            state.dialogs.append(dialog.message[:300])
            with contextlib.suppress(Exception):
                await dialog.dismiss()

        async def on_popup(popup: Any) -> None:
            state.popups.append(popup.url)
            with contextlib.suppress(Exception):
                await popup.close()

        pg.on("dialog", on_dialog)
        pg.on("popup", on_popup)
        return pg

    async def _give_back(self, pg: Any) -> None:
        if pg.is_closed() or self._context is None:
            self._state.pop(id(pg), None)
            return
        try:
            if pg.viewport_size != VIEWPORT:
                await pg.set_viewport_size(dict(VIEWPORT))
            self._idle.append(pg)
        except Exception:  # noqa: BLE001 - a crashed page is dropped; the pool makes a new one
            await self._drop(pg)

    async def _drop(self, pg: Any) -> None:
        self._state.pop(id(pg), None)
        with contextlib.suppress(Exception):
            await pg.close()

    def state(self, pg: Any) -> PageState:
        return self._state.setdefault(id(pg), PageState())

    async def open(self, pg: Any, url: str, settle: bool = True) -> int | None:
        """Navigate `pg` to `url` and wait for load (and briefly for script requests to settle)."""
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        if self.gate is not None:
            refused = await self.gate(url)
            if refused:
                raise RenderError(refused)
        state = self.state(pg)
        state.dialogs.clear()
        state.popups.clear()
        self.renders += 1
        try:
            response = await pg.goto(url, wait_until="domcontentloaded", timeout=self.timeout * 1000)
        except PlaywrightTimeout:
            raise RenderError("timeout") from None
        except PlaywrightError as exc:
            raise RenderError(_first_line(exc)) from None
        for stage, wait_ms in (("load", LOAD_WAIT_MS), ("networkidle", IDLE_WAIT_MS if settle else 0)):
            if wait_ms:
                with contextlib.suppress(PlaywrightTimeout, PlaywrightError):
                    await pg.wait_for_load_state(stage, timeout=min(wait_ms, self.timeout * 1000))
            if stage == "load":
                state.loaded_at = time.monotonic()
        landed = browser_error(pg.url)  # e.g. a meta refresh to a dead host: never the site's page
        if landed:
            raise RenderError(landed)
        return response.status if response is not None else None

    async def render_page(self, url: str) -> Rendered:
        """The page at `url` as the browser built it."""
        async with self.page() as pg:
            status = await self.open(pg, url)
            try:
                html = await pg.content()
            except Exception as exc:  # noqa: BLE001 - navigation raced the read: report, do not crash
                raise RenderError(_first_line(exc)) from None
            shown = browser_error(pg.url, html)
            if shown:
                raise RenderError(shown)
            return Rendered(url=url, final_url=pg.url, html=html, status=status)

    async def render(self, url: str) -> str:
        """The DOM of `url` after its scripts ran, as HTML text."""
        return (await self.render_page(url)).html

    # -- evidence -------------------------------------------------------------------------------

    async def screenshot(self, pg: Any, scale: float = 0.5, max_height: int = 6000) -> bytes:
        """A full-page PNG of the loaded page, downscaled by `scale`, cut at `max_height` CSS px."""
        # axe scrolls elements into view while it tests contrast; a capture from a scrolled page
        # wraps the top of the page around to the bottom, so go back to the top first.
        size = await pg.evaluate(
            "() => new Promise((done) => { window.scrollTo(0, 0); requestAnimationFrame(() => {"
            " const d = document.documentElement, b = document.body || d;"
            " done([Math.max(d.scrollWidth, b.scrollWidth), Math.max(d.scrollHeight, b.scrollHeight)]); }); })")
        width = max(1, min(int(size[0]), VIEWPORT["width"] * 2))
        height = max(1, min(int(size[1]), max_height))
        cdp = await pg.context.new_cdp_session(pg)
        try:
            shot = await cdp.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale},
            })
        finally:
            with contextlib.suppress(Exception):
                await cdp.detach()
        return base64.b64decode(shot["data"])

    def axe_script(self) -> str:
        if self._axe is None:
            self._axe = load_axe(self.axe_js)
        return self._axe

    @property
    def axe_version(self) -> str:
        return axe_version(self.axe_script())

    async def run_axe(self, pg: Any, options: dict[str, Any]) -> dict[str, Any]:
        """axe-core on the loaded page (and its frames): trimmed violations and incomplete results."""
        script = self.axe_script()
        for frame in pg.frames:  # axe reaches into iframes only where it is injected too
            with contextlib.suppress(Exception):
                if not await frame.evaluate("() => typeof window.axe === 'object'"):
                    await frame.evaluate(script)
        return await pg.evaluate(RUN_JS, [options, MAX_NODES, HTML_CAP])


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
