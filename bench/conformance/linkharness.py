"""Shared harness of the link-checker conformance scripts (linkchecker.py, lychee.py).

It serves a corpus folder as-is on 127.0.0.1 with the standard library's file server, runs
govaudit's own crawler and link check on one start page exactly as an audit does, and answers
"what did govaudit say about this link?" for the expected records the scripts compare against.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govaudit.checks.links import LinksCheck  # noqa: E402

from govaudit.checkapi import CheckContext  # noqa: E402
from govaudit.config import AuditConfig, loopback_fast  # noqa: E402
from govaudit.crawl.crawler import crawl  # noqa: E402
from govaudit.crawl.fetcher import Fetcher  # noqa: E402
from govaudit.crawl.urls import clean, normalize_url  # noqa: E402
from govaudit.model import CheckResult, Link, SiteSnapshot  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
AS_OF = date(2026, 1, 1)  # the link check does not read the date

# Our answer about one link, in the words the scripts compare:
ERROR = "error"  # a broken-link or invalid-url finding
VALID = "valid"  # extracted and not reported (for non-http kinds: recorded, never fetched)
ANCHOR = "anchor"  # the target is fine but its #fragment names no element (broken-anchor warning)
MISSING = "missing"  # govaudit never extracted this link


def corpus_dir(override: str | Path | None = None) -> Path:
    """The shared corpus, or a clear exit when it is not beside the checkout."""
    path = Path(override) if override else CORPUS
    if not path.is_dir():
        raise SystemExit(f"shared corpus not found at {path}: check out the project beside shared/")
    return path


# ---- the file server --------------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """The stdlib file server plus the few behaviours a conformance set's own server has."""

    server: _Server
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xhtml": "application/xhtml+xml",
                      ".md": "text/markdown", ".markdown": "text/markdown"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def guess_type(self, path: str | Any) -> str:
        suffix = Path(str(path)).suffix.lower()
        return self.server.types.get(suffix) or super().guess_type(path)

    def _special(self) -> bool:
        path = self.path
        if self.server.ignore_query:
            self.path = path = path.split("?", 1)[0]
        for marker, location in self.server.redirects:
            if marker in path:
                self.send_response(302)
                self.send_header("Location", location(path))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return True
        return False

    def do_GET(self) -> None:
        if not self._special():
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self._special():
            super().do_HEAD()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    ignore_query = False
    redirects: list[tuple[str, Any]] = []
    types: dict[str, str] = {}


