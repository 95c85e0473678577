"""The freshness check on a small county portal served on 127.0.0.1, one planted case per column."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from tests.freshness.site import (
    AS_OF,
    SITE,
    article,
    audit_freshness,
    block,
    columns_by_path,
    empty_page,
    list_page,
    nav,
    row,
    shell,
)
from tests.support.server import LocalServer, page, serving, status

NAV = nav(("首页", "/"), ("工作动态", "/gzdt/index.html"), ("通知公告", "/tzgg/index.html"),
          ("政策文件", "/zcwj/index.html"), ("人事任免", "/rsrm/index.html"), ("统计信息", "/tjxx/index.html"),
          ("乡镇动态", "/xzdt/index.html"), ("领导信箱", "/ldxx/index.html"), ("专题专栏", "/zt/index.html"))


LAST_MODIFIED = {"Last-Modified": "Fri, 20 Nov 2026 01:00:00 GMT"}


def county_routes() -> dict:
    gzdt_rows = [row(f"县政府召开第{n}次常务会议", f"/gzdt/202611/t202611{19 - n:02d}_{n}.html", f"[11-{19 - n:02d}]")
                 for n in range(10)]
    home = shell(SITE, "".join([
        block("工作动态", "/gzdt/index.html", gzdt_rows[:5]),
        block("通知公告", "/tzgg/index.html", [
            row("关于做好2026年12月31日前医保缴费工作的通知", "/tzgg/202611/t20261105_1.html", "2026年11月05日")]),
        block("政策解读", "/zcjd/index.html", [row("解读某某办法", "/zcjd/202610/t20261001_1.html", None)]),
        block("部门动态", "/bmdt/index.html", [
            row("县农业农村局开展培训", "/bmdt/202611/t20261101_1.html", "2026-11-01"),
            row("县人社局举办招聘会", "/bmdt/202610/t20261020_1.html", "2026-10-20")]),
        block("图片新闻", "/tpxw/index.html", [row("图片一", "/tpxw/202611/t20261110_1.html", "2026-11-10")]),
    ]), nav=NAV)
    return {
        "/": page(home),
        # Year-less dates ([11-19]): the list pages' Last-Modified tells their year.
        "/gzdt/index.html": page(list_page("工作动态", gzdt_rows,
                                           "共25条 <a href='index_1.html'>2</a> <a href='index_2.html'>下一页</a>"),
                                 **LAST_MODIFIED),
        "/gzdt/index_1.html": page(list_page("工作动态", gzdt_rows), **LAST_MODIFIED),
        "/gzdt/index_2.html": page(list_page("工作动态", gzdt_rows[:5]), **LAST_MODIFIED),
        "/tzgg/index.html": page(list_page("通知公告", [
            row("关于元旦假期安排的通知", "/tzgg/202612/t20261225_9.html", "2026/12/25"),  # planted future date
            row("关于做好2026年12月31日前医保缴费工作的通知", "/tzgg/202611/t20261105_1.html", "2026/11/05"),
            row("关于征集2027年民生实事项目建议的公告", "/tzgg/202608/t20260818_1.html", "2026/08/18"),
            row("某项工作公告（日期待定）", "/tzgg/202607/t20260701_1.html", "待定"),
        ])),
        "/zcwj/index.html": page(list_page("政策文件", [
            row("县人民政府关于印发某某方案的通知", "/zcwj/202603/t20260301_1.html", "2026.03.01"),
            row("县人民政府办公室关于某某的通知", "/zcwj/202601/t20260110_1.html", "2026.01.10"),
        ])),
        "/rsrm/index.html": page(list_page("人事任免", [
            row("县人民政府关于某某同志任职的通知", "/rsrm/202501/t20250101_1.html", "2025-01-01 09:30:00")])),
        "/tjxx/index.html": page(empty_page("统计信息")),
        "/xzdt/index.html": page(list_page("乡镇动态", [
            row("某镇开展冬季防火巡查", "/xzdt/202611/t20261117_1.html", "<em>17</em><b>2026-11</b>"),
            row("某乡召开产销对接会", "/xzdt/202611/t20261102_1.html", "<em>02</em><b>2026-11</b>")])),
        "/zcjd/index.html": page(list_page("政策解读", [
            row("解读某某办法", "/zcjd/202610/t20261001_1.html", None),
            row("某某通知政策问答", "/zcjd/202610/t20261020_1.html", None),
            row("一图读懂某某方案", "/zcjd/202609/t20260901_1.html", None),
        ])),
        "/zcjd/202610/t20261001_1.html": page(article("解读某某办法", pubdate="2026-10-01 10:02")),
        "/zcjd/202610/t20261020_1.html": page(article("某某通知政策问答", visible="2026-10-20 09:00")),
        "/zcjd/202609/t20260901_1.html": page(article("一图读懂某某方案")),  # no date anywhere
        "/bmdt/index.html": status(404),
        "/tpxw/index.html": page(shell("图片新闻_" + SITE, "<div id='pics'></div><script>load()</script>")),
        "/ldxx/index.html": page(list_page("领导信箱", [row("来信", "/ldxx/1.html", "2020-01-01")])),
        "/zt/index.html": page(shell("专题专栏_" + SITE, "<h1>专题专栏</h1><p>专题介绍文字。</p>")),
    }


@pytest.fixture(scope="module")
def county() -> Iterator[tuple[LocalServer, object, object]]:
    with serving(county_routes(), fallback=page(article("文章"))) as srv:
        # The crawl leaves out list paging and 乡镇动态: what it did not fetch, the check fetches
        # only when it needs it (a column list page, an article of an undated list).
        snap, res = audit_freshness(srv.url("/"), exclude=[r"index_\d+\.html$", r"/xzdt/", r"/zcjd/20"],
                                    max_pages=60)
        yield srv, snap, res


def test_every_column_gets_its_verdict(county) -> None:
    srv, _, res = county
    cols = columns_by_path(res, srv.base)
    got = {path: (c["name"], c["type"], c["latest"], c["age_days"], c["threshold_days"], c["stale"], c["empty"])
           for path, c in cols.items()}
    assert got == {
        "/gzdt/index.html": ("工作动态", "news", "2026-11-19", 1, 14, False, False),
        "/tzgg/index.html": ("通知公告", "notice", "2026-12-25", 15, 183, False, False),
        "/zcwj/index.html": ("政策文件", "policy", "2026-03-01", 264, 183, True, False),
        "/rsrm/index.html": ("人事任免", "personnel", "2025-01-01", 688, 365, True, False),
        "/tjxx/index.html": ("统计信息", "other", None, None, None, False, True),
        "/xzdt/index.html": ("乡镇动态", "news", "2026-11-17", 3, 14, False, False),
        "/zcjd/index.html": ("政策解读", "policy", "2026-10-20", 31, 183, False, False),
        "/bmdt/index.html": ("部门动态", "news", "2026-11-01", 19, 14, True, False),
        "/tpxw/index.html": ("图片新闻", "news", "2026-11-10", 10, 14, False, False),
    }


def test_contract_keys_and_extra_detail(county) -> None:
    srv, _, res = county
    cols = columns_by_path(res, srv.base)
    contract = {"name", "url", "type", "latest", "age_days", "threshold_days", "items", "stale", "empty"}
    assert all(contract <= set(c) for c in cols.values())
    gz = cols["/gzdt/index.html"]
    assert (gz["items"], gz["items_source"], gz["date_source"]) == (25, "pager", "list")
    tz = cols["/tzgg/index.html"]
    assert (tz["latest_valid"], tz["future_dates"], tz["undated_items"], tz["items"]) == (
        "2026-11-05", ["2026-12-25"], 1, 4)
    jd = cols["/zcjd/index.html"]
    assert (jd["undated"], jd["undated_items"], jd["date_source"]) == (True, 1, "article:label:发布时间")
    assert cols["/tjxx/index.html"]["empty_marker"] == "暂无信息"
    bm = cols["/bmdt/index.html"]
    assert bm["date_source"] == "home-block" and "404" in bm["found_via"] and bm["error"] is None
    # A list drawn by script: the home-page block still shows the column's dates.
    tp = cols["/tpxw/index.html"]
    assert tp["date_source"] == "home-block" and "no list of items" in tp["found_via"]


def test_metrics_for_the_veto_rules(county) -> None:
    _, _, res = county
    m = res.metrics
    assert {k: m[k] for k in ("columns", "stale", "empty", "undated", "unreadable", "stale_news",
                              "stale_notice_policy", "stale_news_plus_notice_policy", "stale_policy",
                              "stale_personnel_plan", "long_stale", "future_dates", "future_columns",
                              "home_updated", "home_updated_days")} == {
        "columns": 9, "stale": 3, "empty": 1, "undated": 1, "unreadable": 0, "stale_news": 1,
        "stale_notice_policy": 1, "stale_news_plus_notice_policy": 2, "stale_policy": 1,
        "stale_personnel_plan": 1, "long_stale": 1, "future_dates": 1, "future_columns": 1,
        "home_updated": 1, "home_updated_days": 1,
    }


def test_findings_name_their_page_and_evidence(county) -> None:
    srv, _, res = county
    by_rule: dict[str, list] = {}
    for f in res.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert sorted(f.page[len(srv.base):] for f in by_rule["stale-column"]) == [
        "/bmdt/index.html", "/rsrm/index.html", "/zcwj/index.html"]
    (future,) = by_rule["future-date"]
    assert future.page == srv.url("/tzgg/index.html")
    assert future.target == srv.url("/tzgg/202612/t20261225_9.html")
    assert future.evidence["text"] == "2026/12/25" and future.evidence["days_ahead"] == 35
    (empty,) = by_rule["empty-column"]
    assert empty.page == srv.url("/tjxx/index.html")
    assert "home-not-updated" not in by_rule and "column-unreadable" not in by_rule


def test_only_needed_pages_are_fetched(county) -> None:
    srv, snap, res = county
    asked = [path for _, path in srv.log]
    assert srv.url("/xzdt/index.html") not in snap.pages  # not crawled, so the check fetched it
    assert asked.count("/xzdt/index.html") == 1
    assert "/gzdt/index_1.html" not in asked and "/gzdt/index_2.html" not in asked  # pager total was enough
    # Articles of the undated list were fetched once each; nothing else beyond the crawl.
    assert sorted(p for p in asked if p.startswith("/zcjd/20")) == [
        "/zcjd/202609/t20260901_1.html", "/zcjd/202610/t20261001_1.html", "/zcjd/202610/t20261020_1.html"]
    assert res.metrics["pages_fetched"] == 4


def test_skipped_and_non_columns_are_listed(county) -> None:
    srv, _, res = county
    reasons = {n["url"][len(srv.base):]: n["reason"] for n in res.data["not_columns"]}
    assert reasons["/ldxx/index.html"].startswith("skipped by name")
    assert reasons["/zt/index.html"].startswith("no list of items")


def test_options_and_site_overrides_change_types_and_thresholds() -> None:
    with serving(county_routes(), fallback=page(article("文章"))) as srv:
        _, res = audit_freshness(
            srv.url("/"),
            options={"thresholds": {"news": 30, "policy": 365}, "home_threshold_days": 0},
            site={"columns": [{"url": "/rsrm/index.html", "type": "skip"},
                              {"name": "统计信息", "type": "plan"},
                              {"url": "/zt/index.html", "type": "other", "name": "专题"}]},
        )
    cols = columns_by_path(res, srv.base)
    assert "/rsrm/index.html" not in cols
    assert (cols["/bmdt/index.html"]["threshold_days"], cols["/bmdt/index.html"]["stale"]) == (30, False)
    assert (cols["/zcwj/index.html"]["threshold_days"], cols["/zcwj/index.html"]["stale"]) == (365, False)
    assert (cols["/tjxx/index.html"]["type"], cols["/tjxx/index.html"]["empty"]) == ("plan", True)
    # A column the site config names but whose page shows no list: reported as such, not judged.
    zt = cols["/zt/index.html"]
    assert (zt["name"], zt["error"], zt["stale"], zt["found_via"]) == (
        "专题", "no list of items on the column page", False, "config")
    assert res.metrics["unreadable"] == 1
    (unreadable,) = [f for f in res.findings if f.rule == "column-unreadable"]
    assert unreadable.page == srv.url("/zt/index.html") and unreadable.severity == "warning"
    assert res.metrics["home_updated"] == 0  # newest home item is 1 day old; the limit is now 0 days
    assert res.data["thresholds"]["news"] == 30


def test_bad_options_raise_a_usage_error_line() -> None:
    from govaudit.errors import UsageError

    with serving({"/": page(shell(SITE, "<p>x</p>"))}) as srv:
        with pytest.raises(UsageError, match="article_reads must be a whole number"):
            audit_freshness(srv.url("/"), options={"article_reads": "many"})
        with pytest.raises(UsageError, match="unknown option 'threshold'; known: article_reads"):
            audit_freshness(srv.url("/"), options={"threshold": {"news": 7}})


# ---- the home-page rule ------------------------------------------------------------------------


def portal_entry(links: dict[str, str]) -> str:
    """A navigation-only home page: a few entries, no dated information of its own."""
    entries = "".join(f"<li><a href='{href}'>{text}</a></li>" for text, href in links.items())
    return shell(SITE, f"<div class='entry'><ul class='entries'>{entries}</ul></div>")


@pytest.mark.parametrize(("second_level", "updated", "age"), [
    ({"/a/": "2026-11-16", "/b/": "2025-01-01"}, 1, 4),
    ({"/a/": "2026-10-01", "/b/": "2025-01-01"}, 0, 50),
])
def test_navigation_only_home_uses_second_level_pages(second_level: dict[str, str], updated: int, age: int) -> None:
    routes = {"/": page(portal_entry({"政务公开": "/a/", "办事服务": "/b/"}))}
    for path, newest in second_level.items():
        routes[path] = page(list_page("栏目", [row("某条信息标题内容", path + "1.html", newest),
                                             row("另一条信息标题", path + "2.html", "2024-05-05")]))
    with serving(routes) as srv:
        _, res = audit_freshness(srv.url("/"))
    assert res.data["home"]["basis"] == "second-level"
    assert (res.metrics["home_updated"], res.metrics["home_updated_days"]) == (updated, age)
    assert ("home-not-updated" in {f.rule for f in res.findings}) == (not updated)


def test_home_page_without_any_date_is_not_updated() -> None:
    rows = [row(f"某条新闻标题{n}", f"/xw/{n}.html", None) for n in range(4)]
    routes = {"/": page(shell(SITE, block("新闻", "/xw/", rows))), "/xw/": page(list_page("新闻", rows))}
    with serving(routes, fallback=page(article("没有日期的文章"))) as srv:
        _, res = audit_freshness(srv.url("/"))
    assert res.metrics["home_updated"] == 0 and res.metrics["home_updated_days"] is None
    (finding,) = [f for f in res.findings if f.rule == "home-not-updated"]
    assert "no dated information" in finding.message
    col = columns_by_path(res, srv.base)["/xw/"]
    assert (col["stale"], col["no_dates"], col["age_days"]) == (True, True, None)  # undated = not updated
    assert next(f for f in res.findings if f.rule == "stale-column").evidence["no_dates"] is True


def test_home_articles_give_the_home_date_when_its_lists_show_none() -> None:
    rows = [row(f"某条新闻标题{n}", f"/xw/2026/11/t2026111{n}_{n}.html", None) for n in range(4)]
    routes = {"/": page(shell(SITE, block("新闻", "/xw/", rows)))}
    for n in range(4):
        routes[f"/xw/2026/11/t2026111{n}_{n}.html"] = page(article(f"新闻{n}", pubdate=f"2026-11-1{n} 08:00"))
    with serving(routes) as srv:
        _, res = audit_freshness(srv.url("/"))
    assert res.data["home"]["basis"] == "home-articles"
    assert (res.metrics["home_updated"], res.metrics["home_updated_days"]) == (1, 7)


def test_future_dates_on_the_home_page_are_findings_and_not_freshness() -> None:
    rows = [row("明年的活动预告", "/xw/1.html", "2027-03-01"), row("旧新闻标题内容", "/xw/2.html", "2026-10-01")]
    with serving({"/": page(shell(SITE, block("新闻", "/xw/", rows))), "/xw/": page(list_page("新闻", rows))}) as srv:
        _, res = audit_freshness(srv.url("/"))
    assert res.metrics["home_updated"] == 0 and res.metrics["home_updated_days"] == 50
    future = [f for f in res.findings if f.rule == "future-date"]
    assert len(future) == 1 and res.metrics["future_dates"] == 1  # seen twice, one item
    # One day ahead is a time-zone difference, not a fake date (future_tolerance_days = 1).
    rows = [row("今日新闻标题内容", "/xw/1.html", "2026-11-21")]
    with serving({"/": page(shell(SITE, block("新闻", "/xw/", rows))), "/xw/": page(list_page("新闻", rows))}) as srv:
        _, res = audit_freshness(srv.url("/"))
    assert res.metrics["future_dates"] == 0 and res.metrics["home_updated_days"] == 0


def test_gbk_list_page() -> None:
    html = list_page("通知公告", [row("关于某某工作的通知", "/tzgg/1.html", "2026年11月02日"),
                                  row("镕喆公示名单", "/tzgg/2.html", "2026年10月02日")])
    gbk = html.replace("charset='utf-8'", "charset='gbk'").encode("gbk", errors="xmlcharrefreplace")
    from tests.support.server import Reply

    routes = {"/": page(shell(SITE, block("通知公告", "/tzgg/", [row("关于某某工作的通知", "/tzgg/1.html", "2026-11-02")]))),
              "/tzgg/": Reply(body=gbk, content_type="text/html")}
    with serving(routes) as srv:
        _, res = audit_freshness(srv.url("/"))
    col = columns_by_path(res, srv.base)["/tzgg/"]
    assert (col["name"], col["latest"], col["items"]) == ("通知公告", "2026-11-02", 2)


def test_a_site_without_columns_says_so() -> None:
    with serving({"/": page(shell(SITE, "<p>网站维护中</p>"))}) as srv:
        _, res = audit_freshness(srv.url("/"))
    assert res.status == "ok" and res.metrics["columns"] == 0
    assert {f.rule for f in res.findings} == {"no-columns", "home-not-updated"}


def test_as_of_makes_ages_reproducible() -> None:
    with serving(county_routes(), fallback=page(article("文章"))) as srv:
        _, later = audit_freshness(srv.url("/"), as_of=date(2027, 1, 10), max_pages=60)
    cols = columns_by_path(later, srv.base)
    # [11-19] is read as 2026-11-19 from either date; the age follows the as-of date.
    assert (cols["/gzdt/index.html"]["latest"], cols["/gzdt/index.html"]["age_days"]) == ("2026-11-19", 52)
    assert cols["/tzgg/index.html"]["future_dates"] == []  # 2026-12-25 is in the past by then
    assert later.metrics["future_dates"] == 0 and AS_OF < date(2027, 1, 10)


def test_an_article_behind_a_menu_entry_is_no_column_even_with_a_dated_sidebar() -> None:
    sidebar = ("<div class='side'><h3>相关新闻</h3><ul class='related'>"
               + row("县政府召开常务会议研究部署工作", "/xwdt/1.html", "2026-11-18")
               + row("县领导调研农村公路建设情况", "/xwdt/2.html", "2026-11-17") + "</ul></div>")
    about = shell("机构职能_" + SITE, "<h1>机构职能</h1><p>县人民政府是县级国家行政机关。</p>" + sidebar,
                  meta="<meta name='ArticleTitle' content='机构职能'>")
    # A list page whose items each say 发布时间 is still a list page.
    labelled = list_page("工作动态", [f"<li><a href='/gzdt/{n}.html'>工作动态标题第{n}条</a>"
                                     f"<span>发布时间：2026-11-1{n}</span></li>" for n in range(3)])
    routes = {
        "/": page(shell(SITE, "<p>欢迎</p>", nav=nav(("首页", "/"), ("机构职能", "/jgzn.html"),
                                                   ("工作动态", "/gzdt/"), ("联系我们", "/lxwm.html")))),
        "/jgzn.html": page(about),
        "/gzdt/": page(labelled),
    }
    with serving(routes) as srv:
        _, res = audit_freshness(srv.url("/"))
    cols = columns_by_path(res, srv.base)
    assert list(cols) == ["/gzdt/"] and cols["/gzdt/"]["latest"] == "2026-11-12"
    reasons = {n["url"][len(srv.base):]: n["reason"] for n in res.data["not_columns"]}
    assert reasons["/jgzn.html"] == "an article page"
