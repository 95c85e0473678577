"""Challenge pass-through (issue 11 item 4), end to end through the CLI with the real Chromium.

The loopback site (tests/a11y/challenge_site.py) answers every request without its cookie with a
JS challenge, 加速乐-shaped (521) or 瑞数-shaped (412): a script hashes a nonce, sets the cookie and
reloads; only the right value is let in, and the nonce changes now and then (the cookie expires).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.browser import open_renderer
from govaudit.config import AuditConfig, loopback_fast
from govaudit.crawl.antibot import challenge
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import FetchResult
from tests.a11y.challenge_site import ChallengeSite, challenge_page, portal
from tests.conftest import run
from tests.hostile.runner import FAST, CliRun, run_cli, write_config
from tests.support.server import LocalServer, Reply

AUDIT = ["--profile", "links", "--checks", "links", "--format", "json", "--as-of", "2026-11-22", *FAST]
NAMES = {"jsl": "Jiasule (加速乐) challenge", "rs": "Rivers Security (瑞数) challenge"}


def audit(url: str, tmp: Path, limit_s: float = 120.0) -> CliRun:
    return run_cli(["audit", url, *AUDIT, "--config", str(write_config(tmp))], tmp, limit_s=limit_s)


@pytest.mark.parametrize("shape", sorted(NAMES))
@pytest.mark.parametrize("solvable", [True, False])
def test_the_test_sites_challenge_pages_are_recognised_by_their_products_markers(shape: str, solvable: bool) -> None:
    reply = challenge_page(shape, "a7c19e2b", solvable)
    headers = {k.lower(): v for k, v in reply.headers.items()}
    assert challenge(reply.status, headers, reply.encoded()) == NAMES[shape]


@pytest.mark.parametrize("shape", sorted(NAMES))
def test_a_cookie_challenge_is_passed_in_chromium_and_the_site_behind_it_is_audited(shape: str,
                                                                                   tmp_path: Path) -> None:
    site = ChallengeSite(shape=shape, expire_every=8, expire_times=1, pages=portal(12))
    with site.serve() as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 0, run.stderr
    run.assert_clean_stderr(max_lines=0)
    pages = run.pages()
    crawled = {u[len(srv.base):] for u, p in pages.items() if p.status == 200 and p.error is None}
    assert {"/", *(f"/art/{i}.html" for i in range(12))} <= crawled
    assert not any(p.error == "blocked" for p in pages.values())
    assert srv.url("/private/x.html") not in pages  # robots.txt, challenged too, was read behind it
    links = run.report["checks"]["links"]
    assert links["metrics"]["blocked"] == 0
    broken = {f["target"] for f in links["findings"] if f.get("status") == 404 or "404" in str(f.get("status"))}
    assert srv.url("/gone.html") in broken  # a link checked behind the challenge
    notes = run.report["crawl"]["notes"]
    passes = [n for n in notes if "passed in the browser" in n]
    assert passes and NAMES[shape] in passes[0]
    assert any("again" in n for n in passes)  # the cookie expired and the challenge came back
    assert len(site.passed_with) >= 2  # let in with two different clearances


def test_a_challenge_that_keeps_coming_back_is_passed_at_most_three_times(tmp_path: Path) -> None:
    site = ChallengeSite(shape="jsl", expire_every=3, pages=portal(12))
    with site.serve() as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 0, run.stderr
    notes = run.report["crawl"]["notes"]
    assert len([n for n in notes if "passed in the browser" in n]) == 3, notes
    assert any("came back after 3 passes" in n for n in notes), notes
    blocked = [p for p in run.pages().values() if p.error == "blocked"]
    assert blocked and all(p.error_detail == NAMES["jsl"] for p in blocked)


@pytest.mark.parametrize("shape", sorted(NAMES))
def test_a_challenge_whose_script_never_sets_the_cookie_exits_3_naming_the_protection(shape: str,
                                                                                       tmp_path: Path) -> None:
    site = ChallengeSite(shape=shape, solvable=False, pages=portal(3))
    with site.serve() as srv:
        run = audit(srv.url("/"), tmp_path)
    assert run.code == 3, (run.code, run.stderr)
    run.assert_clean_stderr(max_lines=1)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govaudit: "), run.stderr
    assert "blocked" in lines[0] and NAMES[shape] in lines[0], lines[0]
    assert "not passed in the browser" in lines[0], lines[0]  # it says the browser tried, and how it failed
    assert site.served == 0
    home = run.pages()[srv.url("/")]
    assert home.error == "blocked" and home.error_detail == NAMES[shape]


def test_the_fetcher_says_why_a_challenge_was_not_passed() -> None:
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.timeout = 2.0
    site = ChallengeSite(shape="jsl", solvable=False, pages=portal(1))

    async def go(url: str) -> tuple[FetchResult, str | None, int]:
        async with Fetcher(cfg.crawl) as fetcher:
            renderer = open_renderer(cfg, fetcher)
            assert renderer is not None
            try:
                res = await fetcher.fetch(url, robots=False)
                again = await fetcher.fetch(url + "?again", robots=False)  # not tried a second time
                assert again.error == "blocked"
                return res, fetcher.challenge_failure(url), renderer.pages_created
            finally:
                await renderer.close()

    with site.serve() as srv:
        res, why, tabs = run(go(srv.url("/")))
    assert (res.error, res.error_detail) == ("blocked", NAMES["jsl"])
    assert why is not None and why.startswith(NAMES["jsl"] + " answered and was not passed in the browser: "
                                              "still challenged after 10 s"), why
    assert tabs == 1


def test_another_sites_challenged_link_target_stays_blocked_and_costs_no_browser_pass(tmp_path: Path) -> None:
    other = ChallengeSite(shape="jsl", pages=portal(1))
    with other.serve() as far:
        home = Reply(body=f"<title>首页</title><a href='{far.url('/art/0.html')}'>外站</a><a href='/a.html'>a</a>")
        with LocalServer({"/": home, "/a.html": Reply(body="<title>a</title>")}) as srv:
            run = audit(srv.url("/"), tmp_path)
        asked = sorted(path for _, path in far.log)
    assert run.code == 0, run.stderr
    metrics = run.report["checks"]["links"]["metrics"]
    assert metrics["blocked"] == 1 and metrics["blocked_by"] == {NAMES["jsl"]: 1}
    assert not any("passed in the browser" in n for n in run.report["crawl"]["notes"])
    assert asked == ["/art/0.html", "/robots.txt"] and other.served == 0  # one GET each, no browser visit
