"""Surveys on one machine: many audits at once under a global limit, one audit per host at a time
(so the crawler's per-host politeness holds across audits) and a per-IP budget (many Chinese
portals share one provincial platform's address).

Every site's state lives in the store (`survey_sites`): a site is claimed under a lease together
with the run that holds its pages, so a survey killed at any moment (kill -9 included) and started
again with the same id redoes only unfinished sites, resuming their crawls, and no result is stored
twice. The Celery workers (`distributed.py`) go through `audit_site` below, the same code.
"""

from __future__ import annotations

import asyncio
import functools
import os
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from govaudit.audit import AuditPlan, checks_for, run_audit
from govaudit.browser import SharedBrowser, shared_browser
from govaudit.config import AuditConfig, CrawlConfig
from govaudit.crawl.fetcher import Pace
from govaudit.crawl.urls import host_of, origin_of
from govaudit.errors import SiteUnreachable, StoreError, UsageError
from govaudit.model import AuditResult
from govaudit.profiles import Profile, load_profile
from govaudit.store import Claim, Store
from govaudit.survey.rate import DEFAULT_PER_IP_RATE, LocalRate
from govaudit.survey.sites import SiteList

DEFAULT_LEASE = 60.0  # seconds a claim lasts without renewal; renewed every quarter of it (15 s)
DEFAULT_CONCURRENCY = 8  # audits at once
DEFAULT_PER_IP = 2  # audits at once against one IP address

EventHook = Callable[[str, dict[str, Any]], None]  # ("start" | "site", data)
AfterHook = Callable[[str, AuditResult], str | None]  # (url, result) -> a problem to report, or None


@dataclass(slots=True)
class SurveyOptions:
    """What every audit of a survey shares; stored with the survey so a restart or a worker on
    another machine audits the same way."""

    profile: str = "cn-gov-2019"
    as_of: str = ""  # ISO date
    checks: list[str] | None = None
    crawl: dict[str, Any] = field(default_factory=dict)  # CrawlConfig fields
    check_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    per_ip: int = DEFAULT_PER_IP
    per_ip_rate: float = DEFAULT_PER_IP_RATE  # requests a second to one address, all audits together; 0: none
    lease: float = DEFAULT_LEASE
    source: str = ""  # the sites file, for the report
    no_services: list[str] = field(default_factory=list)  # sites marked no_services in the CSV

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SurveyOptions:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def audit_config(self) -> AuditConfig:
        crawl = CrawlConfig()
        for key, value in self.crawl.items():
            if hasattr(crawl, key):
                setattr(crawl, key, value)
        return AuditConfig(crawl=crawl, checks={k: dict(v) for k, v in self.check_options.items()},
                           site=dict(self.site))

    def config_for(self, url: str) -> AuditConfig:
        """The audit config of one site: a site marked no_services in the CSV says so in its site config
        (the services check reads it; cn-gov-2019 then skips 办事服务)."""
        cfg = self.audit_config()
        if url in self.no_services:
            cfg.site["no_services"] = True
        return cfg

    @property
    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of)


def worker_name() -> str:
    """"local:host:pid" — a restarted survey recognises its own dead predecessor by it."""
    return f"local:{socket.gethostname()}:{os.getpid()}"


def prepare_survey(store: Store, survey_id: str, sites: SiteList, wanted: SurveyOptions,
                   explicit: set[str]) -> tuple[SurveyOptions, bool, int]:
    """Create the survey, or find the one with this id and check it is the same survey.

    `explicit` names the options the user gave on this command line; a stored survey keeps its
    own settings, and an explicit profile or date that differs is an error (mixing two profiles
    in one survey would make its report meaningless). Returns (options, created, sites added).
    """
    if not survey_id or len(survey_id) > 200 or any(c in survey_id for c in "\0\n\r/"):
        raise UsageError(f"invalid survey id {survey_id!r}: use a short name without slashes")
    stored = store.survey(survey_id)
    marked = [s.url for s in sites.sites if s.no_services]
    wanted.no_services = sorted(set(wanted.no_services) | set(marked))
    if stored is None:
        load_profile(wanted.profile)  # an unknown profile fails before anything is stored
        created = store.create_survey(survey_id, wanted.to_dict())
        opts = wanted if created else SurveyOptions.from_dict(store.survey(survey_id) or {})
    else:
        created = False
        opts = SurveyOptions.from_dict(stored)
        opts.no_services = sorted(set(opts.no_services) | set(marked))
        for name in ("profile", "as_of"):
            if name in explicit and getattr(wanted, name) != getattr(opts, name):
                raise UsageError(f"survey {survey_id!r} was started with {name} {getattr(opts, name)}; "
                                 f"resume it without --{name.replace('_', '-')} or choose another --id")
    added = store.add_survey_sites(survey_id, [(s.url, s.info()) for s in sites.sites])
    return opts, created, added


