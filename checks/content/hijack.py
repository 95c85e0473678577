"""Hijacked outbound links (外链变异): external link targets whose page now reads as gambling,
pornography or a parked domain.

Targets are asked through `ctx.fetcher.check`, the audit's shared link-check cache: when the links
check ran first, nothing is fetched twice. Only navigational links (a, area, iframe, frame) count;
a target that does not answer with HTML is not judged here (the links check reports it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.content.spam import Lexicon, Verdict, judge_page
from govaudit.checks.identity.html import Doc

from govaudit.crawl.charset import decode_html
from govaudit.crawl.urls import host_of
from govaudit.model import SiteSnapshot

NAV = frozenset({"a", "area", "iframe", "frame"})
DEFAULT_MAX_TARGETS = 300
PARALLEL = 8


@dataclass(slots=True)
class Target:
    url: str
    pages: list[tuple[str, str]] = field(default_factory=list)  # (page URL, anchor text)


@dataclass(slots=True)
class Judged:
    target: Target
    verdict: Verdict
    final_url: str = ""
    title: str = ""
    status: int | str | None = None


def external_targets(snapshot: SiteSnapshot, is_offsite: Any, limit: int) -> tuple[list[Target], int]:
    """Off-site navigational targets in crawl order (at most `limit`), and how many were left out."""
    found: dict[str, Target] = {}
    for page in snapshot.pages.values():
        for link in page.links:
            if link.kind != "http" or link.element not in NAV or not is_offsite(link.url):
                continue
            target = found.setdefault(link.url, Target(link.url))
            if len(target.pages) < 20:
                target.pages.append((page.url, link.text))
    targets = list(found.values())
    return targets[:limit], max(0, len(targets) - limit)


async def judge_targets(targets: list[Target], fetcher: Any, lex: Lexicon) -> tuple[list[Judged], int]:
    """Each target's verdict (only those with a category), and how many answered with HTML."""
    sem = asyncio.Semaphore(PARALLEL)
    judged: list[Judged] = []
    readable = 0

    async def one(t: Target) -> None:
        nonlocal readable
        async with sem:
            res = await fetcher.check(t.url)
        if not res.ok or not res.body or res.content_type not in ("text/html", "application/xhtml+xml", ""):
            return
        readable += 1
        html, _ = decode_html(res.body, res.headers.get("content-type"))
        doc = Doc(html, res.final_url)
        verdict = judge_page(doc.title, doc.text, host_of(res.final_url), lex)
        if verdict.category:
            judged.append(Judged(t, verdict, res.final_url, doc.title, res.status))

    await asyncio.gather(*(one(t) for t in targets))
    order = {t.url: n for n, t in enumerate(targets)}
    judged.sort(key=lambda j: order[j.target.url])
    return judged, readable
