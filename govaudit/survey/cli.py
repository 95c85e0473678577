"""`govaudit survey`, `survey-diff`, `probe` and `worker`: thin Click commands over the survey code."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from govaudit.cli import build_config, crawl_options, is_tty, parse_as_of
from govaudit.errors import UsageError
from govaudit.survey.rate import DEFAULT_PER_IP_RATE, check_rate
from govaudit.survey.runner import DEFAULT_CONCURRENCY, DEFAULT_LEASE, DEFAULT_PER_IP, SurveyOptions
from govaudit.survey.sites import SiteList, read_sites


def _load_sites(path: str) -> SiteList:
    sites = read_sites(path)
    for message in sites.messages():
        click.echo(f"{path}: {message}", err=True)
    if not sites.sites:
        raise UsageError(f"{path}: no usable site (every row was malformed)")
    return sites


class SurveyProgress:
    """A progress bar with ETA on a terminal; one line per site with -v; else quiet."""

    def __init__(self, enabled: bool, verbose: bool) -> None:
        self.enabled = enabled
        self.verbose = verbose
        self._progress: Any = None
        self._task: Any = None
        self.done = 0

    def __enter__(self) -> SurveyProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(TextColumn("survey"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                      TextColumn("{task.fields[last]}"), console=Console(stderr=True))
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def start(self, total: int, done: int) -> None:
        self.done = done
        if self._progress is not None:
            self._task = self._progress.add_task("survey", total=total, completed=done, last="")

    def advance_to(self, done: int, last: str = "") -> None:
        self.done = done
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, last=last[-50:])

    def warn(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line, err=True)

    def site(self, url: str, status: str, detail: str) -> None:
        if self.verbose:
            line = f"{status:6} {url} {detail}"
            if self._progress is not None:
                self._progress.console.print(line, markup=False, highlight=False)
            else:
                click.echo(line, err=True)


@click.command()
@click.argument("sites_csv", type=click.Path(dir_okay=False))
@click.option("--id", "survey_id", required=True, help="Survey name; run again with the same id to resume.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder (default survey-ID).")
@click.option("--db", help="Store URL: SQLite path (default ./govaudit.db) or postgresql://…")
@click.option("--profile", "profile_id", help="Profile id or YAML path (default cn-gov-2019).")
@click.option("--as-of", help="Reference date for every age (YYYY-MM-DD; default today).")
@click.option("--checks", "check_ids", help="Comma list of check ids (default: those the profile reads).")
@click.option("--queue", help="Celery broker (redis://…): enqueue one task per site for `govaudit worker`.")
@click.option("--no-wait", is_flag=True, help="With --queue: enqueue and exit; run again to collect the report.")
@click.option("--site-concurrency", "site_concurrency", default=DEFAULT_CONCURRENCY, show_default=True,
              help="Audits at once on this machine (local mode).")
@click.option("--per-ip", default=DEFAULT_PER_IP, show_default=True, help="Audits at once against one IP address.")
@click.option("--per-ip-rate", default=DEFAULT_PER_IP_RATE, show_default=True, type=float,
              help="Requests a second to one IP address, summed over every audit and worker (0: no limit).")
@click.option("--site-formats", default="json,html", show_default=True, help="Per-site report formats.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="govaudit.toml to read.")
@click.option("--lease", default=DEFAULT_LEASE, show_default=True, hidden=True,
              help="Seconds a claimed site stays claimed without a heartbeat.")
@click.option("-v", "--verbose", is_flag=True, help="One line per site.")
@crawl_options
def survey(sites_csv: str, survey_id: str, out_dir: str | None, db: str | None, profile_id: str | None,
           as_of: str | None, check_ids: str | None, queue: str | None, no_wait: bool, site_concurrency: int,
           per_ip: int, per_ip_rate: float, site_formats: str, config_path: str | None, lease: float,
           verbose: bool, **crawl: Any) -> None:
    """Audit every site listed in SITES_CSV; resumable with the same --id."""
    from govaudit.cli import parse_formats
    from govaudit.store import Store
    from govaudit.survey.runner import prepare_survey

    if per_ip < 1 or site_concurrency < 1:
        raise UsageError("--per-ip and --site-concurrency must be at least 1")
    check_rate(per_ip_rate)
    if lease < 5:
        raise UsageError("--lease must be at least 5 seconds")
    formats = parse_formats(site_formats)
    sites = _load_sites(sites_csv)
    cfg = build_config(config_path, crawl)
    wanted = SurveyOptions(profile=profile_id or "cn-gov-2019", as_of=parse_as_of(as_of).isoformat(),
                           checks=[c.strip() for c in check_ids.split(",") if c.strip()] if check_ids else None,
                           crawl=asdict(cfg.crawl), check_options=cfg.checks,
                           site=cfg.site, per_ip=per_ip, per_ip_rate=per_ip_rate, lease=lease,
                           source=str(sites_csv))
    explicit = {name for name, given in (("profile", profile_id), ("as_of", as_of)) if given}
    out = Path(out_dir or f"survey-{survey_id}")
    store = Store.open(db)
    try:
        opts, created, added = prepare_survey(store, survey_id, sites, wanted, explicit)
        counts = store.survey_counts(survey_id)
        total = sum(counts.values())
        click.echo(f"survey {survey_id}: {total} sites ({'new' if created else f'{added} added, resuming'}; "
                   f"{counts['done'] + counts['failed']} finished), profile {opts.profile}, as of {opts.as_of}",
                   err=True)
        if queue:
            code = _distributed(store, survey_id, queue, no_wait, verbose, out, formats)
            if code is not None:
                sys.exit(code)
        else:
            _local(store, survey_id, opts, out, formats, site_concurrency, verbose)
        sys.exit(_finish(store, survey_id, out, formats))
    finally:
        store.close()


def _local(store: Any, survey_id: str, opts: SurveyOptions, out: Path, formats: list[str], concurrency: int,
           verbose: bool) -> None:
    from govaudit.survey.report import try_site_reports
    from govaudit.survey.runner import run_local

    with SurveyProgress(is_tty(), verbose) as progress:
        def on_event(event: str, data: dict[str, Any]) -> None:
            if event == "start":
                progress.start(data["total"], data["total"] - data["todo"])
                return
            result = data.get("result")
            if data.get("warning"):
                progress.warn(data["warning"])
            if data["status"] in ("done", "failed"):
                progress.advance_to(progress.done + 1, data["url"])
            detail = (f"{result.scored.score.value:g} {result.scored.score.grade}" if result is not None
                      else data.get("error") or "")
            progress.site(data["url"], data["status"], detail)

        asyncio.run(run_local(store, survey_id, opts, concurrency, on_event,
                              after=lambda url, result: try_site_reports(out, url, result, formats,
                                                                         store.evidence(result.run_id))))


def _distributed(store: Any, survey_id: str, queue: str, no_wait: bool, verbose: bool, out: Path,
                 formats: list[str]) -> int | None:
    from govaudit.store import redact_url
    from govaudit.survey.distributed import Reenqueuer, enqueue, make_app, unfinished
    from govaudit.survey.report import write_missing_site_reports

    todo = unfinished(store, survey_id)
    app = make_app(queue)
    try:
        enqueue(app, survey_id, todo)
    except Exception as exc:  # noqa: BLE001 - kombu's connection errors vary by transport
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"cannot reach the queue {redact_url(queue)}: {first}") from None
    click.echo(f"enqueued {len(todo)} sites on {redact_url(queue)}; workers: govaudit worker --queue … --db …",
               err=True)
    if no_wait:
        return 0
    counts = store.survey_counts(survey_id)
    total = sum(counts.values())
    last_change, last_done = time.monotonic(), -1
    seen: set[str] = set()
    reenqueue = Reenqueuer(app, survey_id)
    with SurveyProgress(is_tty(), verbose) as progress:
        progress.start(total, counts["done"] + counts["failed"])
        while True:
            counts = store.survey_counts(survey_id)
            finished = counts["done"] + counts["failed"]
            progress.advance_to(finished)
            if finished != last_done:
                last_change, last_done = time.monotonic(), finished
            if counts["pending"] + counts["running"] == 0:
                return None
            for url in reenqueue.tick(store):
                progress.warn(f"{url}: its worker stopped renewing the claim; enqueued again")
            # Per-site reports are written while the workers go on, not all at the end.
            if write_missing_site_reports(store, survey_id, out, formats, progress.warn, seconds=0.8, seen=seen):
                continue
            if time.monotonic() - last_change > 600:
                click.echo(f"no site finished in 10 minutes ({counts['pending']} pending, {counts['running']} "
                           "running): is a worker running against this queue and store?", err=True)
                last_change = time.monotonic()
            time.sleep(1.0)


def _finish(store: Any, survey_id: str, out: Path, formats: list[str]) -> int:
    from govaudit.survey.report import write_survey

    paths = write_survey(store, survey_id, out, formats, warn=lambda line: click.echo(line, err=True))
    counts = store.survey_counts(survey_id)
    click.echo(f"survey {survey_id}: {counts['done']} audited, {counts['failed']} could not be audited, "
               f"{counts['pending'] + counts['running']} unfinished")
    for p in paths:
        click.echo(f"wrote {p}")
    if counts["pending"] + counts["running"]:
        click.echo("some sites are held by other processes or workers: run again with the same --id", err=True)
        return 1
    return 0


@click.command("survey-diff")
@click.argument("a", type=click.Path())
@click.argument("b", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def survey_diff(a: str, b: str, fmt: str, out_file: str | None) -> None:
    """Compare two survey rounds (folders or survey.json files): sites newly failing or passing,
    score and indicator changes."""
    from govaudit.survey.diff import diff_surveys, diff_text, load_survey

    diff = diff_surveys(load_survey(a), load_survey(b))
    text = json.dumps(diff, ensure_ascii=False, indent=1) + "\n" if fmt == "json" else diff_text(diff)
    if out_file:
        try:
            Path(out_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {out_file}: {exc.strerror or exc}") from None
        click.echo(f"wrote {out_file}")
    else:
        click.echo(text, nl=False)


@click.command()
@click.argument("sites_csv", type=click.Path(dir_okay=False))
@click.option("--db", help="Store URL: SQLite path (default ./govaudit.db) or postgresql://…")
@click.option("--timeout", default=15.0, show_default=True, help="Seconds for the home page to open.")
@click.option("--concurrency", default=50, show_default=True, help="Visits at once.")
@click.option("--per-ip", default=4, show_default=True, help="Visits at once to one IP address.")
@click.option("--tz", help="Time zone whose days the samples count for (default: this machine's).")
@click.option("--user-agent", help="User-Agent header.")
@click.option("-v", "--verbose", is_flag=True, help="One line per site that did not open.")
def probe(sites_csv: str, db: str | None, timeout: float, concurrency: int, per_ip: int, tz: str | None,
          user_agent: str | None, verbose: bool) -> None:
    """Take one availability sample of every site's home page (for cron: >= 20 runs a day)."""
    from govaudit.store import Store
    from govaudit.survey.probe import DOWN, UP_CHALLENGE, ProbeSettings, probe_sites, sample_state, zone

    zone_info = zone(tz)
    sites = _load_sites(sites_csv)
    settings = ProbeSettings(timeout=timeout, concurrency=concurrency, per_ip=per_ip, user_agent=user_agent or "")
    store = Store.open(db)  # before the visits: a store that cannot be opened wastes no network
    try:
        samples = asyncio.run(probe_sites([s.url for s in sites.sites], settings, zone_info))
        store.add_samples(samples)
        where = store.where
    finally:
        store.close()
    down = [s for s in samples if sample_state(s) == DOWN]
    walled = [s for s in samples if sample_state(s) == UP_CHALLENGE]
    if verbose:
        for s in down:
            click.echo(f"down {s.site} {s.error or s.status} {s.detail.get('error_detail', '')}".rstrip(), err=True)
        for s in walled:
            click.echo(f"{UP_CHALLENGE} {s.site} {s.status} {s.detail.get('wall', '')}".rstrip(), err=True)
    first = samples[0].at if samples else ""
    challenge = f" ({len(walled)} {UP_CHALLENGE})" if walled else ""
    click.echo(f"probe {first}: {len(samples)} sites, {len(samples) - len(down)} up{challenge}, {len(down)} down "
               f"(stored in {where})")


