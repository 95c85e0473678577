"""List pages and message pages in the shapes portals use, read without a server."""

from __future__ import annotations

from datetime import date, datetime

from govaudit.checks.interaction.listing import parse_detail, parse_list
from govaudit.checks.interaction.siteconfig import DetailSelectors, ListSelectors

from govaudit.crawl.charset import decode_html
from tests.interaction.support import html_page, table_board

BASE = "http://gov.invalid/hdjl/xzxx/index.html"
AS_OF = date(2026, 11, 20)


def test_table_with_headers_reads_times_status_and_links() -> None:
    html = table_board([("./1.html", "2026/11/18 9:05:03", "未回复", "-"),
                        ("./2.html", "2026-11-10 08:30", "已回复", "2026-11-13 16:00"),
                        ("./3.html", "2026年10月20日", "已办结", "2026年10月27日")])
    page = parse_list(html, BASE, AS_OF)
    assert page.shape == "table" and len(page.rows) == 3
    r1, r2, r3 = page.rows
    assert (r1.link, r1.asked, r1.replied, r1.answered, r1.status) == (
        "http://gov.invalid/hdjl/xzxx/1.html", datetime(2026, 11, 18, 9, 5, 3), None, False, "未回复")
    assert (r2.asked, r2.replied, r2.answered, r2.asked_has_time) == (
        datetime(2026, 11, 10, 8, 30), datetime(2026, 11, 13, 16, 0), True, True)
    assert (r3.asked, r3.replied, r3.answered, r3.asked_has_time) == (
        datetime(2026, 10, 20), datetime(2026, 10, 27), True, False)


def test_blank_reply_cell_without_status_means_unanswered() -> None:
    html = html_page("x", "<table><tr><th>主题</th><th>提问时间</th><th>回复时间</th></tr>"
                          '<tr><td><a href="/a">a</a></td><td>2026-09-01</td><td></td></tr></table>')
    (row,) = parse_list(html, BASE, AS_OF).rows
    assert row.answered is False and row.reply_field


def test_table_without_headers_takes_dates_in_order_and_status_words() -> None:
    html = html_page("x", '<table><tr><td><a href="/m/9.html">噪音扰民</a></td><td>2026-08-03</td>'
                          "<td>已答复</td><td>2026-08-10</td></tr>"
                          '<tr><td><a href="/m/8.html">路面破损</a></td><td>2026-06-12</td><td>待处理</td><td></td></tr>'
                          "</table>")
    a, b = parse_list(html, BASE, AS_OF).rows
    assert (a.asked, a.replied, a.answered, a.title) == (datetime(2026, 8, 3), datetime(2026, 8, 10), True, "噪音扰民")
    assert (b.asked, b.replied, b.answered) == (datetime(2026, 6, 12), None, False)


def test_layout_tables_around_the_list_are_not_messages() -> None:
    inner = table_board([("./1.html", "2026-11-18", "已回复", "2026-11-19")])
    body = inner.split("<body>")[1].split("</body>")[0]
    html = html_page("x", f'<table><tr><td><a href="/">首页</a></td><td>{body}</td></tr></table>')
    page = parse_list(html, BASE, AS_OF)
    assert len(page.rows) == 1 and page.rows[0].link.endswith("/1.html")


def test_item_list_with_labels() -> None:
    items = "".join(
        f'<li><a href="/ly/{n}.html">标题{n}</a><span>提问时间：2026-0{n}-01 10:00</span>'
        f"<span>{state}</span>{reply}</li>"
        for n, state, reply in ((9, "已回复", "<span>回复时间：2026-09-03 11:00</span>"), (8, "处理中", "")))
    html = html_page("x", f'<ul class="nav"><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li></ul>'
                          f'<ul class="lylist">{items}</ul>')
    page = parse_list(html, BASE, AS_OF)
    assert page.shape == "items"
    a, b = page.rows
    assert (a.asked, a.replied, a.answered) == (datetime(2026, 9, 1, 10), datetime(2026, 9, 3, 11), True)
    assert (b.asked, b.replied, b.answered, b.status) == (datetime(2026, 8, 1, 10), None, False, "处理中")


def test_a_status_word_inside_a_title_is_not_a_status() -> None:
    html = html_page("x", '<ul><li><a href="/1">垃圾处理中心选址咨询</a><span>2026-10-01</span></li>'
                          '<li><a href="/2">已回复的问题再次反映</a><span>2026-10-02</span></li></ul>')
    a, b = parse_list(html, BASE, AS_OF).rows
    assert a.answered is None and b.answered is None


