"""Channels found across the whole crawl, channel pages recognised by what they hold, every candidate
board tried (issue 17, patterns 1 and 2)."""

from __future__ import annotations

import mimetypes
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from govaudit.checks.interaction.listing import parse_detail, parse_list

from tests.interaction.support import check_site, home, html_page
from tests.support.server import Reply, page, serving, status

AS_OF = date(2026, 11, 20)
PORTALS = Path("cn-portals")


def _letter(title: str, asked: str, replied: str) -> str:
    return html_page(title, f"<div class='nav'><a href='/'>首页</a></div><h1>信件信息</h1><p>信件名称：{title}</p>"
                            f"<p>提交时间：{asked}</p><p>信件内容：请问……</p><h2>回复信息</h2>"
                            f"<p>回复部门：县教育局</p><p>回复时间：{replied}</p><p>回复内容：您好……</p>")


def _box_board(name: str, items: list[tuple[str, str, str]]) -> str:
    """A mailbox list whose items are block links (title and date in headings, no table)."""
    body = "".join(f'<a href="{link}" target="_blank" class="box"><h3>{title}({asked})</h3><p>{title}</p></a>'
                   for link, title, asked in items)
    return html_page(f"[{name}]-某某县教育局", f"<div class='nav'><a href='/'>首页</a></div><h2>{name}</h2>"
                                            f"<ul>{body}<div class='clearit'></div></ul><a>共 {len(items)} 条</a>")


