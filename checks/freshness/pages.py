"""Pages for the freshness check: from the crawl when it has them, else fetched once.

Column list pages and article pages are usually in the snapshot already; the ones the crawl did not
reach (a depth or page cap, a link only the home block shows) go through `ctx.fetcher`, so the
audit's politeness, robots rules and budget apply. Each URL is fetched and parsed at most once.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from govaudit.checks.freshness.page import PageFacts, analyse

from govaudit.crawl.charset import decode_html, looks_like_html
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import SiteSnapshot

PAGE_BYTES = 2 * 1024 * 1024  # list and article pages; a bigger one is read up to this much
_INDEX = re.compile(r"/(?:index|default)(?:_\d+)?\.(?:s?html?|jsp|php|aspx?)$|/index_\d+$", re.I)
_PAGER_KEYS = frozenset({"page", "pageno", "pageindex", "pagenum", "curpage", "p", "pn", "currentpage", "start"})


def column_key(url: str) -> str:
    """One key for a column's list pages: TRS `index_1.html` paging and `?page=2` collapse onto the
    column, and `/xwdt/`, `/xwdt/index.html` are the same page."""
    parts = urlsplit(url)
    path = _INDEX.sub("/", parts.path or "/")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k.lower() not in _PAGER_KEYS])
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, query, ""))


@dataclass(slots=True)
class Fetched:
    url: str
    final_url: str
    status: int | None
    error: str | None
    html: str | None  # decoded HTML, None when the answer was not a usable HTML page
    from_crawl: bool
    last_modified: date | None = None  # the answer's Last-Modified header, a year for year-less dates

    @property
    def problem(self) -> str | None:
        """Why this page cannot be read, or None."""
        if self.error:
            return self.error
        if self.status is None or self.status >= 400:
            return str(self.status)
        if self.html is None:
            return "not-html"
        return None


class PageSource:
    def __init__(self, snapshot: SiteSnapshot, fetcher: Fetcher, as_of: date) -> None:
        self.snapshot = snapshot
        self.fetcher = fetcher
        self.as_of = as_of
        self.by_final = {p.final_url: p for p in snapshot.pages.values()}
        self._pages: dict[str, asyncio.Task[Fetched]] = {}
        self._facts: dict[str, PageFacts] = {}
        self.fetched = 0  # requests this check sent itself
        self._by_key: dict[str, list[str]] | None = None

    def crawled(self, url: str) -> bool:
        return url in self.snapshot.pages or url in self.by_final

    def crawled_list_pages(self, url: str) -> list[str]:
        """Crawled pages of the same column as `url` (its paging), `url` itself left out."""
        if self._by_key is None:
            self._by_key = {}
            for u in self.snapshot.pages:
                self._by_key.setdefault(column_key(u), []).append(u)
        return sorted(u for u in self._by_key.get(column_key(url), []) if u != url)

    async def get(self, url: str) -> Fetched:
        task = self._pages.get(url)
        if task is None:
            task = asyncio.ensure_future(self._load(url))
            self._pages[url] = task
        return await task

    async def facts(self, url: str) -> tuple[Fetched, PageFacts | None]:
        page = await self.get(url)
        if page.problem is not None or page.html is None:
            return page, None
        found = self._facts.get(page.final_url)
        if found is None:
            found = analyse(page.html, page.final_url, self.as_of, page.last_modified)
            self._facts[page.final_url] = found
        return page, found

    async def _load(self, url: str) -> Fetched:
        page = self.snapshot.pages.get(url) or self.by_final.get(url)
        if page is not None:
            html = page.text if page.is_html and page.ok else None
            return Fetched(url, page.final_url, page.status, page.error, html or None, True,
                           _http_date(page.headers.get("last-modified", "")))
        res = await self.fetcher.fetch(url, max_bytes=PAGE_BYTES, html_only=True)
        if res.error != "robots":
            self.fetched += 1
        html = None
        body = res.body or b""
        if res.ok and body and looks_like_html(res.content_type, body[:1024]):
            html, _ = decode_html(body, res.headers.get("content-type"))
        return Fetched(url, res.final_url, res.status, res.error, html, False,
                       _http_date(res.headers.get("last-modified", "")))


def _http_date(value: str) -> date | None:
    """An HTTP date header (`Wed, 30 Dec 2020 08:00:00 GMT`) as a date, None when absent or bad."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
