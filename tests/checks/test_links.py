"""The link check on a real local site with one defect of every kind (issue #2 section 9)."""

from __future__ import annotations

import time
from datetime import date
from http.server import BaseHTTPRequestHandler

import pytest
from govaudit.checks.links import LinksCheck, says_missing

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import CheckResult, SiteSnapshot
from tests.conftest import run
from tests.support.server import Reply, free_port, page, redirect, serving, status


def audit_links(url: str, options: dict | None = None, **crawl_kw: object) -> tuple[SiteSnapshot, CheckResult]:
    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    cfg.crawl.timeout, cfg.crawl.backoff = 1.0, 0.05
    for k, v in crawl_kw.items():
        setattr(cfg.crawl, k, v)

    async def go() -> tuple[SiteSnapshot, CheckResult]:
        async with Fetcher(cfg.crawl) as f:
            snap = await crawl(url, cfg.crawl, f)
            ctx = CheckContext(fetcher=f, config=cfg, as_of=date(2026, 11, 20), options=options or {})
            return snap, await LinksCheck().run(snap, ctx)

    return run(go())


def slow(req: BaseHTTPRequestHandler) -> Reply:
    time.sleep(2.0)
    return page("too late")


def head405(req: BaseHTTPRequestHandler) -> Reply:
    return status(405) if req.command == "HEAD" else Reply(body=b"PK\x03\x04zip", content_type="application/zip")


def rate_limited_once() -> object:
    hits = {"n": 0}

    def handler(req: BaseHTTPRequestHandler) -> Reply:
        hits["n"] += 1
        return status(429, **{"Retry-After": "1"}) if hits["n"] == 1 else page("<title>ok</title>")

    return handler


@pytest.fixture(scope="module")
def defects():
    dead_port = free_port()
    routes = {
        "/": page(
            "<title>首页</title>"
            '<a href="/ok.html">ok</a><a href="/missing.html">missing</a>'
            '<img src="/img/missing.png" alt="x"><a href="/gone.html">gone</a>'
            f'<a href="http://127.0.0.1:{dead_port}/">refused</a>'
            '<a href="http://www.dead-portal.invalid/">dns</a>'
            '<a href="/slow.html">slow</a><a href="/loop.html">loop</a>'
            '<a href="/files/a.zip">zip</a><a href="/busy.html">busy</a>'
            '<a href="/soft.html">soft</a><a href="/private/x.html">robots</a>'
            '<a href="javascript:void(0)">js</a><a href="#">top</a><a href="">empty</a>'
            '<a href="mailto:xz@qingshan.gov.cn">mail</a><a href="tel:12345">tel</a>'
            '<a href="/moved.html">moved</a><a href="/err.html">err</a>'
        ),
        "/ok.html": page('<title>ok</title><a href="/missing.html">again</a><a href="/missing.html">twice</a>'
                         '<script src="/js/none.js"></script><link rel="stylesheet" href="/css/none.css">'),
        "/gone.html": status(410),
        "/err.html": status(500),
        "/slow.html": slow,
        "/loop.html": redirect("/loop2.html"),
        "/loop2.html": redirect("/loop.html"),
        "/files/a.zip": head405,
        "/busy.html": rate_limited_once(),
        "/soft.html": page("<title>提示</title><h1>您访问的页面不存在或已被删除</h1>"),
        "/private/x.html": page("never"),
        "/moved.html": redirect("/ok.html", 301),
        "/robots.txt": Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
    }
    with serving(routes) as srv:
        snap, res = audit_links(srv.url("/"), retries=1, retry_after_cap=5)
        yield srv, snap, res, dead_port


def broken_map(res: CheckResult) -> dict[tuple[str, str], object]:
    return {(f.page, f.target or ""): f.status for f in res.findings if f.rule == "broken-link"}


def test_every_defect_found_with_its_status(defects) -> None:
    srv, snap, res, dead_port = defects
    home = srv.url("/")
    expected = {
        (home, srv.url("/missing.html")): 404,
        (home, srv.url("/img/missing.png")): 404,
        (home, srv.url("/gone.html")): 410,
        (home, srv.url("/err.html")): 500,
        (home, f"http://127.0.0.1:{dead_port}/"): "refused",
        (home, "http://www.dead-portal.invalid/"): "dns",
        (home, srv.url("/slow.html")): "timeout",
        (home, srv.url("/loop.html")): "redirect-loop",
        (home, srv.url("/soft.html")): "soft-404",
        (srv.url("/ok.html"), srv.url("/missing.html")): 404,
        (srv.url("/ok.html"), srv.url("/js/none.js")): 404,
        (srv.url("/ok.html"), srv.url("/css/none.css")): 404,
    }
    assert broken_map(res) == expected  # recall and precision 1.0
    elements = {(f.target, f.element) for f in res.findings if f.rule == "broken-link"}
    assert (srv.url("/img/missing.png"), "img") in elements
    assert (srv.url("/js/none.js"), "script") in elements and (srv.url("/css/none.css"), "link") in elements


