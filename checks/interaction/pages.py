"""Where the interaction check gets its pages: the crawl first, then the shared fetcher, then the
browser renderer when one is available. Each URL is asked at most once per audit."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from govaudit.crawl.charset import decode_html, looks_like_html
from govaudit.crawl.extract import parse_html
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import Link, SiteSnapshot


@dataclass(slots=True)
class Fetched:
    url: str
    final_url: str
    html: str = ""
    status: int | None = None
    error: str | None = None  # an error word from the fetcher, or "render"
    detail: str = ""
    content_type: str = ""
    crawled: bool = False  # came from the crawl, no new request
    rendered: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400

    @property
    def problem(self) -> str:
        """Why the page could not be used, in a few words."""
        if self.error:
            return self.error + (f" ({self.detail})" if self.detail else "")
        if self.status is not None and self.status >= 400:
            return f"HTTP {self.status}"
        return ""


class PageSource:
    """Pages by URL for one check run, cached. `renderer` follows the check API (`await
    renderer.render(url) -> str`) and may be None."""

    def __init__(self, snapshot: SiteSnapshot, fetcher: Fetcher, renderer: Any = None) -> None:
        self.snapshot = snapshot
        self.fetcher = fetcher
        self.renderer = renderer
        self.requests = 0  # fetches this check made itself
        self.renders = 0
        self._cache: dict[str, asyncio.Future[Fetched]] = {}
        self._rendered: dict[str, Fetched] = {}

    @property
    def can_render(self) -> bool:
        return self.renderer is not None and callable(getattr(self.renderer, "render", None))

    async def get(self, url: str) -> Fetched:
        fut = self._cache.get(url)
        if fut is not None:
            return await asyncio.shield(fut)
        fut = asyncio.get_running_loop().create_future()
        self._cache[url] = fut
        try:
            got = await self._get(url)
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()
            del self._cache[url]
            raise
        fut.set_result(got)
        return got

    async def _get(self, url: str) -> Fetched:
        page = self.snapshot.page(url)
        if page is not None and (page.is_html or page.error is not None or (page.status or 0) >= 400):
            return Fetched(url=url, final_url=page.final_url, html=page.text, status=page.status,
                           error=page.error, detail=page.error_detail, content_type=page.content_type,
                           crawled=True)
        self.requests += 1
        res = await self.fetcher.fetch(url)
        out = Fetched(url=url, final_url=res.final_url, status=res.status, error=res.error,
                      detail=res.error_detail, content_type=res.content_type)
        body = res.body or b""
        if body and (looks_like_html(res.content_type, body[:1024]) or res.content_type.startswith("text/")):
            out.html, _ = decode_html(body, res.headers.get("content-type"))
        elif body:
            out.html = body.decode("utf-8", "replace")
        return out

    async def render(self, url: str) -> Fetched | None:
        """The page after its scripts ran, or None without a renderer. Never raises."""
        if not self.can_render:
            return None
        if url in self._rendered:
            return self._rendered[url]
        self.renders += 1
        try:
            html = await self.renderer.render(url)
            got = Fetched(url=url, final_url=url, html=html if isinstance(html, str) else "", status=200,
                          rendered=True)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a browser failure makes the board unreadable, not the audit
            got = Fetched(url=url, final_url=url, error="render", detail=f"{type(exc).__name__}: {exc}"[:200])
        self._rendered[url] = got
        return got

    async def links(self, url: str) -> tuple[list[Link], Fetched]:
        """The links of a page (from the crawl when it has them)."""
        page = self.snapshot.page(url)
        got = await self.get(url)
        if page is not None and page.is_html:
            return list(page.links), got
        if not got.ok or not got.html:
            return [], got
        return parse_html(got.html, got.final_url).links, got