def test_a_mailbox_linked_only_from_inner_pages_footers_is_found() -> None:
    """A 厅长信箱 in the footer of every inner page, not on the home page: no veto."""
    footer = '<div class="foot"><a href="/tzxx/">厅长信箱</a> | <a href="/lxwm/">联系我们</a></div>'
    routes = {
        "/": page(home('<a href="/xw/">新闻动态</a><a href="/gk/">政务公开</a>')),
        "/xw/": page(html_page("新闻动态", f"<ul><li><a href='/xw/1.html'>会议召开</a> 2026-11-01</li></ul>{footer}")),
        "/gk/": page(html_page("政务公开", f"<ul><li><a href='/gk/1.html'>通知</a> 2026-10-01</li></ul>{footer}")),
        "/tzxx/": page(html_page("厅长信箱", '<table><tr><th>标题</th><th>来信时间</th><th>状态</th><th>回复时间</th></tr>'
                                            '<tr><td><a href="/tzxx/1.html">工资</a></td><td>2026-10-02</td>'
                                            '<td>已回复</td><td>2026-10-05</td></tr></table>')),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    assert not out.rules("interaction-no-channel")
    (ch,) = [c for c in out.result.data["channels"] if c["name"] == "厅长信箱"]
    assert ch["seen_on"] == 2 and ch["found_on"] in (srv.url("/xw/"), srv.url("/gk/"))
    assert out.board("厅长信箱")["messages"] == 1 and out.metrics["overdue"] == 0


def test_a_hub_linked_from_an_inner_menu_leads_to_its_board() -> None:
    """The 互动交流 menu is only on an inner page; the 诉求平台 it lists is read (the crawl did not reach it)."""
    routes = {
        "/": page(home('<a href="/gk/">政务公开</a>')),
        "/gk/": page(html_page("政务公开", '<div class="menu"><a href="/hd/">互动交流</a></div>')),
        "/hd/": page(html_page("互动交流", '<a href="/sq/">诉求平台</a>')),
        "/sq/": page(html_page("诉求平台", '<table><tr><th>标题</th><th>提交时间</th><th>状态</th></tr>'
                                          '<tr><td><a href="/sq/1.html">路灯</a></td><td>2026-09-01</td>'
                                          '<td>已办结</td></tr></table>')),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"), max_depth=2)
    assert not out.rules("interaction-no-channel")
    assert srv.url("/hd/") in out.result.data["searched"]
    assert out.board("诉求平台")["answered"] == 1


def test_a_page_of_letters_is_a_channel_whatever_its_link_says() -> None:
    """A list whose items are letters (提交时间 / 回复时间 on their pages) is a board, named by its title."""
    routes = {
        "/": page(home('<a href="/gzfw/">公众服务</a>')),
        "/gzfw/": page(_box_board("来信选登", [("/gzfw/1.html", "学位", "2026-10-08")])),
        "/gzfw/1.html": page(_letter("学位", "2026-10-08", "2026-10-10")),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"), max_depth=2)
    assert not out.rules("interaction-no-channel")
    (ch,) = [c for c in out.result.data["channels"] if c["kind"] == "consultation"]
    assert (ch["name"], ch["url"], ch["via"]) == ("来信选登", srv.url("/gzfw/"), "content")
    board = out.board("来信选登")
    assert (board["messages"], board["answered"], board["median_reply_days"]) == (1, 1, 2)


def test_no_channel_in_the_whole_crawl_still_vetoes_and_says_what_was_rejected() -> None:
    routes = {
        "/": page(home('<a href="/gk/">政务公开</a><a href="/wzjc/">网站纠错</a>')),
        "/gk/": page(html_page("政务公开", '<a href="/yjx/">信息公开意见箱</a><a href="/gk/1.html">通知</a>')),
        "/wzjc/": page(html_page("某某局-网站纠错", '<h2>网站纠错</h2><form action="/save"><textarea name="c">'
                                                   '</textarea></form>')),
        "/yjx/": status(404),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"), max_depth=2)
    (f,) = out.rules("interaction-no-channel")
    assert set(f.evidence["searched"]) >= {srv.url("/"), srv.url("/gk/"), srv.url("/wzjc/")}
    why = {r["name"]: r["why"] for r in f.evidence["rejected"]}
    assert set(why) == {"网站纠错", "信息公开意见箱"} and "政务咨询" in why["信息公开意见箱"]


def test_a_script_built_form_never_wins_over_the_real_mailbox_list() -> None:
    """Pattern 2: the home page names a scripted 建言 page (a form) and the 互动交流 menu leads to the
    局长信箱 list of one letter answered in 2 days. The list is read; the form is a channel, not a board."""
    routes = {
        "/": page(home('<a href="/hd/">互动交流</a><a href="/jy/">规划建言</a>')),
        "/jy/": page(html_page("我为规划提建议", '<form id="f"><input name="n"><textarea name="c"></textarea></form>'
                                              "<script>$.ajax({url:'/api/save'})</script>")),
        "/hd/": page(_box_board("局长信箱", [("/hd/20507.html", "职称", "2026-10-21")])),
        "/hd/20507.html": page(_letter("职称", "2026-10-21", "2026-10-23")),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"), max_depth=2)
    assert [b["name"] for b in out.boards] == ["局长信箱"]
    board = out.board("局长信箱")
    assert (board["status"], board["messages"], board["answered"], board["max_reply_days"]) == ("ok", 1, 1, 2)
    assert out.metrics["overdue"] == 0 and not out.rules("interaction-board-unreadable")
    (rej,) = [r for r in out.result.data["rejected"] if r["url"] == srv.url("/jy/")]
    assert "form" in rej["why"]
    assert {c["name"]: c["form"] for c in out.result.data["channels"]}["规划建言"] is True


def test_a_guessed_candidate_that_cannot_be_read_yields_to_a_board_that_reads() -> None:
    """Two candidates: the 信箱 named on the home page reads; an image button guessed from its URL
    (/xzxx/) is scripted and unreadable: it is a rejected candidate, the board's numbers stand."""
    routes = {
        "/": page(home('<a href="/ldxx/">领导信箱</a><a href="/xzxx/"><img src="/b.png"></a>')),
        "/ldxx/": page(html_page("领导信箱", '<table><tr><th>标题</th><th>来信时间</th><th>回复时间</th></tr>'
                                           '<tr><td><a href="/ldxx/1.html">学位</a></td><td>2026-10-01</td>'
                                           '<td>2026-10-03</td></tr></table>')),
        "/xzxx/": page(html_page("信箱", "<div id='app'></div><script>axios.get('/api/list')</script>")),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    assert [b["name"] for b in out.boards] == ["领导信箱"] and out.metrics["overdue"] == 0
    (rej,) = [r for r in out.result.data["rejected"] if r["url"] == srv.url("/xzxx/")]
    assert "guessed by its url" in rej["why"]


# ---- the real pages ----------------------------------------------------------------------------


def test_real_mailbox_list_of_block_links_and_its_letter(corpus: Path) -> None:
    """岚皋县教育体育局's 局长信箱: one letter as a block link, its page with 提交时间 and 回复时间."""
    from govaudit.checks.interaction.channels import is_letter_page
    site = corpus / PORTALS / "lgedu_net" / "site"
    base = "http://127.0.0.1/channels/18296.html"
    got = parse_list((site / "channels" / "18296.html").read_text(encoding="utf-8"), base, date(2021, 1, 1))
    assert [(r.link, r.asked.date() if r.asked else None) for r in got.rows] == [
        ("http://127.0.0.1/contents/18296/20507.html", date(2020, 12, 21))]
    letter = (site / "contents" / "18296" / "20507.html").read_text(encoding="utf-8")
    assert is_letter_page(letter)
    d = parse_detail(letter, "http://127.0.0.1/contents/18296/20507.html", date(2021, 1, 1))
    assert d.asked is not None and d.replied is not None
    assert (d.asked.date(), d.replied.date()) == (date(2020, 12, 21), date(2020, 12, 23))


def test_real_forms_and_lists(corpus: Path) -> None:
    """The 十四五规划建言 page is a script-driven form (a channel, not a board); 网站纠错 is no letter
    form; the 企业投诉平台 list's 处理完毕 / 拒绝受理 are answers; 意见征集 with 共 0 条 is empty."""
    from govaudit.checks.interaction.channels import has_letter_form, is_letter_form
    lg = corpus / PORTALS / "lgedu_net" / "site"
    gz = corpus / PORTALS / "gzdzhrss_com" / "site"
    assert has_letter_form((lg / "utils" / "ycjy145.html").read_text(encoding="utf-8"))
    assert is_letter_form((gz / "syqt" / "wzjc" / "index.html").read_text(encoding="utf-8")) == (False, "")
    rows = parse_list((lg / "channels" / "12719.html").read_text(encoding="utf-8"), "http://127.0.0.1/c/12719.html",
                      date(2021, 1, 1)).rows
    assert len(rows) == 10 and all(r.answered for r in rows) and all(r.asked for r in rows)
    empty = parse_list((lg / "channels" / "18300.html").read_text(encoding="utf-8"), "http://127.0.0.1/c/18300.html")
    assert empty.empty and not empty.rows


def _static(root: Path):  # noqa: ANN202 - a test server handler
    def handle(req: BaseHTTPRequestHandler) -> Reply:
        rel = unquote(urlsplit(req.path).path).lstrip("/") or "index.html"
        path = (root / rel).resolve()
        if path.is_dir():
            path = path / "index.html"
        if root.resolve() not in path.parents or not path.is_file():
            return status(404)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html":
            return page(path.read_text(encoding="utf-8", errors="replace"))
        return Reply(200, path.read_bytes(), content_type=kind)
    return handle


def test_real_portal_board_found_across_the_crawl(corpus: Path) -> None:
    """岚皋县教育体育局 served whole: before, the scripted 建言 page was the only board (unreadable,
    互动 indicators error); now the 局长信箱 list is found by what it holds and read."""
    with serving({}, fallback=_static(corpus / PORTALS / "lgedu_net" / "site")) as srv:
        out = check_site(srv.url("/"), as_of=date(2021, 1, 1), max_depth=2)
    board = out.board("局长信箱")
    assert (board["messages"], board["answered"], board["max_reply_days"]) == (1, 1, 2)
    assert out.metrics["overdue"] == 0 and out.metrics["boards_unreadable"] == 0
    assert not out.rules("interaction-no-channel")


# ---- pattern 14: activities the 互动 page lists itself -------------------------------------------


def _block(heading: str, prefix: str, dates: list[str]) -> str:
    items = "".join(f'<li><a href="/{prefix}/{n}.html" title="t">关于{heading}第{n}期的公告</a><span>{d}</span></li>'
                    for n, d in enumerate(dates, 1))
    return (f'<div class="col"><div class="tit"><span>{heading}</span><a href="javascript:;">更多</a></div>'
            f"<ul>{items}</ul></div>")


def test_surveys_and_interviews_listed_on_the_hub_page_are_counted() -> None:
    """The 互动交流 page lists 6 调查征集 and 6 在线访谈 in the last 12 months (and an older one each)
    under plain headings whose 更多 leads nowhere: 6 and 6, not 0."""
    dates = ["2026-11-01", "2026-09-15", "2026-07-01", "2026-05-20", "2026-03-03", "2026-01-10", "2025-06-01"]
    hub = html_page("互动交流", _block("调查征集", "dczj", dates) + _block("在线访谈", "zxft", dates)
                    + '<div class="col"><div class="tit"><a href="/xzxx/">县长信箱</a></div></div>')
    routes = {
        "/": page(home('<a href="/hd/">互动交流</a>')),
        "/hd/": page(hub),
        "/xzxx/": page(html_page("县长信箱", "<p>暂无信件</p>")),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    assert (out.metrics["surveys_in_window"], out.metrics["interviews_in_window"]) == (6, 6)
    acts = {(a["type"], a["in_window"], a["items"]) for a in out.result.data["activities"]}
    assert acts == {("调查征集", 6, 7), ("在线访谈", 6, 7)}
    assert not out.rules("interaction-activity-unreadable")


def test_a_hub_block_and_its_list_page_are_counted_once() -> None:
    """The block and the 在线访谈 list page it links hold the same items: counted once."""
    dates = ["2026-11-01", "2026-09-15"]
    block = _block("在线访谈", "zxft", dates).replace('href="javascript:;"', 'href="/zxft/"')
    routes = {
        "/": page(home('<a href="/hd/">互动交流</a>')),
        "/hd/": page(html_page("互动交流", block)),
        "/zxft/": page(html_page("在线访谈", _block("在线访谈", "zxft", [*dates, "2026-08-01"]))),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    assert out.metrics["interviews_in_window"] == 3


def test_no_activity_block_is_invented_on_the_real_portals(corpus: Path) -> None:
    """Read by hand: none of the three portals lists surveys or interviews on a page (岚皋's 在线访谈
    button is commented out, its 意见征集 says 共 0 条), so no page of theirs yields a block."""
    from govaudit.checks.interaction.channels import activity_sections

    found = []
    for site in ("lgedu_net", "gzdzhrss_com", "gxpopss_cn"):
        for path in sorted((corpus / PORTALS / site / "site").rglob("*.html")):
            html = path.read_text(encoding="utf-8", errors="replace")
            found += [(path.name, s.name) for s in activity_sections(html, "http://127.0.0.1/p.html", date(2021, 1, 1))]
    assert found == []


def test_a_home_page_that_shows_one_letter_beside_its_news_is_not_a_board() -> None:
    news = "".join(f"<li><a href='/xw/{n}.html'>新闻{n}</a><span>2026-10-0{n}</span></li>" for n in range(1, 6))
    routes = {
        "/": page(home(f'<a href="/xzxx/">县长信箱</a></div><ul>{news}</ul>'
                       '<div class="zxlx"><a href="/xzxx/1.html">学位问题</a></div><div>')),
        "/xzxx/": page(_box_board("县长信箱", [("/xzxx/1.html", "学位问题", "2026-10-08")])),
        "/xzxx/1.html": page(_letter("学位问题", "2026-10-08", "2026-10-10")),
    }
    with serving(routes) as srv:
        out = check_site(srv.url("/"), max_depth=2)
    assert [b["url"] for b in out.boards] == [srv.url("/xzxx/")]
    assert out.metrics["overdue"] == 0 and out.metrics["unknown"] == 0
