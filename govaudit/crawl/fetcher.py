"""The one HTTP client of an audit: politeness, robots.txt, retries, redirects, limits.

Everything that touches the network during an audit (the crawl, link checks, checks' extra requests)
goes through a `Fetcher`, so per-host concurrency, the delay between requests to one host, robots
rules, Retry-After and the audit's time budget hold for all of it.

Bodies are streamed and decompressed by us (gzip/deflate) with `max_length`, so a huge, endless or
gzip-bomb body stops at the cap instead of filling memory. Each request runs under a wall-clock
deadline, so a server that trickles one byte a second cannot hold the audit.

A GET answered by a JS cookie challenge is passed in the browser when the audit has one (the
`solver` hook, see govaudit.crawl.clearance): the browser's cookies go into this client's cookie
jar, its User-Agent is sent to that origin from then on, and the URL is asked again.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from sys import intern
from urllib.parse import urlsplit

import aiohttp
from protego import Protego
from yarl import URL

from govaudit.config import CrawlConfig
from govaudit.crawl.antibot import challenge
from govaudit.crawl.charset import media_type
from govaudit.crawl.clearance import ChallengePasses, Clearance, Solver, morsels
from govaudit.crawl.resolver import HostResolver, is_ip
from govaudit.crawl.urls import normalize_url, origin_of
from govaudit.model import FetchResult, Hop

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# HEAD answers that say "ask me with GET" rather than "the target is gone"; 412 and 521 are what
# anti-bot walls (瑞数, 加速乐) answer a HEAD they do not like.
HEAD_UNRELIABLE = frozenset({400, 403, 405, 406, 409, 412, 500, 501, 503, 521, 999})
# Targets checked with HEAD first: files whose body the audit does not need.
FILE_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx wps et dps odt ods odp rtf txt csv zip rar 7z gz tgz bz2 xz tar "
    "jpg jpeg png gif bmp webp svg ico tif tiff mp3 mp4 avi wmv flv mov webm ogg wav m4a "
    "css js json xml woff woff2 ttf eot otf exe apk dmg msi iso ceb caj swf".split()
)
CHECK_RESERVE_SHARE = 0.15  # of the time budget, kept from the crawl for the checks
CHECK_RESERVE_MAX = 300.0  # seconds
CHECK_GET_BYTES = 256 * 1024  # enough to read a soft-404 page's title and headings
FILE_GET_BYTES = 2048  # a GET fallback for a file reads only its first bytes


def has_file_extension(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0]
    last = path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in FILE_EXTENSIONS


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def classify_error(exc: BaseException) -> tuple[str, str]:
    """Map a transport exception to an error word and a short detail."""
    detail = f"{type(exc).__name__}: {exc}".strip()[:300]
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout", detail
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "dns", detail
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError | ssl.SSLError
                  | ssl.CertificateError):
        return "tls", detail  # before ValueError: a certificate error is one
    if isinstance(exc, aiohttp.InvalidURL | UnicodeError) or (
            isinstance(exc, ValueError) and not isinstance(exc, aiohttp.ClientError)):
        return "invalid-url", detail
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    for e in chain:
        if isinstance(e, ssl.SSLError | ssl.CertificateError):
            return "tls", detail
        if isinstance(e, ConnectionRefusedError) or (isinstance(e, OSError) and e.errno == errno.ECONNREFUSED):
            return "refused", detail
    text = " ".join(str(e) for e in chain).lower()
    if any(s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo",
                               "no address associated", "temporary failure in name resolution",
                               "name resolution", "gaierror", "label empty or too long")):
        return "dns", detail
    if isinstance(exc, aiohttp.ClientConnectorError):
        # Could not connect for another reason (unreachable network or host): nothing was answered.
        return ("tls" if any(s in text for s in ("certificate", "ssl", "handshake")) else "refused"), detail
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError | ConnectionResetError):
        return "reset", detail  # the peer hung up before or during the answer
    if isinstance(exc, aiohttp.ClientResponseError):
        return "protocol", detail  # the peer answered something that is not HTTP (bad status line, headers)
    if isinstance(exc, aiohttp.ClientOSError):
        return "reset", detail
    if isinstance(exc, aiohttp.ClientError):
        return "protocol", detail
    return "error", detail


@dataclass(slots=True)
class _Raw:
    """One HTTP exchange, before redirect handling."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    truncated: bool = False
    error: str | None = None
    detail: str = ""
    elapsed_ms: float = 0.0
    parts: list[bytes] = field(default_factory=list)  # body read so far (kept if the deadline hits)
    cut: str | None = None  # error word when the body stopped early (stall, reset), not at the cap
    learned: bool = False  # answered from a failure learned for the host; nothing was sent


