"""The browser side of govaudit: Playwright on the system Chromium, axe-core, screenshots.

Importing this package never imports Playwright: an audit without a browser must not pay for it
or fail on it. `open_renderer` gives the audit a lazy Renderer (the browser launches on first use)
or None with the reason available from `unavailable_reason`.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from govaudit.browser.locate import BrowserUnavailable, find_browser
from govaudit.browser.session import Gate, Rendered, Renderer, RenderError
from govaudit.browser.shared import SharedBrowser

if TYPE_CHECKING:
    from govaudit.config import AuditConfig
    from govaudit.crawl.fetcher import Fetcher

__all__ = [
    "BrowserUnavailable", "Gate", "RenderError", "Rendered", "Renderer", "SharedBrowser", "doctor", "fetcher_gate",
    "find_browser", "open_renderer", "shared_browser", "unavailable_reason",
]


def fetcher_gate(fetcher: Fetcher) -> Gate:
    """Refuse what the audit's fetcher would refuse: robots.txt rules and an exhausted time budget."""

    async def gate(url: str) -> str | None:
        if fetcher.out_of_time:
            return "budget"
        if fetcher.cfg.obey_robots and not await fetcher.allowed(url):
            return "robots"
        return None

    return gate


def open_renderer(config: AuditConfig, fetcher: Fetcher | None = None,
                  shared: SharedBrowser | None = None) -> Renderer | None:
    """A Renderer for this audit (not yet launched), or None when no browser can be found. With a
    fetcher, the renderer is also the fetcher's challenge solver: a JS cookie challenge answering a
    GET is passed in the browser and its cookies and User-Agent carried into the fetcher. With
    `shared` (a survey's one browser) the audit opens its own context in it instead of a browser."""
    if shared is not None:
        executable = shared.executable
    else:
        try:
            executable = find_browser(config.browser.path)
        except BrowserUnavailable:
            return None
    renderer = Renderer(executable, user_agent=config.crawl.user_agent, timeout=config.crawl.timeout,
                        pool=config.browser.pool, axe_js=config.browser.axe_js,
                        verify_tls=config.crawl.verify_tls, gate=fetcher_gate(fetcher) if fetcher else None,
                        shared=shared)
    if fetcher is not None:
        # A JS cookie challenge answering the fetcher is passed in this browser (issue 11 item 4).
        from govaudit.browser.challenge import solver

        fetcher.solver = solver(renderer)
    return renderer


def shared_browser(config: AuditConfig) -> SharedBrowser | None:
    """One browser for the concurrent audits of a survey (not yet launched), or None without one."""
    try:
        return SharedBrowser(find_browser(config.browser.path), timeout=config.crawl.timeout)
    except BrowserUnavailable:
        return None


def unavailable_reason(config: AuditConfig) -> str:
    """Why `open_renderer` gave None for this configuration (one line)."""
    try:
        find_browser(config.browser.path)
    except BrowserUnavailable as exc:
        return str(exc)
    return "no browser was started for this audit"


# ---- govaudit doctor ---------------------------------------------------------------------------


def doctor(queue: str | None = None, db: str | None = None) -> list[tuple[str, bool, str]]:
    """What the browser side has and lacks on this machine, each with how to fix it."""
    out: list[tuple[str, bool, str]] = []
    for dist, spec in (("playwright", "playwright>=1.45,<2"), ("axe-playwright-python", "axe-playwright-python>=0.1.8,<0.2")):
        try:
            out.append((dist, True, version(dist)))
        except PackageNotFoundError:
            out.append((dist, False, f"not installed: pip install '{spec}' (accessibility checks need it)"))
    try:
        from govaudit.browser.axe import axe_version, load_axe

        out.append(("axe-core", True, f"{axe_version(load_axe())} (bundled)"))
    except BrowserUnavailable as exc:
        out.append(("axe-core", False, str(exc)))
    try:
        executable = find_browser()
    except BrowserUnavailable as exc:
        out.append(("browser", False, str(exc)))
        return out
    out.append(("browser", True, f"{executable} ({_version_line(executable)})"))
    if all(ok for name, ok, _ in out if name == "playwright"):
        out.append(_launch_probe(executable))
    out.append(_cjk_fonts())
    return out


def _version_line(executable: str) -> str:
    try:
        proc = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"version unknown: {exc}"
    # The Debian wrapper prints a shell warning before the version; keep the line that names it.
    lines = [ln.strip() for ln in proc.stdout.splitlines() if ln.strip()]
    return next((ln for ln in lines if "chrom" in ln.lower()), lines[-1] if lines else "version unknown")


def _launch_probe(executable: str) -> tuple[str, bool, str]:
    async def probe() -> str:
        async with Renderer(executable, timeout=20) as renderer:
            async with renderer.page() as pg:
                await pg.set_content("<title>t</title><p>ok</p>")
            return renderer.version

    try:
        return ("browser launch", True, f"headless Chromium {asyncio.run(probe())} starts")
    except BrowserUnavailable as exc:
        return ("browser launch", False, str(exc))


def _cjk_fonts() -> tuple[str, bool, str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ("CJK fonts", False, "fc-list not found; Chinese pages may render as boxes: apt-get install -y fonts-noto-cjk")
    try:
        proc = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return ("CJK fonts", False, f"fc-list failed: {exc}")
    families = sorted({ln.split(",")[0].strip() for ln in proc.stdout.splitlines() if ln.strip()})
    if not families:
        return ("CJK fonts", False, "none: Chinese text in screenshots shows as boxes; apt-get install -y fonts-noto-cjk")
    return ("CJK fonts", True, ", ".join(families[:3]) + (" …" if len(families) > 3 else ""))

