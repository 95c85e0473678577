"""Site-level technical marks: HTTPS (+ redirect, certificate, HSTS), IPv6, robots.txt, sitemap.xml,
and a real 404 for a path that cannot exist. All requests go through the audit's fetcher.

Certificate validity is what the fetcher's TLS verification says: with `verify_tls` on, a
handshake failure ("tls") means an invalid certificate (expired, self-signed, wrong name). With
verification off the certificate cannot be judged, and the result says so (None, not a pass).
IPv6 asks a resolver for AAAA records. The resolver is injectable (constructor argument or
the option `ipv6_resolver = "module:function"`) so tests never leave loopback.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import ipaddress
import re
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from govaudit.crawl.urls import host_of, origin_of
from govaudit.errors import UsageError
from govaudit.model import FetchResult

Resolver = Callable[[str], Awaitable[list[str]] | list[str]]
_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.I)
_CERT_PROBLEM = re.compile(r"certificate|hostname|self.signed|unknown ca|expired", re.I)
_SITEMAP_NOTE = re.compile(r"^sitemap: (\d+) URLs offered as seeds")
SMALL = 64 * 1024
# Fetch outcomes that mean the probe was never (fully) made: nothing was looked at, so nothing is
# judged — the verdict is "not judged" with the reason, never a missing file or a failed rule.
NOT_ASKED = frozenset({"budget"})


def not_asked(res: FetchResult) -> str:
    """Why a probe could not look ("" when it did)."""
    if res.error not in NOT_ASKED:
        return ""
    return f"not asked: {res.error_detail or 'the audit time budget ran out'}"


@dataclass(slots=True)
class HttpsVerdict:
    available: bool  # an HTTPS request got an HTTP answer
    redirects: bool | None  # http:// ends on https:// (None: could not be asked)
    cert_valid: bool | None  # None: TLS verification is off, or there is no HTTPS
    hsts: bool  # Strict-Transport-Security with max-age > 0 on the HTTPS answer
    hsts_header: str = ""
    https_url: str = ""
    http_url: str = ""
    error: str = ""  # why HTTPS failed, if it did
    judged: bool = True  # False: the probe was never made (the budget ran out); `error` says so


@dataclass(slots=True)
class FileVerdict:
    present: bool
    url: str
    status: int | str | None
    detail: str = ""
    judged: bool = True  # False: the probe was never made (the budget ran out); `detail` says so


@dataclass(slots=True)
class Ipv6Verdict:
    host: str
    addresses: list[str] = field(default_factory=list)
    error: str = ""
    judged: bool = True  # False: there was no name to look up (an IPv4 address, localhost)

    @property
    def supported(self) -> bool:
        return bool(self.addresses)


def with_scheme(url: str, scheme: str) -> str:
    """`url`'s origin under another scheme (a non-default port is kept: tests run both on one port)."""
    origin = origin_of(url)
    rest = origin.split("://", 1)[1] if "://" in origin else origin
    return f"{scheme}://{rest}/"


async def judge_https(start_url: str, fetcher: Any, verify: bool) -> HttpsVerdict:
    https_url = with_scheme(start_url, "https")
    http_url = with_scheme(start_url, "http")
    secure: FetchResult = await fetcher.fetch(https_url, robots=False, max_bytes=SMALL)
    if not_asked(secure):
        return HttpsVerdict(False, None, None, False, "", https_url, http_url, not_asked(secure), judged=False)
    bad_cert = secure.error == "tls" and bool(_CERT_PROBLEM.search(secure.error_detail))
    # A TLS server with a bad certificate still offers HTTPS; "wrong version number" means no TLS at all.
    available = bad_cert or (secure.status is not None and secure.error in (None, "redirect-loop",
                                                                            "too-many-redirects"))
    cert_valid: bool | None = None
    if bad_cert:
        cert_valid = False
    elif available and verify:
        cert_valid = True
    hsts_header = secure.headers.get("strict-transport-security", "") if secure.status else ""
    m = _MAX_AGE.search(hsts_header)
    hsts = bool(m and int(m.group(1)) > 0 and secure.final_url.startswith("https://"))
    plain: FetchResult = await fetcher.fetch(http_url, robots=False, max_bytes=SMALL)
    if plain.redirects:
        redirects: bool | None = plain.final_url.startswith("https://") or any(
            h.location.lower().startswith("https://") for h in plain.redirects)
    elif plain.status is not None:
        redirects = False
    else:
        redirects = None
    if secure.error:
        error = f"{secure.error}: {secure.error_detail}"
    else:
        error = "" if available else f"HTTP {secure.status}"
    return HttpsVerdict(available, redirects, cert_valid, hsts, hsts_header, https_url, http_url, error[:300])


def crawl_robots(fetcher: Any, origin: str) -> bool:
    """Whether the crawl already read a real robots.txt for `origin` (one with a valid directive;
    an HTML page parsed as robots.txt has none), from the fetcher's per-origin robots cache."""
    cache = getattr(fetcher, "_robots", None)
    fut = cache.get(origin) if isinstance(cache, dict) else None
    if fut is None or not fut.done() or fut.cancelled() or fut.exception() is not None:
        return False
    rules = fut.result()
    return rules is not None and int(getattr(rules, "_valid_directive_seen", 0) or 0) > 0


