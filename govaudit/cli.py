"""The `govaudit` command line: thin Click commands over the pipeline.

Exit codes: 0 done and passed its gates; 1 failed a gate (--fail-under, --fail-on); 2 usage or input
error; 3 the site could not be audited; 4 the store or output folder could not be written.
No traceback reaches the user: every error is one line on stderr (GOVAUDIT_DEBUG=1 shows it all).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import traceback
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from govaudit import __version__
from govaudit.config import AuditConfig, apply_crawl_settings, load_config, loopback_fast
from govaudit.errors import GovauditError, UsageError

FORMATS_DEFAULT = "json,html,md"


def parse_as_of(value: str | None) -> date:
    """--as-of as a date; today when not given. A date after today everywhere on Earth (UTC+14)
    is refused: every age would be negative and every column would look fresh."""
    if value is None:
        return date.today()
    try:
        as_of = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"invalid --as-of date {value!r}: use YYYY-MM-DD") from None
    latest_today = (datetime.now(UTC) + timedelta(hours=14)).date()
    if as_of > latest_today:
        raise UsageError(f"--as-of {as_of.isoformat()} is in the future (today is {date.today().isoformat()}): "
                         "ages are measured back from it")
    return as_of


def parse_formats(value: str) -> list[str]:
    from govaudit.report import FORMATS

    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown format {bad[0] if bad else value!r}; choose from {', '.join(FORMATS)}")
    return formats


_PORT = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):([^/?#]*)")


def check_url(url: str) -> str:
    """The start URL, normalised; a UsageError saying what is wrong with it otherwise (a port out
    of range, a missing scheme with the URL that was probably meant)."""
    from govaudit.crawl.urls import normalize_url

    text = url.strip()
    shown = text if len(text) <= 200 else text[:200] + "…"
    lowered = text.lower()
    if not lowered.startswith(("http://", "https://")):
        guess = None if "://" in text or not text else normalize_url("http://" + text)
        if guess is not None and "." in guess.split("://", 1)[1].split("/", 1)[0]:
            raise UsageError(f"not an http(s) URL: {shown!r} has no scheme; did you mean {guess}?")
        raise UsageError(f"not an http(s) URL: {shown!r}")
    port = _PORT.match(text)
    if port is not None and port.group(1):
        digits = port.group(1)
        if not digits.isdigit() or not 0 < int(digits) <= 65535:
            raise UsageError(f"invalid port {digits[:20]!r} in {shown!r}: a port is a number from 1 to 65535")
    norm = normalize_url(text)
    if norm is None:
        raise UsageError(f"not an http(s) URL: {shown!r}")
    return norm


def is_tty() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class Progress:
    """A rich progress line on a terminal; nothing when piped (CI logs stay clean)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
                                      console=Console(stderr=True), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task("crawling", total=None, last="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        if self._progress is None:
            return
        if event == "page":
            # the total is what the crawl has found so far, not --max-pages (20,000 by default)
            self._progress.update(self._task, completed=data["pages"], total=data.get("frontier") or None,
                                  last=str(data["url"])[-60:])
        elif event == "check":
            self._progress.update(self._task, description=f"check: {data['id']}", last="")


def summary(result: Any, paths: list[Path]) -> None:
    """The end-of-run summary, worst problems first and capped: a rich table on a terminal, plain
    lines when piped (see govaudit.report.terminal)."""
    from govaudit.report import terminal

    if not sys.stdout.isatty():
        for line in terminal.plain_summary(result, paths):
            click.echo(line)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    sc = result.scored.score
    inds = result.scored.indicators
    bad = terminal.problems(inds)
    console = Console()
    title = terminal.one_line(result.site_title or result.site_url, 80)
    table = Table(title=escape(f"{title} — {result.scored.profile_id}"))
    for col in ("indicator", "result", "points", "detail"):
        table.add_column(col, justify="right" if col == "points" else "left")
    for ind in bad[: terminal.MAX_LISTED * 2]:
        style = "red" if ind.result == "fail" else "yellow"
        table.add_row(escape(f"{ind.id}\n{terminal.one_line(ind.title, 60)}"), f"[{style}]{ind.result}[/]",
                      escape(terminal.points_text(ind)), escape(terminal.one_line(ind.detail, 160)))
    if bad:
        console.print(table)
    more = len(bad) - terminal.MAX_LISTED * 2
    console.print(f"indicators: {escape(terminal.counts(inds))}" + (f"  (+{more} more in the reports)" if more > 0 else ""),
                  highlight=False)
    for line in terminal.coverage_lines(result):
        console.print(f"[yellow]{escape(line)}[/]", highlight=False)
    for line in terminal.grading_lines(result):
        console.print(escape(line), highlight=False)
    console.print(f"score [bold]{sc.value:g}[/]/{sc.max:g}  grade [bold]{escape(terminal.one_line(sc.grade, 40))}[/]"
                  + (f"  vetoes: {escape(', '.join(sc.vetoes))}" if sc.vetoes else ""))
    for p in paths:
        console.print(f"wrote {escape(str(p))}", highlight=False)


def gate_exit(result: Any, fail_under: float | None, fail_on: tuple[str, ...]) -> int:
    sc = result.scored.score
    if fail_under is not None and sc.value < fail_under:
        click.echo(f"gate: score {sc.value:g} is under {fail_under:g}", err=True)
        return 1
    if "veto" in fail_on and sc.vetoes:
        click.echo(f"gate: veto failed: {', '.join(sc.vetoes)}", err=True)
        return 1
    if "grade" in fail_on and not sc.passed:
        click.echo(f"gate: grade {sc.grade}", err=True)
        return 1
    if "incomplete" in fail_on and not sc.complete:
        click.echo(f"gate: coverage incomplete: {'; '.join(sc.incomplete)[:300]}", err=True)
        return 1
    if "error" in fail_on:
        errs = [i.id for i in result.scored.indicators if i.result == "error"]
        if errs:
            more = f" (+{len(errs) - 5} more)" if len(errs) > 5 else ""
            click.echo(f"gate: indicators could not be evaluated: {', '.join(errs[:5])}{more}", err=True)
            return 1
    return 0


CRAWL_OPTIONS = [
    click.option("--concurrency", type=int, help="Requests in flight across all hosts."),
    click.option("--host-concurrency", type=int, help="Requests in flight to one host."),
    click.option("--delay", type=float, help="Minimum seconds between two requests to one host."),
    click.option("--timeout", type=float, help="Seconds for one request (default 15)."),
    click.option("--budget", type=float, help="Seconds for the whole audit's network work."),
    click.option("--max-pages", type=int, help="Pages to crawl at most."),
    click.option("--max-depth", type=int, help="Link depth from the start page."),
    click.option("--user-agent", help="User-Agent header (default names govaudit and a contact URL)."),
    click.option("--include", multiple=True, help="Regex a URL must match to be crawled (repeatable)."),
    click.option("--exclude", multiple=True,
                 help="Regex of URLs never crawled (repeatable). Links to them are still checked: see --skip-check."),
    click.option("--skip-check", multiple=True, metavar="REGEX",
                 help="Regex of link targets the link check never requests (repeatable; also [checks.links] skip "
                      "in govaudit.toml). They are counted and listed as skipped: neither broken nor ok."),
    click.option("--subdomains/--no-subdomains", default=None, help="Crawl sub-domains of the start host."),
    click.option("--ignore-robots", is_flag=True, default=False, help="Do not obey robots.txt (own sites only)."),
]


def crawl_options(fn: Any) -> Any:
    for opt in reversed(CRAWL_OPTIONS):
        fn = opt(fn)
    return fn


BROWSER_OPTIONS = [
    click.option("--render", is_flag=True, default=False,
                 help="Take every HTML page from the browser, after its scripts ran (slower)."),
    click.option("--browser", "browser_path", type=click.Path(dir_okay=False),
                 help="Chromium to drive (default: GOVAUDIT_BROWSER, then chromium on PATH)."),
    click.option("--axe-js", type=click.Path(dir_okay=False),
                 help="A newer axe.min.js than the bundled one."),
    click.option("--a11y-pages", type=int, help="Pages the accessibility check tests at most (default: every page template and every page whose "
                   "HTML shows a likely defect, up to 200; a cap that binds is stated in the report)."),
]


def browser_options(fn: Any) -> Any:
    for opt in reversed(BROWSER_OPTIONS):
        fn = opt(fn)
    return fn


def apply_browser_options(cfg: AuditConfig, render: bool, browser_path: str | None, axe_js: str | None,
                          a11y_pages: int | None) -> AuditConfig:
    """--render/--browser/--axe-js/--a11y-pages onto the config. A missing browser is not an error
    (the accessibility check says "skipped"); a missing --axe-js file is."""
    if render:
        cfg.crawl.render = True
    if browser_path:
        cfg.browser.path = browser_path
    if axe_js:
        if not Path(axe_js).is_file():
            raise UsageError(f"--axe-js {axe_js}: no such file")
        cfg.browser.axe_js = axe_js
    if a11y_pages is not None:
        if a11y_pages < 1:
            raise UsageError("--a11y-pages must be at least 1")
        cfg.checks.setdefault("accessibility", {})["max_pages"] = a11y_pages
    return cfg


def build_config(config_path: str | None, opts: dict[str, Any]) -> AuditConfig:
    cfg = load_config(config_path)
    given = {k: v for k, v in opts.items() if v not in (None, ())}
    if given.pop("ignore_robots", False):
        given["obey_robots"] = False
    given.pop("ignore_robots", None)
    skip = list(given.pop("skip_check", ()))
    if skip:  # a link-check option, not a crawl setting: added to [checks.links] skip of the config file
        links = cfg.checks.setdefault("links", {})
        had = links.get("skip", [])
        links["skip"] = [*(had if isinstance(had, list) else [had]), *skip]
    for key in ("include", "exclude"):
        if key in given:
            given[key] = list(given[key])
    for key in ("concurrency", "host_concurrency", "max_pages"):
        if key in given and given[key] < 1:
            raise UsageError(f"--{key.replace('_', '-')} must be at least 1")
    apply_crawl_settings(cfg.crawl, given, "command line")
    return cfg


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govaudit")
def cli() -> None:
    """Audit government websites against national website standards."""


@cli.command()
@click.argument("url")
@click.option("--profile", "profile_id", default="cn-gov-2019", show_default=True, help="Profile id or YAML path.")
@click.option("--as-of", help="Reference date for every age (YYYY-MM-DD; default today).")
@click.option("--format", "formats", default=FORMATS_DEFAULT, show_default=True,
              help="Comma list: json, html, md, csv, sarif, junit.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False))
@click.option("--checks", "check_ids", help="Comma list of check ids (default: those the profile reads).")
@click.option("--db", help="Store URL or SQLite path (default ./govaudit.db).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="govaudit.toml to read.")
@click.option("--fail-under", type=float, help="Exit 1 when the score is under this.")
@click.option("--fail-on", multiple=True, type=click.Choice(["veto", "grade", "error", "incomplete"]),
              help="Exit 1 on a failed veto, a failing grade, an indicator that could not be evaluated, "
                   "or incomplete coverage (a page cap, depth limit or budget cut the audit).")
@click.option("--resume", "resume_id", help="Continue a killed audit: its run id (see `govaudit runs`).")
@browser_options
@crawl_options
def audit(url: str, profile_id: str, as_of: str | None, formats: str, out_dir: str, check_ids: str | None,
          db: str | None, config_path: str | None, fail_under: float | None, fail_on: tuple[str, ...],
          resume_id: str | None, render: bool, browser_path: str | None, axe_js: str | None,
          a11y_pages: int | None, **crawl: Any) -> None:
    """Crawl URL, run the checks, score against a profile and write reports."""
    from govaudit.audit import AuditPlan
    from govaudit.profiles import load_profile

    norm = check_url(url)
    plan = AuditPlan(url=norm, profile=load_profile(profile_id), as_of=parse_as_of(as_of),
                     config=apply_browser_options(build_config(config_path, crawl), render, browser_path,
                                                  axe_js, a11y_pages),
                     check_ids=[c.strip() for c in check_ids.split(",") if c.strip()] if check_ids else None,
                     run_id=resume_id, resume=bool(resume_id))
    fmts = parse_formats(formats)
    code = execute(plan, db, Path(out_dir), fmts, fail_under, fail_on)
    sys.exit(code)


def execute(plan: Any, db: str | None, out_dir: Path, fmts: list[str], fail_under: float | None = None,
            fail_on: tuple[str, ...] = (), resumable: bool = True) -> int:
    """Run one audit and write its reports. Ctrl-C or SIGTERM ends it with one line naming the
    run and the command that resumes it (`resumable=False`: the demo, whose server goes with it)."""
    from govaudit.audit import run_audit, validate_plan
    from govaudit.report import ensure_writable, write_reports
    from govaudit.store import Store

    validate_plan(plan)  # unknown check ids and bad check options fail before any network work
    store = Store.open(db)
    try:
        ensure_writable(out_dir)  # an --out that cannot take the reports fails before the crawl (exit 4)
    except BaseException:
        store.close()
        raise
    assets: dict[str, bytes] = {}  # screenshots the checks took, for the reports (the store keeps them too)
    started: dict[str, Any] = {}
    try:
        with Progress(is_tty()) as progress:
            def hook(event: str, data: dict[str, Any]) -> None:
                if event == "run":
                    started.update(data)
                progress(event, data)

            result = interruptible(run_audit(plan, store, hook, assets))
    except Interrupted as exc:
        raise Interrupted(exc.signal_name, interrupted_message(exc.signal_name, started.get("run_id"),
                                                               store.where, resumable)) from None
    finally:
        store.close()
    paths = write_reports(result, out_dir, fmts, assets)
    summary(result, paths)
    return gate_exit(result, fail_under, fail_on)


class Interrupted(GovauditError):
    """Ctrl-C or SIGTERM during an audit: the run is kept as "interrupted", to be resumed."""

    def __init__(self, signal_name: str, message: str = "") -> None:
        super().__init__(message or f"interrupted by {signal_name}")
        self.signal_name = signal_name
        self.exit_code = 128 + int(getattr(signal, signal_name))


def interruptible(coro: Any) -> Any:
    """asyncio.run(coro), with Ctrl-C (SIGINT) and SIGTERM cancelling it cleanly: the coroutine
    unwinds (pages stored, browser closed), then Interrupted is raised. Nothing asyncio would log
    about it (a task destroyed pending, an exception never retrieved) reaches the terminal."""
    import logging

    got: list[str] = []

    async def main() -> Any:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None

        def stop(name: str) -> None:
            if got:  # a second Ctrl-C: stop now, without waiting for the clean-up
                raise KeyboardInterrupt
            got.append(name)
            task.cancel()

        installed = []
        for signame in ("SIGINT", "SIGTERM"):
            try:
                loop.add_signal_handler(getattr(signal, signame), stop, signame)
                installed.append(getattr(signal, signame))
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
                pass
        try:
            return await coro
        finally:
            for signum in installed:
                loop.remove_signal_handler(signum)

    try:
        return asyncio.run(main())
    except (asyncio.CancelledError, KeyboardInterrupt):
        if not got:
            got.append("SIGINT")
        # Whatever the cancelled tasks left behind (a browser driver's futures) is dropped quietly.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)
        raise Interrupted(got[0]) from None


def interrupted_message(signal_name: str, run_id: str | None, where: str, resumable: bool = True) -> str:
    """One line: what stopped the audit and the command that continues it."""
    what = "Ctrl-C" if signal_name == "SIGINT" else signal_name
    if not run_id:
        return f"interrupted by {what} before a run was recorded; nothing to resume"
    if not resumable:
        return f"interrupted by {what}: run {run_id} is kept in {where} as interrupted; run the demo again to redo it"
    return f"interrupted by {what}: run {run_id} is kept in {where}; continue it with: {resume_command(run_id)}"


def resume_command(run_id: str) -> str:
    """This command line again, with `--resume RUN_ID` (any earlier --resume replaced)."""
    import shlex

    args = list(sys.argv[1:])
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--resume":
            skip = True
            continue
        if arg.startswith("--resume="):
            continue
        out.append(arg)
    prog = "govaudit" if Path(sys.argv[0]).name in ("govaudit", "cli.py", "__main__.py", "-m") else sys.argv[0]
    return shlex.join([prog, *out, "--resume", run_id])


@cli.command("checks")
def list_checks() -> None:
    """List the installed checks (entry-point group govaudit.checks)."""
    from govaudit.checkapi import available_checks

    for cid, cls in sorted(available_checks().items()):
        click.echo(f"{cid:14} {getattr(cls, 'title', '')}  ({cls.__module__})")


@cli.command("profiles")
def list_profiles_cmd() -> None:
    """List the shipped profiles."""
    from govaudit.profiles import list_profiles

    for p in list_profiles():
        click.echo(f"{p.id:14} {p.title}  ({len(p.indicators)} indicators)")


@cli.command()
@click.option("--db", help="Store URL or SQLite path (default ./govaudit.db).")
@click.option("--limit", default=50, show_default=True)
def runs(db: str | None, limit: int) -> None:
    """List stored runs."""
    from govaudit.store import Store

    store = Store.open(db, create=False)
    try:
        for r in store.runs(limit=limit):
            click.echo("  ".join(str(x) for x in (r.id, r.status, r.started_at, r.site_url,
                                                   getattr(r, "grade", "") or "")))
    finally:
        store.close()


@cli.command()
@click.argument("run_id")
@click.option("--db", help="Store URL or SQLite path.")
@click.option("--format", "formats", default=FORMATS_DEFAULT, show_default=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False))
def report(run_id: str, db: str | None, formats: str, out_dir: str) -> None:
    """Re-render a stored run's reports without crawling."""
    from govaudit.report import write_reports

    fmts = parse_formats(formats)
    store = open_existing(db, run_id)
    try:
        result = store.load_result(run_id)
        evidence = store.evidence(run_id)
    finally:
        store.close()
    for p in write_reports(result, Path(out_dir), fmts, evidence):
        click.echo(f"wrote {p}")


def open_existing(db: str | None, run_id: str) -> Any:
    """The store a stored run is read from; never created (a mistyped --db is one line, exit 2)."""
    from govaudit.store import Store

    try:
        return Store.open(db, create=False)
    except UsageError as exc:
        raise UsageError(f"cannot read run {run_id}: {exc}") from None


@cli.command()
@click.argument("run_id")
@click.option("--profile", "profile_id", required=True, help="Profile id or YAML path.")
@click.option("--db", help="Store URL or SQLite path.")
@click.option("--format", "formats", default=FORMATS_DEFAULT, show_default=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False))
def rescore(run_id: str, profile_id: str, db: str | None, formats: str, out_dir: str) -> None:
    """Score a stored run against another profile, without crawling again."""
    from dataclasses import replace

    from govaudit.coverage import coverage_of
    from govaudit.profiles import load_profile
    from govaudit.report import write_reports
    from govaudit.scoring import score

    profile = load_profile(profile_id)
    fmts = parse_formats(formats)
    store = open_existing(db, run_id)
    try:
        result = store.load_result(run_id)
        evidence = store.evidence(run_id)
        scored = score(profile, result.checks, coverage=coverage_of(result.crawl, result.checks))
        store.save_score(run_id, scored)
    finally:
        store.close()
    result = replace(result, scored=scored)
    paths = write_reports(result, Path(out_dir), fmts, evidence)
    summary(result, paths)


@cli.group(invoke_without_command=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False))
@click.option("--db", help="Store URL or SQLite path (default ./govaudit.db).")
@click.option("--format", "formats", default="json,html,md,csv,sarif,junit", show_default=True)
@click.option("--profile", "profile_id", default="cn-gov-2019", show_default=True)
@click.option("--port", default=0, show_default=True, help="Port for the demo server (0: any free port).")
@browser_options
@click.pass_context
def demo(ctx: click.Context, out_dir: str, db: str | None, formats: str, profile_id: str, port: int, render: bool,
         browser_path: str | None, axe_js: str | None, a11y_pages: int | None) -> None:
    """Serve the bundled demo portal on 127.0.0.1 and audit it (reports in ./out/)."""
    if ctx.invoked_subcommand is not None:
        return
    from govaudit.audit import AuditPlan
    from govaudit.demo import DemoServer, load_manifest
    from govaudit.profiles import load_profile

    manifest = load_manifest()
    fmts = parse_formats(formats)
    try:
        server = DemoServer(port=port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    with server:
        cfg = apply_browser_options(demo_config(manifest), render, browser_path, axe_js, a11y_pages)
        browser_args = [*(["--render"] if render else []), *(["--browser", browser_path] if browser_path else []),
                        *(["--axe-js", axe_js] if axe_js else []),
                        *(["--a11y-pages", str(a11y_pages)] if a11y_pages is not None else [])]
        plan = AuditPlan(url=server.url, profile=load_profile(profile_id),
                         as_of=date.fromisoformat(manifest["as_of"]), config=cfg)
        click.echo(f"demo portal on {server.url} (as of {manifest['as_of']})")
        click.echo(f"the same audit by hand: govaudit demo serve --port {server.port}, then "
                   f"{demo_command(manifest, server.url, fmts, profile_id, browser_args)}")
        code = execute(plan, db, Path(out_dir), fmts, resumable=False)
    sys.exit(code)


def demo_config(manifest: dict[str, Any]) -> AuditConfig:
    """The demo runs on loopback: politeness lifted, real outside hosts not asked (no internet).
    Every setting here is recorded in the report's `options` and spelled out by demo_command."""
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.timeout = 5.0
    cfg.checks.setdefault("links", {})["skip"] = demo_skips(manifest)
    return cfg


def demo_skips(manifest: dict[str, Any]) -> list[str]:
    """The demo's real outside hosts (ICP, police and CONAC records), never asked: no internet."""
    outside = [e["target"] if isinstance(e, dict) else e for e in manifest.get("external_unreachable", [])]
    return ["^" + re.escape(u) for u in outside]


def demo_command(manifest: dict[str, Any], url: str, fmts: list[str] | None = None,
                 profile_id: str = "cn-gov-2019", browser_args: list[str] | None = None) -> str:
    """The `govaudit audit` command line that gives the demo's numbers against `demo serve`:
    every option `govaudit demo` sets without being asked (README, "Reproduce the demo by hand")."""
    import shlex

    crawl = demo_config(manifest).crawl
    args = ["govaudit", "audit", url, "--profile", profile_id, "--as-of", str(manifest["as_of"]),
            "--delay", f"{crawl.delay:g}", "--concurrency", str(crawl.concurrency),
            "--host-concurrency", str(crawl.host_concurrency), "--timeout", f"{crawl.timeout:g}"]
    for pattern in demo_skips(manifest):
        args += ["--skip-check", pattern]
    args += [*(browser_args or []), "--format", ",".join(fmts or ["json", "html", "md", "csv", "sarif", "junit"])]
    return shlex.join(args)


@demo.command("serve")
@click.option("--port", default=8080, show_default=True)
def demo_serve(port: int) -> None:
    """Serve the demo portal until interrupted."""
    from govaudit.demo import DemoServer

    try:
        server = DemoServer(port=port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    with server:
        click.echo(f"demo portal on {server.url} — Ctrl-C to stop")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@cli.command()
@click.option("--queue", help="Broker URL to test (redis://…).")
@click.option("--db", help="Store URL to test.")
def doctor(queue: str | None, db: str | None) -> None:
    """Say what this machine has and lacks for each part of govaudit, and how to install it."""
    import importlib

    problems = 0
    for module, func in DOCTOR_SECTIONS:
        try:
            probe = getattr(importlib.import_module(module), func)
        except (ImportError, AttributeError):
            continue
        for name, ok, message in probe(queue=queue, db=db):
            problems += 0 if ok else 1
            click.echo(f"{'ok  ' if ok else 'MISSING'} {name}: {message}")
    sys.exit(1 if problems else 0)


# (module, function) pairs: function(queue=, db=) -> list of (name, ok, message). Each part of
# govaudit that needs something from the machine (a browser, a broker, a database) answers here.
DOCTOR_SECTIONS = [
    ("govaudit.doctor", "core"),
    ("govaudit.browser", "doctor"),
    ("govaudit.survey.distributed", "doctor"),
]


def _load_commands() -> None:
    """Commands from the `govaudit.commands` entry-point group (survey, probe, worker, …)."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="govaudit.commands"):
        if ep.name in cli.commands:
            continue
        try:
            command = ep.load()
        except Exception:  # noqa: BLE001 - a missing optional part must not break the CLI
            continue
        if isinstance(command, click.Command):
            cli.add_command(command, ep.name)


_load_commands()
if "history" not in cli.commands:  # listed in pyproject's govaudit.commands; older installed metadata lacks it
    try:
        from govaudit.survey.cli import history as _history
    except ImportError:  # survey.cli half imported (python -m govaudit.cli): its own import adds it
        pass
    else:
        cli.add_command(_history, "history")


def main() -> None:
    """Entry point: one line and an exit code for every error, never a traceback."""
    try:
        rv = cli.main(standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        msg = exc.format_message().splitlines()[0] if exc.format_message() else str(exc)
        click.echo(f"govaudit: {msg}", err=True)
        sys.exit(2 if exc.exit_code == 2 or isinstance(exc, click.UsageError) else exc.exit_code)
    except GovauditError as exc:
        click.echo(f"govaudit: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - the promise is: no traceback reaches the user
        if os.environ.get("GOVAUDIT_DEBUG"):
            traceback.print_exc()
        click.echo(f"govaudit: internal error: {type(exc).__name__}: {str(exc)[:300]} "
                   "(set GOVAUDIT_DEBUG=1 for details)", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
