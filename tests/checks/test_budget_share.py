"""The home page never starves (issue 16 item 2): a crawl that could eat the whole budget stops at
its share, and the link check asks the home page's own targets first."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.hostile.runner import run_cli
from tests.support.server import LocalServer, Reply, free_port


def test_a_crawl_that_could_use_the_whole_budget_leaves_the_home_links_their_check(tmp_path: Path) -> None:
    closed = free_port()

    def slow_page(req: BaseHTTPRequestHandler) -> Reply:
        time.sleep(0.3)  # an endless, slow site: the crawl alone would outlast any budget
        path = req.path.split("?", 1)[0]
        if path.startswith("/p/"):
            n = int(path[3:].split(".")[0])
            return Reply(body=f"<title>第{n}页</title><p>正文{chr(0x4e00 + n % 2000)}</p>"
                              f'<a href="/p/{n + 1}.html">下一页</a><a href="/p/{n + 2}.html">下两页</a>')
        return Reply(status=404, body="<title>404</title>")

    home = ("<title>首页</title>"
            f'<a href="http://127.0.0.1:{closed}/">关闭的端口</a>'
            '<a href="http://gone.example.invalid/">失效网站</a>'
            '<a href="/p/0.html">栏目</a><a href="/p/1.html">栏目二</a>')
    routes: dict[str, Reply] = {"/": Reply(body=home), "/robots.txt": Reply(status=404, body=""),
                                "/sitemap.xml": Reply(status=404, body="")}
    with LocalServer(routes, fallback=slow_page) as srv:
        run = run_cli(["audit", srv.url("/"), "--profile", "links", "--format", "json", "--delay", "0",
                       "--concurrency", "2", "--host-concurrency", "2", "--budget", "8", "--timeout", "2"],
                      tmp_path, limit_s=60)
    assert run.code == 0, run.stderr
    report = run.report
    broken_home = {f["target"] for f in report["checks"]["links"]["findings"]
                   if f["rule"] == "broken-link" and f["page"] == srv.url("/")}
    assert broken_home == {f"http://127.0.0.1:{closed}/", "http://gone.example.invalid/"}
    results = {i["id"]: i["result"] for i in report["indicators"]}
    assert results["links.broken.home"] == "fail"  # judged on the home page's own links, with evidence
    cov = report["coverage"]
    assert cov["complete"] is False and cov["not_crawled"].get("budget", 0) >= 1
    assert report["checks"]["links"]["metrics"]["unchecked_home_budget"] == 0
