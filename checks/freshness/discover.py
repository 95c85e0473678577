"""Find a site's columns (栏目): home-page blocks, navigation menus, and what they lead to.

Breadth-first from the home page: every block with a 更多 link and every menu entry is a candidate;
each candidate page is read (from the crawl, or fetched) and its own menus add candidates one level
further, up to `depth`. A navigation page (政务公开 with a list of column entries) is no column
itself but leads to its second-level columns this way. A candidate becomes a column when its page
holds the column's list (dated, or of article links), or says it is empty (暂无信息).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from govaudit.checks.freshness.classify import NAME_SPLIT, SKIP, Classifier, own_name, site_names
from govaudit.checks.freshness.listdates import HtmlList
from govaudit.checks.freshness.page import ARTICLE_URL, Block, PageFacts, banners_and_sitemap
from govaudit.checks.freshness.pages import Fetched, PageSource, column_key

from govaudit.crawl.extract import refresh_url
from govaudit.crawl.urls import normalize_url

BATCH = 16  # candidate pages read at once (the fetcher still applies per-host limits)
_PAGE_N = re.compile(r"_\d{1,4}(\.\w+)$")


@dataclass(slots=True)
class Candidate:
    url: str
    via: str  # home-block | menu | config
    depth: int
    names: list[str] = field(default_factory=list)  # link texts and block headings, first seen first
    block: Block | None = None  # the home-page block that points here


@dataclass(slots=True)
class Found:
    """A candidate after its page was read."""

    candidate: Candidate
    page: Fetched
    facts: PageFacts | None
    main: HtmlList | None = None
    dated: bool = False  # the main list shows dates
    empty: bool = False


@dataclass(slots=True)
class Discovery:
    columns: list[Found] = field(default_factory=list)
    not_columns: list[dict[str, str]] = field(default_factory=list)  # url, name, reason
    home: PageFacts | None = None


def main_list(facts: PageFacts, url: str) -> tuple[HtmlList | None, bool]:
    """The column's own list on its page, and whether it is dated. Menus are never it; a list whose
    links stay in the column's folder beats a sidebar of another column's news."""
    folder = url.rsplit("/", 1)[0] + "/"
    # A menu entry for the page itself (`<li class=on><a href="">`) says nothing of a list whose
    # items open by script and so stand for the page.
    menus = {u for u, _ in facts.menus} - {url, facts.url}

    def in_folder(lst: HtmlList) -> bool:
        inside = sum(1 for i in lst.items if i.url.startswith(folder))
        return inside >= 0.5 * len(lst.items)

    candidates = [lst for lst in facts.lists if not all(i.url in menus for i in lst.items)]
    dated = [lst for lst in candidates if lst.dated and len(lst.dated) >= 0.5 * len(lst.items)]
    if dated:
        return max(dated, key=lambda lst: (in_folder(lst), len(lst.dated), len(lst.items))), True
    # Dates without their year and nothing to tell it: still the column's list, read as undated
    # (its article pages say when), never dated "this year".
    yearless = [lst for lst in candidates if lst.yearless and len(lst.yearless) + len(lst.dated) >= 0.5 * len(lst.items)]
    if yearless:
        return max(yearless, key=lambda lst: (in_folder(lst), len(lst.yearless), len(lst.items))), False
    articles = [lst for lst in candidates if _articles(lst) >= max(1, 0.5 * len(lst.items))]
    if articles:
        return max(articles, key=lambda lst: (in_folder(lst), len(lst.items))), False
    return None, False


async def discover(source: PageSource, home_url: str, classifier: Classifier, *, depth: int,
                   max_candidates: int) -> Discovery:
    out = Discovery()
    home_page, home = await source.facts(home_url)
    out.home = home
    if home is None:
        return out
    home_keys = {column_key(home_url), column_key(home_page.final_url)}
    host = urlsplit(home_page.final_url).netloc
    candidates: dict[str, Candidate] = {}
    queue: list[Candidate] = []

    def add(url: str, name: str, via: str, level: int, block: Block | None = None) -> None:
        key = column_key(url)
        if key in home_keys or urlsplit(url).netloc != host and via != "config":
            return
        cand = candidates.get(key)
        if cand is None:
            if len(candidates) >= max_candidates:
                return
            cand = Candidate(url=url, via=via, depth=level)
            candidates[key] = cand
            queue.append(cand)
        if name and name not in cand.names:
            # A block heading names a column better than a menu's short label.
            if via == "home-block":
                cand.names.insert(0, name)
            else:
                cand.names.append(name)
        if block is not None and cand.block is None:
            cand.block = block
            cand.via = "home-block" if cand.via == "menu" else cand.via

    for o in classifier.overrides:
        if o.url is not None and o.type != SKIP:
            add(o.url, o.report_name or "", "config", 1)
    for b in home.blocks:
        # A block of dated items or articles stands for its column; a block of entries (政务公开:
        # 指南, 年报, sub-columns) is a menu, and its 更多 page a navigation page.
        if b.url:
            strong = bool(b.items.dated) or _articles(b.items) >= 0.5 * len(b.items.items)
            add(b.url, b.name, "home-block" if strong else "menu", 1, b if strong else None)
    for url, text in home.menus:
        add(url, text, "menu", 1)
    banners, sitemap_url = banners_and_sitemap(home_page.html or "", home_page.final_url)
    for url, alt in banners:
        add(url, alt, "banner", 1)  # 专题专栏 behind a picture: judged like any menu entry
    if sitemap_url:
        # The 网站地图 lists every column by name, also those no menu of the home page shows.
        _, site_map = await source.facts(sitemap_url)
        for lst in site_map.lists if site_map is not None else []:
            for item in lst.items:
                if item.url and not ARTICLE_URL.search(item.url) and 2 <= len(item.title) <= 20:
                    add(item.url, item.title, "sitemap", 1)

    seen_final: set[str] = set()
    while queue:
        # add() may queue a refresh target while a batch is read; the loop picks it up next round.
        batch, queue = queue[:BATCH], queue[BATCH:]
        todo: list[Candidate] = []
        for cand in batch:
            override = classifier.override_for(cand.url, cand.names[0] if cand.names else "")
            if override is not None and override.type == SKIP or (
                    override is None and cand.names and classifier.by_name(cand.names[0]) == SKIP):
                out.not_columns.append({"url": cand.url, "name": cand.names[0] if cand.names else "",
                                        "reason": "skipped by name (judged by another check, or no content column)"})
                continue
            todo.append(cand)
        results = await asyncio.gather(*(source.facts(c.url) for c in todo))
        for cand, (page, facts) in zip(todo, results, strict=True):
            key = column_key(page.final_url)
            name = cand.names[0] if cand.names else ""
            if key in home_keys:
                continue
            if key in seen_final:
                _merge(out.columns, key, cand)
                continue
            seen_final.add(key)
            if facts is None:
                if cand.via in ("home-block", "config"):
                    out.columns.append(Found(cand, page, None))
                else:
                    out.not_columns.append({"url": cand.url, "name": name, "reason": f"unreadable ({page.problem})"})
                continue
            refresh = _refresh_target(facts, page.final_url)
            if refresh is not None and not facts.lists:
                # `<meta http-equiv=refresh>` to the column's first sub-column: the column is there.
                out.not_columns.append({"url": cand.url, "name": name, "reason": f"redirects (meta refresh) to {refresh}"})
                add(refresh, name, cand.via, cand.depth, cand.block)
                continue
            if cand.depth < depth:
                for url, text in facts.menus:
                    add(url, text, "menu", cand.depth + 1)
            if facts.articleish and cand.via != "config":
                # A menu entry or 更多 link that opens one article (机构职能, a single notice): its
                # sidebar of related news is some other column's list.
                out.not_columns.append({"url": cand.url, "name": name, "reason": "an article page"})
                continue
            main, dated = main_list(facts, page.final_url)
            if main is None:
                main = await _article_list(facts, page.final_url, source)
            found = Found(cand, page, facts, main, dated)
            if main is None and (facts.empty_marker or facts.total == 0):
                found.empty = True
            if main is not None or found.empty or cand.via in ("home-block", "config"):
                out.columns.append(found)
            else:
                out.not_columns.append({"url": cand.url, "name": name,
                                        "reason": "no list of items (an article or a navigation page)"})
    await _crawled_columns(out, source, classifier, home, home_keys | seen_final | set(candidates), seen_final)
    return out


CRAWL_PAGES = 3000  # crawled pages examined at most for columns the menus did not reach


async def _crawled_columns(out: Discovery, source: PageSource, classifier: Classifier, home: PageFacts,
                           seen_keys: set[str], seen_final: set[str]) -> None:
    """Columns no menu reached (a unit's sub-columns in a script-written side menu, 专题 sub-columns
    behind an image link, a sub-site's lists): every crawled page that names itself as a column
    (breadcrumb or ColumnName), is no article, and holds a dated list or says it is empty. A page
    whose title names another site (a city portal's pages carried on the same host) is not ours."""
    site = site_names(home.title, home.meta.get("sitename", ""), home.h1)
    todo: list[str] = []
    for url, crawled in source.snapshot.pages.items():
        key = column_key(url)
        if key in seen_keys or not crawled.ok or not crawled.is_html or ARTICLE_URL.search(url):
            continue
        paged = _PAGE_N.sub(r"\1", url)
        if paged != url and paged in source.snapshot.pages:
            continue  # `18386_2.html`: page 2 of a list the scan reads as its page 1
        seen_keys.add(key)
        todo.append(url)
        if len(todo) >= CRAWL_PAGES:
            break
    for start in range(0, len(todo), BATCH * 4):
        batch = todo[start:start + BATCH * 4]
        for url, (page, facts) in zip(batch, await asyncio.gather(*(source.facts(u) for u in batch)), strict=True):
            if facts is None or facts.articleish:
                continue
            name = own_name(facts.crumb or facts.meta.get("columnname", ""), site)
            if not name or name in _GENERIC_NAMES or classifier.by_name(name) == SKIP or _other_site(facts, site):
                continue
            if any(classifier.by_name(part) == SKIP for part in facts.trail):
                continue  # 互动交流 › 办理统计: a page of a section another check owns
            key = column_key(page.final_url)
            if key in seen_final:
                continue
            main, dated = main_list(facts, page.final_url)
            empty = main is None and bool(facts.empty_marker or facts.total == 0)
            if not (main is not None and dated) and not empty:
                continue
            seen_final.add(key)
            found = Found(Candidate(url=url, via="crawl", depth=0, names=[name]), page, facts, main, dated)
            found.empty = empty
            out.columns.append(found)


_GENERIC_NAMES = frozenset({"首页", "正文", "列表", "详情", "搜索", "搜索结果", "检索结果"})


def _other_site(facts: PageFacts, site: set[str]) -> bool:
    """The page's title names a site, and not the audited one (`[鹰城要闻]-某市门户网站群`): no part
    of it is a part of the audited site's name."""
    parts = [p.strip(" []【】!！") for p in NAME_SPLIT.split(facts.title or "")]
    parts = [p for p in parts if p]
    if len(parts) < 2 or not site:
        return False
    return not any(p in site or any(s in p for s in site) for p in parts)


async def _article_list(facts: PageFacts, url: str, source: PageSource) -> HtmlList | None:
    """An undated list whose links do not look like article URLs (`/xw/12.html`), short titles
    and all, is still the column's list when its first item opens an article page (PubDate,
    ArticleTitle, 发布时间) that is not itself a list page."""
    folder = url.rsplit("/", 1)[0] + "/"
    lists = [lst for lst in facts.lists if len(lst.items) >= 2 and not lst.dated]
    if not lists:
        return None
    best = max(lists, key=lambda lst: (sum(1 for i in lst.items if i.url.startswith(folder)), len(lst.items)))
    first_url = best.items[0].url
    if column_key(first_url) == column_key(url):
        return None
    _, first = await source.facts(first_url)
    if first is None or not first.articleish or main_list(first, first.url)[1]:
        return None
    return best


def _articles(lst: HtmlList) -> int:
    return sum(1 for i in lst.items if ARTICLE_URL.search(i.url))


def _merge(columns: list[Found], key: str, cand: Candidate) -> None:
    """A second link to a column already read (a menu entry and a block, or a redirect)."""
    for found in columns:
        if column_key(found.page.final_url) == key:
            for n in cand.names:
                if n not in found.candidate.names:
                    found.candidate.names.append(n)
            if cand.block is not None and found.candidate.block is None:
                found.candidate.block = cand.block
            return


def _refresh_target(facts: PageFacts, url: str) -> str | None:
    """Where a page's meta refresh sends the reader (another page of the site), or None."""
    target = refresh_url(facts.meta.get("refresh", ""))
    if not target:
        return None
    norm = normalize_url(target, url)
    return norm if norm is not None and column_key(norm) != column_key(url) else None
