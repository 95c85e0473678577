"""The data that moves between the pipeline's stages: crawl -> check -> score -> report.

Plain dataclasses only. Stages talk through these types, never through each other's internals,
so a stored run can be re-scored or re-rendered without crawling again.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Error words used for a fetch that produced no usable HTTP status. The first seven are the
# report contract's link-status words; the rest are crawl-side details.
ERROR_WORDS = (
    "timeout",
    "dns",
    "refused",
    "tls",
    "redirect-loop",
    "too-many-redirects",
    "soft-404",
    "reset",  # connection dropped mid-response
    "protocol",  # malformed HTTP
    "invalid-url",  # could not be parsed / unsupported
    "robots",  # disallowed by robots.txt, never fetched
    "blocked",  # an anti-bot challenge answered instead of content
    "retry-after",  # the server asked us to wait longer than the cap allows
    "budget",  # the audit's time budget ran out before this request
    "error",  # anything else
)

LINK_ELEMENTS = (
    "a", "area", "img", "script", "link", "iframe", "frame", "form",
    "embed", "object", "video", "audio", "source", "track", "meta", "input",
)


# What a link-bearing element is, in a message: "image …", "stylesheet or resource …", never
# "link link to …" (the links check's findings and the reports' older stored messages).
ELEMENT_NOUNS = {
    "a": "link to", "area": "image-map link to", "img": "image", "script": "script",
    "link": "stylesheet or resource", "iframe": "frame", "frame": "frame", "form": "form action",
    "embed": "embedded object", "object": "embedded object", "video": "video", "audio": "audio",
    "source": "media source", "track": "subtitle track", "input": "image button", "meta": "meta refresh to",
}


def element_noun(element: str) -> str:
    return ELEMENT_NOUNS.get(element, f"<{element}> link to")


@dataclass(slots=True)
class Link:
    """One link found in a page.

    `url` is absolute and normalised with the fragment dropped (for http/https links); for other
    kinds it is the raw value. `kind` says how the link checker should treat it.
    """

    url: str
    raw: str
    element: str  # one of LINK_ELEMENTS
    attr: str  # href | src | srcset | data | content | action | poster | codebase
    text: str = ""  # anchor text, or alt/title for images
    kind: str = "http"  # http | placeholder | mailto | tel | data | other | invalid
    fragment: str = ""  # the #fragment as written, for anchor rules


@dataclass(slots=True)
class Hop:
    """One step of a redirect chain."""

    url: str
    status: int
    location: str


@dataclass(slots=True)
class FetchResult:
    """What one request (with its redirects and retries) produced."""

    url: str  # normalised URL asked for
    final_url: str
    method: str = "GET"
    status: int | None = None  # final HTTP status; None when `error` is set and no response came
    error: str | None = None  # one of ERROR_WORDS, or None
    error_detail: str = ""
    redirects: list[Hop] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # final response, lower-case keys
    content_type: str = ""  # media type only, lower-case, e.g. "text/html"
    elapsed_ms: float = 0.0  # the requests' own time, redirects included; queueing and pacing are not
    body: bytes | None = None  # decompressed, at most the size cap (None for HEAD)
    truncated: bool = False  # body hit the size cap
    attempts: int = 1
    retry_after: float | None = None  # seconds the server last asked for, if it did

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400

    @property
    def outcome(self) -> int | str:
        """The HTTP status, or the error word: what a link finding's `status` carries."""
        return self.error if self.error else (self.status if self.status is not None else "error")


@dataclass(slots=True)
class Page:
    """A crawled URL. Decoded HTML is kept zlib-compressed so a 20k-page crawl stays small."""

    url: str  # normalised URL that was requested
    final_url: str
    depth: int
    status: int | None
    error: str | None = None
    error_detail: str = ""
    redirects: list[Hop] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = ""
    elapsed_ms: float = 0.0
    size: int = 0
    truncated: bool = False
    encoding: str | None = None
    title: str = ""
    is_html: bool = False
    links: list[Link] = field(default_factory=list)
    text_z: bytes = b""  # zlib-compressed UTF-8 of the decoded document
    fetched_at: str = ""  # ISO timestamp

    @property
    def text(self) -> str:
        return zlib.decompress(self.text_z).decode("utf-8") if self.text_z else ""

    def set_text(self, text: str) -> None:
        self.text_z = zlib.compress(text.encode("utf-8", "surrogatepass"), 6) if text else b""

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400


