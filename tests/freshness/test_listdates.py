"""List items and their dates on hand-written markup: formats, layouts and distractors."""

from __future__ import annotations

from datetime import date

import pytest
from govaudit.checks.freshness.page import analyse
from govaudit.checks.freshness.pages import column_key

AS_OF = date(2026, 11, 20)
BASE = "http://site.test/col/index.html"


def items(html: str, as_of: date = AS_OF, year_ref: date | None = None) -> list[tuple[str, date | None]]:
    """(title, date) of the page's largest list."""
    facts = analyse(html, BASE, as_of, year_ref)
    biggest = max(facts.lists, key=lambda lst: len(lst.items))
    return [(i.title, i.date) for i in biggest.items]


def ul(*rows: str) -> str:
    return "<ul class='list'>" + "".join(f"<li>{r}</li>" for r in rows) + "</ul>"


@pytest.mark.parametrize(("written", "expected"), [
    ("2026-11-19", date(2026, 11, 19)),
    ("2026/11/19", date(2026, 11, 19)),
    ("2026.11.19", date(2026, 11, 19)),
    ("2026年11月19日", date(2026, 11, 19)),
    ("[11-19]", None),  # year-less with nothing on the page that tells the year: unknown (issue 17, 6)
    ("(12-25)", None),
    ("11-19", None),
    ("2026-11-19 08:30:15", date(2026, 11, 19)),
    ("2026/4/5 9:32", date(2026, 4, 5)),
    ("<b>19</b><em>2026-11</em>", date(2026, 11, 19)),  # split over two elements
    ("<span class='m'>2026.11</span><span class='d'>19</span>", date(2026, 11, 19)),
    ("<span>11-19</span><span>2026</span>", date(2026, 11, 19)),
])
def test_item_date_formats(written: str, expected: date) -> None:
    html = ul(*(f"<a href='./a{n}.html'>第{n}条新闻标题内容</a><span class='date'>{written}</span>" for n in range(3)))
    assert items(html) == [(f"第{n}条新闻标题内容", expected) for n in range(3)]


def test_dates_in_titles_header_today_and_copyright_are_not_item_dates() -> None:
    html = (
        "<div class='top'><span>今天是：2026年11月20日 星期五</span></div>"
        + ul("<a href='./1.html'>关于做好2026年12月31日前医保缴费工作的通知</a><span>2026-11-05</span>",
             "<a href='./2.html'>关于征集2027年民生实事项目建议的公告</a><span>2026-08-18</span>",
             "<a href='./3.html'>2026年11月19日县政府常务会议召开</a>")
        + "<p class='copy'>Copyright © 2008-2026 某县人民政府 版权所有 建站于2001年1月1日</p>"
    )
    assert items(html) == [
        ("关于做好2026年12月31日前医保缴费工作的通知", date(2026, 11, 5)),
        ("关于征集2027年民生实事项目建议的公告", date(2026, 8, 18)),
        ("2026年11月19日县政府常务会议召开", None),  # its only date is in its title
    ]
    facts = analyse(html, BASE, AS_OF)
    assert all(i.date != date(2026, 11, 20) for lst in facts.lists for i in lst.items)


def test_date_inside_the_title_link_in_its_own_element_counts() -> None:
    html = ul(*(f"<a href='./{n}.html'>标题第{n}条<span class='time'>2026-10-0{n + 1}</span></a>" for n in range(3)))
    assert [d for _, d in items(html)] == [date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)]


def test_year_less_numbers_that_are_not_alone_are_not_dates() -> None:
    html = ul(*(f"<a href='./{n}.html'>关于某项工作的第{n}号通知</a><span>阅读 3.5 万次 第1/2页</span>" for n in range(3)))
    assert [d for _, d in items(html)] == [None, None, None]


def test_bad_dates_are_not_dates() -> None:
    html = ul("<a href='./1.html'>某某工作通知一</a><span>2026-13-45</span>",
              "<a href='./2.html'>某某工作通知二</a><span>待定</span>",
              "<a href='./3.html'>某某工作通知三</a><span>0000-00-00</span>",
              "<a href='./4.html'>某某工作通知四</a><span>2026-02-30</span>")
    assert [d for _, d in items(html)] == [None, None, None, None]


