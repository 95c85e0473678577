"""The browser's own error page is never the site's page (issue 17, pattern 12).

A column index that refreshes to a dead host leaves Chromium on "This site can't be reached"; the
crawl stored that DOM (titled with the dead host) as the site's page and the checks read it. Now
the renderer refuses it (a RenderError, so the raw page stands) and the identity check never
reads such a page as the site's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from govaudit.checks.identity import IdentityCheck

from govaudit.browser import RenderError
from govaudit.browser.errorpage import browser_error
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import SiteSnapshot
from tests.a11y.conftest import Browser, browser  # noqa: F401 - the module's browser fixture
from tests.identity.pages import home
from tests.identity.servers import audit
from tests.support.server import LocalServer, page, serving

DEAD = "http://127.0.0.1:9/zwgk/gsgg/"  # nothing listens on port 9: the browser shows its error page
# Modelled on a TRS column index: a short script writes the refresh, so the crawl renders the page.
REFRESH = (f'<html><head><script>var lm="政务公开"; if (lm == "政务公开") {{ document.write(\'<meta '
           f'http-equiv="Refresh" content="0;URL={DEAD}" />\'); }}</script></head></html>')
# The DOM Chromium serialises for its error page (abridged from a real one, ERR_NAME_NOT_RESOLVED).
CHROMIUM_ERROR = ('<!DOCTYPE html><html dir="ltr" lang="en"><head><title>rsj.example.gov.cn</title></head>'
                  '<body class="neterror" style="font-size: 75%"><div id="content"><div id="main-frame-error" '
                  'class="interstitial-wrapper"><div id="main-message"><h1><span>This site can’t be reached'
                  '</span></h1><div class="error-code">ERR_NAME_NOT_RESOLVED</div></div></div></div></body></html>')


def no_v6(host: str) -> list[str]:
    return []


def test_error_page_markers() -> None:
    assert browser_error("chrome-error://chromewebdata/") is not None
    assert "ERR_NAME_NOT_RESOLVED" in (browser_error("http://127.0.0.1/zwgk/", CHROMIUM_ERROR) or "")
    zh = CHROMIUM_ERROR.replace("This site can’t be reached", "无法访问此网站")
    assert browser_error("http://127.0.0.1/zwgk/", zh) is not None
    # a site page that talks about errors is not the browser's page
    assert browser_error("http://127.0.0.1/a.html", "<body class='news'><p>ERR_NAME_NOT_RESOLVED 是什么</p>") is None
    assert browser_error("http://127.0.0.1/", home()) is None


def test_renderer_refuses_its_own_error_page(browser: Browser) -> None:  # noqa: F811
    with LocalServer({"/zwgk/index.html": page(REFRESH)}) as srv:
        with pytest.raises(RenderError, match="error page"):
            browser.run(browser.renderer.render_page(srv.url("/zwgk/index.html")))


def _crawl_rendered(browser: Browser, url: str) -> SiteSnapshot:  # noqa: F811
    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.timeout, cfg.crawl.retries, cfg.crawl.max_pages = 0.0, 5.0, 0, 20

    async def go() -> SiteSnapshot:
        async with Fetcher(cfg.crawl) as f:
            return await crawl(url, cfg.crawl, f, renderer=browser.renderer)

    return browser.run(go())


def test_crawl_keeps_the_raw_page_not_the_browser_error(browser: Browser) -> None:  # noqa: F811
    routes = {"/": page(home(body='<a href="/zwgk/index.html">政务公开</a>')), "/zwgk/index.html": page(REFRESH)}
    with LocalServer(routes) as srv:
        snap = _crawl_rendered(browser, srv.url("/"))
    stored = snap.page(srv.url("/zwgk/index.html"))
    assert stored is not None
    assert browser_error(stored.final_url, stored.text) is None
    assert "document.write" in stored.text and stored.title != "127.0.0.1"


def test_gzdzhrss_zwgk_refresh_to_the_dead_domain(browser: Browser, corpus: Path) -> None:  # noqa: F811
    """道真县人社局 zwgk/index.html: `<meta http-equiv="Refresh" content="0;URL=http://rsj.gzdaozhen.gov.cn/
    zwgk/gsgg/">` — the body's own lapsed domain, dead offline."""
    site = corpus / "cn-portals" / "gzdzhrss_com" / "site"
    raw = (site / "zwgk" / "index.html").read_text(encoding="utf-8")
    routes = {"/": page(home(body='<a href="/zwgk/index.html">政务公开</a>')), "/zwgk/index.html": page(raw)}
    with LocalServer(routes) as srv:
        snap = _crawl_rendered(browser, srv.url("/"))
    stored = snap.page(srv.url("/zwgk/index.html"))
    assert stored is not None and browser_error(stored.final_url, stored.text) is None
    assert stored.title != "rsj.gzdaozhen.gov.cn"


def test_identity_never_reads_a_stored_browser_error_page() -> None:
    """A page stored before this fix (or by any other path) is still not the site's: no finding on it."""
    routes = {"/": page(home(body='<a href="/zwgk/index.html">政务公开</a>')),
              "/zwgk/index.html": page(CHROMIUM_ERROR)}
    with serving(routes) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
    assert not [f for f in res.findings if f.page.endswith("/zwgk/index.html")]
    assert res.data["page_kinds"] == {"home": 1}  # the error page is not counted as a page of the site
