"""Crawler-trap guard: URLs a site can generate without end, recognised by what they are.

Rules, checked in order for each new URL (the kind each one reports in brackets):
1. longer than `max_url_length` [long-url];
2. a path segment repeated `max_repeated_segment` times (/a/b/a/b/a/b: relative links that
   re-append themselves) [repeating-path];
3. a URL that differs from one already seen only by a session id (;jsessionid=…, PHPSESSID=…,
   sid=<hex>) [session-id];
4. a calendar: more than `max_date_variants` paths of one shape whose digits are only a date
   (/cal/2026/11/21/), or more than `max_query_variants` URLs of one path whose query values are
   dates (?d=2026-11-21, ?year=2026&month=11) [calendar];
5. pages that repeat the same content: once `repeat_limit` fetched pages of one query shape
   (path + parameter names) carry the same body, digits aside, new URLs of that shape are not
   fetched (an endless ?d=N counter, an id range that answers one "not found" page with 200)
   [same-content]. Query shapes only: generated static sites and test sites often differ from page
   to page by numbers alone, and an endless static path is caught by rules 2, 4 and 6;
6. a safety bound, not a recognition: more than `max_shape_variants` distinct URLs of one shape
   (host + path with digit runs replaced + query parameter names) [shape-bound]. A county portal's
   5,000 `ShowArticle.asp?ArticleID=N` articles or a TRS column's thousands of
   t20241121_123456.html pages stay under it at the default page cap; a cut here means real pages
   may be missing, so the crawl's coverage says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qsl

from govaudit.crawl.urls import netloc_of

_DIGITS = re.compile(r"\d+")
# year, month and optionally day, with one separator style; digit runs must not continue.
# Without a separator month and day take two digits each: else an article id such as 19001
# reads as year 1900, month 1, and a column of them falls under the 60-path calendar bound.
_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:([-/_.])(?:0?[1-9]|1[0-2])(?:\1(?:0?[1-9]|[12]\d|3[01]))?"
                   r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?)(?!\d)")
# A query value that is a date: with separators only (2026-11-21, 2026/11, 2026.11.21); a bare
# number such as 20110512 or 1960 is far more often an article id (by name, ?date= still counts).
_DATE_VALUE = re.compile(r"(?:19|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])(?:\1(?:0?[1-9]|[12]\d|3[01]))?")
# Query parameters that are calendar fields by name, whatever their value.
_CALENDAR_NAMES = frozenset("year month day date yyyy mm dd ym ymd".split())
# Session ids in a path parameter or a query (Java, PHP, ASP.NET cookieless, generic sid=<hex>).
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
_SESSION_NAMES = frozenset("jsessionid phpsessid aspsessionid sessionid session_id sid sess cfid cftoken".split())
_SESSION_VALUE = re.compile(r"[0-9A-Za-z_-]{16,}")

# Trap kinds recognised by their nature: cutting them loses nothing a reader could reach.
BY_NATURE = frozenset({"long-url", "repeating-path", "session-id", "calendar", "same-content"})


@dataclass(slots=True, frozen=True)
class TrapHit:
    kind: str  # one of BY_NATURE or "shape-bound"
    shape: str  # the URL shape the rule counted (host + path with digits as N), for grouping
    reason: str


class TrapGuard:
    def __init__(self, max_query_variants: int = 60, max_repeated_segment: int = 3,
                 max_url_length: int = 2048, max_shape_variants: int = 10_000,
                 max_date_variants: int = 60, repeat_limit: int = 20) -> None:
        self.max_query_variants = max_query_variants
        self.max_repeated_segment = max_repeated_segment
        self.max_url_length = max_url_length
        self.max_shape_variants = max_shape_variants
        self.max_date_variants = max_date_variants
        self.repeat_limit = repeat_limit
        self._seen: set[int] = set()  # hashes of recorded URLs
        self._sessionless: set[int] = set()  # hashes of recorded URLs with session ids taken out
        self._paths: set[int] = set()  # hashes of recorded host+path
        self._calendar: Counter[str] = Counter()  # host+path(+names) -> recorded date-valued queries
        self._shapes: Counter[str] = Counter()  # shape -> recorded distinct URLs
        self._date_shapes: Counter[str] = Counter()  # date-only path shape -> recorded distinct paths
        self._content: Counter[tuple[str, int]] = Counter()  # (shape, body digest) -> pages
        self._repeating: set[str] = set()  # shapes found to repeat one body

    def check(self, url: str) -> str | None:
        """A short reason when `url` looks like a trap (it is then not recorded), else None."""
        hit = self.classify(url)
        return None if hit is None else hit.reason

    def classify(self, url: str) -> TrapHit | None:
        """The trap `url` falls in (it is then not recorded), else None (and the URL is recorded).
        Checking a recorded URL again returns None. Never raises."""
        try:
            return self._classify(url)
        except Exception:  # total by contract: a URL we cannot read is not worth fetching
            return TrapHit("long-url", "", "unreadable URL")

    def observe(self, url: str, digest: int) -> None:
        """Record a fetched page's body digest (digits aside): a shape whose pages keep answering
        the same body is a trap from then on."""
        if "?" not in url:
            return  # query shapes only (rule 5)
        try:
            shape = self._split(url)[3]
        except Exception:  # noqa: BLE001 - a URL we cannot split has no shape to learn
            return
        if "?" not in shape:
            return  # an empty query ("/p?"): a path shape
        key = (shape, digest)
        self._content[key] += 1
        if self._content[key] >= self.repeat_limit:
            self._repeating.add(shape)

    # -- internals --------------------------------------------------------------------------------

    @staticmethod
    def _split(url: str) -> tuple[str, str, list[tuple[str, str]], str]:
        """(netloc, path, query parameters, shape) of a URL; shape = host + digit-less path + query names."""
        netloc = netloc_of(url)
        after = url.split("://", 1)[-1]
        cut = min((i for i in (after.find("/"), after.find("?"), after.find("#")) if i >= 0), default=len(after))
        rest = after[cut:].split("#", 1)[0]
        path, _, query = rest.partition("?")
        shape = netloc + _DIGITS.sub("N", path)
        params = parse_qsl(query, keep_blank_values=True) if query else []
        if query:
            shape += "?" + "&".join(sorted({k.lower() for k, _ in params}))
        return netloc, path, params, shape

    def _classify(self, url: str) -> TrapHit | None:
        if not isinstance(url, str):
            return TrapHit("long-url", "", "not a URL")
        if len(url) > self.max_url_length:
            return TrapHit("long-url", "", f"URL longer than {self.max_url_length} characters")
        key = hash(url)
        if key in self._seen:
            return None
        netloc, path, params, shape = self._split(url)
        site_path = netloc + path
        shown = _DIGITS.sub("N", path)[:80] or "/"

        if self.max_repeated_segment > 1:
            segments = [s for s in path.split("/") if s]
            if segments:
                segment, times = Counter(segments).most_common(1)[0]
                if times >= self.max_repeated_segment:
                    return TrapHit("repeating-path", shape, f"path segment {segment[:40]!r} repeated {times} times")

        sessionless = _without_session(url, params)
        if sessionless is not None:
            if hash(sessionless) in self._sessionless:
                return TrapHit("session-id", shape, f"the same page as {sessionless[:120]} with another session id")

        date_params = [k for k, v in params if k.lower() in _CALENDAR_NAMES or _DATE_VALUE.fullmatch(v.strip())]
        calendar_key = ""
        if date_params:
            calendar_key = site_path + "?" + "&".join(sorted(k.lower() for k in date_params))
            if self._calendar[calendar_key] >= self.max_query_variants:
                return TrapHit("calendar", shape, f"more than {self.max_query_variants} dates asked of {path[:80] or '/'}")

        if shape in self._repeating:
            return TrapHit("same-content", shape, f"pages shaped {shown} repeat the same content")

        new_path = hash(site_path) not in self._paths
        date_shape = ""
        if new_path and _DATE.search(path) is not None and not _DIGITS.search(_DATE.sub("", path)):
            date_shape = netloc + _DIGITS.sub("N", path)
            if self._date_shapes[date_shape] >= self.max_date_variants:
                return TrapHit("calendar", shape, f"more than {self.max_date_variants} date paths shaped {shown}")

        counted = shape != site_path  # only URLs with digits or a query have a shape worth bounding
        if counted and self._shapes[shape] >= self.max_shape_variants:
            return TrapHit("shape-bound", shape, f"more than {self.max_shape_variants} URLs shaped "
                                                 f"{shape[len(netloc):][:100]}")

        self._seen.add(key)
        self._sessionless.add(hash(sessionless if sessionless is not None else url))
        if calendar_key:
            self._calendar[calendar_key] += 1
        if new_path:
            self._paths.add(hash(site_path))
            if date_shape:
                self._date_shapes[date_shape] += 1
        if counted:
            self._shapes[shape] += 1
        return None


def _without_session(url: str, params: list[tuple[str, str]]) -> str | None:
    """`url` with its session ids taken out, or None when it carries none."""
    stripped = _PATH_SESSION.sub("", url)
    found = stripped != url
    if params and any(k.lower() in _SESSION_NAMES and _SESSION_VALUE.fullmatch(v) for k, v in params):
        found = True
        head, _, query = stripped.partition("?")
        query, _, fragment = query.partition("#")
        kept = [p for p in query.split("&")
                if not (p.split("=", 1)[0].lower() in _SESSION_NAMES
                        and _SESSION_VALUE.fullmatch(p.split("=", 1)[-1]))]
        stripped = head + ("?" + "&".join(kept) if kept else "")
    return stripped if found else None
