"""Boards read end to end from a live local server: paging back to the window, message pages only
when needed, scripted boards, broken pages, bounds, site-config selectors and options."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from govaudit.checks.interaction.check import Options
from govaudit.checks.interaction.measure import add_months

from govaudit.browser import Renderer
from govaudit.errors import UsageError
from tests.interaction.support import check_site, home, html_page, table_board
from tests.support.server import Reply, page, serving, status

START = datetime(2026, 11, 15, 10, 30)


def asked_at(i: int) -> datetime:
    return add_months(START, -i)  # type: ignore[return-value]


def replied_at(i: int) -> datetime | None:
    if i % 2:
        return None  # odd letters are waiting
    if i == 6:
        return datetime(2026, 9, 1, 8, 0)  # asked 2026-05-15: answered late
    return asked_at(i) + timedelta(days=i % 3 + 1, hours=2)


def detail(i: int) -> str:
    r = replied_at(i)
    return html_page(f"信件{i}", f"<h1>信件{i}</h1><table><tr><th>来信时间</th><td>{asked_at(i):%Y-%m-%d %H:%M:%S}</td>"
                                 f"</tr><tr><th>答复时间</th><td>{f'{r:%Y-%m-%d %H:%M:%S}' if r else '-'}</td></tr></table>")


def paged_board(pages: int = 6, per_page: int = 5, prefix: str = "/xzxx") -> dict[str, Reply]:
    """Monthly letters, newest first, five to a page; the list shows no reply time."""
    routes: dict[str, Reply] = {}
    for p in range(pages):
        rows = [(f"{prefix}/t{i}.html", f"{asked_at(i):%Y/%m/%d}", "未回复" if i % 2 else "已回复", "")
                for i in range(p * per_page, (p + 1) * per_page)]
        pager = (f'<a href="index_{p + 1}.html">下一页</a>' if p + 1 < pages else "")
        routes[f"{prefix}/index.html" if p == 0 else f"{prefix}/index_{p}.html"] = page(
            table_board(rows, pager, reply_column=False))
    for i in range(pages * per_page):
        routes[f"{prefix}/t{i}.html"] = page(detail(i))
    return routes


def test_pages_back_to_the_window_and_reads_message_pages_only_when_needed() -> None:
    routes = {"/": page(home('<a href="/xzxx/index.html">县长信箱</a>')), **paged_board()}
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
        fetched = [path for _, path in srv.log]
    b = out.board("县长信箱")
    assert (b["messages"], b["answered"], b["unanswered"], b["overdue"]) == (12, 6, 6, 6)
    assert b["readable"] and b["complete"] and b["status"] == "ok" and b["pages_read"] == 4
    assert "/xzxx/index_4.html" not in fetched and "/xzxx/index_5.html" not in fetched
    assert sorted(p for p in fetched if "/t" in p) == sorted(f"/xzxx/t{i}.html" for i in (0, 2, 4, 6, 8, 10))
    assert b["details_fetched"] == 6
    # delays come from the message pages, to the second
    expected = sorted((replied_at(i) - asked_at(i)).total_seconds() / 86400 for i in (0, 2, 4, 6, 8, 10))
    assert sorted(b["delays_days"]) == [round(d, 4) for d in expected]
    assert b["max_reply_days"] == round(expected[-1], 4) and b["latest_reply"] == "2026-11-16"
    overdue = {f.page: f.evidence for f in out.rules("interaction-overdue")}
    assert set(overdue) == {srv.url(f"/xzxx/t{i}.html") for i in (3, 5, 6, 7, 9, 11)}
    late = overdue[srv.url("/xzxx/t6.html")]
    assert (late["reason"], late["asked"], late["replied"], late["deadline"], late["status"]) == (
        "late-reply", "2026-05-15 10:30:00", "2026-09-01 08:00:00", "2026-08-15 10:30:00", "已回复")
    waiting = overdue[srv.url("/xzxx/t3.html")]
    assert (waiting["reason"], waiting["replied"], waiting["status"]) == ("no-reply", None, "未回复")
    assert out.metrics["overdue"] == 6 and out.metrics["no_reply_2_months"] == 0


def test_limit_in_days_and_a_shorter_window_from_options() -> None:
    routes = {"/": page(home('<a href="/xzxx/index.html">县长信箱</a>')), **paged_board()}
    with serving(routes) as srv:
        out = check_site(srv.url("/"), options={"limit_days": 150, "window_months": 6})
    b = out.board("县长信箱")
    # window from 2026-05-20: letters 0..5; overdue: waiting 5 (2026-06-15, 158 days at as_of)
    assert (b["messages"], b["answered"], b["unanswered"], b["overdue"]) == (6, 3, 3, 1)
    assert b["limit_days"] == 150 and out.result.data["limit"] == "150 days"


SCRIPTED = html_page("县长信箱", '<table id="list"><tr><th>标题</th><th>留言时间</th><th>状态</th></tr></table>'
                               "<p>暂无数据</p><script>$.getJSON('/api/letters.json', fill);</script>")


def scripted_site() -> dict[str, Reply]:
    return {"/": page(home('<a href="/xzxx/">县长信箱</a>')), "/xzxx/": page(SCRIPTED),
            "/api/letters.json": Reply(body='{"rows": []}', content_type="application/json")}


def test_a_scripted_board_without_a_browser_is_not_readable_never_clean() -> None:
    with serving(scripted_site()) as srv:
        out = check_site(srv.url("/"))
    b = out.board("县长信箱")
    assert (b["readable"], b["status"], b["messages"]) == (False, "not-readable", 0)
    assert "scripts" in b["reason"] and "no browser renderer" in b["reason"]
    (f,) = out.rules("interaction-board-unreadable")
    assert f.page == srv.url("/xzxx/") and f.evidence["scripted"] is True
    assert out.metrics["overdue"] is None and out.metrics["boards_unreadable"] == 1
    assert out.metrics["no_reply_2_months"] is None and out.metrics["messages"] == 0


def test_a_renderer_that_cannot_start_leaves_the_board_unreadable_with_the_reason() -> None:
    with serving(scripted_site()) as srv:
        out = check_site(srv.url("/"), renderer=Renderer("/bin/false", timeout=5))
    b = out.board("县长信箱")
    assert b["status"] == "not-readable" and "the renderer failed" in b["reason"]
    assert out.metrics["overdue"] is None and out.metrics["renders"] == 1


def test_unreachable_and_empty_boards() -> None:
    routes = {"/": page(home('<a href="/a/">县长信箱</a><a href="/b/">网民留言</a>')), "/a/": status(500),
              "/b/": page(html_page("网民留言", "<table><tr><th>标题</th><th>留言时间</th></tr></table><p>暂无留言</p>"))}
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    a, b = out.board("县长信箱"), out.board("网民留言")
    assert (a["status"], a["readable"]) == ("unreachable", False) and "HTTP 500" in a["reason"]
    assert (b["status"], b["readable"], b["messages"]) == ("empty", True, 0)
    assert out.metrics["overdue"] is None  # the unreachable board may hold overdue letters
    assert {f.page for f in out.rules("interaction-no-recent-reply")} == {srv.url("/b/")}


def test_message_pages_that_fail_make_the_board_incomplete() -> None:
    board = table_board([("/m/1.html", "2026-10-01", "已回复", ""), ("/m/2.html", "2026-10-02", "已回复", "")],
                        reply_column=False)
    routes = {"/": page(home('<a href="/x/">县长信箱</a>')), "/x/": page(board), "/m/1.html": page(detail(2)),
              "/m/2.html": status(404)}
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    b = out.board("县长信箱")
    assert b["readable"] and not b["complete"] and "1 message pages did not open" in b["reason"]
    assert out.metrics["overdue"] is None and out.metrics["boards_incomplete"] == 1
    (f,) = out.rules("interaction-board-incomplete")
    assert f.page == srv.url("/x/")


def test_page_bound_inside_the_window_is_reported() -> None:
    routes = {"/": page(home('<a href="/xzxx/index.html">县长信箱</a>')), **paged_board()}
    with serving(routes) as srv:
        out = check_site(srv.url("/"), options={"max_list_pages": 2})
    b = out.board("县长信箱")
    assert not b["complete"] and b["pages_read"] == 2 and "max_list_pages" in b["reason"]
    assert out.metrics["overdue"] == 5  # what was found still counts: 3, 5, 6, 7, 9 on the first two pages


def test_site_config_selectors_for_a_board_heuristics_misread() -> None:
    rows = "".join(f'<div class="it"><a class="t" href="/m/{n}">事项{n}</a><i class="r">{r}</i><i class="q">{q}</i></div>'
                   for n, q, r in ((1, "2026-05-01", "2026-09-01"), (2, "2026-10-01", "2026-10-03")))
    routes = {"/": page(home("")), "/box/": page(html_page("来信", f'<div class="box">{rows}</div>'))}
    site = {"interaction": {"discover": False, "boards": [{
        "name": "来信选登", "url": "", "selectors": {"row": "div.it", "link": "a.t", "asked": "i.q", "replied": "i.r"}}]}}
    with serving(routes) as srv:
        site["interaction"]["boards"][0]["url"] = srv.url("/box/")
        plain = check_site(srv.url("/"), site={"interaction": {"discover": False, "boards": [
            {"name": "来信选登", "url": srv.url("/box/")}]}})
        tuned = check_site(srv.url("/"), site=site)
    assert plain.board("来信选登")["overdue"] == 0 and plain.board("来信选登")["selectors_used"] is False
    b = tuned.board("来信选登")
    assert (b["messages"], b["answered"], b["overdue"], b["selectors_used"]) == (2, 2, 1, True)
    assert tuned.metrics["selectors_used"] == 1
    assert tuned.result.data["channels"][0]["via"] == "config"


def test_bad_options_are_one_line_usage_errors() -> None:
    for raw, text in (({"limit_months": 0}, "limit_months must be a whole number"),
                      ({"limit_days": "90"}, "limit_days must be a number"),
                      ({"details": "sometimes"}, "details must be auto, always or never"),
                      ({"window": 12}, "unknown option 'window'")):
        with pytest.raises(UsageError, match=text):
            Options.parse(raw, 4)
    opts = Options.parse({"limit_months": 2, "max_details": 0, "details": "never"}, 4)
    assert str(opts.limit) == "2 calendar months" and opts.read is not None and opts.read.max_details == 0


def test_details_always_reads_every_message_page_in_the_window() -> None:
    routes = {"/": page(home('<a href="/xzxx/index.html">县长信箱</a>')), **paged_board()}
    with serving(routes) as srv:
        out = check_site(srv.url("/"), options={"details": "always"}, as_of=date(2026, 11, 20))
        fetched = [path for _, path in srv.log if "/t" in path]
    assert len(fetched) == 12 and out.board("县长信箱")["details_fetched"] == 12


def test_a_board_url_that_answers_json_is_not_readable() -> None:
    routes = {"/": page(home('<a href="/api/xzxx">县长信箱</a>')),
              "/api/xzxx": Reply(body='{"rows": [{"title": "路灯", "time": "2026-06-01"}]}',
                                 content_type="application/json")}
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    b = out.board("县长信箱")
    assert (b["status"], b["readable"]) == ("not-readable", False) and "JSON" in b["reason"]
    assert out.metrics["overdue"] is None
