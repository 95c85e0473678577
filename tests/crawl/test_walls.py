"""Firewall block pages and anti-bot challenges (issue 11 item 3), served by a loopback server and
asked through the real fetcher with GET and HEAD: each product's wall is `blocked` with its name;
ordinary 403/404 pages, also from sites behind the same products, are the site's own answers."""

from __future__ import annotations

import pytest
import yaml

from govaudit.config import CrawlConfig
from govaudit.crawl.antibot import challenge, identify, parse_walls, walls
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import FetchResult
from tests.conftest import run
from tests.crawl.walls_pages import ORDINARY, WALLS
from tests.support.server import LocalServer, Reply, serving


def fetch_all(srv: LocalServer, paths: list[str], method: str = "GET") -> dict[str, FetchResult]:
    cfg = CrawlConfig(delay=0.0, retries=0, timeout=2.0, obey_robots=False, host_concurrency=4)

    async def go() -> dict[str, FetchResult]:
        async with Fetcher(cfg) as f:
            return {p: await f.fetch(srv.url(p), method=method, robots=False, max_bytes=0 if method == "HEAD"
                                     else 256 * 1024) for p in paths}

    return run(go())


@pytest.fixture(scope="module")
def site():
    with serving({**{p: r for p, (r, _) in WALLS.items()}, **ORDINARY}) as srv:
        yield srv


@pytest.mark.parametrize("path", sorted(WALLS))
def test_each_products_wall_is_blocked_with_its_name_on_get(site: LocalServer, path: str) -> None:
    res = fetch_all(site, [path])[path]
    assert (res.error, res.error_detail) == ("blocked", WALLS[path][1]), (res.status, res.error)


@pytest.mark.parametrize("path", sorted(ORDINARY))
def test_ordinary_refusals_are_not_walls_on_get_or_head(site: LocalServer, path: str) -> None:
    got = fetch_all(site, [path])[path]
    head = fetch_all(site, [path], method="HEAD")[path]
    assert got.error is None and got.status in (403, 404), (got.error, got.error_detail)
    assert head.error is None and head.status == got.status


def test_head_of_a_jiasule_521_with_its_cookie_is_blocked_without_a_body(site: LocalServer) -> None:
    res = fetch_all(site, ["/jsl.html"], method="HEAD")["/jsl.html"]
    assert (res.status, res.error, res.error_detail) == (521, "blocked", "Jiasule (加速乐) challenge")


def test_head_with_cloudflares_challenge_header_is_blocked(site: LocalServer) -> None:
    assert fetch_all(site, ["/cf.html"], method="HEAD")["/cf.html"].error == "blocked"


def test_head_of_a_safedog_403_is_not_judged_without_its_page(site: LocalServer) -> None:
    # A 403 from a site behind SafeDog may be the site's own: HEAD alone cannot tell, the GET can.
    res = fetch_all(site, ["/safedog.html"], method="HEAD")["/safedog.html"]
    assert (res.status, res.error) == (403, None)


def test_link_check_of_a_file_behind_ruishu_is_blocked_after_head_412() -> None:
    def ruishu(req) -> Reply:  # noqa: ANN001 - the server's handler object
        reply = WALLS["/ruishu.html"][0]
        return Reply(status=412, body=b"" if req.command == "HEAD" else reply.body, headers=reply.headers)

    cfg = CrawlConfig(delay=0.0, retries=0, timeout=2.0, obey_robots=False)
    with serving({"/files/report.pdf": ruishu}) as srv:
        async def go() -> FetchResult:
            async with Fetcher(cfg) as f:
                return await f.check(srv.url("/files/report.pdf"))

        res = run(go())
        methods = [m for m, _ in srv.log]
    assert methods == ["HEAD", "GET"]
    assert (res.status, res.error, res.error_detail) == (412, "blocked", "Rivers Security (瑞数) challenge")


