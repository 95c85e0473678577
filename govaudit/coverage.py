"""What an audit looked at and what it did not: the report's `coverage` object.

A report that does not say what it did not see is wrong, however right its findings. Every limit
that cut the work is counted here from the crawl's statistics and the checks' metrics; when a cut
means real pages or targets may be missing, the coverage is incomplete, the indicators that need
the whole site turn a pass into `partial`, and the grade is marked incomplete.

Cuts that lose nothing a reader could reach do not make it incomplete, but are still counted:
traps recognised by their nature (calendars, session ids, repeating paths, pages repeating one
body), robots.txt rules (the site's own choice) and targets the inspector chose to skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govaudit.model import CheckResult, CrawlStats
from govaudit.phrases import say

# Crawl cuts that may hide real pages; the words are the phrase `cut_<key>`.
_CRAWL_CUTS = ("max_pages", "max_depth", "budget", "shape_bound")
# Link targets not checked, by the links check's metric, and whether that loses findings.
_UNCHECKED = {"unchecked_budget": ("budget", True), "unchecked_robots": ("robots", False),
              "skipped": ("skipped", False), "blocked": ("blocked", False)}


@dataclass(slots=True)
class Coverage:
    complete: bool = True
    crawled: int = 0
    not_crawled: dict[str, int] = field(default_factory=dict)  # reason -> URLs seen but not fetched
    traps: list[dict[str, Any]] = field(default_factory=list)  # one entry per trap shape
    unchecked: dict[str, int] = field(default_factory=dict)  # reason -> link targets not checked
    cuts: list[str] = field(default_factory=list)  # what made it incomplete, in words
    home_cuts: list[str] = field(default_factory=list)  # the home page's own links not all checked
    sentence: str = ""  # one plain sentence for the top of every report; "" when nothing was cut
    # The same cuts as (phrase key, count), so a profile in another language can word them.
    cut_items: list[tuple[str, int]] = field(default_factory=list)
    home_cut_items: list[tuple[str, int]] = field(default_factory=list)

    def cut_words(self, language: str, home: bool = False) -> list[str]:
        return [say(language, key, n=n) for key, n in (self.home_cut_items if home else self.cut_items)]

    def to_dict(self) -> dict[str, Any]:
        return {"complete": self.complete, "crawled": self.crawled, "not_crawled": dict(self.not_crawled),
                "traps": [dict(t) for t in self.traps], "unchecked": dict(self.unchecked),
                "cuts": list(self.cuts), "home_cuts": list(self.home_cuts), "sentence": self.sentence}


def coverage_of(crawl: CrawlStats, checks: dict[str, CheckResult]) -> Coverage:
    cov = Coverage(crawled=crawl.pages, traps=[dict(t) for t in crawl.traps])
    cut = dict(crawl.cut)
    cov.not_crawled = {k: v for k, v in cut.items() if v}
    for key in _CRAWL_CUTS:
        n = cut.get(key, 0)
        if n:
            cov.cut_items.append((f"cut_{key}", n))
    if crawl.budget_exhausted and not any(cut.get(k) for k in _CRAWL_CUTS):
        # a store written before the cut counts existed, or the budget ran out between pages
        cov.cut_items.append(("cut_stopped", 0))
    links = checks.get("links")
    if links is not None:
        for metric, (reason, loses) in _UNCHECKED.items():
            n = links.metrics.get(metric)
            if isinstance(n, int) and n > 0:
                cov.unchecked[reason] = n
                if loses:
                    cov.cut_items.append(("cut_unchecked_budget", n))
        cut_pages = links.metrics.get("pages_cut")
        if isinstance(cut_pages, int) and cut_pages > 0:
            cov.unchecked["pages_cut"] = cut_pages
            cov.cut_items.append(("cut_pages_cut", cut_pages))
        home = links.metrics.get("unchecked_home_budget")
        if isinstance(home, int) and home > 0:
            cov.home_cut_items.append(("cut_home_budget", home))
    cov.cuts = cov.cut_words("en")
    cov.home_cuts = cov.cut_words("en", home=True)
    cov.complete = not cov.cuts
    cov.sentence = _sentence(cov)
    return cov


def _sentence(cov: Coverage) -> str:
    if cov.complete:
        by_nature = sum(t.get("urls", 0) for t in cov.traps if t.get("by_nature"))
        if by_nature:
            kinds = sorted({t["kind"] for t in cov.traps if t.get("by_nature")})
            return (f"Whole site crawled ({cov.crawled} pages); {by_nature} URLs of endless or repeating "
                    f"kinds ({', '.join(kinds)}) were recognised and not fetched.")
        return ""
    return (f"Incomplete: {'; '.join(cov.cuts)}. Indicators that need the whole site say partial where "
            f"they would pass, and the grade covers only what was seen ({cov.crawled} pages).")
