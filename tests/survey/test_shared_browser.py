"""A local survey's audits share one Chromium (issue 14, item 4): each audit opens its own context
in it, the browser starts once for the survey, starts again after a crash, and an audit without a
shared browser still starts its own."""

from __future__ import annotations

from pathlib import Path

from govaudit.browser import find_browser, open_renderer
from govaudit.browser.shared import SharedBrowser
from govaudit.config import AuditConfig
from govaudit.store import Store
from govaudit.survey.runner import SurveyOptions, prepare_survey, run_local
from govaudit.survey.sites import parse_sites
from tests.conftest import run
from tests.survey.helpers import AS_OF
from tests.survey.portals import serve_portals


def test_the_audits_of_a_local_survey_share_one_browser_with_a_context_each(tmp_path: Path) -> None:
    shared = SharedBrowser(find_browser(None), tabs=4)
    opts = SurveyOptions(as_of=AS_OF, checks=["accessibility"], crawl={"delay": 0.0, "timeout": 10.0},
                         per_ip_rate=0)
    with serve_portals(3, per_address=1, first_address=50) as portals, Store.open(str(tmp_path / "g.db")) as store:
        sites = parse_sites("url\n" + "\n".join(portals.urls) + "\n")
        opts, _, _ = prepare_survey(store, "b", sites, opts, set())
        counts = run(_survey(store, opts, shared))
        assert counts["done"] == 3, counts
        tested = []
        for site in store.survey_sites("b"):
            result = store.load_result(site.run_id)
            a11y = result.checks["accessibility"]
            assert a11y.status == "ok", a11y.error
            tested.append(a11y.metrics["pages_tested"])
    assert all(n >= 1 for n in tested)
    assert shared.launches == 1  # one browser for the three audits...
    assert shared.contexts == 3  # ...each in its own context (cookies and storage stay per audit)


async def _survey(store: Store, opts: SurveyOptions, shared: SharedBrowser) -> dict[str, int]:
    try:
        return await run_local(store, "b", opts, concurrency=3, browser=shared)
    finally:
        assert shared.launches == 1
        await shared.close()


def test_a_shared_browser_that_crashed_is_started_again_for_the_next_audit() -> None:
    async def go() -> tuple[int, int, str]:
        shared = SharedBrowser(find_browser(None))
        try:
            cfg = AuditConfig()
            first = open_renderer(cfg, shared=shared)
            assert first is not None
            html_one = await first.render("data:text/html,<title>one</title><p>1</p>")
            await (await shared.browser()).close()  # the browser dies under the audits
            await first.close()
            second = open_renderer(cfg, shared=shared)
            assert second is not None
            html_two = await second.render("data:text/html,<title>two</title><p>2</p>")
            await second.close()
            assert "<p>1</p>" in html_one
            return shared.launches, shared.contexts, html_two
        finally:
            await shared.close()

    launches, contexts, html = run(go())
    assert (launches, contexts) == (2, 2) and "<p>2</p>" in html


def test_an_audit_without_a_shared_browser_starts_its_own() -> None:
    async def go() -> tuple[bool, bool]:
        renderer = open_renderer(AuditConfig())
        assert renderer is not None and renderer.shared is None
        try:
            await renderer.render("data:text/html,<p>alone</p>")
            return renderer._browser is not None, renderer.started  # noqa: SLF001 - its own browser
        finally:
            await renderer.close()

    assert run(go()) == (True, True)
