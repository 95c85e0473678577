"""The crawl loop: a bounded frontier over one site, producing a SiteSnapshot.

Only navigational links (a, area, frame, iframe, meta refresh) inside the scope are followed;
images, scripts, stylesheets, attachments and other hosts are left to the link check, which asks
for them with HEAD or a short GET instead of downloading them as pages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from govaudit.browser.hints import RenderPolicy
from govaudit.config import CrawlConfig
from govaudit.crawl.charset import decode_html, looks_like_html
from govaudit.crawl.extract import LinkPool, parse_html
from govaudit.crawl.fetcher import Fetcher, has_file_extension
from govaudit.crawl.scope import Scope
from govaudit.crawl.sitemap import parse_sitemap
from govaudit.crawl.traps import BY_NATURE, TrapGuard, TrapHit
from govaudit.crawl.urls import normalize_url, origin_of
from govaudit.errors import UsageError
from govaudit.model import CrawlStats, FetchResult, Page, SiteSnapshot

NAV_ELEMENTS = frozenset({"a", "area", "frame", "iframe", "meta"})
MAX_SITEMAP_FILES = 10
MAX_SITEMAP_URLS = 50_000

PageCallback = Callable[[Page, CrawlStats], None]


def now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def page_from_fetch(res: FetchResult, depth: int, parse_links: bool = True, pool: LinkPool | None = None) -> Page:
    """Turn a fetch into a Page: decode HTML, extract title and links (equal links shared through
    `pool`), keep the text compressed."""
    page = Page(
        url=res.url, final_url=res.final_url, depth=depth, status=res.status, error=res.error,
        error_detail=res.error_detail, redirects=list(res.redirects), headers=dict(res.headers),
        content_type=res.content_type, elapsed_ms=res.elapsed_ms, size=len(res.body or b""),
        truncated=res.truncated, fetched_at=now_iso(),
    )
    body = res.body or b""
    # A challenge page's title, text and links are the firewall's, not the site's: keep none.
    if res.status is not None and body and res.error != "blocked" and looks_like_html(res.content_type, body[:1024]):
        text, encoding = decode_html(body, res.headers.get("content-type"))
        parsed = parse_html(text, res.final_url, encoding, pool if parse_links else None)
        page.is_html = True
        page.encoding = encoding
        page.title = parsed.title
        page.links = parsed.links if parse_links else []
        page.set_text(text)
    return page


class CrawlCuts:
    """What the crawl saw but did not fetch, by reason: the raw material of the report's coverage."""

    EXAMPLES = 3

    def __init__(self) -> None:
        self.depth: set[str] = set()
        self.max_pages = 0
        self.budget = 0
        self._traps: dict[tuple[str, str], dict[str, Any]] = {}

    def trap(self, hit: TrapHit, url: str) -> None:
        entry = self._traps.get((hit.kind, hit.shape))
        if entry is None:
            entry = self._traps[(hit.kind, hit.shape)] = {
                "kind": hit.kind, "shape": hit.shape, "urls": 0, "examples": [], "reason": hit.reason,
                "by_nature": hit.kind in BY_NATURE,
            }
        entry["urls"] += 1
        if len(entry["examples"]) < self.EXAMPLES:
            entry["examples"].append(url[:300])

    def counts(self, robots: int) -> dict[str, int]:
        traps = sum(t["urls"] for t in self._traps.values())
        bound = sum(t["urls"] for t in self._traps.values() if not t["by_nature"])
        return {"max_depth": len(self.depth), "max_pages": self.max_pages, "budget": self.budget,
                "trap": traps - bound, "shape_bound": bound, "robots": robots}

    def trap_list(self) -> list[dict[str, Any]]:
        """One entry per trap shape, the largest first (one flood never hides the other traps)."""
        return sorted((dict(t, examples=list(t["examples"])) for t in self._traps.values()),
                      key=lambda t: (-t["urls"], t["kind"], t["shape"]))

    def trap_notes(self) -> list[str]:
        return [f"trap guard ({t['kind']}): {t['urls']} URLs not fetched, e.g. {t['examples'][0][:200]}: "
                f"{t['reason']}" for t in self.trap_list()[:20]]


