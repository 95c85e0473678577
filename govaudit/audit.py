"""One audit, end to end: crawl -> checks -> score, recorded in the store as it goes.

The CLI, the survey runner and tests all call `run_audit`; it knows nothing of terminals or files.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from govaudit import __version__
from govaudit.browser import SharedBrowser, open_renderer
from govaudit.checkapi import CheckContext, resolve_checks
from govaudit.config import AuditConfig, CrawlConfig
from govaudit.coverage import coverage_of
from govaudit.crawl.crawler import crawl, now_iso
from govaudit.crawl.fetcher import Fetcher, Pace
from govaudit.errors import SiteUnreachable, StoreError, UsageError
from govaudit.model import AuditResult, CheckResult, CrawlStats, Page, SiteSnapshot
from govaudit.profiles import Profile
from govaudit.scoring import score
from govaudit.store import Store

ProgressHook = Callable[[str, dict[str, Any]], None]  # (event, data): "run", "page", "check", "checks-done"


@dataclass(slots=True)
class AuditPlan:
    url: str
    profile: Profile
    as_of: date
    config: AuditConfig = field(default_factory=AuditConfig)
    check_ids: list[str] | None = None  # None: the checks the profile reads (or all installed)
    run_id: str | None = None  # set with resume=True to continue a stored run
    resume: bool = False
    pace: Pace | None = None  # a request rate shared with other audits (a survey's per-IP rate)
    browser: SharedBrowser | None = None  # a browser shared with other audits (a local survey's)


def checks_for(plan: AuditPlan) -> list[type]:
    if plan.check_ids is not None:
        return resolve_checks(plan.check_ids)
    wanted = sorted(plan.profile.check_ids()) if hasattr(plan.profile, "check_ids") else None
    if not wanted:
        return resolve_checks(None)
    # Only the profile's checks are imported (a links audit never loads the browser stack); a
    # profile may read a check that is not installed: its indicators then say so.
    return resolve_checks(wanted, skip_missing=True)


def validate_plan(plan: AuditPlan) -> list[type]:
    """The plan's checks, each given the chance to refuse its options before any network work.

    A check class may define `validate_options(options, site, home_url)` raising UsageError, so a
    typo in govaudit.toml is one line at the start, not an `error` status after a long crawl.
    """
    classes = checks_for(plan)
    for cls in classes:
        validate = getattr(cls, "validate_options", None)
        if callable(validate):
            validate(dict(plan.config.checks.get(cls.id, {})), plan.config.site, plan.url)
    return classes


async def run_checks(snapshot: SiteSnapshot, classes: list[type], fetcher: Fetcher, plan: AuditPlan,
                     progress: ProgressHook | None = None, renderer: Any = None,
                     store: Store | None = None) -> dict[str, CheckResult]:
    """Run each check; a check that raises is recorded as `error` with its reason, the rest go on."""
    results: dict[str, CheckResult] = {}
    for cls in classes:
        started = time.monotonic()
        ctx = CheckContext(fetcher=fetcher, config=plan.config, as_of=plan.as_of,
                           options=dict(plan.config.checks.get(cls.id, {})), results=results,
                           renderer=renderer, store=store)
        if progress:
            progress("check", {"id": cls.id, "title": getattr(cls, "title", cls.id)})
        try:
            result = await cls().run(snapshot, ctx)
            if not isinstance(result, CheckResult):
                raise TypeError(f"returned {type(result).__name__}, not CheckResult")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failing check must not end the audit
            result = CheckResult(status="error", error=f"{type(exc).__name__}: {exc}"[:500])
        result.duration_s = round(time.monotonic() - started, 3)
        results[cls.id] = result
    return results


def number_findings(results: dict[str, CheckResult]) -> None:
    """Give every finding a report-wide id, f-1, f-2, … in check order.

    Within a check, findings are put in a stable order first: pages are crawled concurrently, so the
    order a check met them in varies between two runs of the same site, and reports must diff cleanly.
    """
    n = 0
    for res in results.values():
        res.findings.sort(key=lambda f: (f.rule, f.page, f.target or "", f.message))
        for f in res.findings:
            n += 1
            f.id = f"f-{n}"


def recorded_options(plan: AuditPlan, classes: list[type]) -> dict[str, Any]:
    """What the report's `options` records: enough to reproduce its numbers. Besides the URL,
    profile, checks and as-of date, every crawl setting that is not govaudit's default (politeness,
    timeout, scope…, from the command line, govaudit.toml or `govaudit demo`) and every check option."""
    crawl_cfg = asdict(plan.config.crawl)
    defaults = asdict(CrawlConfig())
    return {"url": plan.url, "profile": plan.profile.id, "checks": [c.id for c in classes],
            "as_of": plan.as_of.isoformat(),
            "max_pages": plan.config.crawl.max_pages, "max_depth": plan.config.crawl.max_depth,
            "crawl": {k: v for k, v in crawl_cfg.items() if v != defaults.get(k)},
            # JSON-safe (a govaudit.toml date or time is kept as its text)
            "check_options": json.loads(json.dumps({cid: opts for cid, opts in sorted(plan.config.checks.items())
                                                    if opts}, default=str))}


async def run_audit(plan: AuditPlan, store: Store | None = None,
                    progress: ProgressHook | None = None, assets: dict[str, bytes] | None = None) -> AuditResult:
    """Crawl, check and score one site. `assets`, when given, receives the screenshots the checks
    took ("screenshot:<page url>" -> PNG) for the reports; the store keeps them with the run.

    The first progress event is "run" with the run id. Cancelled (Ctrl-C, SIGTERM) or interrupted,
    the run is marked "interrupted" in the store, with every page fetched so far, and the
    cancellation goes on to the caller; `--resume` continues it."""
    classes = checks_for(plan)
    started_at = now_iso()
    options = recorded_options(plan, classes)
    known: dict[str, Page] | None = None
    run_id = plan.run_id
    if store is not None:
        if plan.resume and run_id:
            stored = store.pages(run_id)
            if stored and stored[0].url != plan.url:
                # The first stored page is the run's start URL: resuming with another site's URL
                # would mix two sites' pages into one run.
                raise UsageError(f"run {run_id} audited {stored[0].url}, not {plan.url[:200]}: "
                                 "resume it with its own URL")
            known = {p.url: p for p in stored}
            store.resume_run(run_id)
        else:
            run_id = store.new_run(plan.url, options, plan.as_of)
    if progress and run_id:
        progress("run", {"run_id": run_id, "url": plan.url, "resume": bool(known is not None)})
    try:
        return await _run_audit(plan, store, progress, assets, classes, options, started_at, known, run_id)
    except (asyncio.CancelledError, KeyboardInterrupt):
        if store is not None and run_id is not None:
            try:
                store.interrupt_run(run_id)
            except Exception:  # noqa: BLE001 - the interruption is what the user must hear about
                pass
        raise


async def _run_audit(plan: AuditPlan, store: Store | None, progress: ProgressHook | None,
                     assets: dict[str, bytes] | None, classes: list[type], options: dict[str, Any],
                     started_at: str, known: dict[str, Page] | None, run_id: str | None) -> AuditResult:

    fetched = [len(known or {})]
    evidence: dict[str, bytes] = {}
    batch = PageBatch(store, run_id)

    def on_page(page: Page, stats: CrawlStats) -> None:
        # Pages are stored in batches as they are fetched: a killed audit resumes from the last batch.
        batch.add(page)
        fetched[0] += 1
        if progress:
            progress("page", {"url": page.url, "status": page.status, "error": page.error,
                              "pages": fetched[0], "max_pages": plan.config.crawl.max_pages,
                              "frontier": max(stats.frontier, fetched[0])})

    async with Fetcher(plan.config.crawl, pace=plan.pace) as fetcher:
        # One browser per audit; it launches only when the crawl or a check first asks for a page.
        renderer = open_renderer(plan.config, fetcher, shared=plan.browser)
        try:
            try:
                snapshot = await crawl(plan.url, plan.config.crawl, fetcher, on_page=on_page, known=known,
                                       renderer=renderer)
            finally:
                batch.flush()  # also when the crawl was interrupted: nothing fetched is lost
            if batch.error is not None:  # the crawler goes on past a failing page callback; we do not
                raise batch.error
            home = snapshot.home
            problem = _unauditable(home)
            if problem is not None and home is not None and home.error == "blocked":
                why = fetcher.challenge_failure(home.url)  # the browser tried: say how it failed
                if why:
                    problem += f"; {why[:300]}"
            if problem is not None:
                if store is not None and run_id is not None:
                    store.fail_run(run_id, problem)
                raise SiteUnreachable(problem)
            results = await run_checks(snapshot, classes, fetcher, plan, progress, renderer, store)
            snapshot.stats.requests = fetcher.requests
            if fetcher.paced_s >= 1.0:
                snapshot.stats.notes.append(f"requests waited {fetcher.paced_s:.0f} s in all for the survey's "
                                            "per-IP request rate (not counted toward their timeouts)")
        finally:
            if renderer is not None:
                evidence.update(renderer.assets)
                if assets is not None:
                    assets.update(renderer.assets)
                await renderer.close()
    number_findings(results)
    scored = score(plan.profile, results, coverage=coverage_of(snapshot.stats, results))
    result = AuditResult(
        run_id=run_id or "", site_url=snapshot.start_url, site_title=snapshot.title, as_of=plan.as_of,
        started_at=started_at, finished_at=now_iso(), crawl=snapshot.stats, checks=results, scored=scored,
        tool_version=__version__, options=options,
    )
    if store is not None and run_id is not None:
        store.finish_run(run_id, result, evidence)
    return result


class PageBatch:
    """Crawled pages on their way to the store: one transaction per `size` pages or `seconds`."""

    def __init__(self, store: Store | None, run_id: str | None, size: int = 100, seconds: float = 1.0) -> None:
        self.store, self.run_id = store, run_id
        self.size, self.seconds = size, seconds
        self.pending: list[Page] = []
        self._since = time.monotonic()
        self.error: StoreError | None = None  # the first store failure: the audit ends with it


    def add(self, page: Page) -> None:
        if self.store is None or self.run_id is None:
            return
        self.pending.append(page)
        if len(self.pending) >= self.size or time.monotonic() - self._since >= self.seconds:
            self.flush()

    def flush(self) -> None:
        if self.pending and self.store is not None and self.run_id is not None:
            pages, self.pending = self.pending, []
            try:
                self.store.add_pages(self.run_id, pages)
            except StoreError as exc:
                self.error = self.error or exc
                raise
        self._since = time.monotonic()


def _unauditable(home: Page | None) -> str | None:
    if home is None:
        return "the start URL was not fetched (disallowed by robots.txt or out of budget)"
    # A start URL can be 100,000 characters long: the one-line error shows its beginning.
    url = home.url if len(home.url) <= 200 else home.url[:200] + "…"
    if home.error is not None:
        return f"cannot open {url}: {home.error}" + (f" ({home.error_detail[:300]})" if home.error_detail else "")
    if home.status is None or home.status >= 400:
        return f"cannot open {url}: HTTP {home.status}"
    if not home.is_html:
        return f"{url} is not an HTML page (Content-Type {home.content_type or 'missing'})"
    return None
