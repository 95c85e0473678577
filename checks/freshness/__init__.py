"""Content freshness (栏目更新): which columns are stale or empty, and is the home page updated.

Columns are discovered from the crawl (home-page blocks, navigation menus, the pages they lead to:
see discover.py), typed by name (classify.py), dated from their list items (listdates.py) or, when
a list shows no dates, from its article pages (articledate.py), and judged against the threshold
of their type (verdict.py). Dates after the as-of date are findings of their own: a 伪造发稿日期
is a veto item. Options (`[checks.freshness]` in govaudit.toml), with their defaults:

    home_threshold_days = 14     # 首页不更新: the home page shows nothing newer than this
    long_stale_days = 365        # 栏目不更新 (2): "long not updated" (our number, see the profile)
    future_tolerance_days = 1    # a date up to this far past as-of is a time-zone difference, not a fake
    article_reads = 10           # article pages read per undated list
    discovery_depth = 3          # menu levels followed from the home page
    max_candidates = 300         # candidate column pages read at most
    types / thresholds           # see classify.py; a site config pins a column's type there too
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from govaudit.checks.freshness.articledate import ArticleDate, article_date
from govaudit.checks.freshness.classify import SKIP, Classifier, build_classifier, own_name, site_names
from govaudit.checks.freshness.discover import Found, discover, main_list
from govaudit.checks.freshness.listdates import HtmlList, ListItem, collapse
from govaudit.checks.freshness.page import ARTICLE_URL, PageFacts
from govaudit.checks.freshness.pages import Fetched, PageSource, column_key
from govaudit.checks.freshness.verdict import Column, DatedItem, judge, metrics

from govaudit.checkapi import CheckContext
from govaudit.errors import UsageError
from govaudit.model import CheckResult, Finding, SiteSnapshot

__all__ = ["FreshnessCheck"]

DEFAULTS = {
    "home_threshold_days": 14, "long_stale_days": 365, "future_tolerance_days": 1, "article_reads": 10,
    "discovery_depth": 3, "max_candidates": 300,
}
SECOND_LEVEL_PAGES = 60  # pages read when the home page is only a navigation entry


def _options(opts: dict[str, Any]) -> dict[str, int]:
    unknown = sorted(set(opts) - set(DEFAULTS) - {"types", "thresholds"})
    if unknown:
        known = ", ".join(sorted([*DEFAULTS, "types", "thresholds"]))
        raise UsageError(f"[checks.freshness] unknown option {unknown[0]!r}; known: {known}")
    out: dict[str, int] = {}
    for key, default in DEFAULTS.items():
        value = opts.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise UsageError(f"[checks.freshness] {key} must be a whole number >= 0, got {value!r}")
        out[key] = value
    return out


class FreshnessCheck:
    id = "freshness"
    title = "栏目更新 — content freshness"

    @staticmethod
    def validate_options(options: dict[str, Any], site: dict[str, Any], home_url: str = "http://localhost/") -> None:
        """Raise UsageError for bad `[checks.freshness]` options or `[[site.columns]]` entries, so a
        caller can refuse them before crawling (run() raises the same error)."""
        _options(options)
        build_classifier(options, site, home_url)

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        opts = _options(ctx.options)
        classifier = build_classifier(ctx.options, ctx.config.site, snapshot.home_url)
        as_of = ctx.as_of
        source = PageSource(snapshot, ctx.fetcher, as_of)
        found = await discover(source, snapshot.start_url, classifier,
                               depth=opts["discovery_depth"], max_candidates=opts["max_candidates"])
        home = found.home
        if home is None:
            page = await source.get(snapshot.start_url)
            return CheckResult(status="error", error=f"the home page could not be read as HTML ({page.problem})")
        site = site_names(home.title, home.meta.get("sitename", ""), home.h1)
        tol = opts["future_tolerance_days"]

        columns: list[Column] = []
        not_columns = list(found.not_columns)
        built = await asyncio.gather(*(self._safe_column(f, source, classifier, site, opts["article_reads"])
                                       for f in found.columns))
        for col in built:
            if col.type == SKIP:
                not_columns.append({"url": col.url, "name": col.name, "reason": "skipped by name"})
            else:
                columns.append(col)
        columns.sort(key=lambda c: c.url)
        judged = [judge(c, as_of, tol, opts["long_stale_days"]) for c in columns]

        home_items, basis = await self._home_dates(home, snapshot, source, opts["article_reads"])
        limit_days = opts["home_threshold_days"]
        valid_home = [d for d in home_items if (d.date - as_of).days <= tol]
        home_latest = max((d.date for d in valid_home), default=None)
        home_age = max(0, (as_of - home_latest).days) if home_latest else None
        home_updated: bool | None = home_age is not None and home_age <= limit_days
        if home_latest is None and basis == "yearless":
            home_updated = None  # dates without a year: not judged, never "this year" and never stale

        findings = self._findings(columns, judged, home_items, as_of, tol)
        if home_updated is None:
            findings.append(Finding(
                rule="home-undatable", page=snapshot.start_url, severity="warning",
                message="the home page's dates show no year and nothing on the page tells it: 首页不更新 not judged",
                evidence={"latest": None, "basis": basis, "threshold_days": limit_days}))
        elif not home_updated:
            findings.append(Finding(
                rule="home-not-updated", page=snapshot.start_url, severity="error",
                message=(f"the home page shows nothing newer than {home_latest.isoformat()} ({home_age} days before "
                         f"{as_of.isoformat()}; the rule allows {limit_days})" if home_latest else
                         "the home page shows no dated information (undated items count as not updated)"),
                evidence={"latest": home_latest.isoformat() if home_latest else None, "age_days": home_age,
                          "threshold_days": limit_days, "basis": basis}))
        if not columns:
            findings.append(Finding(rule="no-columns", page=snapshot.start_url, severity="warning",
                                    message="no content columns were found: column freshness cannot be judged"))

        m = metrics(judged)
        future_items = {(d.url, d.date) for c in columns for d in c.future(as_of, tol)}
        future_items |= {(d.url, d.date) for d in home_items if (d.date - as_of).days > tol}
        m.update({
            "future_dates": len(future_items),
            "home_updated": None if home_updated is None else int(home_updated),
            "home_updated_days": home_age,
            "pages_fetched": source.fetched,
            "not_columns": len(not_columns),
        })
        data = {
            "columns": judged,
            "home": {"url": snapshot.start_url, "latest": home_latest.isoformat() if home_latest else None,
                     "age_days": home_age, "threshold_days": limit_days, "updated": home_updated,
                     "basis": basis, "dated_items": len(home_items)},
            "thresholds": {k: v for k, v in classifier.thresholds.items()},
            "not_columns": not_columns[:200],
        }
        return CheckResult(status="ok", metrics=m, findings=findings, data=data)

    # ---- one column -------------------------------------------------------------------------

    async def _safe_column(self, f: Found, source: PageSource, classifier: Classifier, site: set[str],
                           article_reads: int) -> Column:
        """One column; a failure reading it makes that column an error, never the whole check."""
        try:
            return await self._column(f, source, classifier, site, article_reads)
        except Exception as exc:  # noqa: BLE001 - isolate one column's failure (parser bug, odd page)
            cand = f.candidate
            name = cand.names[0] if cand.names else cand.url
            try:
                kind = classifier.classify(list(cand.names), "")
            except Exception:  # noqa: BLE001
                kind = "unknown"
            if kind == SKIP:
                kind = "unknown"
            threshold = None
            try:
                threshold = classifier.threshold(kind)
            except Exception:  # noqa: BLE001
                threshold = None
            return Column(name=name, url=cand.url, type=kind, threshold_days=threshold, found_via=cand.via,
                          names=list(cand.names),
                          error=f"column could not be read: {type(exc).__name__}: {exc}"[:300])

    async def _column(self, f: Found, source: PageSource, classifier: Classifier, site: set[str],
                      article_reads: int) -> Column:
        cand, facts, page = f.candidate, f.facts, f.page
        url = page.final_url if page.problem is None else cand.url
        names = _names(facts, cand.names, site)
        override = classifier.override_for(url, names[0] if names else "") or classifier.override_for(
            cand.url, names[0] if names else "")
        name = (override.report_name if override and override.report_name else None) or (names[0] if names else url)
        kind = override.type if override else classifier.classify(names, facts.meta.get("columntype", "") if facts else "")
        if override is None and kind not in (SKIP, "other") and facts is not None and classifier.in_topic(facts.trail):
            # A sub-column of a 专题 (抗击肺炎专栏 › 文件通知): a campaign's page, done when it is done,
            # not the site's own 动态 or 文件 column with an update duty.
            kind = "other"
        col = Column(name=name, url=url, type=kind, threshold_days=classifier.threshold(kind) if kind != SKIP else None,
                     found_via=cand.via, names=names, static=classifier.is_static(name))
        if kind == SKIP:
            return col
        if facts is not None and f.main is not None:
            await self._list_dates(col, f.main, f.dated, facts, source, article_reads)
            return col
        if facts is not None and f.empty:
            col.empty, col.empty_marker, col.items = True, facts.empty_marker or "共0条", 0
            col.list_pages = [url]
            return col
        # The list page gave nothing to read: the home-page block, if any, still shows dates.
        problem = page.problem or "no list of items on the column page"
        block = cand.block
        if block is not None and block.items.dated:
            col.dates = [DatedItem(i.title, i.url, i.date, i.date_text, source.snapshot.start_url, "home-block")
                         for i in block.items.items if i.date is not None]
            col.items = len(block.items.items)
            col.undated_items = col.items - len(col.dates)
            col.list_pages = [source.snapshot.start_url]
            col.error = None
            col.empty_marker = None
            col.found_via = f"{cand.via} (list page: {problem})"
        else:
            col.error = f"list page unreadable: {problem}" if page.problem else problem
        return col

    async def _list_dates(self, col: Column, main: HtmlList, dated: bool, facts: PageFacts,
                          source: PageSource, article_reads: int) -> None:
        lists: list[tuple[str, HtmlList]] = [(col.url, main)]
        # Paging the crawl already fetched costs nothing; pages it did not reach are not fetched:
        # page 1 holds the newest items, and the pager usually states the total.
        for other in source.crawled_list_pages(col.url):
            _, more = await source.facts(other)
            if more is not None and more.url != col.url:
                extra, extra_dated = main_list(more, more.url)
                if extra is not None and extra_dated == dated:
                    lists.append((more.url, extra))
        col.list_pages = [u for u, _ in lists]
        counted = sum(len(lst.items) for _, lst in lists)
        if facts.total is not None and facts.total >= len(main.items):
            col.items, col.items_source = facts.total, "pager"
        else:
            col.items, col.items_source = counted, "counted"
        if dated:
            for page_url, lst in lists:
                for item in lst.items:
                    if item.date is None:
                        col.undated_items += 1
                    else:
                        col.dates.append(DatedItem(item.title, item.url, item.date, item.date_text, page_url, "list"))
            return
        # No dates in the list: the article pages say when they were published.
        col.list_undated = True
        for item, (page, found) in zip(main.items, await _article_dates(main.items[:article_reads], source),
                                       strict=False):
            if found is None:
                col.undated_items += 1
                continue
            col.dates.append(DatedItem(item.title, item.url, found.value, found.text, page.final_url,
                                       f"article:{found.source}"))
        if not col.dates and main.yearless:
            col.error = (f"the list's dates show no year ({main.yearless[0].date_text}) and neither the page, its "
                         "Last-Modified nor its articles tell it")

    # ---- home page ----------------------------------------------------------------------------

    async def _home_dates(self, home: PageFacts, snapshot: SiteSnapshot, source: PageSource,
                          article_reads: int) -> tuple[list[DatedItem], str]:
        items = _dated_items(home, "home")
        if items:
            return items, "home"
        article_links = [i for lst in home.lists for i in lst.items if ARTICLE_URL.search(i.url)]
        if len(article_links) >= 3:
            read = await _article_dates(article_links[:article_reads], source)
            return [DatedItem(item.title, item.url, found.value, found.text, page.final_url, f"article:{found.source}")
                    for item, (page, found) in zip(article_links, read, strict=False) if found is not None], "home-articles"
        # Only a navigation entry: the standard looks at the second-level pages instead.
        host = urlsplit(home.url).netloc
        home_page = snapshot.home
        second: dict[str, str] = {}  # column key -> first URL linking there
        for link in home_page.links if home_page else []:
            if link.element == "a" and link.kind == "http" and urlsplit(link.url).netloc == host:
                key = column_key(link.url)
                if key != column_key(home.url) and len(second) < SECOND_LEVEL_PAGES:
                    second.setdefault(key, link.url)
        read = await asyncio.gather(*(source.facts(url) for url in second.values()))
        dated = [d for _, facts in read if facts is not None for d in _dated_items(facts, "second-level")]
        if not dated and any(lst.yearless for lst in home.lists):
            return [], "yearless"
        return dated, "second-level"

    # ---- findings -----------------------------------------------------------------------------

    def _findings(self, columns: list[Column], judged: list[dict[str, Any]], home_items: list[DatedItem],
                  as_of: date, tol: int) -> list[Finding]:
        out: list[Finding] = []
        for col, row in zip(columns, judged, strict=True):
            evidence = {"name": col.name, "type": col.type, "latest": row["latest_valid"],
                        "age_days": row["age_days"], "threshold_days": col.threshold_days}
            if row["stale"]:
                if row["no_dates"]:
                    msg = (f"{col.name} ({col.type}): no item carries a date; undated items count as not updated "
                           f"(threshold {col.threshold_days} days)")
                else:
                    msg = (f"{col.name} ({col.type}): newest item {row['latest_valid']}, {row['age_days']} days "
                           f"before {as_of.isoformat()}; threshold {col.threshold_days} days")
                out.append(Finding(rule="stale-column", page=col.url, message=msg, severity="error",
                                   evidence={**evidence, "no_dates": row["no_dates"], "long_stale": row["long_stale"]}))
            elif row["dormant"]:
                # A column without a threshold of its own (type other) that has stopped for long:
                # shown, not counted toward the long-stale veto (its update duty is not stated).
                out.append(Finding(rule="long-stale-column", page=col.url, severity="warning",
                                   message=(f"{col.name} ({col.type}): newest item {row['latest_valid'] or 'undated'}, "
                                            f"not updated for over a year (type other: not counted toward the veto)"),
                                   evidence={**evidence, "no_dates": row["no_dates"], "long_stale": False,
                                             "dormant": True}))
            if col.empty:
                out.append(Finding(rule="empty-column", page=col.url, severity="error",
                                   message=f"{col.name}: the column has no content ({col.empty_marker})",
                                   evidence={**evidence, "marker": col.empty_marker}))
            if col.error:
                out.append(Finding(rule="column-unreadable", page=col.url, severity="warning",
                                   message=f"{col.name}: {col.error}; its freshness was not judged",
                                   evidence=evidence))
        seen: set[tuple[str, date]] = set()
        future = [(c.name, d) for c in columns for d in c.future(as_of, tol)]
        future += [("首页", d) for d in home_items if (d.date - as_of).days > tol]
        for where, d in future:
            if (d.url, d.date) in seen:
                continue
            seen.add((d.url, d.date))
            out.append(Finding(
                rule="future-date", page=d.page, target=d.url, severity="error",
                message=(f"{where}: item dated {d.date.isoformat()}, after the audit date {as_of.isoformat()} "
                         f"(a faked or mistyped publication date): {d.title[:80]}"),
                evidence={"date": d.date.isoformat(), "text": d.text, "title": d.title[:200], "column": where,
                          "source": d.source, "days_ahead": (d.date - as_of).days}))
        return out


async def _article_dates(items: list[ListItem], source: PageSource) -> list[tuple[Fetched, ArticleDate | None]]:
    """Each item's article page and its publication date (None when unreadable or undated)."""
    pages = await asyncio.gather(*(source.get(i.url) for i in items))
    return [(p, article_date(p.html) if p.html is not None and p.problem is None else None) for p in pages]


