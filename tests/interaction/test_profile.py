"""cn-gov-2019's interaction indicators, each firing and not firing, on check results from live sites."""

from __future__ import annotations

from datetime import timedelta

from govaudit.model import IndicatorResult
from govaudit.profiles import load_profile
from govaudit.scoring import score
from tests.interaction.support import AS_OF, check_site, home, html_page, table_board
from tests.support.server import Reply, page, serving

IDS = ("cn.veto.interaction.channel", "cn.veto.interaction.overdue", "cn.deduct.interaction.replies",
       "cn.deduct.interaction.surveys", "cn.deduct.interaction.interviews")


def activity_list(title: str, days_ago: list[int]) -> str:
    items = "".join(f'<li><a href="./a{n}.html">{title}活动{n}</a><span class="date">{AS_OF - timedelta(days=d)}</span></li>'
                    for n, d in enumerate(days_ago))
    return html_page(title, f'<ul class="list">{items}</ul>')


def site(letters: list[tuple[str, str, str]] | None = None, surveys: int = 6, interviews: int = 6,
         channel: str = '<a href="/xzxx/">县长信箱</a>', board: str | None = None) -> dict[str, Reply]:
    """A portal whose letters are (asked, status, replied) and with this many activities in the year."""
    letters = letters if letters is not None else [("2026-11-10", "已回复", "2026-11-12"),
                                                   ("2026-06-01", "已回复", "2026-06-20")]
    rows = [(f"/xzxx/{n}.html", a, s, r) for n, (a, s, r) in enumerate(letters)]
    return {
        "/": page(home(f'{channel}<a href="/zxft/">在线访谈</a><a href="/dczj/">调查征集</a>'
                       '<a href="/xf/">网上信访</a>')),
        "/xzxx/": page(board or table_board(rows)),
        "/zxft/": page(activity_list("在线访谈", [30 * k + 5 for k in range(interviews)] + [400])),
        "/dczj/": page(activity_list("调查征集", [40 * k + 3 for k in range(surveys)] + [500])),
    }


def indicators(routes: dict[str, Reply]) -> dict[str, IndicatorResult]:
    with serving(routes) as srv:
        out = check_site(srv.url("/"))
    scored = score(load_profile("cn-gov-2019"), {"interaction": out.result})
    return {i.id: i for i in scored.indicators if i.id in IDS}


def test_a_responsive_portal_passes_every_interaction_indicator() -> None:
    got = indicators(site())
    assert {k: (v.result, v.points) for k, v in got.items()} == {k: ("pass", 0.0) for k in IDS}
    assert got["cn.veto.interaction.overdue"].detail == "近 1 年内留言均在 3 个月内答复"


def test_channel_veto_fires_when_only_excluded_channels_exist() -> None:
    got = indicators(site(channel='<a href="/jj/">纪检举报</a>'))
    veto = got["cn.veto.interaction.channel"]
    assert veto.result == "fail" and len(veto.findings) == 1
    assert veto.detail == "未发现在线咨询渠道（信访、纪检举报不计）"


def test_overdue_veto_fires_on_an_unanswered_letter_older_than_three_months() -> None:
    got = indicators(site([("2026-11-10", "已回复", "2026-11-12"), ("2026-08-19", "未回复", "")]))
    assert got["cn.veto.interaction.overdue"].result == "fail"
    assert got["cn.veto.interaction.overdue"].detail.startswith("近 1 年内超过 3 个月未答复或答复超时的留言 1 条")
    quiet = indicators(site([("2026-11-10", "已回复", "2026-11-12"), ("2026-08-20", "未回复", "")]))
    assert quiet["cn.veto.interaction.overdue"].result == "pass"  # deadline is as_of itself


def test_overdue_veto_fires_on_a_late_reply_and_ignores_letters_before_the_window() -> None:
    late = indicators(site([("2026-11-10", "已回复", "2026-11-12"), ("2026-02-01", "已回复", "2026-05-02")]))
    assert late["cn.veto.interaction.overdue"].result == "fail"
    old = indicators(site([("2026-11-10", "已回复", "2026-11-12"), ("2025-11-19", "未回复", "")]))
    assert old["cn.veto.interaction.overdue"].result == "pass"


def test_overdue_veto_is_an_error_not_a_pass_when_the_board_cannot_be_read() -> None:
    scripted = html_page("县长信箱", '<div id="app"></div><script>$.ajax({url: "/api/list"})</script>')
    got = indicators(site(board=scripted))
    assert got["cn.veto.interaction.overdue"].result == "error"
    assert got["cn.deduct.interaction.replies"].result == "error"
    assert got["cn.veto.interaction.channel"].result == "pass"


def test_reply_deduction_fires_when_nothing_was_answered_in_two_months() -> None:
    got = indicators(site([("2026-09-01", "已回复", "2026-09-19"), ("2026-11-01", "未回复", "")]))
    ded = got["cn.deduct.interaction.replies"]
    assert (ded.result, ded.points, ded.verified) == ("fail", -3.0, "V2") and len(ded.findings) == 1
    quiet = indicators(site([("2026-09-01", "已回复", "2026-09-20")]))  # 2026-09-20 = as_of - 2 months
    assert quiet["cn.deduct.interaction.replies"].result == "pass"


def test_activity_deductions_fire_below_six_a_year() -> None:
    few = indicators(site(surveys=5, interviews=2))
    assert (few["cn.deduct.interaction.surveys"].result, few["cn.deduct.interaction.surveys"].points) == ("fail", -2.0)
    assert few["cn.deduct.interaction.interviews"].detail == (
        "近 12 个月在线访谈 2 期（少于 6 期）；2 分按 govaudit 自定分值计（未经核实，非官方）")
    assert len(few["cn.deduct.interaction.surveys"].findings) == 1
    none = indicators({**site(), "/": page(home('<a href="/xzxx/">县长信箱</a>'))})
    assert none["cn.deduct.interaction.surveys"].result == "fail"  # no channel at all: zero activities
    assert none["cn.deduct.interaction.interviews"].result == "fail"
