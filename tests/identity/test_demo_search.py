"""The identity check's "search answers" rule on the demo portal, through a real audit: the home page's
search form is found, submitted through the audit's fetcher, and the demo's search answers (it echoes
the query and lists matching articles); cn-gov-2019's two search indicators pass. A control shows the
same probe says "does not answer" for a demo page that ignores its query."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from govaudit.checks.identity.html import Doc
from govaudit.checks.identity.search import SearchForm, probe_search

from govaudit.audit import AuditPlan, run_audit
from govaudit.cli import demo_config
from govaudit.config import AuditConfig, loopback_fast
from govaudit.crawl.charset import decode_html
from govaudit.crawl.fetcher import Fetcher
from govaudit.demo import DemoServer, load_manifest
from govaudit.model import AuditResult
from govaudit.profiles import load_profile
from tests.conftest import run


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return load_manifest()


@pytest.fixture(scope="module")
def audited(manifest: dict[str, Any]) -> Iterator[tuple[DemoServer, AuditResult]]:
    with DemoServer() as demo:
        plan = AuditPlan(url=demo.url, profile=load_profile("cn-gov-2019"),
                         as_of=date.fromisoformat(manifest["as_of"]), config=demo_config(manifest),
                         check_ids=["identity"])
        yield demo, run(run_audit(plan))


def test_search_answers_on_the_demo(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    demo, result = audited
    identity = result.checks["identity"]
    assert (identity.metrics["search_present"], identity.metrics["search_answers"]) == (1, 1)
    assert not [f for f in identity.findings if f.rule in ("search-missing", "search-no-answer")]
    probe = identity.data["search"]["probe"]
    assert probe["answers"] is True and probe["reason"] == "the results page echoes the query"
    asked = urlsplit(probe["url"])
    assert asked.path == manifest["search"]["path"]
    assert parse_qs(asked.query) == {manifest["search"]["param"]: ["政府"]}  # the default word on a Chinese portal


def test_the_form_was_really_submitted_twice(audited: tuple[DemoServer, AuditResult], manifest: dict[str, Any]) -> None:
    demo, _ = audited
    prefix = manifest["search"]["path"] + "?"
    queries = [parse_qs(urlsplit(p).query)[manifest["search"]["param"]][0]
               for m, p in demo.requests if m == "GET" and p.startswith(prefix)]
    assert len(queries) == 2 and queries[0] == "政府"
    assert queries[1].startswith("zq") and queries[1] != "政府"  # the nonsense token


def test_search_indicators_pass(audited: tuple[DemoServer, AuditResult]) -> None:
    _, result = audited
    indicators = {i.id: i for i in result.scored.indicators}
    assert indicators["cn.deduct.identity.search"].result == "pass"
    answers = indicators["cn.deduct.identity.search-answers"]
    assert answers.result == "pass" and answers.points == 0 and answers.findings == []


def _fetch_both(form: SearchForm, term: str) -> tuple[set[str], set[str]]:
    """Links on the results page for `term` and for a word that is nowhere on the site."""
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)

    async def go() -> tuple[set[str], set[str]]:
        async with Fetcher(cfg.crawl) as f:
            out = []
            for word in (term, "zq0123abcdx"):
                res = await f.fetch(f"{form.action}?{form.param}={word}")
                html, _ = decode_html(res.body, res.headers.get("content-type"))
                out.append({a.url for a in Doc(html, res.final_url).anchors if a.kind == "http"})
            return out[0], out[1]

    return run(go())


def test_real_word_lists_article_links_the_token_does_not(manifest: dict[str, Any]) -> None:
    with DemoServer() as demo:
        form = SearchForm(demo.url, demo.url_for(manifest["search"]["path"]), "get", manifest["search"]["param"])
        real, token = _fetch_both(form, "脐橙")
        extra = real - token
        assert len(extra) == next(e["results"] for e in manifest["search"]["examples"] if e["q"] == "脐橙") == 1
        assert all(urlsplit(u).path.startswith("/xzdt/") for u in extra)  # 白沙镇召开脐橙产销对接会


def test_control_a_page_that_ignores_its_query_does_not_answer() -> None:
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    with DemoServer() as demo:
        form = SearchForm(demo.url, demo.url_for("/about/lxwm.html"), "get", "q")

        async def go() -> Any:
            async with Fetcher(cfg.crawl) as f:
                return await probe_search(form, f, "政府")

        probe = run(go())
    assert probe.answers is False and probe.reason == "the results page is the same whatever is searched for"
