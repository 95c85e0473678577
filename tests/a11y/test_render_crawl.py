"""--render and automatic rendering in the crawl, on a local site whose links only exist after scripts."""

from __future__ import annotations

from govaudit.browser import open_renderer
from govaudit.browser.hints import needs_render, script_weight
from govaudit.config import AuditConfig, loopback_fast
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import Link, Page
from govaudit.model import SiteSnapshot as Snapshot
from tests.conftest import run
from tests.support.server import LocalServer, Reply, page

APP_JS = """
var app = document.getElementById('app');
var items = [['/news/1.html', '县政府常务会议'], ['/news/2.html', '防汛工作部署'], ['/news/3.html', '招聘公告']];
app.innerHTML = items.map(function (x) { return '<a href="' + x[0] + '">' + x[1] + '</a>'; }).join(' ');
""" + "// padding so the bundle looks like an app bundle\n" * 40

NAV = "".join(f"<a href='/col{i}/index.html'>栏目{i}</a>" for i in range(8))


def site() -> dict[str, Reply]:
    routes: dict[str, Reply] = {
        # A single-page-app shell: no link in the raw HTML, one external script builds them.
        "/": page("<!doctype html><html lang='zh'><title>门户</title><body><div id='app'></div>"
                  "<script src='/app.js'></script></body></html>"),
        "/app.js": Reply(body=APP_JS, content_type="application/javascript"),
        # A normal page with plenty of links and a script that computes one more: not auto-rendered.
        "/normal.html": page(f"<title>normal</title>{NAV}<div id='x'></div>"
                             "<script>var p = ['only', 'rendered'].join('-');"
                             " document.getElementById('x').innerHTML='<a href=\"/' + p + '.html\">x</a>'</script>"),
        "/only-rendered.html": page("<title>hidden</title>"),
    }
    for i in (1, 2, 3):
        routes[f"/news/{i}.html"] = page(f"<title>news {i}</title><a href='/normal.html'>n</a>")
    for i in range(8):
        routes[f"/col{i}/index.html"] = page(f"<title>col {i}</title>")
    return routes


def audit_crawl(url: str, render: bool, auto: bool, browser: bool = True) -> tuple[Snapshot, int]:
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.render, cfg.crawl.auto_render = render, auto
    cfg.crawl.use_sitemap = False
    if not browser:
        cfg.browser.path = "/nonexistent"

    async def go() -> tuple[Snapshot, int]:
        async with Fetcher(cfg.crawl) as fetcher:
            renderer = open_renderer(cfg, fetcher)
            try:
                snap = await crawl(url, cfg.crawl, fetcher, renderer=renderer)
                return snap, renderer.renders if renderer else 0
            finally:
                if renderer is not None:
                    await renderer.close()

    return run(go())


def paths(snap: Snapshot, base: str) -> set[str]:
    return {u[len(base):] for u in snap.pages}


def test_without_a_browser_the_script_built_links_are_not_found() -> None:
    with LocalServer(site()) as srv:
        snap, renders = audit_crawl(srv.url("/"), render=False, auto=True, browser=False)
    assert paths(snap, srv.base) == {"/"}
    assert renders == 0


def test_auto_render_finds_the_links_of_a_script_shell_and_leaves_normal_pages_alone() -> None:
    with LocalServer(site()) as srv:
        snap, renders = audit_crawl(srv.url("/"), render=False, auto=True)
    found = paths(snap, srv.base)
    assert {"/news/1.html", "/news/2.html", "/news/3.html", "/normal.html"} <= found
    assert "/only-rendered.html" not in found  # /normal.html has links of its own: taken as fetched
    assert renders == 1  # only the shell went through the browser
    home = snap.pages[srv.url("/")]
    assert "县政府常务会议" in home.text and any(link.url.endswith("/news/1.html") for link in home.links)
    assert any("1 pages taken from the browser" in n for n in snap.stats.notes)


def test_render_flag_takes_every_page_from_the_browser() -> None:
    with LocalServer(site()) as srv:
        snap, renders = audit_crawl(srv.url("/"), render=True, auto=False)
    found = paths(snap, srv.base)
    assert "/only-rendered.html" in found  # a link that exists only after /normal.html's script
    assert renders == len([p for p in snap.pages.values() if p.is_html and p.ok])


def test_auto_render_off_and_no_flag_means_no_browser_even_when_one_exists() -> None:
    with LocalServer(site()) as srv:
        snap, renders = audit_crawl(srv.url("/"), render=False, auto=False)
    assert paths(snap, srv.base) == {"/"} and renders == 0


def test_a_render_failure_keeps_the_raw_page_and_says_so() -> None:
    cfg_site = site()
    with LocalServer(cfg_site) as srv:
        cfg = AuditConfig()
        loopback_fast(cfg.crawl)
        cfg.crawl.use_sitemap = False
        cfg.browser.path = "/bin/false"  # found, executable, but not a browser: the launch fails

        async def go() -> Snapshot:
            async with Fetcher(cfg.crawl) as fetcher:
                renderer = open_renderer(cfg, fetcher)
                try:
                    return await crawl(srv.url("/"), cfg.crawl, fetcher, renderer=renderer)
                finally:
                    await renderer.close()

        snap = run(go())
    assert paths(snap, srv.base) == {"/"}
    assert any(n.startswith("browser rendering:") and "cannot start /bin/false" in n for n in snap.stats.notes)


# ---- the hint on its own ------------------------------------------------------------------------


def html_page(html: str, links: int) -> Page:
    p = Page(url="http://x/", final_url="http://x/", depth=0, status=200, is_html=True,
             links=[Link(url=f"http://x/{i}", raw=f"/{i}", element="a", attr="href") for i in range(links)])
    p.set_text(html)
    return p


def test_needs_render_cases() -> None:
    assert needs_render(html_page("<div id=app></div><script src='/a.js'></script>", 0))
    assert needs_render(html_page("<script>" + "x" * 1200 + "</script>", 2))
    assert needs_render(html_page("<script>location.href='/zwgk/'</script>", 0))  # script redirect
    assert not needs_render(html_page("<script>location.href='/zwgk/'</script>", 1))  # small script, a link
    assert not needs_render(html_page("<script src='/a.js'></script>", 4))  # enough links already
    assert not needs_render(html_page("<p>plain text, no script</p>", 0))
    assert script_weight("<script src=a.js></script><SCRIPT>abc</SCRIPT><script type=x src='b'></script>") == (2, 3)
