"""Links that scripts insert into ordinary pages (issue 11 item 6): the automatic render fallback
catches script-built navigation by cheap signals in the raw HTML, crawled here with the real
Chromium on a loopback site; a static page is taken as fetched, and a signal that a site's template
repeats on every page stops costing renders once they find nothing new."""

from __future__ import annotations

import time

from govaudit.browser import open_renderer
from govaudit.browser.hints import needs_render, render_reason, script_nav_signal
from govaudit.config import AuditConfig, loopback_fast
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import SiteSnapshot
from tests.a11y.test_render_crawl import html_page
from tests.conftest import run
from tests.support.server import LocalServer, Reply, page

STATIC = "".join(f"<li><a href='/col{i}/'>栏目{i}</a></li>" for i in range(8))  # links of its own
COLUMNS = [("/zwgk/index.html", "政务公开"), ("/bsfw/index.html", "办事服务"), ("/hdjl/index.html", "互动交流")]
JSON = "[" + ",".join(f'{{"name": "{n}", "url": "{u}"}}' for u, n in COLUMNS) + "]"

MENU_FROM_JSON = (  # an empty <ul id="nav"> filled from a JSON array with innerHTML
    f"<script>var cols = {JSON}; document.getElementById('nav').innerHTML = cols.map(function (c) {{"
    " return '<li><a href=\"' + c.url + '\">' + c.name + '</a></li>'; }).join('');</script>")
DOC_WRITE = (  # document.write of an anchor whose href is a function's argument: only a browser knows it
    "<script>function w(u, t) { document.write('<a href=\"' + u + '\">' + t + '</a>'); }"
    " w('/dw/special.html', '专题专栏');</script>")
TRS_WRITE = (  # TRS WCM's 下一篇: every href is a literal the page's text gives, read without a browser
    "<script>var str = \"\"; var str_1 = \"./trs/next.html\"; var str_4 = '下一篇';"
    " if (str == \"\") { document.write('<a  href=\"'+str_1+'\" title=\"'+str_4+'\">'+str_4+'</a>'); }"
    " else { document.write('<a  href=\"'+str+'\">'+str_4+'</a>'); }</script>")
CREATED = (  # links made with createElement from data, into a box not named as navigation
    "<div class='box'></div><script>[['/made/1.html', '一'], ['/made/2.html', '二']].forEach(function (x) {"
    " var a = document.createElement('a'); a.href = x[0]; a.textContent = x[1];"
    " document.querySelector('.box').appendChild(a); });</script>")
DAOHANG_JS = "document.write('<div class=\"dh\"><a href=\"/dh/jgsz.html\">机构设置</a></div>');"


def shell(title: str, body: str) -> Reply:
    return page(f"<!doctype html><html lang='zh'><title>{title}</title><body><ul>{STATIC}</ul>{body}</body></html>")


def site() -> dict[str, Reply]:
    routes: dict[str, Reply] = {
        "/": shell("首页", "<a href='/menu.html'>m</a><a href='/write.html'>w</a><a href='/created.html'>c</a>"
                           "<a href='/daohang.html'>d</a><a href='/static.html'>s</a><a href='/trs.html'>t</a>"),
        "/menu.html": shell("menu", "<ul id='nav'></ul>" + MENU_FROM_JSON),
        "/write.html": shell("write", DOC_WRITE),
        "/trs.html": shell("trs", TRS_WRITE),
        "/created.html": shell("created", CREATED),
        "/daohang.html": shell("daohang", "<script src='/js/daohang.js'></script>"),
        "/js/daohang.js": Reply(body=DAOHANG_JS, content_type="application/javascript"),
        # Static: a filled menu, a decorating script file, and a script that writes one literal link
        # into a box (taken as fetched: the link is read from the script's text).
        "/static.html": shell("static", "<div class='nav'><a href='/a.html'>a</a></div><div id='x'></div>"
                                        "<script src='/js/common.js'></script><script>document.getElementById('x')"
                                        ".innerHTML = '<a href=\"/only-rendered.html\">x</a>';</script>"),
        "/js/common.js": Reply(body="document.title = document.title;", content_type="application/javascript"),
    }
    for path in ["/a.html", "/only-rendered.html", "/dw/special.html", "/made/1.html", "/made/2.html",
                 "/dh/jgsz.html", "/trs/next.html", *(u for u, _ in COLUMNS), *(f"/col{i}/" for i in range(8))]:
        routes[path] = page(f"<title>{path}</title>")
    return routes


