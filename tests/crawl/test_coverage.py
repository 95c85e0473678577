"""Honest coverage (issue 11 items 1-2): defaults crawl a whole site, and every cut is stated.

Real audits through the CLI against servers on 127.0.0.1: a deep site of forward links, a county
portal of query-string articles, and the same sites cut by a depth limit, a page cap and a budget.
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.hostile.runner import CliRun, run_cli
from tests.support.server import LocalServer, Reply

DEEP = 400  # /p/0.html ... /p/399.html, each linking its next two: depth ~200 from the home page


def deep_site(req: BaseHTTPRequestHandler) -> Reply:
    path = req.path.split("?", 1)[0]
    if path == "/":
        return Reply(body='<title>首页</title><a href="/p/0.html">开始</a>')
    if path.startswith("/p/") and path.endswith(".html"):
        i = int(path[3:-5])
        if 0 <= i < DEEP:
            nxt = "".join(f'<a href="/p/{i + k}.html">下一页{k}</a>' for k in (1, 2) if i + k < DEEP)
            gone = f'<a href="/gone/{i}.html">附件</a>' if i % 50 == 49 else ""
            return Reply(body=f"<title>第{i}页</title><p>第{i}篇文章 {chr(0x4e00 + i)}</p>{nxt}{gone}")
    return Reply(status=404, body="<title>404</title>")


ARTICLES = 300


def asp_site(req: BaseHTTPRequestHandler) -> Reply:
    """A county portal of ShowArticle.asp?ArticleID=N pages (old crawl: 20 of them, then a 'trap')."""
    path, _, query = req.path.partition("?")
    if path == "/":
        links = "".join(f'<a href="/ShowArticle.asp?ArticleID={i}">文章{i}</a>' for i in range(1, ARTICLES + 1, 30))
        return Reply(body=f"<title>某县人民政府</title>{links}")
    if path == "/ShowArticle.asp" and query.startswith("ArticleID="):
        i = int(query.split("=", 1)[1])
        if 1 <= i <= ARTICLES:
            nxt = "".join(f'<a href="/ShowArticle.asp?ArticleID={j}">相关{j}</a>'
                          for j in (i + 1, i + 2) if j <= ARTICLES)
            gone = f'<a href="/UploadFiles/{i}.doc">附件</a>' if i == ARTICLES else ""
            return Reply(body=f"<title>文章{i}</title><p>正文{chr(0x4e00 + i)}{i * 7}</p>{nxt}{gone}")
    return Reply(status=404, body="<title>404</title>")


def audit(url: str, tmp: Path, *extra: str, name: str = "run") -> CliRun:
    return run_cli(["audit", url, "--profile", "links", "--format", "json,md,html", "--as-of", "2026-12-01",
                    "--delay", "0", "--concurrency", "8", "--host-concurrency", "8", *extra],
                   tmp, limit_s=120, name=name)


def broken(run: CliRun, base: str) -> set[str]:
    return {f["target"][len(base):] for f in run.report["checks"]["links"]["findings"] if f["rule"] == "broken-link"}


def test_defaults_crawl_a_deep_site_whole_and_say_nothing_was_cut(tmp_path: Path) -> None:
    with LocalServer(fallback=deep_site) as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 0, run.stderr
    report = run.report
    assert report["crawl"]["pages"] >= DEEP + 1  # every page, though the last one is ~200 links deep
    assert broken(run, srv.url("")) == {f"/gone/{i}.html" for i in range(49, DEEP, 50)}
    cov = report["coverage"]
    assert cov["complete"] is True and cov["cuts"] == [] and cov["sentence"] == ""
    assert report["score"]["complete"] is True
    assert all(i["result"] != "partial" for i in report["indicators"])
    assert "Coverage" not in (run.out / "report.md").read_text(encoding="utf-8")


def test_a_depth_limit_is_stated_and_turns_whole_site_passes_into_partial(tmp_path: Path) -> None:
    with LocalServer(fallback=deep_site) as srv:
        run = audit(srv.url("/"), tmp_path, "--max-depth", "20", "--fail-on", "incomplete")
    assert run.code == 1  # the CI gate: coverage incomplete
    assert "gate: coverage incomplete" in run.stderr
    report = run.report
    cov = report["coverage"]
    assert cov["complete"] is False and cov["not_crawled"]["max_depth"] >= 1
    assert any("depth limit" in c for c in cov["cuts"])
    assert report["score"]["complete"] is False
    results = {i["id"]: i["result"] for i in report["indicators"]}
    # the home page's links were all seen: judged; the whole site's were not: partial, never pass
    assert results["links.broken.home"] == "pass"
    assert results["links.broken.other"] == "partial"
    assert cov["sentence"].startswith("Incomplete:")
    assert "**Coverage:** Incomplete" in (run.out / "report.md").read_text(encoding="utf-8")
    assert "Coverage:</strong> Incomplete" in (run.out / "report.html").read_text(encoding="utf-8")
    assert "coverage: Incomplete" in run.stdout  # the terminal summary says it too


def test_a_page_cap_is_counted(tmp_path: Path) -> None:
    with LocalServer(fallback=deep_site) as srv:
        run = audit(srv.url("/"), tmp_path, "--max-pages", "50")
    cov = run.report["coverage"]
    assert run.report["crawl"]["pages"] == 50
    assert cov["complete"] is False and cov["not_crawled"]["max_pages"] >= 1
    assert any("page cap" in c for c in cov["cuts"])


def test_a_county_portal_of_query_string_articles_is_crawled_whole(tmp_path: Path) -> None:
    with LocalServer(fallback=asp_site) as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 0, run.stderr
    pages = run.pages()
    articles = {u for u in pages if "ShowArticle.asp?ArticleID=" in u}
    assert len(articles) == ARTICLES  # was 20 (max_query_variants), then "trap"
    assert broken(run, srv.url("")) == {f"/UploadFiles/{ARTICLES}.doc"}
    assert run.report["coverage"]["complete"] is True
    assert run.report["crawl"]["skipped_traps"] == 0


def test_a_link_check_cut_by_the_budget_is_incomplete(tmp_path: Path) -> None:
    def slow_target(req: BaseHTTPRequestHandler) -> Reply:
        time.sleep(1.5)
        return Reply(body="<title>慢</title>")

    routes: dict[str, Reply] = {
        "/": Reply(body="<title>首页</title>" + "".join(f'<a href="/slow/{i}.pdf">文件{i}</a>' for i in range(30))),
        "/robots.txt": Reply(status=404, body=""), "/sitemap.xml": Reply(status=404, body="")}
    with LocalServer(routes, fallback=slow_target) as srv:
        run = audit(srv.url("/"), tmp_path, "--budget", "3", "--timeout", "2")
    assert run.code == 0, run.stderr
    cov = run.report["coverage"]
    assert cov["unchecked"].get("budget", 0) >= 1
    assert cov["complete"] is False and any("time budget" in c for c in cov["cuts"])


def test_progress_counts_against_what_the_crawl_found_not_the_page_cap() -> None:
    """Issue 12 item 10: the terminal's progress total is the frontier, not --max-pages (20,000)."""
    import asyncio
    from datetime import date

    from govaudit.audit import AuditPlan, run_audit
    from govaudit.config import AuditConfig, loopback_fast
    from govaudit.profiles import load_profile

    events: list[dict[str, object]] = []
    with LocalServer(fallback=deep_site) as srv:
        cfg = AuditConfig()
        loopback_fast(cfg.crawl)
        plan = AuditPlan(url=srv.url("/"), profile=load_profile("links"), config=cfg, as_of=date(2026, 12, 1),
                         check_ids=["links"])
        asyncio.run(run_audit(plan, progress=lambda e, d: events.append(d) if e == "page" else None))
    pages = [e for e in events if "frontier" in e]
    found = DEEP + 1 + DEEP // 50  # the pages, the home page and the /gone/ targets (404 pages)
    assert pages and all(int(e["pages"]) <= int(e["frontier"]) <= found for e in pages)  # type: ignore[call-overload]
    assert pages[-1]["frontier"] == pages[-1]["pages"]  # at the end every page found was fetched
