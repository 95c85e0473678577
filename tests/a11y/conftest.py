"""Browser fixtures: the real system Chromium, one browser per test module, pages reused.

Playwright objects belong to the event loop that made them, so each module gets its own loop and
runs its coroutines there (`browser.run(coro)`). No browser -> the tests fail saying how to get
one: a skipped accessibility test would hide exactly the failure it exists to catch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from govaudit.browser import BrowserUnavailable, Renderer, find_browser

T = TypeVar("T")


@dataclass
class Browser:
    loop: asyncio.AbstractEventLoop
    renderer: Renderer

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)


def chromium() -> str:
    try:
        return find_browser()
    except BrowserUnavailable as exc:
        pytest.fail(f"these tests drive the real Chromium and none was found: {exc}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    loop = asyncio.new_event_loop()
    renderer = Renderer(chromium(), timeout=15, pool=4)
    try:
        loop.run_until_complete(renderer.start())
    except BrowserUnavailable as exc:
        loop.close()
        pytest.fail(f"Chromium was found but does not start: {exc}")
    try:
        yield Browser(loop, renderer)
    finally:
        loop.run_until_complete(renderer.close())
        loop.close()
