"""A board built by scripts from a JSON endpoint, read through the real browser (system Chromium):
the check renders the list pages it cannot read as served, and follows the script-made pager."""

from __future__ import annotations

import json

import pytest
from govaudit.checks.interaction import InteractionCheck

from govaudit.browser import BrowserUnavailable, Renderer, find_browser
from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig, loopback_fast
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import CheckResult
from tests.conftest import run
from tests.interaction.support import AS_OF, home, html_page
from tests.support.server import Reply, page, serving

SCRIPT = """<script>
var x = new XMLHttpRequest();
x.open('GET', '/api/letters.json?page=%d');
x.onload = function () {
  var d = JSON.parse(x.responseText), list = document.getElementById('list');
  d.rows.forEach(function (r) {
    var tr = document.createElement('tr');
    tr.innerHTML = '<td><a href="/m/' + r.id + '.html">' + r.title + '</a></td><td>' + r.asked + '</td><td>' +
      r.state + '</td><td>' + (r.replied || '-') + '</td>';
    list.appendChild(tr);
  });
  if (d.next) document.getElementById('pager').innerHTML = '<a href="' + d.next + '">下一页</a>';
};
x.send();
</script>"""

PAGES = [
    {"rows": [{"id": 4, "title": "路灯不亮", "asked": "2026-11-18 09:00", "state": "未回复"},
              {"id": 3, "title": "公交调整", "asked": "2026-10-10 10:00", "state": "已回复", "replied": "2026-10-12 10:00"}],
     "next": "/xzxx/index_1.html"},
    {"rows": [{"id": 2, "title": "道路破损", "asked": "2026-06-12 16:30", "state": "未回复"},
              {"id": 1, "title": "优待证", "asked": "2026-05-06 09:00", "state": "已回复", "replied": "2026-09-20 14:00"}],
     "next": None},
]


def routes() -> dict[str, Reply]:
    shell = '<table id="list"><tr><th>标题</th><th>留言时间</th><th>状态</th><th>答复时间</th></tr></table><div id="pager"></div>'
    out: dict[str, Reply] = {"/": page(home('<a href="/xzxx/index.html">县长信箱</a>'))}
    for n, data in enumerate(PAGES):
        out["/xzxx/index.html" if n == 0 else f"/xzxx/index_{n}.html"] = page(html_page("县长信箱", shell + SCRIPT % (n + 1)))
        out[f"/api/letters.json?page={n + 1}"] = Reply(body=json.dumps(data, ensure_ascii=False),
                                                       content_type="application/json; charset=utf-8")
    return out


def test_a_script_built_board_is_read_through_the_browser() -> None:
    try:
        executable = find_browser()
    except BrowserUnavailable as exc:
        pytest.fail(f"this test drives the real Chromium and none was found: {exc}")
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.max_depth, cfg.crawl.use_sitemap = 1, False

    async def go(url: str) -> CheckResult:
        async with Renderer(executable, timeout=15, pool=2) as renderer, Fetcher(cfg.crawl) as fetcher:
            snapshot = await crawl(url, cfg.crawl, fetcher)
            ctx = CheckContext(fetcher=fetcher, config=cfg, as_of=AS_OF, options={}, renderer=renderer)
            return await InteractionCheck().run(snapshot, ctx)

    with serving(routes()) as srv:
        result = run(go(srv.url("/")))
        served = [p for _, p in srv.log]
    (board,) = result.data["boards"]
    assert (board["readable"], board["rendered"], board["pages_read"]) == (True, True, 2)
    assert (board["messages"], board["answered"], board["unanswered"], board["overdue"]) == (4, 2, 2, 2)
    assert sorted(board["delays_days"]) == [2, 137.2083]
    assert result.metrics["renders"] == 2
    assert "/api/letters.json?page=2" in served  # the browser ran the second page's script
    overdue = sorted(f.page for f in result.findings if f.rule == "interaction-overdue")
    assert overdue == [srv.url("/m/1.html"), srv.url("/m/2.html")]
