"""One live DemoServer, one crawl of it and one probe of every link target per test session."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from govaudit.demo import DemoServer, load_manifest
from tests.demo.walk import SitePage, is_soft_404, walk


@pytest.fixture(scope="session")
def manifest() -> dict:
    return load_manifest()


@pytest.fixture(scope="session")
def demo() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture(scope="session")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as c:
        yield c


@pytest.fixture(scope="session")
def sitemap_paths(demo: DemoServer, client: httpx.Client) -> list[str]:
    xml = client.get(demo.url_for("/sitemap.xml")).text
    base = demo.url.rstrip("/")
    locs = re.findall(r"<loc>(.*?)</loc>", xml)
    assert locs and all(loc.startswith(base + "/") for loc in locs)
    return [loc[len(base):] for loc in locs]


@pytest.fixture(scope="session")
def site(demo: DemoServer, client: httpx.Client, sitemap_paths: list[str], manifest: dict) -> dict[str, SitePage]:
    """Every page a complete, robots-respecting crawl reaches: links from the home page plus the sitemap."""
    never = tuple(r["rule"] for r in manifest["robots_disallowed"])
    return walk(client, demo.url, ["/", *sitemap_paths], never=never)


def _error_word(exc: httpx.ConnectError) -> str:
    chain: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and e not in chain:
        chain.append(e)
        e = e.__cause__ or e.__context__
    if any(isinstance(x, socket.gaierror) for x in chain) or "Name or service not known" in str(exc):
        return "dns"
    if any(isinstance(x, ConnectionRefusedError) for x in chain) or "Connection refused" in str(exc):
        return "refused"
    return f"connect-error: {exc}"


def probe(client: httpx.Client, base: str, target: str) -> int | str:
    """What a link checker should conclude about `target`: final status or an error word."""
    url = urljoin(base, target)
    host = urlsplit(url).hostname or ""
    # The demo must never make a test touch the internet: its partner sites are the same server
    # under its other loopback name.
    partner = host == "localhost" and urlsplit(url).port == urlsplit(base).port
    assert host == "127.0.0.1" or host.endswith(".invalid") or partner, f"non-local link target {url}"
    seen = {url}
    for _ in range(10):
        try:
            resp = client.get(url, follow_redirects=False)
        except httpx.ConnectError as exc:
            return _error_word(exc)
        if resp.is_redirect:
            url = urljoin(url, resp.headers["location"])
            if url in seen:
                return "redirect-loop"
            seen.add(url)
            continue
        return "soft-404" if is_soft_404(resp) else resp.status_code
    return "too-many-redirects"


@pytest.fixture(scope="session")
def partner_urls(demo: DemoServer, manifest: dict) -> dict[str, str]:
    """Partner pages (manifest target_path -> URL) as the portal links them when browsed as 127.0.0.1."""
    return {e["target_path"]: f"http://localhost:{demo.port}{e['target_path']}" for e in manifest["partner_links"]}


@pytest.fixture(scope="session")
def outside_prefixes(manifest: dict) -> tuple[str, ...]:
    return tuple(e["target"] for e in manifest["external_unreachable"])


@pytest.fixture(scope="session")
def probes(demo: DemoServer, client: httpx.Client, site: dict[str, SitePage],
           outside_prefixes: tuple[str, ...], manifest: dict) -> dict[str, int | str]:
    """The outcome of every distinct checkable link target on the site."""
    never = tuple(r["rule"] for r in manifest["robots_disallowed"])
    out: dict[str, int | str] = {}
    for page in site.values():
        for link in page.links:
            if link.kind not in ("site", "external") or link.target in out:
                continue
            if link.target.startswith(outside_prefixes) or link.target.startswith(never):
                continue
            out[link.target] = probe(client, demo.url, link.target)
    return out
