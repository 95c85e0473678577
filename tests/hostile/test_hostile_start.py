"""Hostile behaviours of the site being audited itself: its robots.txt, its home page, its URL.

Each test runs the real CLI against a small server of its own and checks the exit code, that
stderr is one line and never a traceback, the time bound, and what the report says.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.hostile.runner import FAST, CliRun, run_cli, write_config
from tests.hostile.server import CLOUDFLARE, HostileServer, Request, Route, html, many_links, send

AUDIT = ["--profile", "links", "--checks", "links", "--format", "json", "--as-of", "2026-11-22", *FAST]


def audit(url: str, tmp: Path, *extra: str, limit_s: float = 40.0, name: str = "run") -> CliRun:
    return run_cli(["audit", url, *AUDIT, "--config", str(write_config(tmp)), *extra], tmp, limit_s=limit_s,
                   name=name)


def one_error_line(run: CliRun) -> str:
    run.assert_clean_stderr(max_lines=1)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("govaudit: ")
    return lines[0]


def test_robots_txt_answering_500_is_noted_and_the_site_still_audited(tmp_path: Path) -> None:
    routes = {"/": html('<title>首页</title><a href="/a.html">a</a>'), "/a.html": html("<title>a</title>"),
              "/robots.txt": html("<title>500</title>", 500)}
    with HostileServer(routes) as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 0, run.stderr
    run.assert_clean_stderr(max_lines=0)
    notes = " ".join(run.report["crawl"]["notes"])
    assert "robots.txt answered 500" in notes
    assert srv.url("/a.html") in run.pages()


def catch_all(req: Request, w: asyncio.StreamWriter) -> asyncio.Future[None] | object:
    """Every unknown path answers 200 with the same template, which links a relative path."""
    return send(w, req, 200, '<title>欢迎访问某某县人民政府</title><p>欢迎</p><a href="more/">更多</a>')


def test_a_catch_all_server_gives_soft_404s_not_an_endless_crawl(tmp_path: Path) -> None:
    routes: dict[str, Route] = {
        "/": html('<title>首页</title><a href="/real.html">真</a><a href="/gone/old-page.html">旧</a>'
                  '<a href="/nothing-here.html">无</a>'),
        "/real.html": html("<title>真实页面</title><p>这是一篇真实的文章，内容与模板完全不同，长度也不同。</p>" * 5),
    }
    with HostileServer(routes, fallback=catch_all) as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 0, run.stderr
    run.assert_clean_stderr(max_lines=0)
    soft = {f["target"] for f in run.findings() if f["status"] == "soft-404"}
    assert {srv.url("/gone/old-page.html"), srv.url("/nothing-here.html")} <= soft
    assert srv.url("/real.html") not in soft
    # "more/" under every template page would nest forever: the trap guard and depth stop it.
    assert run.report["crawl"]["pages"] <= 40


def test_an_anti_bot_challenge_on_the_home_page_is_blocked(tmp_path: Path) -> None:
    routes = {"/": html(CLOUDFLARE, 403, **{"cf-mitigated": "challenge"})}
    with HostileServer(routes) as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 3
    line = one_error_line(run)
    assert "blocked" in line and "Cloudflare" in line


def test_retry_after_an_hour_on_the_home_page_is_not_waited_for(tmp_path: Path) -> None:
    routes = {"/": html("<title>busy</title>", 503, **{"Retry-After": "3600"})}
    with HostileServer(routes) as srv:
        run = audit(srv.url("/"), tmp_path, limit_s=30)
    assert run.code == 3
    assert "retry-after" in one_error_line(run)
    assert run.elapsed_s < 20


def test_a_self_signed_home_page_is_a_tls_error(tmp_path: Path, self_signed: tuple[Path, Path]) -> None:
    with HostileServer({"/": html("<title>tls</title>")}, cert=self_signed) as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 3
    assert ": tls" in one_error_line(run)


def test_an_idn_start_url_is_looked_up_in_its_ascii_form(tmp_path: Path) -> None:
    run = audit("http://政府网站.invalid/", tmp_path)
    assert run.code == 3
    line = one_error_line(run)
    assert "http://xn--" in line and ": dns" in line


def test_a_100000_character_start_url_is_one_clear_line(tmp_path: Path) -> None:
    with HostileServer({"/": html("<title>x</title>")}) as srv:
        run = audit(srv.url("/?q=" + "A" * 100_000), tmp_path)
    assert run.code in (2, 3)
    line = one_error_line(run)
    assert len(line) < 600


def test_10000_links_on_one_page_end_within_the_budget(tmp_path: Path) -> None:
    """Every link is distinct, so each needs a request: the time budget bounds the audit and the
    report says how many were left unchecked instead of pretending they were fine."""
    routes: dict[str, Route] = {"/": html(many_links(10_000)), "/item/*": html("<title>项目</title>")}
    with HostileServer(routes) as srv:
        run = audit(srv.url("/"), tmp_path, "--budget", "8", "--max-pages", "50", limit_s=45)
    assert run.code == 0, run.stderr
    run.assert_clean_stderr(max_lines=0)
    assert run.elapsed_s < 30
    assert run.peak_rss_mb < 250
    m = run.report["checks"]["links"]["metrics"]
    assert m["link_occurrences"] == 10_000
    assert m["links_checked"] + m["unchecked_budget"] == 10_000
    assert m["broken"] == 0
    assert run.report["crawl"]["pages"] <= 50