def test_empty_and_scripted_boards_are_told_apart() -> None:
    empty = parse_list(html_page("x", "<p>暂无留言</p>"), BASE, AS_OF)
    assert empty.rows == [] and empty.empty and not empty.scripted
    scripted = parse_list(html_page("x", '<div id="list">暂无数据</div><script>$.ajax({url:"/api/letters"})</script>'),
                          BASE, AS_OF)
    assert scripted.rows == [] and scripted.empty and scripted.scripted
    vue = parse_list(html_page("x", '<tr v-for="m in list"><td>{{ m.title }}</td></tr>'), BASE, AS_OF)
    assert vue.rows == [] and vue.scripted and not vue.empty


def test_pagers() -> None:
    nxt = parse_list(html_page("x", '<a href="index_3.html">3</a><a href="index_1.html">下一页</a>'
                                    '<a href="javascript:void(0)">尾页</a><a href="index_2.html">2</a>'), BASE, AS_OF)
    assert nxt.next_urls == ["http://gov.invalid/hdjl/xzxx/index_1.html", "http://gov.invalid/hdjl/xzxx/index_2.html",
                             "http://gov.invalid/hdjl/xzxx/index_3.html"]
    trs = parse_list(html_page("x", '<script>createPageHTML(5, 0, "index", "shtml");</script>'), BASE, AS_OF)
    assert trs.next_urls == ["http://gov.invalid/hdjl/xzxx/index_1.shtml"]
    last = parse_list(html_page("x", "<script>createPageHTML(5, 4, 'index', 'html');</script>"), BASE, AS_OF)
    assert last.next_urls == []
    query = parse_list(html_page("x", '<a href="?page=2" title="next">&gt;</a>'), BASE, AS_OF)
    assert query.next_urls == ["http://gov.invalid/hdjl/xzxx/index.html?page=2"]


def test_detail_page_label_cells() -> None:
    html = html_page("x", "<h1>退役军人优待证办理进度</h1><table><tr><th>留言时间</th><td>2026-05-06 09:08:17</td></tr>"
                          "<tr><th>留言内容</th><td>2026年3月申请的优待证没有收到</td></tr>"
                          "<tr><th>办理状态</th><td>已回复</td></tr><tr><th>答复单位</th><td>县退役军人事务局</td></tr>"
                          "<tr><th>答复时间</th><td>2026-09-20 14:45:36</td></tr></table>")
    d = parse_detail(html, BASE)
    assert (d.asked, d.replied, d.status, d.unit, d.answered, d.title) == (
        datetime(2026, 5, 6, 9, 8, 17), datetime(2026, 9, 20, 14, 45, 36), "已回复", "县退役军人事务局", True,
        "退役军人优待证办理进度")


def test_detail_page_unanswered_and_inline_labels() -> None:
    waiting = parse_detail(html_page("x", "<dl><dt>来信日期</dt><dd>2026年6月12日</dd><dt>回复时间</dt><dd>-</dd>"
                                          "<dt>答复单位</dt><dd>-</dd></dl>"), BASE)
    assert (waiting.asked, waiting.replied, waiting.answered, waiting.unit) == (datetime(2026, 6, 12), None, False, "")
    inline = parse_detail(html_page("x", '<p class="info">留言用户：A0001　留言时间：2019/4/25 9:32:09</p>'
                                         "<div>来信内容提到2019年4月10日的会议</div>"
                                         "<p>答复时间：2019/5/10 14:56:53</p><div>2019年5月9日 答复如下</div>"), BASE)
    assert (inline.asked, inline.replied, inline.answered) == (datetime(2019, 4, 25, 9, 32, 9),
                                                               datetime(2019, 5, 10, 14, 56, 53), True)
    silent = parse_detail(html_page("x", "<p>留言时间：2026-10-01</p><p>暂无答复</p>"), BASE)
    assert silent.answered is False


