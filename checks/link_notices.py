"""What a link target does that is not broken but should not pass without a word (issue 16).

A page answering 200 with no body at all, a page whose meta refresh reloads itself forever, and a
redirect whose Location no browser can follow (`javascript:…`) are named here; the link check
turns them into notices (severity info) or into the evidence of its finding.
"""

from __future__ import annotations

import re

from govaudit.crawl.extract import refresh_url
from govaudit.crawl.urls import normalize_url
from govaudit.model import Hop

SCAN_CHARS = 65_536  # a meta refresh sits in the head
_META_REFRESH = re.compile(r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?\s*refresh\b[^>]*>", re.I | re.S)
_CONTENT = re.compile(r"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I | re.S)
_DELAY = re.compile(r"^\s*(\d+(?:\.\d*)?)")


def empty_body(status: int | None, size: int, content_length: str | None, method: str = "GET") -> str | None:
    """A 200 answer with 0 bytes: nothing for a visitor to see, though the link 'works'."""
    if status != 200:
        return None
    if method == "HEAD":
        return "answers 200 with an empty body (Content-Length: 0)" if (content_length or "").strip() == "0" else None
    return "answers 200 with an empty body (0 bytes)" if size == 0 else None


def self_refresh(html: str, url: str, final_url: str) -> str | None:
    """A `<meta http-equiv=refresh>` that reloads the page itself: it reloads forever."""
    if "refresh" not in html[:SCAN_CHARS].lower():
        return None
    m = _META_REFRESH.search(html[:SCAN_CHARS])
    if m is None:
        return None
    c = _CONTENT.search(m.group(0))
    if c is None:
        return None
    content = next(g for g in c.groups() if g is not None)
    target = refresh_url(content)
    delay = _DELAY.match(content)
    seconds = float(delay.group(1)) if delay else 0.0
    every = f"every {seconds:g} s" if seconds else "at once, again and again"
    if target:
        resolved = normalize_url(target, final_url)
        if resolved is None or resolved not in (url, final_url):
            return None
    return f"meta refresh reloads the page itself {every}, forever ({content.strip()[:100]!r})"


def bad_location(error: str | None, redirects: list[Hop]) -> str:
    """The Location a redirect gave that no browser can follow (a javascript: URL, garbage), or ""."""
    if error != "invalid-url" or not redirects:
        return ""
    return redirects[-1].location[:500]


def location_words(location: str) -> str:
    """How a finding names such a Location: its scheme when it has one."""
    scheme = location.split(":", 1)[0].strip().lower() if ":" in location else ""
    kind = f"a {scheme}: URL" if scheme.isalpha() and scheme not in ("http", "https") else "a Location"
    return f"redirects to {kind} no browser can follow ({location[:120]!r})"