class Crawler:
    def __init__(self, start_url: str, cfg: CrawlConfig, fetcher: Fetcher,
                 on_page: PageCallback | None = None, renderer: Any = None) -> None:
        start = normalize_url(start_url)
        if start is None:
            raise UsageError(f"not an http(s) URL: {start_url!r}")
        self.start = start
        self.cfg = cfg
        self.fetcher = fetcher
        self.on_page = on_page
        # A govaudit.browser.Renderer: pages come from the browser with --render, and pages whose
        # links are probably script-built are rendered automatically (cfg.auto_render).
        self.renderer = renderer if (cfg.render or cfg.auto_render) else None
        self.rendered = 0
        self.render_policy = RenderPolicy()  # which pages the automatic fallback renders
        self.render_failed: str | None = None
        self.scopes = [Scope(start, cfg.subdomains, cfg.include, cfg.exclude)]
        # The audited site's hosts, whatever --include/--exclude say (its robots.txt too): a challenge
        # there is passed in the browser; one on another site's link target stays `blocked`.
        self.sites = [Scope(start, cfg.subdomains)]
        fetcher.solve_for = self.on_site
        # Traps are recognised by their nature (calendars, session ids, repeating paths, pages that
        # repeat one body); the per-shape bound is only a safety net at half the page cap, so a
        # county portal's 5,000 ShowArticle.asp?ArticleID=N articles are crawled whole.
        self.traps = TrapGuard(cfg.max_query_variants, cfg.max_repeated_segment, cfg.max_url_length,
                               max_shape_variants=max(500, cfg.max_pages // 2))
        self.cuts = CrawlCuts()
        self.stats = CrawlStats()
        self.links: LinkPool = {}  # the crawl's links by value, shared between the pages that repeat them
        self.pages: dict[str, Page] = {}
        self.seen: set[str] = set()
        self.out_of_scope: set[str] = set()
        self.robots_disallowed: list[str] = []
        self.queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self.claimed = 0  # page slots taken (max_pages bound)

    def in_scope(self, url: str) -> bool:
        return any(s.contains(url) for s in self.scopes)

    def on_site(self, url: str) -> bool:
        return any(s.contains(url) for s in self.sites)

    async def run(self, known: dict[str, Page] | None = None) -> SiteSnapshot:
        started = time.monotonic()
        snapshot = SiteSnapshot(start_url=self.start, home_url=self.start, started_at=now_iso())
        if known:
            self._resume(known)
        if self.start not in self.pages:
            self.seen.add(self.start)
            self.claimed += 1
            await self._visit(self.start, 0)
        home = self.pages.get(self.start)
        if home is not None:
            snapshot.home_url = home.final_url
            if home.final_url != self.start and not self.in_scope(home.final_url):
                # http://x/ -> https://www.x/ : the site lives where the start URL sends us.
                self.scopes.append(Scope(home.final_url, self.cfg.subdomains, self.cfg.include, self.cfg.exclude))
                self.sites.append(Scope(home.final_url, self.cfg.subdomains))
                self._enqueue_links(home)
            if home.ok and home.is_html and self.cfg.use_sitemap:
                await self._seed_sitemaps(home.final_url)
        workers = [asyncio.create_task(self._worker()) for _ in range(max(1, self.cfg.concurrency))]
        try:
            await self.queue.join()
        finally:
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        self.stats.pages = len(self.pages)
        self.stats.requests = self.fetcher.requests
        self.stats.skipped_robots = len(self.robots_disallowed)
        self.stats.skipped_scope = len(self.out_of_scope)
        self.stats.duration_s = round(time.monotonic() - started, 2)
        self.stats.notes.extend(n for n in self.fetcher.notes if n not in self.stats.notes)
        if self.rendered:
            why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.render_policy.by_reason.items()))
            self.stats.notes.append(f"{self.rendered} pages taken from the browser after their scripts ran ({why})")
        for why in self.render_policy.dropped:
            self.stats.notes.append(f"automatic rendering of pages with {why} stopped: "
                                    f"{self.render_policy.barren} renders in a row found no new link")
        if self.render_failed:
            self.stats.notes.append(f"browser rendering: {self.render_failed}")
        if self.fetcher.crawl_out_of_time and self.cuts.budget:
            self.stats.budget_exhausted = True
            self.stats.notes.append("the crawl's share of the time budget ran out; the crawl is partial "
                                    "(the rest is kept for the link check)")
        self.stats.cut = self.cuts.counts(len(self.robots_disallowed))
        self.stats.traps = self.cuts.trap_list()
        self.stats.notes.extend(self.cuts.trap_notes())
        snapshot.pages = self.pages
        snapshot.stats = self.stats
        snapshot.robots_disallowed = sorted(set(self.robots_disallowed))
        return snapshot

    # -- frontier -------------------------------------------------------------------------------

    def _resume(self, known: dict[str, Page]) -> None:
        for url, page in known.items():
            self.pages[url] = page
            self.seen.add(url)
            self.seen.add(page.final_url)
            self.claimed += 1
        for page in known.values():
            self._enqueue_links(page)

    def _offer(self, url: str, depth: int) -> None:
        if url in self.seen:
            return
        if not self.in_scope(url):
            self.out_of_scope.add(url)
            return
        if depth > self.cfg.max_depth:
            self.cuts.depth.add(url)
            return
        self.seen.add(url)
        self.cuts.depth.discard(url)  # seen too deep before, now found within the depth limit
        hit = self.traps.classify(url)
        if hit is not None:
            self.stats.skipped_traps += 1
            self.cuts.trap(hit, url)
            return
        if self.claimed >= self.cfg.max_pages:
            self.cuts.max_pages += 1
            if not self.stats.budget_exhausted:
                self.stats.budget_exhausted = True
                self.stats.notes.append(f"max pages ({self.cfg.max_pages}) reached; the crawl is partial")
            return
        self.claimed += 1
        self.stats.frontier = self.claimed
        self.queue.put_nowait((url, depth))

    def _enqueue_links(self, page: Page) -> None:
        if not page.is_html or not self.in_scope(page.final_url):
            return
        for link in page.links:
            if link.kind == "http" and link.element in NAV_ELEMENTS and not has_file_extension(link.url):
                self._offer(link.url, page.depth + 1)

    async def _worker(self) -> None:
        while True:
            url, depth = await self.queue.get()
            try:
                if not self.fetcher.crawl_out_of_time:
                    await self._visit(url, depth)
                else:
                    self.cuts.budget += 1  # queued, never fetched: the crawl's share of the budget ran out
            except Exception as exc:  # noqa: BLE001 - one page must never end the crawl
                self.stats.errors += 1
                self.stats.notes.append(f"{url[:200]}: crawler error {type(exc).__name__}: {exc}"[:300])
            finally:
                self.queue.task_done()

    async def _visit(self, url: str, depth: int) -> None:
        if url in self.pages:  # already stored as the final URL of an earlier redirect
            return
        res = await self.fetcher.fetch(url, html_only=True)
        if res.error == "robots":
            self.robots_disallowed.append(url)
            self.claimed -= 1
            return
        if res.error == "budget":
            self.claimed -= 1
            self.cuts.budget += 1
            return
        in_scope = self.in_scope(res.final_url) or depth == 0
        page = await asyncio.to_thread(page_from_fetch, res, depth, in_scope, self.links) \
            if len(res.body or b"") > 262_144 else page_from_fetch(res, depth, in_scope, self.links)
        self.fetcher.remember(replace(res, body=None))
        if page.is_html and res.body and res.status == 200 and "?" in url:  # query shapes only (traps rule 5)
            # digits aside, so an endless ?d=N counter or a "no such article" page reads as one body
            self.traps.observe(url, hash(res.body.translate(None, b"0123456789")))
        if self.renderer is not None and in_scope and page.ok and page.is_html:
            policy = self.render_policy
            why = "--render" if self.cfg.render else policy.reason(page)
            if why is not None:
                async with policy.slot(why):
                    # asked again: the renders this one waited for may have dropped the signal
                    if why == "--render" or policy.reason(page) == why:
                        before = [link.url for link in page.links]
                        await self._render(page)  # a failed render keeps the raw links: nothing new
                        # only links a crawl can follow pay for a render (not javascript:translatePage())
                        added = (link.url for link in page.links if link.kind == "http")
                        policy.rendered(why, before, added, self.seen)
        if page.error is not None or (page.status or 0) >= 500:
            self.stats.errors += 1
        for stored in self._store(url, page):
            if self.on_page is not None:
                self.on_page(stored, self.stats)
        self._enqueue_links(page)  # links beyond max_depth are counted there, not silently dropped

    def _store(self, url: str, page: Page) -> list[Page]:
        """Record a page. A redirected URL's content belongs to its final URL: the page is kept
        there, and the asked URL keeps a link-less entry, so links are attributed to the page that
        really carries them and counted once even when several URLs redirect to it."""
        if page.final_url == url or page.error is not None or not self.in_scope(page.final_url):
            self.pages[url] = page
            return [page]
        self.seen.add(page.final_url)
        alias = replace(page, links=[])
        self.pages[url] = alias
        if page.final_url in self.pages:
            return [alias]
        final = replace(page, url=page.final_url, redirects=[])
        self.pages[page.final_url] = final
        return [alias, final]

    async def _render(self, page: Page) -> bool:
        """Replace the page's text, title and links with the browser's DOM; keep the raw page on failure."""
        try:
            shot = await self.renderer.render_page(page.final_url)
        except Exception as exc:  # noqa: BLE001 - no browser or one bad page: the raw HTML stands
            if self.render_failed is None:
                self.render_failed = f"{page.final_url[:200]}: {exc}"[:300]
            return False
        parsed = parse_html(shot.html, shot.final_url, page.encoding or "utf-8")
        page.title = parsed.title or page.title
        page.links = parsed.links
        page.set_text(shot.html)
        self.rendered += 1
        return True

    async def _seed_sitemaps(self, home_url: str) -> None:
        origin = origin_of(home_url)
        await self.fetcher.allowed(home_url)  # loads robots.txt, which may list sitemaps
        todo = list(dict.fromkeys(self.fetcher.sitemaps.get(origin, []) + [origin + "/sitemap.xml"]))
        done: set[str] = set()
        found = 0
        while todo and len(done) < MAX_SITEMAP_FILES and found < MAX_SITEMAP_URLS:
            sm = normalize_url(todo.pop(0))
            if sm is None or sm in done:
                continue
            done.add(sm)
            res = await self.fetcher.fetch(sm, max_bytes=self.cfg.max_bytes)
            if not res.ok or not res.body:
                continue
            urls, children = parse_sitemap(res.body, base=res.final_url)
            todo.extend(children)
            for u in urls[: MAX_SITEMAP_URLS - found]:
                norm = normalize_url(u)
                if norm is not None and not has_file_extension(norm):
                    found += 1
                    self._offer(norm, 1)
        if found:
            self.stats.notes.append(f"sitemap: {found} URLs offered as seeds")


async def crawl(start_url: str, cfg: CrawlConfig, fetcher: Fetcher, *, on_page: PageCallback | None = None,
                known: dict[str, Page] | None = None, renderer: Any = None) -> SiteSnapshot:
    return await Crawler(start_url, cfg, fetcher, on_page, renderer).run(known)