def test_every_shipped_marker_names_its_source_and_every_product_is_covered() -> None:
    table = walls()
    assert all(m.source for w in table for m in w.markers)
    vendors = " ".join(w.vendor for w in table)
    for product in ("安全狗", "云锁", "阿里云", "腾讯云", "知道创宇", "加速乐", "瑞数", "360", "百度云加速", "华为云",
                    "Cloudflare"):
        assert product in vendors, product


@pytest.mark.parametrize(("status", "headers", "body", "expected"), [
    (418, {"server": "HuaweiCloudWAF"}, None, "Huawei Cloud WAF (华为云) block page"),
    (403, {}, b"<p>contact hws_security@huawei.com</p>", "Huawei Cloud WAF (华为云) block page"),
    (404, {"set-cookie": "HWWAFSESID=abc"}, b"<title>404</title>", None),
    (493, {"wzws-ray": "1234-5678"}, None, "360 Website Guard (360网站卫士) block page"),
    (200, {}, b'<script src="/wzws-waf-cgi/wzws-check.js"></script>', "360 Website Guard (360网站卫士) block page"),
    (403, {}, b'<div class="yunsuologo"></div>', "Yunsuo (云锁) block page"),
    (403, {}, b'<div class=\'yunsuologo\'></div>', "Yunsuo (云锁) block page"),
    (404, {"set-cookie": "yunsuo_session=1"}, b"<title>404</title>", None),
    (403, {}, b'<a href="https://www.365cyd.com/">', "Knownsec Chuangyu Shield (创宇盾) block page"),
    (503, {"server": "yunjiasu-nginx"}, b"<script>window._cf_chl_opt={}</script>",
     "Baidu Yunjiasu (百度云加速) challenge"),
    (404, {"server": "yunjiasu-nginx"}, b"<title>404</title>", None),
    (200, {}, b"<html><script>var arg1='3C5D';document.cookie='acw_sc__v2='+x;</script></html>",
     "Alibaba Cloud WAF (阿里云盾) challenge"),
    (200, {}, b"<html>" + b"x" * 9000 + b"acw_sc__v2</html>", None),  # a big page mentioning it is content
    (200, {}, b"<script r='m'>$_ts.nsd=1;$_ts.cd='q';</script>", None),  # 瑞数 pages that passed
    (405, {}, b"<title>405 Not Allowed</title>", None),  # an ordinary 405
])
def test_markers_decide_with_status(status: int, headers: dict[str, str], body: bytes | None,
                                    expected: str | None) -> None:
    assert challenge(status, headers, body) == expected


def test_a_walls_file_without_sources_is_refused() -> None:
    doc = yaml.safe_load("walls: [{name: x, statuses: [403], markers: [{in: body, match: y, proves: wall}]}]")
    with pytest.raises(ValueError, match="source"):
        parse_walls(doc)
    ok = parse_walls(yaml.safe_load(
        "walls: [{name: x, statuses: [403], markers: [{in: body, match: y, proves: wall, source: s}]}]"))
    found = identify(403, {}, b"..y..", ok)
    assert found is not None and found[0].name == "x" and found[1].source == "s"


def test_a_page_of_links_that_mentions_a_firewall_is_the_sites_page() -> None:
    """The hot-path shortcut: a 200 answer whose first 8 KiB carry a page's worth of links is the
    site's page even when its text names a product (a news item about 安全狗 or Cloudflare)."""
    marker_words = "<p>Checking your browser before accessing. cf-browser-verification safedog 安全狗</p>".encode()
    menu = b"".join(b'<a href="/c/%d.html">col %d</a>' % (i, i) for i in range(20))
    page = b"<html><head><title>news</title></head><body>" + menu + marker_words + b"</body></html>"
    assert challenge(200, {"server": "nginx"}, page) is None
    # the same words on a bare page are still looked at by the markers (whatever they decide)
    bare = b"<html><body>" + marker_words + b"</body></html>"
    assert identify(200, {"server": "nginx"}, bare) == identify(200, {"server": "nginx"}, bare, walls())