class DirServer:
    """Serve `root` on 127.0.0.1 (a free port) for the length of a `with` block.

    `ignore_query`: answer /a?x like /a (linkchecker's test server does).
    `redirects`: (path substring, function path -> Location) pairs answered with a 302.
    `types`: media types by file suffix, over the stdlib's guesses.
    """

    def __init__(self, root: Path, *, ignore_query: bool = False,
                 redirects: Iterable[tuple[str, Any]] = (), types: dict[str, str] | None = None) -> None:
        self._srv = _Server(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
        self._srv.ignore_query = ignore_query
        self._srv.redirects = list(redirects)
        self._srv.types = dict(types or {})
        self._thread = threading.Thread(target=self._srv.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def port(self) -> int:
        return self._srv.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> DirServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._srv.shutdown()
        self._srv.server_close()


# ---- one govaudit run -------------------------------------------------------------------------


@dataclass(slots=True)
class LinkRun:
    """govaudit's crawl and link check of one start page, and lookups over what it found."""

    start_url: str
    snapshot: SiteSnapshot
    result: CheckResult
    all_pages: bool = False  # compare links of every crawled page, not only the start page's
    _broken: set[str] = field(default_factory=set)
    _anchors: set[tuple[str, str]] = field(default_factory=set)  # (target, fragment as written)

    def __post_init__(self) -> None:
        for f in self.result.findings:
            if f.rule in ("broken-link", "invalid-url") and f.target is not None:
                self._broken.add(f.target)
            elif f.rule == "broken-anchor" and f.target is not None:
                self._anchors.add((f.target, str(f.evidence.get("fragment", ""))))

    def links(self) -> list[Link]:
        """The links compared: the start page's (and, with all_pages, every crawled page's)."""
        pages = list(self.snapshot.pages.values()) if self.all_pages else [self.snapshot.home]
        out: list[Link] = []
        for page in pages:
            if page is not None:
                out.extend(page.links)
        return out

    def start_verdict(self) -> str:
        home = self.snapshot.home
        return VALID if home is not None and home.ok else ERROR

    def find(self, url: str | None, raw: str | None, fragment: str | None = None) -> Link | None:
        """The link an expected record names: by absolute URL (and fragment), else as written."""
        links = self.links()
        want_frag = unquote(fragment) if fragment is not None else None
        if url is not None:
            norm = normalize_url(url) if url.startswith(("http:", "https:")) else None
            if norm is not None:
                same = [lk for lk in links if lk.kind == "http" and lk.url == norm]
                if want_frag is not None:
                    same = [lk for lk in same if unquote(lk.fragment) == want_frag]
                if same:
                    return same[0]
        if raw is not None:
            written = clean(raw)
            for lk in links:
                if clean(lk.raw) == written:
                    return lk
            # Written differently from the link we kept for the same target (a page's duplicate
            # links are kept once): resolve it as a browser would and look again.
            home = self.snapshot.home
            resolved = normalize_url(written, home.final_url) if home is not None else None
            if resolved is not None and resolved != url:
                return self.find(resolved, None, fragment)
        return None

    def fragment_examined(self, link: Link) -> bool:
        """Whether the anchor rule looked at this link's #fragment (always true without one):
        its target page was read as HTML and the fragment is not a bare text directive."""
        if not link.fragment:
            return True
        if link.fragment.split(":~:", 1)[0] == "":
            return False
        page = self.snapshot.page(link.url)
        return page is not None and page.ok and page.is_html

    def verdict(self, link: Link | None) -> str:
        if link is None:
            return MISSING
        if link.url in self._broken:
            return ERROR
        if link.fragment and (link.url, link.fragment) in self._anchors:
            return ANCHOR
        return VALID


def run_links(start_url: str, *, max_depth: int = 1, anchors: bool = True, all_pages: bool = False,
              timeout: float = 3.0) -> LinkRun:
    """Crawl from `start_url` (bounded by `max_depth`) and run the link check, as an audit does.

    Loopback politeness is lifted; robots.txt is obeyed as in any audit (the corpus has none).
    """
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.max_depth = max_depth
    cfg.crawl.timeout = timeout
    cfg.crawl.retries = 0  # a refused port or a dead host gives the same verdict on every try
    cfg.crawl.use_sitemap = False
    cfg.crawl.auto_render = False

    async def go() -> LinkRun:
        async with Fetcher(cfg.crawl) as fetcher:
            snapshot = await crawl(start_url, cfg.crawl, fetcher)
            ctx = CheckContext(fetcher=fetcher, config=cfg, as_of=AS_OF, options={"anchors": anchors})
            result = await LinksCheck().run(snapshot, ctx)
        return LinkRun(start_url=snapshot.start_url, snapshot=snapshot, result=result, all_pages=all_pages)

    return asyncio.run(go())


class Tally:
    """The counts both conformance reports give over their `compared` verdicts (each with
    `.reproduced` and `.ours`); "offline" verdicts need the internet and count as neither."""

    __slots__ = ()
    compared: list[Any]

    @property
    def total(self) -> int:
        return len(self.compared)

    @property
    def reproduced(self) -> int:
        return sum(c.reproduced for c in self.compared)

    @property
    def offline(self) -> list[Any]:
        return [c for c in self.compared if c.ours == "offline"]

    @property
    def differences(self) -> list[Any]:
        return [c for c in self.compared if not c.reproduced and c.ours != "offline"]
