"""Finding and classifying channels by name and URL; the places searched are the evidence."""

from __future__ import annotations

import pytest
from govaudit.checks.interaction.channels import channels_in, classify, is_form

from govaudit.crawl.charset import decode_html
from govaudit.crawl.extract import parse_html
from tests.interaction.support import check_site, home, html_page
from tests.support.server import page, serving, status


@pytest.mark.parametrize(("text", "url", "kind"), [
    ("县长信箱", "http://a.invalid/x/", "consultation"),
    ("市长信箱", "http://a.invalid/x/", "consultation"),
    ("书记信箱", "http://a.invalid/x/", "consultation"),
    ("领导信箱", "http://a.invalid/x/", "consultation"),
    ("网民留言", "http://a.invalid/x/", "consultation"),
    ("政务咨询", "http://a.invalid/x/", "consultation"),
    ("投诉建议", "http://a.invalid/x/", "consultation"),
    ("建言献策", "http://a.invalid/x/", "consultation"),
    ("12345热线", "http://a.invalid/x/", "consultation"),
    ("在线访谈", "http://a.invalid/x/", "interview"),
    ("意见征集", "http://a.invalid/x/", "survey"),
    ("网上调查", "http://a.invalid/x/", "survey"),
    ("调查数据", "http://a.invalid/sj/dcsj/", None),  # statistics, not a citizen survey
    ("国家监察委员会", "http://a.invalid/", None),
    ("民意征集", "http://a.invalid/x/", "survey"),
    ("网上信访", "http://a.invalid/x/", "excluded"),
    ("纪检举报", "http://a.invalid/x/", "excluded"),
    ("纪检监察举报信箱", "http://a.invalid/x/", "excluded"),  # a mailbox, but the excluded kind
    ("互动交流", "http://a.invalid/x/", "hub"),
    ("政民互动", "http://a.invalid/x/", "hub"),
    ("", "http://a.invalid/hdjl/szxx/index.html", "consultation"),  # an image button: the URL speaks
    ("更多", "http://a.invalid/hdjl/zxft/index.html", "interview"),
    ("", "http://a.invalid/wsxf/", "excluded"),
    ("政务公开", "http://a.invalid/hdjl/xzxx/", None),  # real text that names something else wins
    ("关于县长信箱近期来信办理情况的通报", "http://a.invalid/art/1.html", None),  # an article title
    ("首页", "http://a.invalid/", None),
])
def test_classify(text: str, url: str, kind: str | None) -> None:
    assert classify(text, url)[0] == kind


def test_forms_are_recognised() -> None:
    assert is_form("我要写信", "http://a.invalid/x")
    assert is_form("写信", "http://a.invalid/x")
    assert is_form("", "http://a.invalid/xzxx/write.html")
    assert not is_form("县长信箱", "http://a.invalid/xzxx/index.html")


