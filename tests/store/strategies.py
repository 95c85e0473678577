"""Hypothesis strategies for the model dataclasses, for lossless round-trip tests."""

from __future__ import annotations

import zlib

from hypothesis import strategies as st

from govaudit.model import (
    ERROR_WORDS,
    LINK_ELEMENTS,
    AuditResult,
    CheckResult,
    CrawlStats,
    Finding,
    Hop,
    IndicatorResult,
    Link,
    Page,
    Score,
    ScoredResult,
    SiteSnapshot,
)

text = st.text(max_size=20)
words = st.text(alphabet="abcdefghij-", min_size=1, max_size=8)
urls = st.builds(lambda p: f"http://site.test/{p}", st.text(alphabet="abc/政府.-", max_size=12))
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | finite | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
json_dicts = st.dictionaries(words, json_values, max_size=4)
timestamps = st.datetimes().map(lambda d: d.isoformat())

links = st.builds(Link, url=urls, raw=text, element=st.sampled_from(LINK_ELEMENTS), attr=words, text=text,
                  kind=st.sampled_from(["http", "placeholder", "mailto", "tel", "invalid"]), fragment=text)
hops = st.builds(Hop, url=urls, status=st.integers(300, 308), location=text)


@st.composite
def pages(draw: st.DrawFn) -> Page:
    page = Page(
        url=draw(urls), final_url=draw(urls), depth=draw(st.integers(0, 10)),
        status=draw(st.none() | st.integers(100, 599)), error=draw(st.none() | st.sampled_from(ERROR_WORDS)),
        error_detail=draw(text), redirects=draw(st.lists(hops, max_size=2)),
        headers=draw(st.dictionaries(words, text, max_size=3)), content_type=draw(words),
        elapsed_ms=draw(finite), size=draw(st.integers(0, 10**7)), truncated=draw(st.booleans()),
        encoding=draw(st.none() | words), title=draw(text), is_html=draw(st.booleans()),
        links=draw(st.lists(links, max_size=4)), fetched_at=draw(timestamps),
    )
    body = draw(st.none() | st.text(max_size=200))
    if body is not None:
        page.text_z = zlib.compress(body.encode("utf-8"))
    return page


findings = st.builds(
    Finding, rule=words, page=urls, message=text, severity=st.sampled_from(["error", "warning", "info"]),
    target=st.none() | urls, status=st.none() | st.integers(100, 599) | st.sampled_from(ERROR_WORDS),
    element=st.none() | st.sampled_from(LINK_ELEMENTS), evidence=json_dicts,
    id=st.integers(1, 999).map(lambda n: f"f-{n}"),
)
check_results = st.builds(
    CheckResult, status=st.sampled_from(["ok", "error", "skipped"]), error=st.none() | text, metrics=json_dicts,
    findings=st.lists(findings, max_size=3), data=json_dicts, duration_s=finite,
)
crawl_stats = st.builds(
    CrawlStats, pages=st.integers(0, 10**5), requests=st.integers(0, 10**6), duration_s=finite,
    skipped_robots=st.integers(0, 99), skipped_scope=st.integers(0, 99), skipped_traps=st.integers(0, 99),
    errors=st.integers(0, 99), budget_exhausted=st.booleans(), notes=st.lists(text, max_size=2),
)
indicator_results = st.builds(
    IndicatorResult, id=words, title=text, kind=st.sampled_from(["veto", "deduct", "bonus", "info"]),
    result=st.sampled_from(["pass", "fail", "not_applicable", "error"]), points=finite, detail=text,
    findings=st.lists(words, max_size=3), source=st.dictionaries(words, text, max_size=2),
    verified=st.sampled_from(["V", "V2", "unverified"]), group=text,
)
scores = st.builds(Score, value=finite, max=finite, grade=text, vetoes=st.lists(words, max_size=2),
                   deduction_score=st.none() | finite, bonus=finite, passed=st.booleans())
scored_results = st.builds(ScoredResult, profile_id=words, profile_title=text, score=scores,
                           indicators=st.lists(indicator_results, max_size=3))
audit_results = st.builds(
    AuditResult, run_id=words, site_url=urls, site_title=text, as_of=st.dates(), started_at=timestamps,
    finished_at=timestamps, crawl=crawl_stats, checks=st.dictionaries(words, check_results, max_size=2),
    scored=scored_results, tool_version=words, options=json_dicts,
)


@st.composite
def snapshots(draw: st.DrawFn) -> SiteSnapshot:
    page_list = draw(st.lists(pages(), max_size=3, unique_by=lambda p: p.url))
    start = page_list[0].url if page_list else "http://site.test/"
    return SiteSnapshot(start_url=start, home_url=draw(urls), pages={p.url: p for p in page_list},
                        stats=draw(crawl_stats), robots_disallowed=draw(st.lists(urls, max_size=2)),
                        started_at=draw(timestamps))
