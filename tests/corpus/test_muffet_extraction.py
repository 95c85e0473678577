"""parse_html against the 30 link-extraction cases transcribed from muffet's link_finder_test.go.

How a case maps onto our Link kinds: muffet's `count` is the number of links it would check, i.e.
our kind == "http" links (placeholders such as href="" and data: URIs are extracted by us with
their own kind, but are not checked); `errors` is our kind == "invalid"; `urls` are the http
links' URLs in document order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from govaudit.crawl.extract import parse_html

# Cases where muffet's expectation conflicts with a documented choice of ours, and what we do.
# Index -> (our http URLs, why).
CONFLICTS: dict[int, tuple[list[str], str]] = {
    17: (["http://foo.com/"],
         "normalize_url gives an empty path as '/' (WHATWG serialisation; both name the same "
         "resource), so ' http://foo.com ' becomes http://foo.com/, muffet keeps http://foo.com"),
}


def load_cases(corpus: Path) -> list[dict[str, Any]]:
    data = json.loads((corpus / "muffet-derived" / "link_extraction_cases.json").read_text("utf-8"))
    return data["cases"]


def wrap(case: dict[str, Any]) -> str:
    if case.get("wrap") == "head":
        return f"<html><head>{case['html']}</head><body><p>hi</p></body></html>"
    return f"<html><body>{case['html']}</body></html>"


def upstream_match(case: dict[str, Any], http_urls: list[str], invalid: int) -> bool:
    if "count" in case and len(http_urls) != case["count"]:
        return False
    if "urls" in case and http_urls != case["urls"]:
        return False
    if "urls_include" in case and not set(case["urls_include"]) <= set(http_urls):
        return False
    return invalid == case.get("errors", 0)


def test_muffet_link_extraction(corpus: Path) -> None:
    cases = load_cases(corpus)
    assert len(cases) == 30
    matched = 0
    failures: list[str] = []
    for index, case in enumerate(cases):
        page = parse_html(wrap(case), case["base"])
        http_urls = [link.url for link in page.links if link.kind == "http"]
        invalid = sum(link.kind == "invalid" for link in page.links)
        if upstream_match(case, http_urls, invalid):
            matched += 1
            assert index not in CONFLICTS, f"case {index} now matches upstream: drop it from CONFLICTS"
        elif index in CONFLICTS:
            ours, _why = CONFLICTS[index]
            if http_urls != ours or invalid != case.get("errors", 0):
                failures.append(f"case {index}: documented behaviour changed: {http_urls}")
        else:
            failures.append(f"case {index} {case['html']!r}: got {http_urls}, {invalid} invalid")
    print(f"\nmuffet link extraction: {matched}/{len(cases)} exact = {matched / len(cases):.1%}"
          f" ({len(CONFLICTS)} documented conflict(s))")
    assert failures == []
    assert matched == len(cases) - len(CONFLICTS)


@pytest.mark.parametrize("index", [13, 18, 21, 25, 27, 29])
def test_selected_cases_in_detail(corpus: Path, index: int) -> None:
    """A few cases spelled out, so a regression names the behaviour that broke."""
    case = load_cases(corpus)[index]
    page = parse_html(wrap(case), case["base"])
    got = [(link.kind, link.element, link.url) for link in page.links]
    expected = {
        13: [("http", "a", "https://localhost/")],  # duplicates collapse, first wins
        18: [("invalid", "a", ":")],  # reported, not dropped
        21: [("data", "source", "data:svg+xml,%3Csvg%3E%3C%2Fsvg%3E"), ("http", "source", "http://foo.com/foo.png")],
        25: [("data", "a", "data:text/plain, Hello,%20world!")],
        27: [],  # preconnect ignored
        29: [("http", "link", "https://bar.com/baz.css")],  # dns-prefetch ignored, stylesheet kept
    }[index]
    assert got == expected