@functools.lru_cache(maxsize=16)
def _profile(profile_id: str) -> Profile:
    return load_profile(profile_id)


def plan_for(url: str, opts: SurveyOptions) -> AuditPlan:
    return AuditPlan(url=url, profile=_profile(opts.profile), as_of=opts.as_of_date, config=opts.config_for(url),
                     check_ids=list(opts.checks) if opts.checks else None)


def run_options(plan: AuditPlan) -> dict[str, Any]:
    """The options run_audit records for a run (the run is created by the claim, not by run_audit)."""
    classes = checks_for(plan)
    return {"url": plan.url, "profile": plan.profile.id, "checks": [c.id for c in classes],
            "as_of": plan.as_of.isoformat(), "max_pages": plan.config.crawl.max_pages,
            "max_depth": plan.config.crawl.max_depth}


def summarize(result: AuditResult) -> dict[str, Any]:
    """The per-site row of the survey report: kept in the store so a 14,000-site report needs no
    full results."""
    sc = result.scored.score
    metrics: dict[str, Any] = {}
    for check_id, check in result.checks.items():
        for key, value in check.metrics.items():
            if isinstance(value, (int, float, str, bool)) or value is None:
                metrics[f"{check_id}.{key}"] = value
    return {
        "run_id": result.run_id, "title": result.site_title, "profile": result.scored.profile_id,
        "score": sc.value, "max": sc.max, "grade": sc.grade, "passed": sc.passed, "vetoes": list(sc.vetoes),
        "pages": result.crawl.pages, "requests": result.crawl.requests, "duration_s": result.crawl.duration_s,
        "checks": {cid: c.status for cid, c in result.checks.items()},
        "metrics": metrics,
        "indicators": {i.id: [i.result, i.points] for i in result.scored.indicators},
    }


@dataclass(slots=True)
class SiteOutcome:
    url: str
    status: str  # done | failed: finished now; or the claim's answer: done, failed, running (busy)
    finished_here: bool = False
    result: AuditResult | None = None
    error: str | None = None
    duration_s: float = 0.0


async def audit_site(store: Store, survey_id: str, url: str, opts: SurveyOptions, worker: str,
                     steal_from: str | None = None, pace: Pace | None = None,
                     browser: SharedBrowser | None = None) -> SiteOutcome:
    """Claim one site, audit it (resuming a killed attempt's run) and record the outcome once.

    A StoreError (the database went away) gives the site back and is raised: the site is not
    finished and another attempt will do it. A site that cannot be opened is finished "failed".
    """
    started = time.monotonic()
    plan = plan_for(url, opts)
    claim = store.claim_site(survey_id, url, worker, opts.lease, run_options(plan), plan.as_of, steal_from)
    if isinstance(claim, str):
        return SiteOutcome(url, claim)
    if claim.run_status in ("done", "failed"):
        return _finish_from_run(store, survey_id, url, claim)
    plan.run_id, plan.resume, plan.pace, plan.browser = claim.run_id, True, pace, browser
    heartbeat = asyncio.create_task(_renew(store, survey_id, url, worker, opts.lease))
    try:
        limit = opts.audit_config().crawl.budget * 1.5 + 120  # a check that hangs must not hold the site
        result = await asyncio.wait_for(run_audit(plan, store), timeout=limit)
    except SiteUnreachable as exc:
        store.finish_site(survey_id, url, "failed", error=str(exc))
        return SiteOutcome(url, "failed", True, error=str(exc), duration_s=time.monotonic() - started)
    except (StoreError, asyncio.CancelledError):
        _give_back(store, survey_id, url, worker)
        raise
    except Exception as exc:  # noqa: BLE001 - one site's failure must not end the survey
        reason = ("the audit ran out of time" if isinstance(exc, TimeoutError)
                  else f"internal error: {type(exc).__name__}: {exc}")[:500]
        store.fail_run(claim.run_id, reason)
        store.finish_site(survey_id, url, "failed", error=reason)
        return SiteOutcome(url, "failed", True, error=reason, duration_s=time.monotonic() - started)
    finally:
        heartbeat.cancel()
    mine = store.finish_site(survey_id, url, "done", summary=summarize(result))
    return SiteOutcome(url, "done", mine, result=result, duration_s=time.monotonic() - started)


def _finish_from_run(store: Store, survey_id: str, url: str, claim: Claim) -> SiteOutcome:
    """An earlier attempt finished the run but died before marking the site: mark it from the run."""
    if claim.run_status == "done":
        result = store.load_result(claim.run_id)
        store.finish_site(survey_id, url, "done", summary=summarize(result))
        return SiteOutcome(url, "done", True, result=result)
    state = store.run_state(claim.run_id)
    error = (state[1] if state else None) or "the audit failed"
    store.finish_site(survey_id, url, "failed", error=error)
    return SiteOutcome(url, "failed", True, error=error)


