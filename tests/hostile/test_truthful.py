"""Truthful under stress (issue 16): what a hostile page does is said, never silently passed.

Each test serves its behaviour from the raw hostile server on 127.0.0.1 and runs the real crawl
and link check in-process through the audit's one fetcher (no mocked client).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from govaudit.checks.links import LinksCheck

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import CheckResult, SiteSnapshot
from tests.conftest import run
from tests.hostile.server import HostileServer, Route, html, raw_body, redirect


def audit(url: str, options: dict[str, Any] | None = None, **crawl_kw: object) -> tuple[SiteSnapshot, CheckResult]:
    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    cfg.crawl.timeout, cfg.crawl.backoff = 2.0, 0.05
    for k, v in crawl_kw.items():
        setattr(cfg.crawl, k, v)

    async def go() -> tuple[SiteSnapshot, CheckResult]:
        async with Fetcher(cfg.crawl) as f:
            snap = await crawl(url, cfg.crawl, f)
            ctx = CheckContext(fetcher=f, config=cfg, as_of=date(2026, 11, 22), options=options or {})
            return snap, await LinksCheck().run(snap, ctx)

    return run(go())


# ---- item 3: control bytes and invalid UTF-8 in a page served as text/html; charset=utf-8 -------

_FILLER = "<p>" + "本网站是县人民政府门户网站，发布政务信息。" * 8 + "</p>"
CONTROL_BYTES = (b"<!DOCTYPE html><html><head>\x01\x02<title>\xe6\x8e\xa7\x07\xe5\x88\xb6\xe5\xad\x97\xe7\xac\xa6</title>"
                 b"</head><body>\x1b\x08\x00" + _FILLER.encode() + b'<a title="\x01\x02\x03" href="/after-control.html">'
                 b"\xe4\xb8\x8b\xe4\xb8\x80\xe9\xa1\xb5</a></body></html>")
INVALID_UTF8 = (b"<!DOCTYPE html><html><head><title>\xe6\x97\xa0\xe6\x95\x88\xff\xe7\xbc\x96\xe7\xa0\x81</title></head>"
                b"<body>\xc3\x28\x80" + _FILLER.encode() + b'<a title="\xfe\xfd" href="/after-invalid.html">\xe4\xb8\x8b'
                b"\xe4\xb8\x80\xe9\xa1\xb5\xff</a></body></html>")


def test_control_bytes_and_invalid_utf8_are_decoded_with_replacement_and_parsed() -> None:
    routes: dict[str, Route] = {
        "/": html('<title>首页</title><a href="/control.html">控制字符</a><a href="/invalid.html">无效编码</a>'),
        "/control.html": raw_body(CONTROL_BYTES, "text/html; charset=utf-8"),
        "/invalid.html": raw_body(INVALID_UTF8, "text/html; charset=utf-8"),
        "/after-control.html": html("<title>after control</title>"),
        "/after-invalid.html": html("<title>after invalid</title>"),
    }
    with HostileServer(routes) as srv:
        snap, res = audit(srv.url("/"))
    control, invalid = snap.pages[srv.url("/control.html")], snap.pages[srv.url("/invalid.html")]
    assert control.is_html and control.title == "控制字符"  # control bytes in the head, body and attribute
    assert [lk.url for lk in control.links] == [srv.url("/after-control.html")]
    assert "本网站是县人民政府门户网站" in control.text
    assert invalid.is_html and invalid.encoding == "utf-8"
    assert invalid.title == "无效\ufffd编码"  # the broken byte is a replacement character, the rest reads
    assert [lk.url for lk in invalid.links] == [srv.url("/after-invalid.html")]
    assert "本网站是县人民政府门户网站" in invalid.text and "\ufffd(" in invalid.text
    assert snap.pages[srv.url("/after-control.html")].status == 200  # the links were followed
    assert snap.pages[srv.url("/after-invalid.html")].status == 200
    assert not [f for f in res.findings if f.rule == "broken-link"]


# ---- item 6: a redirect to a javascript: URL is named in the finding's evidence -----------------

def test_a_javascript_redirect_target_is_named_in_the_evidence() -> None:
    routes: dict[str, Route] = {
        "/": html('<title>首页</title><a href="/go.html">跳转</a><img src="/pic.png" alt="图">'),
        "/go.html": redirect("javascript:alert(document.cookie)"),  # a crawled page
        "/pic.png": redirect("javascript:void(0)", 301),  # a target only fetched by the link check
    }
    with HostileServer(routes) as srv:
        _, res = audit(srv.url("/"))
    found = {f.target: f for f in res.findings if f.rule == "broken-link"}
    assert set(found) == {srv.url("/go.html"), srv.url("/pic.png")}
    for target, location in ((srv.url("/go.html"), "javascript:alert(document.cookie)"),
                             (srv.url("/pic.png"), "javascript:void(0)")):
        f = found[target]
        assert f.status == "invalid-url" and f.severity == "error"
        assert f.evidence["location"] == location
        assert "javascript: URL" in f.message and location in f.message


# ---- item 7: an empty 200 page and a page that reloads itself forever are notices ---------------

def test_an_empty_200_page_and_a_self_reloading_page_are_notices() -> None:
    routes: dict[str, Route] = {
        "/": html('<title>首页</title><a href="/empty.html">空白</a><a href="/reload.html">刷新</a>'
                  '<a href="/reload-url.html">刷新2</a><a href="/moved.html">转到</a><a href="/ok.html">正常</a>'
                  '<a href="/files/empty.pdf">空附件</a>'),
        "/empty.html": raw_body(b"", "text/html; charset=utf-8"),
        "/reload.html": html('<html><head><meta http-equiv="refresh" content="0"><title>刷新</title></head></html>'),
        "/reload-url.html": html("<html><head><meta content='5; URL=/reload-url.html' http-equiv='Refresh'>"
                                 "<title>刷新</title></head></html>"),
        "/moved.html": html('<html><head><meta http-equiv="refresh" content="0; url=/ok.html"><title>转</title></head>'),
        "/ok.html": html("<title>正常</title><p>内容</p>"),
        "/files/empty.pdf": raw_body(b"", "application/pdf"),
    }
    with HostileServer(routes) as srv:
        _, res = audit(srv.url("/"))
    notices = {f.target: f for f in res.findings if f.rule == "link-notice"}
    assert set(notices) == {srv.url(p) for p in ("/empty.html", "/reload.html", "/reload-url.html",
                                                  "/files/empty.pdf")}
    assert all(f.severity == "info" and f.status == 200 for f in notices.values())
    assert "empty body" in notices[srv.url("/empty.html")].message
    assert "empty body" in notices[srv.url("/files/empty.pdf")].message
    assert "reloads the page itself" in notices[srv.url("/reload.html")].message
    assert "every 5 s" in notices[srv.url("/reload-url.html")].message
    assert not [f for f in res.findings if f.rule == "broken-link"]  # odd, not broken
    assert res.metrics["notices"] == 4


# ---- item 9: filing marks in the footer are never a consultation channel ------------------------

FOOTER = ('<div class="footer"><a href="https://beian.miit.gov.cn/">浙ICP备12345678号-1</a>'
          '<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33010602012345">'
          '<img src="/ga.png">浙公网安备 33010602012345号</a>'
          '<a href="/bsdt/12345.html">网站标识码：3300000012</a>'
          '<a href="https://bszs.conac.cn/sitename?method=show&id=0C12345"><img src="/red.png"></a>'
          '<a href="https://bszs.conac.cn/sitename?method=show&id=1"><img src="/red.png" alt="党政机关"></a>'
          '<a href="/ggfw/icp.html">备案号：浙ICP备12345678号</a></div>')


def test_filing_marks_are_never_a_consultation_channel() -> None:
    from tests.interaction.support import check_site, home, html_page

    routes: dict[str, Route] = {
        "/": html(home('<a href="/gk/">政务公开</a>') + FOOTER),
        "/gk/": html(html_page("政务公开", "<p>公开</p>" + FOOTER)),
        "/bsdt/12345.html": html(html_page("网站标识码", "<p>3300000012</p>")),
        "/ggfw/icp.html": html(html_page("备案", "<p>备案</p>")),
    }
    with HostileServer(routes) as srv:
        out = check_site(srv.url("/"))
    assert out.result.data["channels"] == []
    assert out.metrics["consultation_channels"] == 0
    (f,) = out.rules("interaction-no-channel")  # the veto fails on evidence, not passes on a filing mark
    assert f.severity == "error"
    why = {r["url"]: r["why"] for r in out.result.data["rejected"]}
    for url in ("https://beian.miit.gov.cn/", srv.url("/bsdt/12345.html"),
                "https://bszs.conac.cn/sitename?method=show&id=0C12345"):
        assert "filing mark" in why[url], (url, why)


# ---- item 1: probes the budget left unmade are "not judged"; what the crawl read is reused -------

def audit_identity_after_the_budget(url: str) -> tuple[SiteSnapshot, CheckResult]:
    """Crawl with a 2 s budget, wait until it has run out, then run the identity check, as an
    audit whose crawl used the whole budget does."""
    import asyncio
    import time

    from govaudit.checks.identity import IdentityCheck

    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    cfg.crawl.timeout, cfg.crawl.backoff, cfg.crawl.retries, cfg.crawl.budget = 1.0, 0.05, 0, 2.0

    async def go() -> tuple[SiteSnapshot, CheckResult]:
        async with Fetcher(cfg.crawl) as f:
            snap = await crawl(url, cfg.crawl, f)
            await asyncio.sleep(max(0.0, f.deadline - time.monotonic()) + 0.05)
            assert f.out_of_time
            ctx = CheckContext(fetcher=f, config=cfg, as_of=date(2026, 11, 22), options={})
            return snap, await IdentityCheck(resolver=lambda host: []).run(snap, ctx)

    return run(go())


def _identity_site(robots: bool) -> dict[str, Route]:
    from tests.identity.pages import home as cn_home

    routes: dict[str, Route] = {"/": html(cn_home()), "/xwdt/index.html": html("<title>要闻动态</title>")}
    if robots:
        async def robots_txt(req: Any, w: Any) -> None:
            from tests.hostile.server import send
            port = req.headers.get("host", "").rsplit(":", 1)[-1]
            await send(w, req, 200, f"User-agent: *\nDisallow: /admin/\nSitemap: http://127.0.0.1:{port}/map.xml\n",
                       "text/plain")

        async def sitemap(req: Any, w: Any) -> None:
            from tests.hostile.server import send
            port = req.headers.get("host", "").rsplit(":", 1)[-1]
            await send(w, req, 200, '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       f"<url><loc>http://127.0.0.1:{port}/xwdt/index.html</loc></url></urlset>", "application/xml")
        routes.update({"/robots.txt": robots_txt, "/map.xml": sitemap})
    return routes


PROBE_RULES = {"search-no-answer", "robots-missing", "sitemap-missing", "missing-page-not-404", "https-unavailable",
               "https-no-redirect", "hsts-missing", "tls-invalid"}


def test_what_the_crawl_read_is_reused_and_unmade_probes_are_not_judged() -> None:
    from govaudit.profiles import load_profile
    from govaudit.scoring import score

    with HostileServer(_identity_site(robots=True)) as srv:
        snap, res = audit_identity_after_the_budget(srv.url("/"))
        asked = [t for _, t in srv.log]
    assert not {f.rule for f in res.findings} & PROBE_RULES  # nothing failed that was never looked at
    m = res.metrics
    assert (m["robots_txt"], m["sitemap_xml"]) == (1, 1)  # read by the crawl
    assert asked.count("/robots.txt") == 1 and asked.count("/map.xml") == 1  # not fetched again
    assert res.data["files"]["robots"]["detail"] == "read by the crawl"
    assert res.data["files"]["sitemap"]["url"] == srv.url("/map.xml")
    assert (m["https"], m["hsts"], m["missing_page_404"]) == (None, None, None)  # the budget had run out
    assert res.data["files"]["missing_page"]["judged"] is False and res.data["https"]["judged"] is False
    assert "budget" in m["not_judged"]["missing_page_404"] and "budget" in m["not_judged"]["https"]
    scored = {i.id: i for i in score(load_profile("cn-gov-2019"), {"identity": res}).indicators}
    assert scored["cn.info.identity.robots-sitemap"].result == "pass"
    for ind in ("cn.info.identity.not-found", "cn.info.identity.https"):
        assert scored[ind].result == "error" and "budget" in scored[ind].detail, scored[ind]


def test_probes_the_budget_stopped_are_not_judged_not_failed() -> None:
    from govaudit.profiles import load_profile
    from govaudit.scoring import score

    with HostileServer(_identity_site(robots=False)) as srv:  # the crawl found no robots.txt, no sitemap
        _, res = audit_identity_after_the_budget(srv.url("/"))
    assert not {f.rule for f in res.findings} & PROBE_RULES
    m = res.metrics
    assert (m["robots_txt"], m["sitemap_xml"], m["missing_page_404"]) == (None,) * 3
    assert res.data["files"]["robots"]["judged"] is False
    assert "budget" in res.data["files"]["robots"]["detail"]
    assert "search-no-answer" not in {f.rule for f in res.findings}  # the search was never tried either
    assert m["search_answers"] is None and "budget" in res.data["search"]["probe"]["reason"]
    scored = {i.id: i for i in score(load_profile("cn-gov-2019"), {"identity": res}).indicators}
    assert scored["cn.info.identity.robots-sitemap"].result == "error"
    assert "budget" in scored["cn.info.identity.robots-sitemap"].detail


# ---- item 10: --skip-check keeps the link check from requesting a target; --exclude only the crawl

def test_skip_check_targets_are_never_requested_and_reported_as_skipped(tmp_path: Any) -> None:
    from tests.hostile.runner import FAST, run_cli, write_config

    routes: dict[str, Route] = {
        "/": html('<title>首页</title><a href="/private/a.html">内部</a><a href="/legacy/b.html">旧系统</a>'
                  '<a href="/gone.html">坏链</a><a href="/ok.html">正常</a>'),
        "/ok.html": html("<title>正常</title>"),
    }
    cfg = write_config(tmp_path)
    cfg.write_text(cfg.read_text() + '\n[checks.links]\nskip = ["/legacy/"]\n', encoding="utf-8")
    with HostileServer(routes) as srv:
        got = run_cli(["audit", srv.url("/"), "--profile", "links", "--checks", "links", "--format", "json,html",
                       "--as-of", "2026-11-22", "--config", str(cfg), *FAST, "--exclude", "/private/",
                       "--skip-check", "/private/"], tmp_path, name="skip")
        asked = {t for _, t in srv.log}
    assert got.code == 0, got.stderr
    assert "/private/a.html" not in asked  # --exclude and --skip-check: neither crawled nor checked
    # [checks.links] skip alone: the crawl reads the page, the link check does not judge it (it is a 404)
    links = got.report["checks"]["links"]
    assert links["metrics"]["skipped"] == 2
    assert {f["target"] for f in links["findings"]} == {srv.url("/gone.html")}  # skipped is not broken
    assert links["skipped"] == {"/private/": {"targets": 1, "examples": [srv.url("/private/a.html")]},
                                   "/legacy/": {"targets": 1, "examples": [srv.url("/legacy/b.html")]}}
    assert "Skipped targets" in (got.out / "report.html").read_text(encoding="utf-8")


def test_help_says_which_option_stops_what(tmp_path: Any) -> None:
    from tests.hostile.runner import run_cli

    got = run_cli(["audit", "--help"], tmp_path, name="help")
    text = " ".join(got.stdout.split())
    assert "Regex of URLs never crawled (repeatable). Links to them are still checked" in text
    assert "--skip-check REGEX Regex of link targets the link check never requests" in text