def test_channels_on_home_and_hub_pages_with_excluded_ones_never_fetched() -> None:
    routes = {
        "/": page(home('<a href="/hdjl/index.html">互动交流</a><a href="/zxft/">在线访谈</a>'
                       '<a href="/zxft/">访谈</a>'  # the same channel twice: one entry
                       '<a href="/news/1.html">关于开通县长信箱和网上信访渠道的公告（全文）</a>')),
        "/hdjl/index.html": page(html_page("互动交流", '<a href="/xzxx/">县长信箱</a><a href="/xf/">网上信访</a>'
                                                   '<a href="/jjjb/">纪检举报</a><a href="/dczj/"><img src="/i.png"></a>'
                                                   '<a href="/xzxx/write.html">我要写信</a>'
                                                   '<a href="/hdjl/index.html">互动交流</a>')),
        "/xzxx/": page(html_page("县长信箱", "<p>暂无留言</p>")),
        "/zxft/": page(html_page("在线访谈", "<p>暂无数据</p>")),
        "/dczj/": page(html_page("调查征集", "<p>暂无数据</p>")),
        "/news/1.html": page(html_page("公告", "<p>x</p>")),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
        fetched = {path for _, path in srv.log}
    kinds = {(c["name"], c["kind"], c["form"]) for c in out.result.data["channels"]}
    assert kinds == {("在线访谈", "interview", False), ("县长信箱", "consultation", False),
                     ("网上信访", "excluded", False), ("纪检举报", "excluded", False), ("/dczj/", "survey", False),
                     ("我要写信", "consultation", True)}
    assert out.metrics["consultation_channels"] == 2 and out.metrics["form_channels"] == 1
    assert out.metrics["excluded_channels"] == 2 and out.metrics["channels"] == 4
    assert "/xf/" not in fetched and "/jjjb/" not in fetched and "/xzxx/write.html" not in fetched
    searched = out.result.data["searched"]
    assert searched[0] == srv.url("/") and srv.url("/hdjl/index.html") in searched
    assert set(searched) >= {u for u, p in out.snapshot.pages.items() if p.is_html and p.ok}  # the whole crawl
    assert not out.rules("interaction-no-channel")


def test_no_channel_is_a_finding_listing_the_places_searched() -> None:
    routes = {
        "/": page(home('<a href="/gk/">政务公开</a><a href="/hd/index.html">公众参与</a><a href="/gone/">互动</a>')),
        "/hd/index.html": page(html_page("公众参与", '<a href="/xf/">网上信访</a><a href="/jw/">纪委监委举报</a>')),
        "/gone/": status(404),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    (f,) = out.rules("interaction-no-channel")
    assert f.page == srv.url("/") and f.severity == "error"
    assert f.evidence["searched"] == [srv.url("/"), srv.url("/hd/index.html")]
    assert f.evidence["unreachable"] == [srv.url("/gone/")]
    assert sorted(f.evidence["excluded"]) == [srv.url("/jw/"), srv.url("/xf/")]
    assert out.metrics["consultation_channels"] == 0
    assert out.metrics["overdue"] is None  # nothing to read: not "0 overdue"


def test_a_mailbox_index_page_is_opened_like_a_hub() -> None:
    routes = {
        "/": page(home('<a href="/ldxx/">领导信箱</a>')),
        "/ldxx/": page(html_page("领导信箱", '<ul><li><a href="/ldxx/sj/">书记信箱</a></li>'
                                           '<li><a href="/ldxx/xz/">县长信箱</a></li></ul>')),
        "/ldxx/sj/": page(html_page("书记信箱", "<p>暂无信件</p>")),
        "/ldxx/xz/": page(html_page("县长信箱", '<table><tr><th>标题</th><th>来信时间</th><th>状态</th></tr>'
                                             '<tr><td><a href="/m/1.html">路灯</a></td><td>2026-11-01</td>'
                                             '<td>办理中</td></tr></table>')),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    assert [b["name"] for b in out.boards] == ["书记信箱", "县长信箱"]
    assert out.board("县长信箱")["messages"] == 1 and out.board("书记信箱")["status"] == "empty"
    assert [c["name"] for c in out.result.data["channels"]] == ["书记信箱", "县长信箱"]


def test_one_board_under_two_urls_is_read_once() -> None:
    board = html_page("县长信箱", '<table><tr><th>标题</th><th>来信时间</th><th>状态</th></tr>'
                                 '<tr><td><a href="/m/1.html">路灯</a></td><td>2026-07-01</td><td>办理中</td></tr></table>')
    routes = {"/": page(home('<a href="/xzxx/">县长信箱</a><a href="/xzxx/index.html">更多</a>'
                             '<a href="/zxft/">在线访谈</a><a href="/zxft/index.html">访谈</a>')),
              "/xzxx/": page(board), "/xzxx/index.html": page(board),
              "/zxft/": page(html_page("访谈", '<ul><li><a href="/f/1.html">访谈一</a><span>2026-10-01</span></li>'
                                              '<li><a href="/f/2.html">访谈二</a><span>2026-09-01</span></li></ul>'))}
    routes["/zxft/index.html"] = routes["/zxft/"]
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    assert len(out.boards) == 1 and out.boards[0]["overdue"] == 1 and out.metrics["overdue"] == 1
    assert len(out.result.data["activities"]) == 1 and out.metrics["interviews_in_window"] == 2
    dup = {c["url"]: c["duplicate_of"] for c in out.result.data["channels"]}
    assert dup[srv.url("/xzxx/index.html")] == srv.url("/xzxx/") and dup[srv.url("/xzxx/")] is None
    assert out.metrics["consultation_channels"] == 1 and out.metrics["interview_channels"] == 1


def test_sidebar_links_never_replace_an_unreadable_or_empty_board() -> None:
    sidebar = '<ul class="side"><li><a href="/bm/">部门信箱</a></li><li><a href="/xz/">县长信箱</a></li></ul>'
    routes = {"/": page(home('<a href="/sj/">书记信箱</a><a href="/xz/">县长信箱</a>')),
              "/sj/": page(html_page("书记信箱", f"{sidebar}<div id='app'></div><script>axios.get('/api/sj')</script>")),
              "/xz/": page(html_page("县长信箱", f"{sidebar}<p>暂无信件</p>")),
              "/bm/": page(html_page("部门信箱", "<p>暂无信件</p>"))}
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    # 部门信箱 is a channel too (two pages' sidebars carry it), read as its own board.
    assert [(b["name"], b["status"]) for b in out.boards] == [("书记信箱", "not-readable"), ("县长信箱", "empty"),
                                                              ("部门信箱", "empty")]
    assert out.metrics["overdue"] is None


def test_channels_in_real_portal_navigation(corpus) -> None:
    """The 山西省人民政府 page saved in the gne corpus: its header and footer carry the channels."""
    url = "http://www.shanxi.gov.cn/yw/sxyw/201907/t20190703_1.shtml"
    text, _ = decode_html((corpus / "gne" / "tests" / "shanxi" / "1.html").read_bytes(), None)
    found, hubs = channels_in(parse_html(text, url).links, url)
    got: dict[str, set[str]] = {}
    for c in found:
        got.setdefault(c.kind, set()).add(c.name)
    assert got == {
        "consultation": {"政务咨询", "省长信箱", "部门信箱", "市长信箱"},
        "survey": {"意见征集"},
        "interview": {"在线访谈"},
        "excluded": {"网上信访", "国家信访局"},  # 省信访局 links the same URL as 网上信访: one link
    }
    assert hubs == ["http://www.shanxi.gov.cn/hd/"]
