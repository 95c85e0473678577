"""The other side of trap avoidance: a large honest portal must not be mistaken for a trap.

A news column of a real county portal holds thousands of articles whose URLs share one shape
(/xwdt/202603/t20260305_19780.html). Found by the 20,000-page benchmark: the trap guard's
fixed bound of 500 paths per shape dropped a third of the site. The bound now grows with the
page budget the inspector asked for (a quarter of --max-pages, at least 500). And article ids
such as 19001 are not dates (1900-1): a column of them is not a 60-page calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.hostile.runner import FAST, run_cli
from tests.support.server import LocalServer, Reply

ARTICLES = 700


def portal(first_id: int) -> Callable[[BaseHTTPRequestHandler], Reply]:
    return lambda req: page_of(req.path, first_id)


def page_of(path: str, first_id: int) -> Reply:
    if path == "/":
        return Reply(body="<title>首页</title>" + "".join(f'<a href="/xwdt/index_{k}.html">{k}</a>' for k in range(14)))
    if path.startswith("/xwdt/index_"):
        k = int(path[len("/xwdt/index_"):-len(".html")])
        items = "".join(f'<a href="/xwdt/2026{1 + i % 12:02d}/t2026{1 + i % 12:02d}05_{first_id + i}.html">{i}</a>'
                        for i in range(k * 50, min(ARTICLES, (k + 1) * 50)))
        missing = '<a href="/xwdt/nosuch.html">坏</a>' if k == 13 else ""
        return Reply(body=f"<title>新闻动态 {k}</title>{items}{missing}")
    if path.startswith("/xwdt/2026"):
        return Reply(body=f"<title>文章 {path}</title><p>正文</p>")
    return Reply(status=404, body="<title>404</title>")


@pytest.mark.parametrize("first_id", [10000, 19000])  # 19001… once read as year 1900, month 1
def test_a_column_of_700_same_shaped_articles_is_crawled_whole(tmp_path: Path, first_id: int) -> None:
    with LocalServer(fallback=portal(first_id)) as srv:
        run = run_cli(["audit", srv.url("/"), "--profile", "links", "--checks", "links", "--format", "json",
                       "--as-of", "2026-11-22", *FAST, "--max-pages", "3000"], tmp_path, limit_s=90)
    assert run.code == 0, run.stderr
    run.assert_clean_stderr(max_lines=0)
    pages = run.pages()
    articles = [u for u in pages if "/xwdt/2026" in u]
    assert len(articles) == ARTICLES
    assert run.report["crawl"]["skipped_traps"] == 0
    assert [f["target"] for f in run.findings()] == [srv.url("/xwdt/nosuch.html")]