def crawl_with_browser(url: str, concurrency: int = 16) -> tuple[SiteSnapshot, int]:
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.use_sitemap = False
    cfg.crawl.concurrency = cfg.crawl.host_concurrency = concurrency

    async def go() -> tuple[SiteSnapshot, int]:
        async with Fetcher(cfg.crawl) as fetcher:
            renderer = open_renderer(cfg, fetcher)
            assert renderer is not None, "these tests need the system Chromium"
            try:
                return await crawl(url, cfg.crawl, fetcher, renderer=renderer), renderer.renders
            finally:
                await renderer.close()

    return run(go())


def test_script_built_menus_are_rendered_and_their_links_followed_static_pages_are_not() -> None:
    with LocalServer(site()) as srv:
        snap, renders = crawl_with_browser(srv.url("/"))
    found = {u[len(srv.base):] for u in snap.pages}
    assert {u for u, _ in COLUMNS} <= found  # the JSON-built menu of /menu.html
    assert {"/dw/special.html", "/made/1.html", "/made/2.html", "/dh/jgsz.html", "/trs/next.html"} <= found
    # /static.html was taken as fetched; the literal link its script writes is read from the text
    assert "/only-rendered.html" in found
    assert renders == 4, renders  # menu, write, created, daohang: not trs nor static
    assert any(link.url.endswith("/trs/next.html") for link in snap.pages[srv.url("/trs.html")].links)
    note = next(n for n in snap.stats.notes if "pages taken from the browser" in n)
    assert note.startswith("4 pages") and "inline script writes links" in note


def test_a_signal_on_every_page_of_a_template_stops_after_three_renders_find_nothing_new() -> None:
    # Every page carries the same script-built menu: the first render finds its links; the next
    # three find nothing new, and the remaining pages are taken as fetched.
    menu = "<ul id='nav'></ul>" + MENU_FROM_JSON
    routes: dict[str, Reply] = {"/": shell("首页", menu + "".join(f"<a href='/p{i}.html'>{i}</a>" for i in range(10)))}
    for i in range(10):
        routes[f"/p{i}.html"] = shell(f"p{i}", menu)
    for path in [*(u for u, _ in COLUMNS), *(f"/col{i}/" for i in range(8))]:
        routes[path] = page(f"<title>{path}</title>")
    with LocalServer(routes) as srv:
        snap, renders = crawl_with_browser(srv.url("/"), concurrency=1)
        _, renders_16 = crawl_with_browser(srv.url("/"), concurrency=16)
    assert {u for u, _ in COLUMNS} <= {u[len(srv.base):] for u in snap.pages}
    assert renders == 4, renders
    # 16 workers: two renders of the signal at a time, the others wait for their verdict
    assert renders_16 <= 5, renders_16
    assert any("automatic rendering of pages with empty ul 'nav' stopped" in n for n in snap.stats.notes)


