"""Page metadata by page kind: missing, empty, invalid and mismatched fields fire; a complete site
does not; the page-kind heuristic on URL shapes and page structure."""

from __future__ import annotations

import pytest
from govaudit.checks.identity import IdentityCheck
from govaudit.checks.identity.html import Doc
from govaudit.checks.identity.pagekind import page_kind

from govaudit.errors import UsageError
from tests.identity.pages import SITE_META, article, cn_page, column, home
from tests.identity.servers import audit, rules
from tests.support.server import page, serving

META_RULES = {"meta-missing", "meta-invalid", "meta-siteidcode-mismatch"}
COL = "/xwdt/index.html"
ART = "/xwdt/202611/t20261118_4341.html"


def no_v6(host: str) -> list[str]:
    return []


def site(home_html: str | None = None, column_html: str | None = None, article_html: str | None = None) -> dict:
    return {"/": page(home_html or home()), COL: page(column_html or column()),
            ART: page(article_html or article())}


def missing(res: object) -> set[tuple[str, str]]:
    return {(f.page.split("/", 3)[-1], f.evidence["field"]) for f in res.findings if f.rule == "meta-missing"}  # type: ignore[attr-defined]


def test_complete_metadata_has_no_finding() -> None:
    with serving(site()) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert rules(res) & META_RULES == set()
        assert res.data["page_kinds"] == {"article": 1, "column": 1, "home": 1}
        assert (res.metrics["meta_pages_judged"], res.metrics["meta_pages_missing"]) == (3, 0)


@pytest.mark.parametrize(("where", "field"), [
    ("home", "SiteName"), ("home", "SiteDomain"), ("home", "SiteIDCode"),
    ("column", "ColumnName"), ("column", "ColumnType"),
    ("article", "ArticleTitle"), ("article", "PubDate"), ("article", "ContentSource"),
])
def test_each_missing_field_fires_on_its_page(where: str, field: str) -> None:
    base = {"home": dict(SITE_META),
            "column": dict(SITE_META, ColumnName="要闻动态", ColumnType="政务动态"),
            "article": dict(SITE_META, ColumnName="要闻动态", ArticleTitle="标题", PubDate="2026-11-18",
                            ContentSource="县融媒体中心")}[where]
    del base[field]
    pages = {"home": home, "column": column, "article": article}
    if where == "home":
        html = cn_page("青山县人民政府", base, '<a href="/xwdt/index.html">x</a><a href="' + ART + '">y</a>')
    else:
        html = pages[where](meta=base)  # type: ignore[operator]
    with serving(site(**{f"{where}_html": html})) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        path = {"home": "", "column": COL[1:], "article": ART[1:]}[where]
        assert missing(res) == {(path, field)}
        assert res.metrics[f"meta_missing_{where}"] == 1


def test_empty_content_counts_as_missing() -> None:
    meta = dict(SITE_META, ColumnName="要闻动态", ColumnType="政务动态", SiteIDCode="")
    with serving(site(column_html=column(meta=meta))) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert missing(res) == {(COL[1:], "SiteIDCode")}


def test_siteidcode_must_equal_the_footer_code() -> None:
    meta = dict(SITE_META, SiteIDCode="3611230010")
    html = cn_page("青山县人民政府", meta, f'<a href="{COL}">x</a>')
    with serving(site(home_html=html)) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        (f,) = [f for f in res.findings if f.rule == "meta-siteidcode-mismatch"]
        assert (f.evidence["meta"], f.evidence["footer"], f.evidence["kind"]) == ("3611230010", "3611230001", "home")
        assert res.metrics["siteidcode_mismatch"] == 1


def test_invalid_values_fire() -> None:
    meta = dict(SITE_META, ColumnName="要闻动态", ArticleTitle="标题", PubDate="待定", ContentSource="x",
                SiteIDCode="36-1123")
    with serving(site(article_html=article(meta=meta))) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        invalid = {f.evidence["field"] for f in res.findings if f.rule == "meta-invalid"}
        assert invalid == {"PubDate", "SiteIDCode"}


def test_required_fields_are_an_option() -> None:
    meta = dict(SITE_META, ColumnName="要闻动态", ArticleTitle="标题", PubDate="2026-11-18")  # no ContentSource
    with serving(site(article_html=article(meta=meta))) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert missing(res) == {(ART[1:], "ContentSource")}
        opts = {"meta_required": {"article": ["ArticleTitle", "PubDate"]}}
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), opts)
        assert missing(res) == set()
        with pytest.raises(UsageError, match="unknown page kind"):
            audit(IdentityCheck(resolver=no_v6), srv.url("/"), {"meta_required": {"list": ["X"]}})


def test_a_soft_404_page_is_not_judged() -> None:
    soft = page('<html><head><title>页面不存在</title></head><body><h1>页面不存在</h1></body></html>')
    routes = site()
    routes[ART] = soft
    with serving(routes) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert missing(res) == set()


@pytest.mark.parametrize(("url", "kind"), [
    ("http://s.gov.cn/xwdt/202611/t20261118_4341.html", "article"),  # TRS
    ("http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html", "article"),  # Hanweb
    ("http://www.wanzai.gov.cn/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml", "article"),
    ("http://www.gov.cn/zhengce/content/2026-11/19/content_5123456.htm", "article"),
    ("http://s.gov.cn/about/lxwm.html", "other"),
])
def test_page_kind_by_url(url: str, kind: str) -> None:
    doc = Doc("<html><body><p>联系我们</p></body></html>", url)
    assert page_kind(doc, url, {"http://s.gov.cn/"}) == kind


def test_page_kind_by_structure() -> None:
    dated = "".join(f"<li><a href='/a{n}.html'>第{n}条</a><span>2026-11-{n:02d}</span></li>" for n in range(1, 7))
    undated = "".join(f"<li><a href='/s{n}/index.html'>栏目{n}</a></li>" for n in range(1, 9))
    body = "<p>发布时间：2026-11-18 来源：县政府办</p><p>" + "正文。" * 150 + "</p>"
    home_urls = {"http://s.gov.cn/"}
    assert page_kind(Doc(f"<ul>{dated}</ul>", "x"), "http://s.gov.cn/tzgg/index.html", home_urls) == "column"
    assert page_kind(Doc(f"<ul>{undated}</ul>", "x"), "http://s.gov.cn/zwgk/index.html", home_urls) == "other"
    assert page_kind(Doc(body, "x"), "http://s.gov.cn/show.jsp?id=3", home_urls) == "article"
    assert page_kind(Doc("<p>x</p>", "x"), "http://s.gov.cn/", home_urls) == "home"
    # the page's own declaration wins over its URL
    declared = '<meta name="ColumnName" content="通知公告"><p>暂无信息</p>'
    assert page_kind(Doc(declared, "x"), "http://s.gov.cn/tzgg/list.jsp", home_urls) == "column"
