"""Columns found wherever a portal links them (issue 14 item 5): 专题专栏 banners (image links) and
the 网站地图 page, besides home-page blocks and menus. Pages without breadcrumb or ColumnName are
used, so the crawl-wide scan cannot find them: only the new paths can."""

from __future__ import annotations

from tests.freshness.site import article, audit_freshness, block, columns_by_path, row, shell
from tests.support.server import page, serving


def bare_list(name: str, rows: list[str]) -> str:
    """A column page with a heading and a dated list, but no breadcrumb and no ColumnName meta."""
    return shell(f"{name}", f"<h2>{name}</h2><ul class='list'>{''.join(rows)}</ul>")


def bare_empty(name: str) -> str:
    return shell(f"{name}", f"<h2>{name}</h2><div class='box'><p>暂无信息</p></div>")


def routes() -> dict[str, object]:
    news = [row(f"要闻{i}", f"/xwdt/2026/t{i}.html", f"2026-11-{10 + i:02d}") for i in range(5)]
    home = shell("某县人民政府", block("新闻动态", "/xwdt/index.html", news)
                 + "<div class='banner'><a href='/ztzl/xxgc/index.html'><img src='/b1.png' alt='学习贯彻专题'></a>"
                 "<a href='/ztzl/kong/index.html'><img src='/b2.png' alt='乡村振兴专栏'></a>"
                 "<a href='/ad/notice.html'><img src='/b3.png' alt='通告'></a></div>"
                 "<div class='foot-links'><a href='/wzdt/index.html'>网站地图</a></div>")
    site_map = shell("网站地图", "<h2>网站地图</h2><div class='map'><h3>政务公开</h3><ul>"
                     "<li><a href='/zwgk/rsxx/index.html'>人事信息</a></li>"
                     "<li><a href='/hdjl/index.html'>互动交流</a></li></ul></div>")
    return {
        "/": page(home),
        "/xwdt/index.html": page(bare_list("新闻动态", news)),
        "/ztzl/xxgc/index.html": page(bare_list("学习贯彻专题", [
            row(f"学习{i}", f"/ztzl/xxgc/t{i}.html", f"2026-0{i + 1}-01") for i in range(3)])),
        "/ztzl/kong/index.html": page(bare_empty("乡村振兴专栏")),
        "/ad/notice.html": page(article("关于某事的通告", visible="2026-11-01")),
        "/wzdt/index.html": page(site_map),
        "/zwgk/rsxx/index.html": page(bare_list("人事信息", [row("任免通知", "/zwgk/rsxx/t1.html", "2024-03-02")])),
        "/hdjl/index.html": page(shell("互动交流", "<h2>互动交流</h2><ul><li><a href='/x'>县长信箱</a></li></ul>")),
    }


def test_banner_and_site_map_columns_are_judged() -> None:
    with serving(routes(), fallback=page(article("文章", visible="2026-11-01"))) as srv:
        _, res = audit_freshness(srv.url("/"), max_pages=60)
    assert res.status == "ok", res.error
    cols = columns_by_path(res, srv.base)
    # behind a banner: a 专题 with dated items, and an empty 专栏 (judged empty, not skipped)
    assert cols["/ztzl/xxgc/index.html"]["latest"] == "2026-03-01"
    assert cols["/ztzl/kong/index.html"]["empty"] is True
    # listed only in the 网站地图: judged, and long stale
    assert cols["/zwgk/rsxx/index.html"]["latest"] == "2024-03-02"
    assert cols["/zwgk/rsxx/index.html"]["stale"] is True


def test_a_banner_to_one_article_and_a_skipped_section_are_not_columns() -> None:
    with serving(routes(), fallback=page(article("文章", visible="2026-11-01"))) as srv:
        _, res = audit_freshness(srv.url("/"), max_pages=60)
    cols = columns_by_path(res, srv.base)
    assert "/ad/notice.html" not in cols  # an image link to one notice is no column
    assert "/hdjl/index.html" not in cols  # 互动交流 is the interaction check's
    assert "/wzdt/index.html" not in cols  # the site map itself is no column