@click.command()
@click.option("--queue", required=True, help="Celery broker URL (redis://…).")
@click.option("--db", required=True, help="Store URL the results go to (postgresql://… shared by all workers).")
@click.option("--concurrency", "-c", default=8, show_default=True, help="Audits at once in this worker.")
@click.option("--pool", type=click.Choice(["threads", "prefork", "solo"]), default="threads", show_default=True,
              help="threads: one process, audits overlap their network waits (the usual choice); prefork: one "
                   "process per audit, isolated.")
@click.option("--visibility-timeout", default=90.0, show_default=True,
              help="Seconds before a task held by a vanished worker is handed to another.")
@click.option("--restore-interval", default=10.0, show_default=True, hidden=True)
@click.option("--loglevel", default="info", show_default=True)
def worker(queue: str, db: str, concurrency: int, pool: str, visibility_timeout: float, restore_interval: float,
           loglevel: str) -> None:
    """Run a Celery worker that audits the sites surveys enqueue."""
    import os
    import socket

    from govaudit.survey.distributed import _doctor_db, _doctor_queue, make_app

    if concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    for name, ok, message in (_doctor_queue(queue), _doctor_db(db)):
        if not ok:
            raise UsageError(f"{name}: {message}")
    app = make_app(queue, db, visibility_timeout=visibility_timeout, restore_interval=restore_interval)
    import logging

    for noisy in ("aiohttp.access", "aiohttp.client"):  # one line per request would bury the task log
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app.worker_main(["worker", "--queues", "govaudit", "--concurrency", str(concurrency), "--pool", pool,
                     "--loglevel", loglevel, "--hostname", f"govaudit-{os.getpid()}@{socket.gethostname()}",
                     "--without-gossip", "--without-mingle"])


@click.command()
@click.argument("url")
@click.option("--db", help="Store URL: SQLite path (default ./govaudit.db) or postgresql://…")
@click.option("--days", default=14, show_default=True, help="Probe days shown, ending on --until.")
@click.option("--until", "until", help="Last probe day shown (YYYY-MM-DD; default today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def history(url: str, db: str | None, days: int, until: str | None, fmt: str) -> None:
    """One site's trend: score, grade and indicator changes over survey rounds, and availability
    and response time per day from probe samples."""
    from govaudit.store import Store
    from govaudit.survey.history import history_text, site_history
    from govaudit.survey.sites import site_url

    if days < 1:
        raise UsageError("--days must be at least 1")
    normalised, problem = site_url(url)
    if normalised is None:
        raise UsageError(f"{url}: {problem}")
    store = Store.open(db, create=False)
    try:
        data = site_history(store, normalised, parse_as_of(until), days)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        click.echo(history_text(data), nl=False)