def test_table_rows_and_first_date_of_a_row() -> None:
    rows = "".join(
        f"<tr><td>XZXX2026111{n}003</td><td><a href='./xj{n}.html'>来信标题第{n}封</a></td>"
        f"<td>2026-11-1{n}</td><td>已回复</td><td>2026-11-1{n + 2}</td></tr>" for n in range(3))
    html = f"<table><tr><th>编号</th><th>标题</th><th>时间</th></tr>{rows}</table>"
    assert [d for _, d in items(html)] == [date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)]


def test_bare_links_with_dates_beside_them() -> None:
    html = "<td class='news'>" + "".join(
        f"<a href='./{n}.html'>旧式模板新闻标题{n}</a> (2026-09-0{n + 1})<br>" for n in range(4)) + "</td>"
    assert [d for _, d in items(html)] == [date(2026, 9, n + 1) for n in range(4)]


def test_one_table_per_item_in_old_layouts() -> None:
    one = "<table><tr><td><a href='./{n}.html'>老式表格布局新闻{n}</a></td><td>2025-0{m}-01</td></tr></table>"
    html = "<td>" + "".join(one.format(n=n, m=n + 1) for n in range(3)) + "</td>"
    assert [d for _, d in items(html)] == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]


def test_a_single_item_list_is_still_a_list() -> None:
    facts = analyse("<ul><li><a href='./1.html'>唯一一条人事任免信息</a><span>2025-09-30</span></li></ul>",
                    BASE, AS_OF)
    (lst,) = facts.lists
    assert [(i.title, i.date) for i in lst.items] == [("唯一一条人事任免信息", date(2025, 9, 30))]


@pytest.mark.parametrize(("written", "expected"), [
    ("[11-19]", date(2026, 11, 19)),
    ("(12-25)", date(2025, 12, 25)),  # the latest such day not after the page's Last-Modified
    ("11-19", date(2026, 11, 19)),  # alone in the item besides its title
])
def test_year_less_dates_take_the_year_of_last_modified(written: str, expected: date) -> None:
    html = ul(*(f"<a href='./a{n}.html'>第{n}条新闻标题内容</a><span class='date'>{written}</span>" for n in range(3)))
    assert items(html, year_ref=date(2026, 11, 20)) == [(f"第{n}条新闻标题内容", expected) for n in range(3)]


def test_year_less_dates_of_a_frozen_site_are_not_this_year() -> None:
    # A site frozen in 2020, audited in 2026 without --as-of: Last-Modified says when it last changed.
    html = ul(*(f"<a href='./{n}.html'>冻结站点列表标题{n}</a><span>[{d}]</span>" for n, d in enumerate(["11-30", "11-02"])))
    assert [d for _, d in items(html, date(2026, 12, 3))] == [None, None]
    assert [d for _, d in items(html, date(2026, 12, 3), date(2020, 12, 1))] == [date(2020, 11, 30), date(2020, 11, 2)]


def test_year_less_dates_take_the_year_of_their_neighbours() -> None:
    rows = [("12-31", "[12-31]"), ("2021-01-02", "2021-01-02"), ("12-28", "[12-28]")]
    html = ul(*(f"<a href='./{n}.html'>跨年列表标题{n}</a><span>{w}</span>" for n, (_, w) in enumerate(rows)))
    # 2021-01-02 written in full: its year-less neighbours are the days closest to it, in 2020.
    assert [d for _, d in items(html, date(2026, 12, 3))] == [date(2020, 12, 31), date(2021, 1, 2), date(2020, 12, 28)]


def test_year_less_dates_take_the_year_of_the_pages_other_lists() -> None:
    dated = "<ul class='news'>" + "".join(f"<li><a href='./n{n}.html'>要闻标题第{n}条</a><span>2020-11-2{n}</span></li>"
                                          for n in range(3)) + "</ul>"
    html = dated + ul(*(f"<a href='./{n}.html'>通知标题第{n}条内容</a><span>[{d}]</span>"
                        for n, d in enumerate(["11-30", "11-18", "11-02", "10-09"])))
    assert [d for _, d in items(html, date(2026, 12, 3))] == [date(2020, 11, 30), date(2020, 11, 18),
                                                               date(2020, 11, 2), date(2020, 10, 9)]