@dataclass(slots=True)
class CrawlStats:
    pages: int = 0  # pages fetched (any status)
    requests: int = 0  # HTTP requests sent, redirects, retries and robots included
    duration_s: float = 0.0
    skipped_robots: int = 0
    skipped_scope: int = 0
    skipped_traps: int = 0
    errors: int = 0  # pages whose fetch failed (error word) or answered >= 500
    budget_exhausted: bool = False  # max pages or the time budget stopped the crawl
    frontier: int = 0  # pages fetched or waiting to be (the progress bar's total while crawling)
    notes: list[str] = field(default_factory=list)
    # URLs found but not fetched, by reason (max_depth, max_pages, budget, trap, shape_bound, robots)
    cut: dict[str, int] = field(default_factory=dict)
    traps: list[dict[str, Any]] = field(default_factory=list)  # one entry per trap shape (kind, shape, urls...)


@dataclass(slots=True)
class SiteSnapshot:
    """The crawl's output: every page fetched, and where every link was seen."""

    start_url: str
    home_url: str  # final URL of the start page, after redirects
    pages: dict[str, Page] = field(default_factory=dict)  # by normalised requested URL
    stats: CrawlStats = field(default_factory=CrawlStats)
    robots_disallowed: list[str] = field(default_factory=list)
    started_at: str = ""

    @property
    def home(self) -> Page | None:
        return self.pages.get(self.start_url)

    @property
    def title(self) -> str:
        home = self.home
        return home.title if home else ""

    def page(self, url: str) -> Page | None:
        """A crawled page by requested URL, or by its final URL after redirects."""
        found = self.pages.get(url)
        if found is not None:
            return found
        for p in self.pages.values():
            if p.final_url == url:
                return p
        return None

    def link_sources(self) -> dict[str, list[tuple[str, Link]]]:
        """For each link target URL, the (page URL, link) pairs it appears on, in crawl order."""
        out: dict[str, list[tuple[str, Link]]] = {}
        for page in self.pages.values():
            for link in page.links:
                out.setdefault(link.url, []).append((page.url, link))
        return out


# ---- check stage ----------------------------------------------------------------------------

SEVERITIES = ("error", "warning", "info")


@dataclass(slots=True)
class Finding:
    """One problem, always tied to the page it was seen on and a rule id stable across versions."""

    rule: str
    page: str
    message: str
    severity: str = "error"
    target: str | None = None
    status: int | str | None = None
    element: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    id: str = ""  # "f-N", assigned by the runner so ids are unique across the whole report


@dataclass(slots=True)
class CheckResult:
    status: str = "ok"  # ok | error | skipped
    error: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # the check's own report keys (columns, boards...)
    duration_s: float = 0.0
    # metric name (or "findings") -> why the check read less than that metric needs, with numbers:
    # an indicator on it cannot pass (scoring makes it partial)
    partial: dict[str, str] = field(default_factory=dict)


# ---- score stage ----------------------------------------------------------------------------


@dataclass(slots=True)
class IndicatorResult:
    id: str
    title: str
    kind: str  # veto | deduct | bonus | info
    result: str  # pass | fail | partial (passed on a cut crawl) | not_applicable | error
    points: float = 0.0  # negative for deductions, positive for bonus
    detail: str = ""
    findings: list[str] = field(default_factory=list)
    source: dict[str, str] = field(default_factory=dict)
    verified: str = ""  # V | V2 | unverified
    group: str = ""
    note: str = ""  # the profile's note: why a number is our choice (every unverified indicator has one)


@dataclass(slots=True)
class Score:
    value: float
    max: float
    grade: str
    vetoes: list[str] = field(default_factory=list)
    deduction_score: float | None = None
    bonus: float = 0.0
    passed: bool = True
    complete: bool = True  # False when the audit's coverage was cut (govaudit.coverage)
    incomplete: list[str] = field(default_factory=list)  # the cuts, in words


@dataclass(slots=True)
class ScoredResult:
    profile_id: str
    profile_title: str
    score: Score
    indicators: list[IndicatorResult]


@dataclass(slots=True)
class AuditResult:
    """Everything one audit produced; the JSON report is a rendering of this."""

    run_id: str
    site_url: str
    site_title: str
    as_of: date
    started_at: str
    finished_at: str
    crawl: CrawlStats
    checks: dict[str, CheckResult]
    scored: ScoredResult
    tool_version: str
    options: dict[str, Any] = field(default_factory=dict)