def test_selectors_read_what_heuristics_misread() -> None:
    # The reply time comes before the message time, unlabelled: heuristics take the first as "asked".
    rows = "".join(f'<div class="it"><a class="t" href="/m/{n}">事项{n}</a><i class="r">{r}</i><i class="q">{q}</i>'
                   f"</div>" for n, q, r in ((1, "2026-05-01", "2026-09-01"), (2, "2026-10-01", "2026-10-03")))
    html = html_page("x", f'<div class="box">{rows}</div><a class="pg-next" href="p2.html">&#8594;</a>')
    guessed = parse_list(html, BASE, AS_OF)
    assert guessed.rows[0].asked == datetime(2026, 9, 1)  # wrong, as expected
    sel = ListSelectors(row="div.it", link="a.t", asked="i.q", replied="i.r", next="a.pg-next")
    page = parse_list(html, BASE, AS_OF, sel)
    assert page.shape == "selectors"
    assert [(r.asked, r.replied, r.answered) for r in page.rows] == [
        (datetime(2026, 5, 1), datetime(2026, 9, 1), True), (datetime(2026, 10, 1), datetime(2026, 10, 3), True)]
    assert page.next_urls[0] == "http://gov.invalid/hdjl/xzxx/p2.html"
    d = parse_detail(html_page("x", '<span class="when">2026-05-01 10:00</span><b class="rt">2026-09-01</b>'), BASE,
                     selectors=DetailSelectors(asked="span.when", replied="b.rt"))
    assert (d.asked, d.replied, d.answered) == (datetime(2026, 5, 1, 10), datetime(2026, 9, 1), True)


def test_dates_in_titles_are_not_message_times() -> None:
    items = html_page("x", '<ul><li><a href="/1">关于3.15消费维权的咨询</a><span>[11-18]</span></li>'
                           '<li><a href="/2">2026年12月31日前医保缴费截止吗</a><span>2026-11-02</span></li></ul>')
    a, b = parse_list(items, BASE, AS_OF).rows
    assert a.asked == datetime(2026, 11, 18) and b.asked == datetime(2026, 11, 2)
    table = html_page("x", '<table><tr><td><a href="/1">2026年12月31日前医保缴费截止吗</a></td><td>2026-11-02</td>'
                           '<td>已回复</td><td>2026-11-05</td></tr><tr><td><a href="/2">路灯</a></td><td>2026-10-02</td>'
                           "<td>未回复</td><td></td></tr></table>")
    c, _ = parse_list(table, BASE, AS_OF).rows
    assert (c.asked, c.replied) == (datetime(2026, 11, 2), datetime(2026, 11, 5))
    only_title = html_page("x", '<ul><li><a href="/1">留言 2026-10-09</a></li><li><a href="/2">留言 2026-10-08</a></li></ul>')
    assert [r.asked for r in parse_list(only_title, BASE, AS_OF).rows] == [datetime(2026, 10, 9), datetime(2026, 10, 8)]


def test_real_dated_lists_give_the_expected_item_counts(corpus) -> None:
    """Activity lists are read like real dated list pages: the gerapy corpus's fund-company 公告 lists,
    counts from its EXPECTED_list_counts.md (the samples that name a base URL)."""
    root = corpus / "gerapy-autoextractor"
    expected: dict[str, tuple[str, int]] = {}
    for line in (root / "EXPECTED_list_counts.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("samples/list/") and cells[1].startswith("http") and cells[2].isdigit():
            expected[cells[0]] = (cells[1], int(cells[2]))
    assert len(expected) == 4
    for sample, (base, count) in expected.items():
        text, _ = decode_html((root / sample).read_bytes(), None)
        page = parse_list(text, base, AS_OF)
        assert len(page.rows) == count, sample
        assert all(r.asked is not None and r.link for r in page.rows), sample


def test_year_less_message_dates_take_the_pages_year_never_the_audits() -> None:
    # A board frozen in 2020, audited in 2026: its year-less [11-18] is not last month's message.
    frozen = html_page("x", '<ul><li><a href="/1">咨询一个问题的留言</a><span>[11-18]</span></li>'
                            '<li><a href="/2">另一个问题的留言</a><span>2020-06-02</span></li></ul>')
    a, b = parse_list(frozen, BASE, date(2026, 12, 3)).rows
    assert a.asked == datetime(2020, 11, 18) and b.asked == datetime(2020, 6, 2)
    # Nothing on the page writes a year: the year-less date is not read as a date at all.
    yearless = html_page("x", '<ul><li><a href="/1">咨询一个问题的留言</a><span>[11-18]</span></li>'
                              '<li><a href="/2">另一个问题的留言</a><span>[10-02]</span></li></ul>')
    assert [r.asked for r in parse_list(yearless, BASE, date(2026, 12, 3)).rows] == []
