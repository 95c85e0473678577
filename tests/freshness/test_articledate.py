"""Article publication dates: PubDate meta first, then a visible 发布时间, never the URL."""

from __future__ import annotations

from datetime import date

import pytest
from govaudit.checks.freshness.articledate import article_date


def page(head: str = "", body: str = "") -> str:
    return f"<html><head><title>某文章</title>{head}</head><body>{body}</body></html>"


def test_pubdate_meta_beats_visible_date() -> None:
    found = article_date(page("<meta name='PubDate' content='2022-04-24 10:00:43'>",
                              "<div class='info'>发布时间：2017-05-02</div>"))
    assert found is not None and (found.value, found.source) == (date(2022, 4, 24), "meta:pubdate")


@pytest.mark.parametrize(("body", "expected", "label"), [
    ("<div class='info'><span>发布时间：2024-06-27  16:18</span><span>来源：某局</span></div>", date(2024, 6, 27), "发布时间"),
    ("<p>发布日期: <span>2012-06-24</span></p>", date(2012, 6, 24), "发布日期"),
    ("<p>发文日期：2026年04月10日</p>", date(2026, 4, 10), "发文日期"),
])
def test_visible_labels(body: str, expected: date, label: str) -> None:
    found = article_date(page(body="<div class='top'>今天是：2026年11月20日</div>" + body))
    assert found is not None and (found.value, found.source) == (expected, f"label:{label}")


def test_a_publication_label_beats_an_earlier_bare_date_label() -> None:
    found = article_date(page(body="<div>日期：2026-11-20 星期五</div><div>正文……</div><div>发布时间：2026-09-02 10:02</div>"))
    assert found is not None and found.value == date(2026, 9, 2)


def test_unparsable_meta_falls_through_to_the_page() -> None:
    found = article_date(page("<meta name='PubDate' content='待定'>", "<span>发布时间：2025-01-02</span>"))
    assert found is not None and found.value == date(2025, 1, 2)


def test_no_date_at_all_and_url_dates_ignored() -> None:
    assert article_date(page(body="<h1>关于某某的通知</h1><p>各单位：请按要求办理。</p>")) is None
    # A TRS-style link with a date in it is not the page's date.
    assert article_date(page(body="<a href='/xwdt/202611/t20261118_1.html'>相关新闻</a>")) is None
    assert article_date("") is None
    assert article_date("<<<\x00") is None


def test_time_element_json_ld_and_day_first() -> None:
    found = article_date(page(body="<time datetime='2022-02-01'>1. Februar 2022</time>"))
    assert found is not None and (found.value, found.source) == (date(2022, 2, 1), "time-element")
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-05-06T08:00:00Z"}</script>'
    found = article_date(page(ld))
    assert found is not None and (found.value, found.source) == (date(2021, 5, 6), "json-ld")
    assert article_date(page(body="<p class='updated'>Stand 27.01.2022</p>")) is None
    found = article_date(page(body="<p class='updated'>Stand 27.01.2022</p>"), dmy=True)
    assert found is not None and found.value == date(2022, 1, 27)