def test_a_render_that_adds_only_script_pseudo_links_finds_nothing_new() -> None:
    # A real county template (SiteServer, lgedu_net): an empty mobile-menu button <div class="nav-m-btn">
    # on every page, and a script that adds <a href="javascript:translatePage();">. A javascript: link
    # is nothing to crawl: three renders, then the signal is dropped (it rendered all 368 pages).
    button = ("<div class='nav-m-btn'></div><div id='tr'></div><script src='/js/t.js'></script>"
              "<script>document.getElementById('tr').innerHTML = '<a href=\"javascript:translatePage();\">繁</a>';"
              "</script>")
    routes: dict[str, Reply] = {"/": shell("首页", button + "".join(f"<a href='/p{i}.html'>{i}</a>" for i in range(8)))}
    for i in range(8):
        routes[f"/p{i}.html"] = shell(f"p{i}", button)
    routes["/js/t.js"] = Reply(body="function translatePage() {}", content_type="application/javascript")
    for path in (f"/col{i}/" for i in range(8)):
        routes[path] = page(f"<title>{path}</title>")
    with LocalServer(routes) as srv:
        snap, renders = crawl_with_browser(srv.url("/"), concurrency=1)
    assert len(snap.pages) >= 17
    assert renders == 3, renders
    assert any("empty div 'nav-m-btn' stopped" in n for n in snap.stats.notes), snap.stats.notes


# ---- the signals on their own --------------------------------------------------------------------


def test_script_navigation_signals() -> None:
    assert script_nav_signal("<ul id='nav'></ul><script src='/a.js'></script>") == "empty ul 'nav'"
    assert script_nav_signal("<div class=\"top-menu\">\n <!-- menu --> </div><script></script>") == \
        "empty div 'top-menu'"
    assert script_nav_signal("<div id=daohang></div><script></script>") == "empty div 'daohang'"
    assert script_nav_signal("<nav class='x'></nav><script></script>") == "empty <nav>"
    assert script_nav_signal(DOC_WRITE) == "inline script writes links"
    assert script_nav_signal("<script>$.each(d, function (i, item) { document.write('<a href=\"' + item.url"
                             " + '\">' + item.name + '</a>'); });</script>") == "inline script writes links"
    assert script_nav_signal("<script>document.write(unescape('%3Ca href=%22/x%22%3E'))</script>") == \
        "inline script writes links"
    assert script_nav_signal("<script>x.innerHTML = `<a href=\"${u}\">`;</script>") == "inline script writes links"
    assert script_nav_signal(CREATED) == "inline script writes links"
    assert script_nav_signal("<script src='/js/daohang.js'></script>") == "navigation script daohang.js"
    assert script_nav_signal("<script src=\"/js/menu.min.js?v=2\"></script>") == "navigation script menu.min.js"
    # not signals: no script at all, a filled menu, decorating scripts, one literal link, a redirect
    assert script_nav_signal("<ul id='nav'></ul>") is None
    assert script_nav_signal("<ul id='nav'><li><a href='/'>首页</a></li></ul><script src='/js/common.js'>"
                             "</script>") is None
    assert script_nav_signal("<div id='x'></div><script>x.innerHTML = '<a href=\"/y\">y</a>'</script>") is None
    assert script_nav_signal(TRS_WRITE) is None  # literal hrefs: the crawl reads them from the text
    assert script_nav_signal("<script>document.write('<li><a href=\"../zyzc/\">专题</a></li>');</script>") is None
    assert script_nav_signal("<script>location.href = '/zwgk/';</script><div class='content'></div>") is None
    assert script_nav_signal("<script>document.write('<span>' + new Date().getFullYear() + '</span>')</script>") \
        is None


def test_render_reason_keeps_shells_first_and_adds_script_navigation() -> None:
    assert render_reason(html_page("<div id=app></div><script src='/a.js'></script>", 0)) == "shell"
    assert render_reason(html_page("<ul class='nav'></ul><script src='/a.js'></script>", 20)) == "empty ul 'nav'"
    assert not needs_render(html_page("<ul class='nav'><a href='/'>x</a></ul><script src='/a.js'></script>", 20))


def test_signals_cost_one_pass_on_hostile_markup() -> None:
    hostile = ("<script></script><div " + "class=nav " * 20000 + "<div class=nav>" * 30000 + "<nav " * 30000
               + "<script>" * 50000 + "<script>document.write('" + "x" * 200_000)
    started = time.monotonic()
    script_nav_signal(hostile)
    assert time.monotonic() - started < 10.0  # linear: about 0.1 s; a quadratic search takes minutes
