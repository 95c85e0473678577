"""Issue 17's freshness patterns, each seen on a real portal: a fixture portal built on the pattern
(served on loopback, crawled, checked end to end) and, where the corpus portals show it, that page.

- 3: list items opened by script (`href="javascript:;"`) and card links (`<a><h3>标题(日期)</h3></a>`):
  the column's own items and dates are read, never a neighbour's date or the footer's links.
- 4: a breadcrumb and heading outrank a CMS `ColumnName` meta that a template set on many columns.
- 7: a column page with its heading over an empty list container is an empty column.
- 8: a breadcrumb `首页 - 新闻报道 - 电视报道` is not skipped for 首页; 教育服务 is not skipped for 服务;
  a column reached through `<meta http-equiv=refresh>` is followed.
- 9: a column's type comes from its own name, not the site's (`资料下载_某某规划办` is no plan column),
  and an organisation unit (县卫生和计划生育委员会) is not typed by the words inside its name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from govaudit.checks.freshness.classify import Classifier, own_name, site_parts
from govaudit.checks.freshness.discover import main_list
from govaudit.checks.freshness.page import EMPTY_LIST, analyse

from tests.freshness.site import SITE, audit_freshness, columns_by_path, nav, shell
from tests.support.server import page, serving

AS_OF = date(2026, 11, 20)
PLAN_SITE = "某某社科规划办"


def _crumb(*parts: str, sep: str = " &gt; ") -> str:
    return "<div class='crumb'>当前位置：" + sep.join(f"<a href='/'>{p}</a>" for p in parts) + "</div>"


def script_list() -> str:
    """A SiteServer-style column: card links, most opened by script, date closing the heading."""
    cards = [("/contents/1/101.html", "关于开展冬季供暖情况排查的紧急通知", "2026-11-18"),
             ("javascript:;", "转发全面监督线索督办件的通知", "2026-10-02"),
             ("javascript:;", "教育体育事业发展规划调研活动举行", "2026-09-14")]
    items = "".join(f"<a href='{h}' class='box'><h3>{t}({d})</h3><p>{t}</p></a>" for h, t, d in cards)
    body = (_crumb("首页", "机构设置", "发展规划科", sep="&nbsp;-&nbsp;") + "<div class='title-m'><span>发展规划科</span></div>"
            f"<ul>{items}</ul>")
    footer = "".join(f"<li><a href='/about/{n}.html'>关于我们 {n}</a> 2020-01-0{n}</li>" for n in range(1, 5))
    return shell(f"[发展规划科]-{SITE}", body + f"<ul class='foot'>{footer}</ul>",
                 meta="<meta name='ColumnName' content='发展规划科'>")


def wrong_meta_list(name: str, rows: str) -> str:
    """A TRS-style template that writes one ColumnName on every column page."""
    body = f"{_crumb('首页', name)}<h1 class='coltitle'>{name}</h1><ul class='list'>{rows}</ul>"
    return shell(f"{name}_{SITE}", body, meta="<meta name='ColumnName' content='工作动态'>")


def rows(*items: tuple[str, str]) -> str:
    return "".join(f"<li><a href='/a/{n}.html'>{t}</a><span>{d}</span></li>" for n, (t, d) in enumerate(items))


def empty_ul(name: str) -> str:
    body = f"{_crumb('首页', '政务公开', name, sep='&nbsp;&raquo;&nbsp;')}<h1><span>{name}</span></h1><ul>\n</ul>"
    return shell(f"{name}_{SITE}", body)


def patterned_routes() -> dict[str, object]:
    home_nav = nav(("发展规划科", "/fzgh/index.html"), ("通知公告", "/tzgg/index.html"),
                   ("人事任免", "/rsrm/index.html"), ("政策解读", "/zcjd/index.html"),
                   ("电视报道", "/dsbd/index.html"), ("教育服务", "/jyfw/index.html"),
                   ("工作动态", "/gzdt/index.html"))
    home = shell(SITE, "<div class='news'><h2>要闻</h2><ul><li><a href='/a/1.html'>要闻一</a><span>2026-11-19</span>"
                       "</li><li><a href='/a/2.html'>要闻二</a><span>2026-11-18</span></li></ul></div>", nav=home_nav)
    tv = ("<div class='crumb'>当前位置：<a href='/'>首页</a> - <a href='/xw/'>新闻报道</a> - <a href=''>电视报道</a>"
          "</div><h2 class='title'>电视报道</h2><ul class='list'>"
          + rows(("十一月十九日教育报道", "2026-11-19"), ("十一月十六日教育报道", "2026-11-16")) + "</ul>")
    return {
        "/": page(home),
        "/fzgh/index.html": page(script_list()),
        "/tzgg/index.html": page(wrong_meta_list("通知公告", rows(("关于放假的通知", "2026-06-01"), ("公告二", "2026-05-01")))),
        "/rsrm/index.html": page(wrong_meta_list("人事任免", rows(("任免通知", "2026-01-05"), ("任前公示", "2025-12-01")))),
        "/zcjd/index.html": page(empty_ul("政策解读")),
        "/dsbd/index.html": page(shell(f"电视报道_{SITE}", tv)),
        "/jyfw/index.html": page(wrong_meta_list("教育服务", rows(("招生入学服务说明", "2026-11-02"), ("资助申请", "2026-10-01")))),
        "/gzdt/index.html": page("<html><head><meta http-equiv='Refresh' content='0;URL=./ywyw/'></head></html>"),
        "/gzdt/ywyw/": page(wrong_meta_list("业务要闻", rows(("业务要闻一", "2026-11-12"), ("业务要闻二", "2026-11-01")))),
    }


def test_patterned_portal_columns_end_to_end() -> None:
    with serving(patterned_routes(), fallback=page(shell(f"文章_{SITE}", "<h1>文章</h1><p>正文。</p>"))) as srv:
        _, res = audit_freshness(srv.url("/"), max_pages=40)
    assert res.status == "ok", res.error
    cols = columns_by_path(res, srv.base)
    got = {p: (c["name"], c["type"], c["latest"], c["empty"]) for p, c in cols.items()}
    # 3: the first card's own date (not the script-link neighbour's 10-02); the footer is not the list.
    assert got["/fzgh/index.html"] == ("发展规划科", "other", "2026-11-18", False)
    assert cols["/fzgh/index.html"]["items"] == 3
    # 4: heading and breadcrumb, not the template's ColumnName 工作动态.
    assert got["/tzgg/index.html"] == ("通知公告", "notice", "2026-06-01", False)
    assert got["/rsrm/index.html"] == ("人事任免", "personnel", "2026-01-05", False)
    # 7: heading over an empty <ul>.
    assert got["/zcjd/index.html"] == ("政策解读", "policy", None, True)
    assert cols["/zcjd/index.html"]["empty_marker"] == EMPTY_LIST
    # 8: neither 首页 in a spaced-hyphen breadcrumb nor 服务 in 教育服务 skips a dated column;
    # the refresh page leads to the column it forwards to.
    assert got["/dsbd/index.html"] == ("电视报道", "news", "2026-11-19", False)
    assert got["/jyfw/index.html"][2] == "2026-11-02"
    assert got["/gzdt/ywyw/"][2] == "2026-11-12"
    reasons = {n["url"].replace(srv.base, ""): n["reason"] for n in res.data["not_columns"]}
    assert reasons["/gzdt/index.html"].startswith("redirects (meta refresh)")


def test_script_list_dates_are_the_items_own() -> None:
    facts = analyse(script_list(), "http://x/fzgh/index.html", AS_OF)
    main, dated = main_list(facts, facts.url)
    assert main is not None and dated
    assert [i.date.isoformat() for i in main.items if i.date] == ["2026-11-18", "2026-10-02", "2026-09-14"]


def test_type_from_the_columns_own_name() -> None:
    c = Classifier()
    site = site_parts(f"{PLAN_SITE}-国家社科规划办-某新闻网信息发布系统")
    assert own_name(f"资料下载_{PLAN_SITE}", site) == "资料下载"
    assert own_name(f"{PLAN_SITE}-国家社科规划办", site) == ""
    assert own_name("[电视报道]", site) == "电视报道"
    assert c.classify([own_name(f"资料下载_{PLAN_SITE}", site)]) == "other"
    assert c.classify(["县卫生和计划生育委员会"]) == "other"
    assert c.classify(["城乡规划中心"]) == "other"
    assert c.classify(["发展规划科"]) == "other"
    # ... but a unit named after a type keyword, and the keyword itself, still type the column.
    assert c.classify(["新闻中心"]) == "news"
    assert c.classify(["规划计划"]) == "plan"
    assert c.classify(["领导活动"]) == "news"
    assert c.classify(["信访局"]) == "skip"
    assert c.classify(["在线服务"]) == "skip"
    assert c.classify(["教育服务"]) == "other"
    assert c.classify(["党纪条例"]) == "other"  # party regulations, not a 政策文件 column
    assert c.classify(["廉政要闻"]) == "news"


# ---- the same patterns on the corpus portals' real pages -------------------------------------------

def _facts(corpus: Path, site: str, path: str, as_of: date):  # noqa: ANN202
    html = (corpus / "cn-portals" / site / "site" / path).read_text(encoding="utf-8", errors="replace")
    return analyse(html, f"http://127.0.0.1:1/{path}", as_of)


def test_corpus_script_card_lists(corpus: Path) -> None:
    # lgedu_net (SiteServer): card links, the newest item's date closes its heading.
    f = _facts(corpus, "lgedu_net", "channels/18166.html", date(2021, 1, 1))
    main, dated = main_list(f, f.url)
    assert main is not None and dated
    assert max(i.date for i in main.items if i.date) == date(2020, 12, 30)
    assert main.items[0].date == date(2020, 12, 30)  # not its script-link neighbour's 12-15
    tv = _facts(corpus, "lgedu_net", "channels/18288.html", date(2021, 1, 1))
    assert tv.crumb == "电视报道"
    main, dated = main_list(tv, tv.url)
    assert main is not None and dated and max(i.date for i in main.items if i.date) == date(2020, 12, 8)


def test_corpus_empty_columns(corpus: Path) -> None:
    # gzdzhrss_com (TRS WCM): 政策解读 and 规划计划 show their heading over an empty <ul>.
    for path in ("zwgk/zcjd/index.html", "zwgk/ghjh/index.html"):
        f = _facts(corpus, "gzdzhrss_com", path, date(2021, 1, 1))
        assert f.empty_marker == EMPTY_LIST, path
        assert main_list(f, f.url)[0] is None
    # A filled column of the same template is not empty.
    f = _facts(corpus, "gzdzhrss_com", "gzdt/ldhd/index.html", date(2021, 1, 1))
    assert f.empty_marker is None and main_list(f, f.url)[0] is not None


def test_corpus_site_name_is_no_column_name(corpus: Path) -> None:
    home = _facts(corpus, "gxpopss_cn", "index.html", date(2020, 7, 28))
    site = site_parts(home.title)
    col = _facts(corpus, "gxpopss_cn", "staticmores/008/008-1.html", date(2020, 7, 28))
    names = [n for n in (own_name(x, site) for x in col.names()) if n]
    assert names == ["资料下载"]
    assert Classifier().classify(names) == "other"


# ---- 6: year-less dates ------------------------------------------------------------------------

def _frozen_home(**headers: str) -> dict[str, object]:
    rows = "".join(f"<li><a href='/xw/{n}.html'>县里召开第{n}次工作会议</a><span>[11-{30 - n}]</span></li>"
                   for n in range(5))
    home = shell(SITE, f"<div class='news'><h2>工作动态</h2><ul>{rows}</ul></div>")
    return {"/": page(home, **headers)}


def test_year_less_home_dates_of_a_frozen_site_are_not_this_year() -> None:
    # Frozen in 2020, audited on 2026-12-03: Last-Modified gives the year, the home page is stale.
    with serving(_frozen_home(**{"Last-Modified": "Tue, 01 Dec 2020 08:00:00 GMT"}),
                 fallback=page(shell(f"文章_{SITE}", "<h1>文章</h1><p>正文。</p>"))) as srv:
        _, res = audit_freshness(srv.url("/"), as_of=date(2026, 12, 3), max_pages=20)
    assert res.data["home"]["latest"] == "2020-11-30"
    assert res.metrics["home_updated"] == 0
    assert any(f.rule == "home-not-updated" for f in res.findings)


def test_year_less_home_dates_with_nothing_to_date_them_are_not_judged() -> None:
    with serving(_frozen_home(), fallback=page(shell(f"文章_{SITE}", "<h1>文章</h1><p>正文。</p>"))) as srv:
        _, res = audit_freshness(srv.url("/"), as_of=date(2026, 12, 3), max_pages=20)
    # Neither "updated this year" nor a 首页不更新 veto: the metric is unknown, the indicator an error.
    assert res.metrics["home_updated"] is None
    assert not any(f.rule == "home-not-updated" for f in res.findings)
    assert any(f.rule == "home-undatable" for f in res.findings)


def test_script_items_beside_a_self_link_menu_are_the_list() -> None:
    # `<li class=on><a href="">本栏目</a>` makes the page its own menu entry; script items stand for
    # the page too, so they must not be taken for that menu. The date sits in `<i>日间：…</i>`.
    menu = "<ul class='sub'>" + "".join(f"<li><a href='{h}'>{t}</a></li>" for t, h in
                                        (("本科室", ""), ("科室动态", "/ks/dt.html"), ("科室文件", "/ks/wj.html"))) + "</ul>"
    rows = "".join(f"<li><a href='javascript:;'><h2>关于第{n}号提案的答复意见</h2><p><i class='date'>日间：2019-07-0{n}</i>"
                   "</p></a></li>" for n in range(1, 4))
    html = shell(f"本科室_{SITE}", f"<div class='crumb'>您现在的位置是：<a href='/'>首页</a> &gt; <a href=''>本科室</a></div>"
                                  f"{menu}<ul class='txt-list'>{rows}</ul>")
    facts = analyse(html, "http://x/ks/index.html", AS_OF)
    assert facts.crumb == "本科室"
    main, dated = main_list(facts, facts.url)
    assert main is not None and dated
    assert [i.date.isoformat() for i in main.items if i.date] == ["2019-07-01", "2019-07-02", "2019-07-03"]


def test_corpus_script_items_and_labelled_dates(corpus: Path) -> None:
    f = _facts(corpus, "lgedu_net", "channels/18150.html", date(2021, 1, 1))
    main, dated = main_list(f, f.url)
    assert main is not None and dated and main.items[0].date == date(2020, 12, 14)
    f = _facts(corpus, "lgedu_net", "channels/2161.html", date(2021, 1, 1))
    assert f.crumb == "工作信息"
    main, dated = main_list(f, f.url)
    assert main is not None and dated and max(i.date for i in main.items if i.date) == date(2019, 7, 9)


def test_standing_information_is_never_long_stale() -> None:
    from govaudit.checks.freshness.verdict import Column, DatedItem, judge

    c = Classifier()
    old = [DatedItem("条目", "http://x/a.html", date(2019, 5, 3), "2019-05-03", "http://x/", "list")]
    # (static, long_stale: counted toward the veto, dormant: shown only)
    for name, expected in (("机构职能", (True, False, False)), ("组织机构", (True, False, False)),
                           ("部门领导", (True, False, False)), ("党建信息", (False, False, True)),
                           ("工作动态", (False, True, False))):
        kind = c.classify([name])
        col = Column(name=name, url="http://x/", type=kind, threshold_days=c.threshold(kind), items=1,
                     dates=list(old), static=c.is_static(name))
        row = judge(col, date(2021, 1, 1), 1, 365)
        assert (row["static"], row["long_stale"], row["dormant"]) == expected, name


# ---- columns no menu reaches: the whole crawl is searched ----------------------------------------

def _col(name: str, trail: tuple[str, ...], rows_html: str, title_site: str = SITE, pager: str = "") -> str:
    crumb = "<div class='crumb'>当前位置：" + " &gt; ".join(f"<a href='/'>{p}</a>" for p in (*trail, name)) + "</div>"
    return shell(f"[{name}]-{title_site}", f"{crumb}<h2 class='title'>{name}</h2><ul class='list'>{rows_html}</ul>{pager}")


def crawl_only_routes() -> dict[str, object]:
    # The home page reaches these only through a side door: a page of image links behind one text
    # link; no menu entry, no block with a 更多 link, no banner on the home page itself (those are
    # found as banners, test_discovery_paths.py). The crawl fetches them all the same.
    links = "".join(f"<a href='{u}'><img src='/i.png' alt=''></a>" for u in (
        "/ks/tzgg/", "/zt/kyzl/gzdt/", "/city/ywdt/", "/hd/bltj/", "/ks/xwdt/"))
    home = shell(SITE, "<div class='news'><h2>要闻</h2><ul><li><a href='/a/1.html'>要闻一</a><span>2026-11-19</span>"
                       "</li><li><a href='/a/2.html'>要闻二</a><span>2026-11-18</span></li></ul></div>"
                       "<p><a href='/side.html'>更多链接</a></p>")
    return {
        "/": page(home),
        "/side.html": page(shell(f"链接_{SITE}", links)),
        "/ks/tzgg/": page(_col("通知公告", ("首页", "某科室"), rows(("科室通知一", "2025-03-01"), ("科室通知二", "2025-02-01")))),
        "/zt/kyzl/gzdt/": page(_col("工作动态", ("首页", "专题专栏", "抗疫专栏"), rows(("抗疫动态一", "2020-06-03"),
                                                                             ("抗疫动态二", "2020-05-01")))),
        "/city/ywdt/": page(_col("要闻动态", ("首页",), rows(("市里要闻", "2026-11-19"), ("市里要闻二", "2026-11-10")),
                                 title_site="某市人民政府门户网站群")),
        "/hd/bltj/": page(_col("办理统计", ("首页", "互动交流"), "") .replace("<ul class='list'></ul>", "<p>共 0 条</p>")),
        "/ks/xwdt/": page(_col("科室动态", ("首页", "某科室"), rows(("动态一", "2026-11-12"), ("动态二", "2026-11-01")),
                               pager="<a href='/ks/xwdt/index_1.html'>2</a>")),
        "/ks/xwdt/index_1.html": page(_col("科室动态", ("首页", "某科室"), rows(("动态三", "2026-10-12"), ("动态四", "2026-10-01")))),
    }


def test_columns_no_menu_reaches_are_found_in_the_crawl() -> None:
    with serving(crawl_only_routes(), fallback=page(shell(f"文章_{SITE}", "<h1>文章</h1><p>正文。</p>"))) as srv:
        _, res = audit_freshness(srv.url("/"), max_pages=40)
    cols = columns_by_path(res, srv.base)
    # A unit's notices, found through the crawl, judged as a notice column.
    assert (cols["/ks/tzgg/"]["name"], cols["/ks/tzgg/"]["type"], cols["/ks/tzgg/"]["stale"]) == ("通知公告", "notice", True)
    assert cols["/ks/tzgg/"]["found_via"] == "crawl"
    # A 专题's 工作动态 is a campaign's page: type other, no stale news column.
    assert (cols["/zt/kyzl/gzdt/"]["type"], cols["/zt/kyzl/gzdt/"]["stale"]) == ("other", False)
    # Another site's page on the same host, and a page of the 互动 section, are not this site's columns.
    assert "/city/ywdt/" not in cols and "/hd/bltj/" not in cols
    # A list's page 2 is no column of its own.
    assert "/ks/xwdt/" in cols and "/ks/xwdt/index_1.html" not in cols
    assert cols["/ks/xwdt/"]["latest"] == "2026-11-12"


def test_rows_without_links_are_the_columns_items_not_the_footer() -> None:
    # Pattern 3: titles and dates in table cells, no link per row; the page's footer links (with a
    # date of their own) must not become the column's items.
    rows_html = "".join(f"<tr><td>{t}</td><td>{d}</td></tr>" for t, d in (
        ("关于开展年度考核工作的通知", "2026-11-02"), ("关于印发工作要点的通知", "2026-10-09"),
        ("关于做好节日值班工作的通知", "2026-09-28")))
    footer = "".join(f"<li><a href='/f/{n}.html'>友情链接网站{n}</a> 2019-01-0{n}</li>" for n in range(1, 5))
    html = shell(f"通知公告_{SITE}", f"{_crumb('首页', '通知公告')}<h2 class='title'>通知公告</h2>"
                                     f"<table class='list'><tbody>{rows_html}</tbody></table><ul class='foot'>{footer}</ul>")
    facts = analyse(html, "http://x/tzgg/index.html", AS_OF)
    main, dated = main_list(facts, facts.url)
    assert main is not None and dated
    assert [(i.title, i.date.isoformat()) for i in main.items] == [
        ("关于开展年度考核工作的通知", "2026-11-02"), ("关于印发工作要点的通知", "2026-10-09"),
        ("关于做好节日值班工作的通知", "2026-09-28")]
    # A table of figures with a date column is no list of titles.
    figures = "<table><tbody>" + "".join(f"<tr><td>2026-0{n}-01</td><td>{n * 13}</td></tr>" for n in range(1, 5)) + "</tbody></table>"
    assert not any(lst.items and lst.items[0].url == "http://x/s.html" for lst in analyse(figures, "http://x/s.html", AS_OF).lists)