def test_metrics_split_home_and_other_pages(defects) -> None:
    srv, _, res, _ = defects
    m = res.metrics
    assert m["broken_home"] == 9 and m["broken_other"] == 3 and m["broken"] == 12
    assert m["broken_targets"] == 11  # /missing.html is one target linked from two pages
    assert m["placeholders"] == 3 and m["mailto"] == 1 and m["tel"] == 1
    assert m["unchecked_robots"] == 1
    assert m["by_status"]["404"] == 5 and m["by_element"]["a"] == 9
    assert m["home_ok"] == 1
    assert all(f.evidence["on_home"] == (f.page == srv.url("/")) for f in res.findings)


def test_not_broken_head405_429_redirect_robots(defects) -> None:
    srv, _, res, _ = defects
    targets = {f.target for f in res.findings if f.rule == "broken-link"}
    for ok in ("/files/a.zip", "/busy.html", "/moved.html", "/ok.html", "/private/x.html"):
        assert srv.url(ok) not in targets
    assert ("GET", "/private/x.html") not in srv.log and ("HEAD", "/private/x.html") not in srv.log


def test_pages_already_crawled_are_not_fetched_again(defects) -> None:
    srv, _, _, _ = defects
    # /soft.html and /gone.html were crawled as pages: the link check judged them from the crawl.
    assert [m for m, p in srv.log if p == "/soft.html"] == ["GET"]
    assert [m for m, p in srv.log if p == "/gone.html"] == ["GET"]
    # an image is never crawled: one HEAD from the link check
    assert [m for m, p in srv.log if p == "/img/missing.png"] == ["HEAD"]


def test_catch_all_site_soft_404_by_fingerprint() -> None:
    def catch_all(req: BaseHTTPRequestHandler) -> Reply:
        return page(f"<title>某某市政府</title><p>欢迎访问 {req.path}</p><p>{'内容' * 200}</p>")

    routes = {"/": page('<title>某某市政府</title><a href="/real.html">real</a><a href="/nope.html">nope</a>'),
              "/real.html": page("<title>新闻</title><p>真实页面</p>")}
    with serving(routes, fallback=catch_all) as srv:
        _, res = audit_links(srv.url("/"))
        assert broken_map(res) == {(srv.url("/"), srv.url("/nope.html")): "soft-404"}


def test_exclude_option_and_external_off() -> None:
    routes = {"/": page('<a href="http://a.invalid/">a</a><a href="/missing">m</a>')}
    with serving(routes) as srv:
        _, res = audit_links(srv.url("/"), {"exclude": [r"^http://a\.invalid/"]})
        assert broken_map(res) == {(srv.url("/"), srv.url("/missing")): 404}
        assert res.metrics["excluded"] == 1
        _, res = audit_links(srv.url("/"), {"external": False})
        assert res.metrics["excluded"] == 1 and len(broken_map(res)) == 1


def test_soft_404_phrases() -> None:
    assert says_missing("404 Not Found", "") == "404 not found"
    assert says_missing("通知", "<h1>页面不存在</h1>") == "页面不存在"
    assert says_missing("关于做好2026年冬季防火工作的通知", "<h1>正文</h1>") is None


def test_a_status_outside_http_is_named_so_and_not_broken() -> None:
    # LinkedIn-style 999 (and any status outside 100-599): not verified, never "rate-limited", never broken.
    routes = {"/": page("<title>首页</title><a href='/odd.html'>奇怪的链接</a><a href='/gone.html'>坏链接</a>"),
              "/odd.html": status(999), "/gone.html": status(404)}
    with serving(routes) as srv:
        _, res = audit_links(srv.url("/"))
    broken = {f.target for f in res.findings if f.rule == "broken-link"}
    assert broken == {srv.url("/gone.html")}
    odd = [f for f in res.findings if f.target == srv.url("/odd.html")]
    assert odd and all("invalid-status (999)" in f.message and "rate-limited" not in f.message for f in odd)
