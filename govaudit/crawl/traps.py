"""Crawler-trap guard: URLs a site can generate without end, which must not be fetched.

Four rules, checked in order for each new URL:
1. longer than `max_url_length`;
2. a path segment repeated `max_repeated_segment` times (/a/b/a/b/a/b: relative links that
   re-append themselves);
3. more than `max_query_variants` URLs for one path that differ only by query string (an endless
   calendar ?d=2026-11-21, ?d=2026-11-20, ...);
4. too many distinct paths of one "shape" (host + path with every digit run replaced): at most
   `max_date_variants` (60) when the digits are only a date (/cal/2026/11/21/ — a calendar that
   pages on without end), else `max_shape_variants` (500). TRS paged lists (index_1.html ...
   index_40.html) and article URLs that carry an id besides their date (t20241121_123456.html)
   fall under the large bound, which a site's real pages rarely reach.
"""

from __future__ import annotations

import re
from collections import Counter

from govaudit.crawl.urls import netloc_of

_DIGITS = re.compile(r"\d+")
# year, month and optionally day, with one separator style; digit runs must not continue.
# Without a separator month and day take two digits each: else an article id such as 19001
# reads as year 1900, month 1, and a column of them falls under the 60-path calendar bound.
_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:([-/_.])(?:0?[1-9]|1[0-2])(?:\1(?:0?[1-9]|[12]\d|3[01]))?"
                   r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?)(?!\d)")


class TrapGuard:
    def __init__(self, max_query_variants: int = 20, max_repeated_segment: int = 3,
                 max_url_length: int = 2048, max_shape_variants: int = 500,
                 max_date_variants: int = 60) -> None:
        self.max_query_variants = max_query_variants
        self.max_repeated_segment = max_repeated_segment
        self.max_url_length = max_url_length
        self.max_shape_variants = max_shape_variants
        self.max_date_variants = max_date_variants
        self._seen: set[int] = set()  # hashes of recorded URLs
        self._paths: set[int] = set()  # hashes of recorded host+path
        self._query_variants: Counter[str] = Counter()  # host+path -> recorded URLs
        self._shapes: Counter[str] = Counter()  # host+shape -> recorded distinct paths

    def check(self, url: str) -> str | None:
        """A short reason when `url` looks like a trap (it is then not recorded), else None
        (and the URL is recorded). Checking a recorded URL again returns None. Never raises."""
        try:
            return self._check(url)
        except Exception:  # total by contract: a URL we cannot read is not worth fetching
            return "unreadable URL"

    def _check(self, url: str) -> str | None:
        if not isinstance(url, str):
            return "not a URL"
        if len(url) > self.max_url_length:
            return f"URL longer than {self.max_url_length} characters"
        key = hash(url)
        if key in self._seen:
            return None
        netloc = netloc_of(url)
        after = url.split("://", 1)[-1]
        cut = min((i for i in (after.find("/"), after.find("?"), after.find("#")) if i >= 0), default=len(after))
        rest = after[cut:].split("#", 1)[0]
        path, has_query, _ = rest.partition("?")
        site_path = netloc + path

        if self.max_repeated_segment > 1:
            segments = [s for s in path.split("/") if s]
            if segments:
                segment, times = Counter(segments).most_common(1)[0]
                if times >= self.max_repeated_segment:
                    return f"path segment {segment[:40]!r} repeated {times} times"

        new_path = hash(site_path) not in self._paths
        if has_query and self._query_variants[site_path] >= self.max_query_variants:
            return f"more than {self.max_query_variants} query variants of {path[:80] or '/'}"

        shape = ""
        if new_path:
            shape = netloc + _DIGITS.sub("N", path)
            if shape != site_path:  # only paths with digits have a shape worth bounding
                date_only = _DATE.search(path) is not None and not _DIGITS.search(_DATE.sub("", path))
                bound = self.max_date_variants if date_only else self.max_shape_variants
                if self._shapes[shape] >= bound:
                    kind = "date paths" if date_only else "paths"
                    return f"more than {bound} {kind} shaped {_DIGITS.sub('N', path)[:80]}"

        self._seen.add(key)
        self._query_variants[site_path] += 1
        if new_path:
            self._paths.add(hash(site_path))
            if shape and shape != site_path:
                self._shapes[shape] += 1
        return None