class _HostGate:
    """Per-host concurrency and minimum spacing between request starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.sem = asyncio.Semaphore(max(1, concurrency))
        self.delay = delay
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def wait_turn(self) -> None:
        async with self._lock:
            now = time.monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = time.monotonic()
            self._next = now + self.delay

    def push_back(self, seconds: float) -> None:
        """The host asked us to wait (Retry-After): nobody starts a request to it before then."""
        self._next = max(self._next, time.monotonic() + seconds)


class _Decoder:
    """Incremental gzip/deflate with an output bound: a gzip bomb stops at the cap."""

    def __init__(self, encoding: str) -> None:
        enc = encoding.lower().strip()
        self.identity = enc in ("", "identity")
        self.unsupported = not self.identity and enc not in ("gzip", "x-gzip", "deflate")
        wbits = 16 + zlib.MAX_WBITS if enc in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._z = None if self.identity or self.unsupported else zlib.decompressobj(wbits)
        self._deflate = enc == "deflate"
        self._first = True

    def feed(self, data: bytes, room: int) -> tuple[bytes, bool]:
        """Decoded bytes (at most `room`) and whether output was cut short."""
        if self._z is None:
            return data[:room], len(data) > room
        try:
            out = self._z.decompress(data, room)
        except zlib.error:
            if self._deflate and self._first:  # some servers send raw deflate without a zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self.feed(data, room)
            raise
        self._first = False
        return out, bool(self._z.unconsumed_tail)


# A request-rate limit shared beyond one audit (a survey's per-IP rate): awaited with the URL and
# the address its host resolved to, right before the request is sent.
Pace = Callable[[str, str], Awaitable[None]]


class Fetcher:
    """Async HTTP for one audit. Use as `async with Fetcher(cfg) as f: await f.fetch(url)`."""

    def __init__(self, config: CrawlConfig, pace: Pace | None = None) -> None:
        self.cfg = config
        self.pace = pace
        self.paced_s = 0.0  # seconds requests waited for `pace` (never counted as their own time)
        self._client: aiohttp.ClientSession | None = None
        # own lookup timeout, longer than a request's: glibc waits 5 s per dropped query, then asks again
        self._resolver = HostResolver(timeout=max(30.0, config.timeout))
        self._global = asyncio.Semaphore(max(1, config.concurrency))
        self._hosts: dict[str, _HostGate] = {}
        self._robots: dict[str, asyncio.Future[Protego | None]] = {}
        self._checks: dict[str, asyncio.Future[FetchResult]] = {}
        self.deadline = time.monotonic() + config.budget
        # The crawl stops short of the budget's end: the link check of what it found (the home
        # page's links first) always has this share left, never the last 3 seconds.
        self.crawl_deadline = self.deadline - min(CHECK_RESERVE_MAX, config.budget * CHECK_RESERVE_SHARE)
        self.requests = 0
        self.robots_skipped: list[str] = []
        self.notes: list[str] = []
        self.sitemaps: dict[str, list[str]] = {}  # origin -> Sitemap: lines of its robots.txt
        # Failures that belong to a host, not to a URL: learned once, then every other URL of the
        # host gets the same word at once (a dead outside host linked 1,000 times costs one lookup).
        self._host_failures: dict[str, tuple[str, str]] = {}
        self.learned = 0  # answers given from a learned host failure, no request sent
        # Challenge pass-through: set by govaudit.browser.open_renderer when the audit has a browser.
        self.solver: Solver | None = None
        # Which URLs' challenges are passed (the crawler sets it to the audited site's hosts: another
        # site's challenged link target stays `blocked`, it never costs a browser pass). None: all.
        self.solve_for: Callable[[str], bool] | None = None
        self.passes = ChallengePasses(config.timeout, self.notes)
        self._agents: dict[str, str] = {}  # origin -> the User-Agent its challenge cookies belong to

    async def __aenter__(self) -> Fetcher:
        # aiohttp, not httpx: on this project's machine one pooled httpx client made ~400 requests a
        # second at 2.5 ms CPU each, aiohttp ~10,000 at 0.1 ms (README, "Why aiohttp").
        # verify_tls may be an SSLContext (a private CA); True means the system's trust store.
        tls = self.cfg.verify_tls
        verify: ssl.SSLContext | bool = tls if isinstance(tls, ssl.SSLContext) else (
            ssl.create_default_context() if tls else False)
        connector = aiohttp.TCPConnector(
            limit=self.cfg.concurrency * 2,  # above the global semaphore: no request queues in here
            limit_per_host=0,  # per-host limits are the host gates' job
            ssl=verify,
            resolver=self._resolver,  # one lookup per host and audit, answers and failures cached
            use_dns_cache=False,  # the resolver is the cache
            family=0,
        )
        self._client = aiohttp.ClientSession(
            connector=connector,
            # our own asyncio deadline bounds each request; aiohttp's default 300 s must not apply
            timeout=aiohttp.ClientTimeout(total=None, connect=None, sock_read=None, sock_connect=None),
            trust_env=False,  # an audit's traffic must not silently go through a proxy
            auto_decompress=False,  # bodies are decoded by _Decoder, with the size bound
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # sites on IP addresses keep their cookies too
            skip_auto_headers=("Accept-Encoding",),
            max_line_size=64 * 1024,
            max_field_size=64 * 1024,
            headers={
                "User-Agent": self.cfg.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
            },
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
        await self._resolver.close()  # the connector closes only a resolver it made itself

    # -- public -------------------------------------------------------------------------------

    @property
    def out_of_time(self) -> bool:
        return time.monotonic() >= self.deadline

    @property
    def crawl_out_of_time(self) -> bool:
        """The crawl's share of the budget is spent (the rest is the checks')."""
        return time.monotonic() >= self.crawl_deadline

    async def fetch(self, url: str, *, method: str = "GET", max_bytes: int | None = None,
                    robots: bool = True, html_only: bool = False) -> FetchResult:
        """Fetch `url`, following redirects ourselves so the chain is recorded.

        `html_only`: when the final response is not HTML, read only its first bytes. A GET that a
        challenge answers is passed in the browser (when there is a solver) and asked again.
        """
        since = time.monotonic()
        res = await self._fetch(url, method, max_bytes, robots, html_only)
        for _ in range(3):  # another request's fresh cookies, or passes of our own (bounded per origin)
            if res.error != "blocked" or self.solver is None or method != "GET" or (
                    self.solve_for is not None and not self.solve_for(res.final_url)):
                break
            verdict = await self.passes.attempt(res.final_url, res.error_detail or "an anti-bot challenge", since,
                                                self.solver, self.deadline - time.monotonic(), self.adopt)
            if verdict == "no":
                break
            since = time.monotonic()
            again = await self._fetch(url, method, max_bytes, robots, html_only)
            again.attempts += res.attempts
            res = again
        return res

    def challenge_failure(self, url: str) -> str | None:
        """Why a challenge at `url`'s origin was not passed in the browser (one line), if it was not:
        for the error line of an audit whose start page stays blocked."""
        return self.passes.failed.get(origin_of(url))

    def adopt(self, clearance: Clearance) -> None:
        """Carry a browser's clearance into this client: its cookies into the cookie jar (with their
        domain, path and expiry), its User-Agent for the origin's requests from now on."""
        assert self._client is not None, "Fetcher used outside 'async with'"
        base = URL(clearance.url)
        origin = origin_of(clearance.url)
        if clearance.user_agent:
            self._agents[origin] = clearance.user_agent
        home = base.with_path("/").with_query(None).with_fragment(None)
        for morsel in morsels(clearance):
            self._client.cookie_jar.update_cookies({morsel.key: morsel}, response_url=home)

    async def _fetch(self, url: str, method: str, max_bytes: int | None, robots: bool,
                     html_only: bool) -> FetchResult:
        cap = self.cfg.max_bytes if max_bytes is None else max_bytes
        norm = normalize_url(url)
        if norm is None:
            return FetchResult(url=url, final_url=url, method=method, error="invalid-url",
                               error_detail="not an http(s) URL that can be parsed")
        result = FetchResult(url=norm, final_url=norm, method=method)
        current = norm
        seen = {norm}
        attempts = 0
        spent_ms = 0.0  # the exchanges' own time: queueing, pacing and backoff are not the site's
        while True:
            if robots and self.cfg.obey_robots and not await self.allowed(current):
                self.robots_skipped.append(current)
                result.error, result.error_detail = "robots", "disallowed by robots.txt"
                break
            raw, tries, retry_after = await self._with_retries(method, current, cap, html_only)
            attempts += tries
            spent_ms += raw.elapsed_ms
            result.retry_after = retry_after if retry_after is not None else result.retry_after
            result.final_url = current
            if raw.error is not None:
                result.error, result.error_detail = raw.error, raw.detail
                result.status, result.headers = raw.status, raw.headers  # e.g. a 503 whose wait was too long
                break
            location = raw.headers.get("location")
            if raw.status in REDIRECT_STATUSES and location:
                target = normalize_url(location, current)
                result.redirects.append(Hop(url=current, status=raw.status or 0, location=location))
                if target is None:
                    result.status, result.headers = raw.status, raw.headers
                    result.error, result.error_detail = "invalid-url", f"bad redirect Location {location[:200]!r}"
                    break
                if target in seen:
                    result.status, result.headers = raw.status, raw.headers
                    result.error, result.error_detail = "redirect-loop", f"back to {target}"
                    break
                if len(result.redirects) > self.cfg.max_redirects:
                    result.status, result.headers = raw.status, raw.headers
                    result.error = "too-many-redirects"
                    result.error_detail = f"more than {self.cfg.max_redirects} redirects"
                    break
                seen.add(target)
                current = target
                if raw.status == 303 and method != "HEAD":
                    method = "GET"
                continue
            result.status, result.headers, result.body = raw.status, raw.headers, raw.body
            result.truncated = raw.truncated
            result.content_type = media_type(raw.headers.get("content-type"))
            if raw.cut is not None:
                # A body that stalled or was reset is a failed fetch (a browser shows an error or
                # half a page), though what came is kept: error word, status and partial body.
                result.error, result.error_detail = raw.cut, raw.detail
            elif (wall := challenge(raw.status, raw.headers, raw.body)) is not None:
                # A firewall answered instead of the site: not the page, and not a dead link.
                result.error, result.error_detail = "blocked", wall
            break
        result.attempts = max(attempts, 1)
        result.elapsed_ms = round(spent_ms, 1)
        return result

    async def check(self, url: str) -> FetchResult:
        """Link-check a target once per audit (results are shared by every page linking it).

        Files are asked with HEAD first and fall back to a GET that reads only the first bytes when
        HEAD is refused or unreliable; other targets get a bounded GET so soft-404s can be seen.
        """
        fut = self._checks.get(url)
        if fut is not None:
            return await asyncio.shield(fut)
        fut = asyncio.get_running_loop().create_future()
        self._checks[url] = fut
        try:
            res = await self._check(url)
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved: waiters re-raise it themselves
            del self._checks[url]
            raise
        fut.set_result(res)
        return res

    def remember(self, result: FetchResult) -> None:
        """Seed the check cache with a response the crawl already has (pages are not fetched twice)."""
        if result.url not in self._checks:
            fut = asyncio.get_running_loop().create_future()
            fut.set_result(result)
            self._checks[result.url] = fut

    async def allowed(self, url: str) -> bool:
        """robots.txt verdict for our User-Agent (robots.txt fetched once per origin)."""
        rules = await self._robots_for(origin_of(url))
        if rules is None:
            return True
        try:
            return bool(rules.can_fetch(url, self.cfg.user_agent))
        except Exception:  # noqa: BLE001 - a malformed rule set must not stop the audit
            return True

    # -- internals ----------------------------------------------------------------------------

    async def _check(self, url: str) -> FetchResult:
        if has_file_extension(url):
            res = await self.fetch(url, method="HEAD", max_bytes=0)
            unreliable = (res.status in HEAD_UNRELIABLE) or res.error in ("reset", "protocol", "blocked")
            if not unreliable:
                return res
            get = await self.fetch(url, max_bytes=FILE_GET_BYTES)
            get.attempts += res.attempts
            return get
        return await self.fetch(url, max_bytes=CHECK_GET_BYTES, html_only=True)

    def _gate(self, url: str) -> _HostGate:
        origin = origin_of(url)
        gate = self._hosts.get(origin)
        if gate is None:
            gate = self._hosts[origin] = _HostGate(self.cfg.host_concurrency, self.cfg.delay)
        return gate

    async def _with_retries(self, method: str, url: str, cap: int,
                            html_only: bool) -> tuple[_Raw, int, float | None]:
        tries = 0
        retry_after: float | None = None
        while True:
            tries += 1
            raw = await self._exchange(method, url, cap, html_only)
            if raw.learned:
                return raw, tries, retry_after
            retryable = raw.status in RETRY_STATUSES or raw.error in ("refused", "reset")
            if not retryable or tries > self.cfg.retries:
                if raw.error == "refused":
                    self._learn(url, raw)  # refused on every try: the port is closed
                return raw, tries, retry_after
            wait = self.cfg.backoff * (2 ** (tries - 1))
            asked = parse_retry_after(raw.headers.get("retry-after")) if raw.status else None
            if asked is not None:
                retry_after = asked
                if asked > self.cfg.retry_after_cap:
                    self.notes.append(f"{url}: Retry-After {asked:.0f}s is over the "
                                      f"{self.cfg.retry_after_cap:.0f}s cap; not waited for")
                    raw.error, raw.detail = "retry-after", f"Retry-After {asked:.0f}s over the cap"
                    return raw, tries, retry_after
                wait = max(wait, asked)
                self._gate(url).push_back(asked)
            if time.monotonic() + wait >= self.deadline:
                return raw, tries, retry_after
            await asyncio.sleep(wait)

    async def _exchange(self, method: str, url: str, cap: int, html_only: bool) -> _Raw:
        if self.out_of_time:
            return _Raw(error="budget", detail="the audit's time budget ran out")
        assert self._client is not None, "Fetcher used outside 'async with'"
        known = self._known_failure(url)
        if known is not None:
            return known
        failed = await self._resolve(url)  # before the request's deadline starts: a slow resolver
        if failed is not None:  # is not a slow server
            return failed
        gate = self._gate(url)
        # The host's slot first, then the audit's: a request queued behind a busy host holds no
        # slot another host's request could use. The host's spacing and the shared pace come last,
        # right before the request goes out, so nothing after them bunches requests together.
        async with gate.sem, self._global:
            known = self._known_failure(url)  # learned while this request waited its turn
            if known is not None:
                return known
            await gate.wait_turn()
            if self.pace is not None:
                began = time.monotonic()
                await self.pace(url, await self._address(url))
                self.paced_s += time.monotonic() - began
            return await self._timed(method, url, cap, html_only)

    async def _timed(self, method: str, url: str, cap: int, html_only: bool) -> _Raw:
        """One request under its own deadline, which starts here: queueing and pacing are not its time."""
        start = time.monotonic()
        raw = _Raw()
        self.requests += 1
        remaining = self.deadline - start
        try:
            async with asyncio.timeout(min(self.cfg.timeout, max(remaining, 0.01))):
                await self._send(method, url, cap, html_only, raw)
        except Exception as exc:  # noqa: BLE001 - every transport failure becomes an error word
            word, detail = classify_error(exc)
            if word == "timeout" and remaining < self.cfg.timeout and self.out_of_time:
                # Cut by the audit's own budget, not by a slow server: not checked, not broken.
                word, detail = "budget", "the audit's time budget ran out during this request"
            if raw.status is not None and raw.body is not None:
                # Headers and part of the body came (then a stall or a reset): keep what we
                # have and mark it cut short, so nothing already read is lost.
                raw.truncated = True
                raw.cut, raw.detail = word, f"body cut short ({word}): {detail}"
            else:
                raw.error, raw.detail = word, detail
        if raw.body is not None:
            raw.body = b"".join(raw.parts)
            raw.parts = []
        raw.elapsed_ms = round((time.monotonic() - start) * 1000, 1)
        if raw.error in ("dns", "tls"):
            self._learn(url, raw)
        return raw

    @staticmethod
    def _name_and_port(url: str) -> tuple[str, int] | None:
        """The host name and port a URL's request looks up; None for an IP address or a bad port."""
        parts = urlsplit(url)
        host = parts.hostname
        if not host or is_ip(host):
            return None
        try:
            return host, parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return None  # the request itself will say the port is invalid

    async def _address(self, url: str) -> str:
        """The address the URL's host resolved to (the audit's cached lookup), or the host itself."""
        key = self._name_and_port(url)
        if key is None:
            return (urlsplit(url).hostname or "").strip("[]")
        try:
            return str((await self._resolver.lookup(key[0], key[1], 0))[0]["host"])
        except (OSError, IndexError, KeyError):
            return f"name:{key[0]}"

    async def _resolve(self, url: str) -> _Raw | None:
        """Look the URL's host name up (once per audit); a failure is learned for the name."""
        key = self._name_and_port(url)
        if key is None:
            return None
        host, port = key
        start = time.monotonic()
        try:
            await self._resolver.lookup(host, port, 0)
        except OSError as exc:
            raw = _Raw(error="dns", detail=f"{type(exc).__name__}: {exc}"[:300],
                       elapsed_ms=round((time.monotonic() - start) * 1000, 1))
            self._learn(url, raw)
            return raw
        return None

    @staticmethod
    def _failure_key(url: str, word: str) -> str:
        """A name has no address whatever the port; a closed port or a bad certificate is the origin's."""
        parts = urlsplit(url)
        return (parts.hostname or "") if word == "dns" else origin_of(url)

    def _learn(self, url: str, raw: _Raw) -> None:
        if raw.error is None:
            return
        key = self._failure_key(url, raw.error)
        if key and key not in self._host_failures:
            self._host_failures[key] = (raw.error, raw.detail)

    def _known_failure(self, url: str) -> _Raw | None:
        if not self._host_failures:
            return None
        for word in ("dns", "refused"):  # refused and tls share the origin key
            found = self._host_failures.get(self._failure_key(url, word))
            if found is not None:
                self.learned += 1
                host = urlsplit(url).hostname if found[0] == "dns" else origin_of(url)
                return _Raw(error=found[0], detail=f"{found[1]} (learned: {host} failed so earlier in this audit)",
                            learned=True)
        return None

    async def _send(self, method: str, url: str, cap: int, html_only: bool, raw: _Raw) -> None:
        assert self._client is not None
        # encoded=True: the URL goes out exactly as normalize_url wrote it (no requoting)
        agent = self._agents.get(origin_of(url)) if self._agents else None
        response = await self._client.request(method, URL(url, encoded=True), allow_redirects=False,
                                              headers={"User-Agent": agent} if agent else None)
        try:
            raw.status = response.status
            # Pages keep their headers as evidence; names and most values (Server, Content-Type,
            # Vary...) repeat on every response, so they are held once (18 MB on 12,000 pages).
            raw.headers = {intern(k.lower()): intern(v) for k, v in response.headers.items()}
            if method == "HEAD" or cap <= 0 or raw.status in REDIRECT_STATUSES:
                return
            limit = cap
            if html_only:
                mt = media_type(raw.headers.get("content-type"))
                if mt and mt not in ("text/html", "application/xhtml+xml", "text/plain"):
                    limit = min(cap, FILE_GET_BYTES)
            decoder = _Decoder(raw.headers.get("content-encoding", ""))
            if decoder.unsupported:
                raw.body = b""
                raw.detail = f"unsupported Content-Encoding {raw.headers.get('content-encoding')!r}"
                return
            size = 0
            raw.body = b""  # marks "a body was being read" for the timeout path
            async for chunk in response.content.iter_any():
                out, cut = decoder.feed(chunk, limit - size)
                raw.parts.append(out)
                size += len(out)
                if cut or size >= limit:
                    raw.truncated = True
                    return
        finally:
            # Back to the pool if the body was read to its end; closed otherwise (aiohttp never
            # drains an unread body, so a cut endless stream costs nothing more).
            response.release()

    async def _robots_for(self, origin: str) -> Protego | None:
        fut = self._robots.get(origin)
        if fut is None:
            fut = asyncio.get_running_loop().create_future()
            self._robots[origin] = fut
            try:
                fut.set_result(await self._load_robots(origin))
            except BaseException as exc:  # noqa: BLE001 - cancellation included; never leave waiters hanging
                fut.set_result(None)
                if isinstance(exc, asyncio.CancelledError):
                    raise
        return await asyncio.shield(fut)

    async def _load_robots(self, origin: str) -> Protego | None:
        res = await self.fetch(origin + "/robots.txt", robots=False, max_bytes=512 * 1024)
        if res.error or res.status is None:
            self.notes.append(f"{origin}/robots.txt unreachable ({res.error}); crawled as unrestricted")
            return None
        if res.status >= 500:
            # RFC 9309 would stop the crawl; an audit goes on but says so.
            self.notes.append(f"{origin}/robots.txt answered {res.status}; crawled as unrestricted")
            return None
        if res.status >= 400 or not res.body:
            return None
        if res.truncated:
            self.notes.append(f"{origin}/robots.txt read only in part (its first {len(res.body):,} bytes); "
                              "rules after that were not seen")
        try:
            rules = Protego.parse(res.body.decode("utf-8", "replace"))
        except Exception:  # noqa: BLE001
            self.notes.append(f"{origin}/robots.txt could not be parsed; crawled as unrestricted")
            return None
        try:
            self.sitemaps[origin] = list(rules.sitemaps)
            delay = rules.crawl_delay(self.cfg.user_agent)
        except Exception:  # noqa: BLE001
            delay = None
        if delay:
            # Honour Crawl-delay, but never let a site stretch one audit without bound.
            gate = self._gate(origin + "/")
            wanted = min(float(delay), 10.0)
            if wanted > gate.delay:
                self.notes.append(f"{origin}: robots.txt Crawl-delay {delay}s honoured (capped at 10s)")
                gate.delay = wanted
        return rules