def _give_back(store: Store, survey_id: str, url: str, worker: str) -> None:
    try:
        store.release_site(survey_id, url, worker)
    except StoreError:
        pass  # the lease runs out by itself


async def _renew(store: Store, survey_id: str, url: str, worker: str, lease: float) -> None:
    while True:
        await asyncio.sleep(max(lease / 4, 0.5))
        try:
            store.renew_site(survey_id, url, worker, lease)
        except StoreError:
            pass  # a passing outage: the next beat tries again, the lease covers the gap


# ---- one machine ---------------------------------------------------------------------------


class IpBudget:
    """At most `per_ip` audits at once against one IP address, and one at a time per origin (the
    crawler's politeness unit: scheme, host and port).

    Host names are resolved once each; a name that does not resolve gets its own slot (its audit
    fails fast with a dns error anyway).
    """

    def __init__(self, per_ip: int) -> None:
        self.per_ip = max(1, per_ip)
        self._ips: dict[str, asyncio.Semaphore] = {}
        self._hosts: dict[str, asyncio.Lock] = {}
        self._resolved: dict[str, asyncio.Future[str]] = {}

    async def address(self, url: str) -> str:
        host = host_of(url).strip("[]")
        fut = self._resolved.get(host)
        if fut is None:
            fut = asyncio.ensure_future(resolve(host))
            self._resolved[host] = fut
        return await fut

    async def slot(self, url: str) -> _Slot:
        ip = await self.address(url)
        sem = self._ips.setdefault(ip, asyncio.Semaphore(self.per_ip))
        lock = self._hosts.setdefault(origin_of(url) or url, asyncio.Lock())
        return _Slot(sem, lock)


class _Slot:
    def __init__(self, sem: asyncio.Semaphore, lock: asyncio.Lock) -> None:
        self._sem, self._lock = sem, lock

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        try:
            await self._sem.acquire()
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._sem.release()
        self._lock.release()


async def resolve(host: str) -> str:
    """The first address `host` resolves to, or "name:<host>" when it does not resolve (in 10 s)."""
    try:
        async with asyncio.timeout(10):
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError, UnicodeError):
        return f"name:{host}"
    return str(infos[0][4][0]) if infos else f"name:{host}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_local_worker(worker: str | None) -> bool:
    """True for a local survey process on this machine that is no longer running (killed)."""
    if not worker or not worker.startswith("local:"):
        return False
    try:
        _, host, pid = worker.rsplit(":", 2)
        return host == socket.gethostname() and int(pid) != os.getpid() and not _pid_alive(int(pid))
    except ValueError:
        return False


async def run_local(store: Store, survey_id: str, opts: SurveyOptions, concurrency: int = DEFAULT_CONCURRENCY,
                    on_event: EventHook | None = None, after: AfterHook | None = None,
                    browser: SharedBrowser | None = None) -> dict[str, int]:
    """Audit every unfinished site of the survey on this machine; returns the sites by status.

    `after(url, result)` runs in a thread for each site this process finished (writing its
    reports: rendering and fsync must not stall the other audits' event loop); what it returns
    (a problem, or None) reaches `on_event` as "warning".

    The audits share one browser (`browser`, or one started for this survey when first needed).

    Sites held by a killed local survey on this machine are taken back at once; sites held by a
    live process (another survey run, a Celery worker) are left to it, or taken when its lease
    runs out.
    """
    if concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    worker = worker_name()
    todo = [s for s in store.survey_sites(survey_id) if s.status in ("pending", "running")]
    if on_event:
        on_event("start", {"total": len(store.survey_sites(survey_id)), "todo": len(todo)})
    budget = IpBudget(opts.per_ip)
    gate = asyncio.Semaphore(concurrency)
    pace = LocalRate(opts.per_ip_rate) if opts.per_ip_rate > 0 else None  # shared by this process's audits
    own_browser = browser is None
    if browser is None:
        browser = shared_browser(opts.audit_config())  # one Chromium for them all, started when first needed

    async def one(url: str, held_by: str | None) -> None:
        steal = held_by if stale_local_worker(held_by) else None
        async with await budget.slot(url), gate:
            outcome = await audit_site(store, survey_id, url, opts, worker, steal_from=steal, pace=pace,
                                       browser=browser)
        warning = None
        if after is not None and outcome.result is not None and outcome.finished_here:
            warning = await asyncio.to_thread(after, url, outcome.result)
        if on_event:
            on_event("site", {"url": url, "status": outcome.status, "result": outcome.result,
                              "error": outcome.error, "finished_here": outcome.finished_here,
                              "duration_s": outcome.duration_s, "warning": warning})

    tasks = [asyncio.create_task(one(s.url, s.worker)) for s in todo]
    try:
        for task in asyncio.as_completed(tasks):
            await task  # a StoreError ends the survey: nothing more could be recorded
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if browser is not None and own_browser:
            await browser.close()
    return store.survey_counts(survey_id)