def _dated_items(facts: PageFacts, source: str) -> list[DatedItem]:
    """Items of the page's dated lists (at least half their items dated; menus never are)."""
    out: list[DatedItem] = []
    for lst in facts.lists:
        if lst.dated and len(lst.dated) >= 0.5 * len(lst.items):
            out.extend(DatedItem(i.title, i.url, i.date, i.date_text, facts.url, source)
                       for i in lst.items if i.date is not None)
    return out


def _names(facts: PageFacts | None, linked: list[str], site: set[str]) -> list[str]:
    """Candidate names, most trusted first: what the page shows (its breadcrumb's last entry), then
    the home-block heading or menu text that led here, then its h1, then the CMS's ColumnName meta
    (a template may set one value on many columns), then its title. The site's own name is taken
    off each (`资料下载_某某规划办` is 资料下载; a logo h1 is no name)."""
    ordered = list(linked)
    if facts is not None:
        meta = collapse(facts.meta.get("columnname", ""))
        own = facts.names()
        shown = [n for n in own if n != meta]
        crumb = [n for n in shown if n == collapse(facts.crumb)]
        ordered = crumb + ordered + [n for n in shown if n not in crumb] + ([meta] if meta in own else [])
    out: list[str] = []
    for n in ordered:
        n = own_name(n.strip(), site)
        if n and n not in out and len(n) <= 30:
            out.append(n)
    return out