def test_year_inference_rolls_back_over_new_year() -> None:
    html = ul(*(f"<a href='./{n}.html'>年初列表标题{n}</a><span>[{d}]</span>" for n, d in enumerate(["01-03", "12-30"])))
    assert [d for _, d in items(html, date(2027, 1, 5), date(2027, 1, 5))] == [date(2027, 1, 3), date(2026, 12, 30)]


def test_page_facts_names_empty_marker_total_and_blocks() -> None:
    html = (
        "<html><head><title>统计数据_某县人民政府</title><meta name='ColumnName' content='统计数据'></head><body>"
        "<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <span>统计数据</span></div>"
        "<div class='list-box'><p>暂无信息</p></div><div class='pager'>共0条</div></body></html>"
    )
    facts = analyse(html, BASE, AS_OF)
    assert facts.names()[:2] == ["统计数据", "统计数据"]
    assert facts.empty_marker == "暂无信息" and facts.total == 0
    home = analyse(
        "<div class='w'><div class='blk'><div class='hd'><h3>工作动态</h3><a class='more' href='/gzdt/'>更多&gt;&gt;</a></div>"
        + ul("<a href='/gzdt/1.html'>动态一条标题</a><i>2026-11-18</i>", "<a href='/gzdt/2.html'>动态二条标题</a><i>2026-11-17</i>")
        + "</div><div class='blk'><h3><a href='/tzgg/'>通知公告</a></h3>"
        + ul("<a href='/tzgg/1.html'>通知一条标题</a><i>2026-10-01</i>", "<a href='/tzgg/2.html'>通知二条标题</a><i>2026-09-01</i>")
        + "</div></div>", "http://site.test/", AS_OF)
    assert [(b.name, b.url, len(b.items.dated)) for b in home.blocks] == [
        ("工作动态", "http://site.test/gzdt/", 2), ("通知公告", "http://site.test/tzgg/", 2)]


def test_column_key_collapses_paging() -> None:
    assert column_key("http://s.test/xwdt/index_2.html") == column_key("http://s.test/xwdt/index.html")
    assert column_key("http://s.test/xwdt/") == column_key("http://s.test/xwdt")
    assert column_key("http://s.test/list.jsp?cat=3&page=4") == column_key("http://s.test/list.jsp?cat=3")
    assert column_key("http://s.test/list.jsp?cat=3") != column_key("http://s.test/list.jsp?cat=4")


def test_hostile_markup_does_not_crash() -> None:
    for html in ["", "<<<>>>", "<ul>" * 3000, "<a href='javascript:void(0)'>x</a>" * 50, "\x00\ufffd" * 100]:
        facts = analyse(html, BASE, AS_OF)
        assert all(i.date is None for lst in facts.lists for i in lst.items)


def test_deeply_nested_markup_is_flattened_not_parsed_for_minutes() -> None:
    # 100,000 nested <div>s make the HTML tree builder quadratic; the crawler's guard flattens what
    # lies past depth 512 (as Chromium does), so the page is read in well under a second.
    html = ul("<a href='./1.html'>深层嵌套前的新闻标题</a><span>2026-11-18</span>",
              "<a href='./2.html'>深层嵌套前的另一标题</a><span>2026-11-17</span>") + "<div>" * 100_000
    facts = analyse(html, BASE, AS_OF)
    assert [i.date for lst in facts.lists for i in lst.items] == [date(2026, 11, 18), date(2026, 11, 17)]


def test_pager_total_is_not_read_from_a_title() -> None:
    rows = ul("<a href='./1.html'>关于印发促进消费共10条措施的通知</a><span>2026-11-01</span>",
              "<a href='./2.html'>另一条通知标题</a><span>2026-10-01</span>")
    assert analyse(rows, BASE, AS_OF).total is None
    assert analyse(rows + "<div class='page'>共 37 条 第1页</div>", BASE, AS_OF).total == 37
    assert analyse(rows + "<p>共12条记录</p>", BASE, AS_OF).total == 12
