"""One page in the browser: load it, run axe-core, take the evidence, run the elderly probes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.accessibility import elderly
from govaudit.checks.accessibility.templates import Pick

from govaudit.browser import Renderer, RenderError

SERIOUS = ("critical", "serious")


@dataclass(slots=True)
class ProbeOptions:
    axe: dict[str, Any]  # axe.run options
    elderly: bool = True
    screenshots: bool = True
    popup_wait: float = 3.0  # seconds after load the home page is watched for pop-ups
    min_font_px: float = 14.0
    screenshot_scale: float = 0.5


@dataclass(slots=True)
class PageRun:
    pick: Pick
    home: bool
    status: int | None = None
    error: str | None = None
    axe: dict[str, Any] | None = None
    screenshot: bool = False
    font: dict[str, Any] | None = None
    zoom: dict[str, Any] | None = None
    popups: dict[str, Any] | None = None
    entry: list[dict[str, Any]] | None = None
    keyboard: elderly.KeyboardResult | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.pick.url


def has_serious(axe: dict[str, Any]) -> bool:
    return any(v.get("impact") in SERIOUS for v in axe.get("violations", []))


async def probe_page(renderer: Renderer, pick: Pick, home: bool, opts: ProbeOptions) -> PageRun:
    """Everything the check learns from one page; a page that fails carries its error, never raises."""
    run = PageRun(pick=pick, home=home)
    started = 0.0
    try:
        async with renderer.page() as pg:
            started = time.monotonic()  # the time this page took, not its wait for a pooled page
            run.status = await renderer.open(pg, pick.url)
            run.axe = await renderer.run_axe(pg, opts.axe)
            if opts.screenshots and (home or has_serious(run.axe)):
                renderer.assets[f"screenshot:{pick.url}"] = await renderer.screenshot(pg, opts.screenshot_scale)
                run.screenshot = True
            if opts.elderly:
                await _elderly(renderer, pg, run, opts)
    except RenderError as exc:
        run.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - a page that breaks the browser must not end the check
        text = str(exc).strip().splitlines()
        run.error = f"{type(exc).__name__}: {text[0] if text else ''}"[:300]
    run.seconds = round(time.monotonic() - started, 2) if started else 0.0
    return run


async def _elderly(renderer: Renderer, pg: Any, run: PageRun, opts: ProbeOptions) -> None:
    state = renderer.state(pg)
    run.font = await elderly.font_sizes(pg, opts.min_font_px)
    # Only the home page is watched for the full wait: pop-ups and 飘窗 live there, and a wait on
    # every page would multiply the check's time. Other pages get one look after axe ran.
    run.popups = await elderly.overlays(pg, state.loaded_at, opts.popup_wait if run.home else 0.0)
    run.popups["dialogs"] = list(state.dialogs)
    run.popups["windows"] = list(state.popups)
    run.zoom = await elderly.zoom_overflow(pg)
    if run.home:
        run.entry = await elderly.entry_links(pg)
        run.keyboard = await elderly.keyboard(pg)