def crawl_sitemap_urls(notes: list[str]) -> int:
    """URLs the crawl read from the site's sitemaps (its "sitemap: N URLs offered as seeds" note)."""
    for note in notes:
        m = _SITEMAP_NOTE.match(note)
        if m:
            return int(m.group(1))
    return 0


async def judge_robots(start_url: str, fetcher: Any) -> FileVerdict:
    url = origin_of(start_url) + "/robots.txt"
    if crawl_robots(fetcher, origin_of(start_url)):
        return FileVerdict(True, url, 200, "read by the crawl")
    res: FetchResult = await fetcher.fetch(url, robots=False, max_bytes=SMALL)
    if not_asked(res):
        return FileVerdict(False, url, res.error, not_asked(res), judged=False)
    body = (res.body or b"")[:SMALL].decode("utf-8", "replace").lstrip().lower()
    if res.status != 200:
        return FileVerdict(False, url, res.outcome, "robots.txt is not served")
    if res.content_type in ("text/html", "application/xhtml+xml") or body.startswith("<"):
        return FileVerdict(False, url, res.status, "answers with an HTML page, not a robots.txt")
    return FileVerdict(True, url, res.status)


async def judge_sitemap(start_url: str, fetcher: Any, crawl_notes: list[str] | None = None) -> FileVerdict:
    """The sitemap that robots.txt names, else /sitemap.xml; present when it is a sitemap document.
    When the crawl already read URLs from the site's sitemaps (`crawl_notes`), that is the answer."""
    origin = origin_of(start_url)
    named = list(getattr(fetcher, "sitemaps", {}).get(origin, []))
    candidates = named[:3] + [origin + "/sitemap.xml"]
    seeded = crawl_sitemap_urls(crawl_notes or [])
    if seeded:
        return FileVerdict(True, candidates[0], 200, f"read by the crawl ({seeded} URLs)"
                           + (", named in robots.txt" if named else ""))
    last = FileVerdict(False, candidates[-1], None, "no sitemap")
    for url in dict.fromkeys(candidates):
        res: FetchResult = await fetcher.fetch(url, robots=False, max_bytes=SMALL)
        if not_asked(res):
            return FileVerdict(False, url, res.error, not_asked(res), judged=False)
        head = (res.body or b"")[:SMALL].lstrip()
        if res.status == 200 and (b"<urlset" in head or b"<sitemapindex" in head or head.startswith(b"\x1f\x8b")):
            return FileVerdict(True, url, res.status, "named in robots.txt" if url in named else "")
        if res.status == 200 and url.endswith(".txt") and head.startswith((b"http://", b"https://")):
            return FileVerdict(True, url, res.status, "text sitemap")
        detail = "not a sitemap document" if res.status == 200 else "not served"
        last = FileVerdict(False, url, res.outcome, detail)
    return last


async def judge_missing_page(start_url: str, fetcher: Any) -> FileVerdict:
    """A path that cannot exist must answer 404 (or 410), not 200 or a redirect to the home page."""
    url = f"{origin_of(start_url)}/govaudit-no-such-page-{secrets.token_hex(6)}.html"
    res: FetchResult = await fetcher.fetch(url, robots=False, max_bytes=SMALL)
    if not_asked(res):
        return FileVerdict(False, url, res.error, not_asked(res), judged=False)
    ok = res.status in (404, 410) and not res.redirects
    detail = ""
    if res.redirects:
        detail = f"redirects to {res.final_url}"
    elif not ok:
        detail = f"answers {res.outcome}"
    return FileVerdict(ok, url, res.outcome, detail)


async def system_aaaa(host: str) -> list[str]:
    """AAAA addresses of `host` from the system resolver; an IP literal answers for itself."""
    bare = host.strip("[]")
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        pass
    else:
        return [str(ip)] if ip.version == 6 else []
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(bare, None, family=socket.AF_INET6, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def load_resolver(spec: Any) -> Resolver:
    """The option `ipv6_resolver`: a callable, or "module:function" naming one."""
    if callable(spec):
        return spec
    if not isinstance(spec, str) or ":" not in spec:
        raise UsageError("checks.identity.ipv6_resolver must be 'module:function'")
    module, _, name = spec.partition(":")
    try:
        func = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"checks.identity.ipv6_resolver {spec!r} cannot be loaded: {exc}") from None
    if not callable(func):
        raise UsageError(f"checks.identity.ipv6_resolver {spec!r} is not a function")
    return func


async def judge_ipv6(host: str, resolver: Resolver) -> Ipv6Verdict:
    try:
        answer = resolver(host)
        if inspect.isawaitable(answer):
            answer = await answer
        addresses = sorted({str(a) for a in answer or []})
    except Exception as exc:  # noqa: BLE001 - a broken resolver is a result, not a crash
        return Ipv6Verdict(host, [], f"{type(exc).__name__}: {exc}"[:200])
    valid = []
    for a in addresses:
        try:
            if ipaddress.ip_address(a.strip("[]")).version == 6:
                valid.append(a)
        except ValueError:
            continue
    return Ipv6Verdict(host, valid)


def host_for_ipv6(start_url: str, option: str = "") -> str:
    return option.strip() or host_of(start_url)
