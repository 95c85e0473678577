"""Link availability (链接可用性): every link-bearing element of every crawled page.

Pages the crawl already fetched are judged from the crawl; every other target (images, scripts,
attachments, other hosts) is asked once through the shared fetcher, whatever number of pages
link it, and a broken target is reported once for every page it appears on.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from govaudit.checks.availability import WINDOW_DAYS, failed, window_samples
from govaudit.checks.link_notices import bad_location, empty_body, location_words, self_refresh
from govaudit.checks.soft404 import (  # says_missing: re-exported, identity and content import it here
    Fingerprint,
    length_without,
    says_missing,  # noqa: F401
    soft_404_reason,
    title_of_text,
)

from govaudit.checkapi import CheckContext
from govaudit.crawl.charset import decode_html
from govaudit.crawl.extract import parse_html
from govaudit.crawl.fetcher import parse_retry_after
from govaudit.crawl.urls import origin_of
from govaudit.errors import UsageError
from govaudit.model import CheckResult, FetchResult, Finding, Link, Page, SiteSnapshot, element_noun

# Outcomes that are not a broken link: we did not (or could not fairly) ask.
NOT_CHECKED = frozenset({"robots", "budget"})
# 首页可用性 from the probe's week of samples: the home page counts as available while real
# failures (not challenge answers) stay under this share of the visits. 1 % is our choice.
HOME_FAILURE_SHARE = 0.01
# A file: URL names a file on the author's own computer (pasted from a word processor): broken for
# every visitor, so it is reported like a dead link instead of being counted as an "other" scheme.
LOCAL_FILE_DETAIL = "a file: URL points into the author's own computer; no visitor can open it"


@dataclass(slots=True)
class Verdict:
    broken: bool
    outcome: int | str  # HTTP status or error word (contract's `status`)
    detail: str = ""
    warning: str | None = None  # a problem that is not a broken link (rate limit, cap)
    notice: str | None = None  # an oddity that is not a problem of the link (empty page, self-refresh)
    location: str = ""  # a redirect's Location no browser can follow (javascript:…)


class LinksCheck:
    id = "links"
    title = "链接可用性 — link availability"

    @staticmethod
    def validate_options(options: dict[str, Any], site: dict[str, Any], home_url: str = "") -> None:
        skip_patterns(options)

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        opts = ctx.options
        skips = skip_patterns(opts)
        skipped: dict[str, list[str]] = {}
        check_external = bool(opts.get("external", True))
        home_urls = {snapshot.start_url, snapshot.home_url}
        sources = snapshot.link_sources()
        counts: Counter[str] = Counter()
        findings: list[Finding] = []
        targets: list[str] = []
        site_origins = {origin_of(snapshot.start_url), origin_of(snapshot.home_url)}

        local_files: list[str] = []
        for target, occurrences in sources.items():
            kind = occurrences[0][1].kind
            if kind == "other" and target[:5].lower() == "file:":
                local_files.append(target)
                continue
            if kind in ("placeholder", "mailto", "tel", "data", "other"):
                counts[kind if kind != "placeholder" else "placeholders"] += len(occurrences)
                continue
            if kind == "invalid":
                for page_url, link in _per_page(occurrences):
                    findings.append(_finding("invalid-url", page_url, link, "invalid-url",
                                             f"unparsable link {link.raw[:200]!r}", page_url in home_urls))
                continue
            hit = next((p for p in skips if p.search(target)), None)
            if hit is not None:  # --skip-check: never asked, shown as skipped (neither broken nor ok)
                skipped.setdefault(hit.pattern, []).append(target)
                counts["excluded"] += 1
                continue
            if not check_external and origin_of(target) not in site_origins:
                counts["excluded"] += 1
                continue
            targets.append(target)

        fingerprints = await self._fingerprints(site_origins, ctx)
        verdicts = await self._judge_all(targets, snapshot, ctx, fingerprints, home_urls)
        for target in local_files:
            verdicts[target] = Verdict(True, "invalid-url", LOCAL_FILE_DETAIL)
        targets.extend(local_files)

        by_status: Counter[str] = Counter()
        by_element: Counter[str] = Counter()
        blocked_by: Counter[str] = Counter()
        broken_targets = 0
        for target in targets:
            v = verdicts[target]
            if v.outcome in NOT_CHECKED:
                counts["unchecked_" + str(v.outcome)] += 1
                if v.outcome == "budget" and any(p in home_urls for p, _ in sources[target]):
                    counts["unchecked_home_budget"] += 1
                continue
            if v.outcome == "blocked":
                # A firewall answered for the target: its own bucket, neither checked nor broken.
                blocked_by[v.detail or "anti-bot challenge"] += 1
                page_url, link = sources[target][0]
                findings.append(_finding("link-warning", page_url, link, v.outcome, v.warning or "",
                                         page_url in home_urls, severity="warning"))
                continue
            counts["links_checked"] += 1
            if v.warning and not v.broken:
                page_url, link = sources[target][0]
                findings.append(_finding("link-warning", page_url, link, v.outcome, v.warning,
                                         page_url in home_urls, severity="warning"))
                continue
            if v.notice and not v.broken:
                page_url, link = sources[target][0]
                msg = f"{element_noun(link.element)} {target[:300]}: {v.notice}"
                findings.append(_finding("link-notice", page_url, link, v.outcome, msg,
                                         page_url in home_urls, severity="info"))
                continue
            if not v.broken:
                continue
            broken_targets += 1
            for page_url, link in _per_page(sources[target]):
                on_home = page_url in home_urls
                shown = target if len(target) <= 300 else target[:300] + "…"  # a 100 kB URL stays in evidence
                how = ": it " + location_words(v.location) if v.location else ""
                msg = f"{element_noun(link.element)} {shown} is unusable ({v.outcome}){how}"
                f = _finding("broken-link", page_url, link, v.outcome, msg, on_home)
                if v.detail:
                    f.evidence["detail"] = v.detail
                if v.location:
                    f.evidence["location"] = v.location
                findings.append(f)
                by_status[str(v.outcome)] += 1
                by_element[link.element] += 1
                counts["broken_home" if on_home else "broken_other"] += 1

        for page in snapshot.pages.values():
            if page.truncated and page.error is None and page.is_html:
                # A page cut at the body cap (an endless stream, a gzip bomb, a 50 MB line): its links
                # after the cut were never seen, and the report says so on the page itself.
                findings.append(Finding(
                    rule="page-cut", page=page.url, severity="info", target=page.url, status=page.status,
                    message=f"page read only up to {page.size:,} bytes (the body cap); links after the cut "
                            "were not seen",
                    evidence={"on_home": page.url in home_urls, "bytes_read": page.size}))
        anchor_metrics: dict[str, int] = {}
        if opts.get("anchors", False):
            anchor_findings, anchor_metrics = check_anchors(snapshot, sources, home_urls)
            findings.extend(anchor_findings)
        findings.sort(key=lambda f: (f.rule, f.page, f.target or ""))
        metrics = {
            "links_checked": counts["links_checked"],
            "link_occurrences": sum(len(v) for v in sources.values()),
            "broken": counts["broken_home"] + counts["broken_other"],
            "broken_targets": broken_targets,
            "broken_home": counts["broken_home"],
            "broken_other": counts["broken_other"],
            "invalid": sum(1 for f in findings if f.rule == "invalid-url"),
            "warnings": sum(1 for f in findings if f.rule == "link-warning"),
            "notices": sum(1 for f in findings if f.rule == "link-notice"),
            "pages_cut": sum(1 for f in findings if f.rule == "page-cut"),
            "placeholders": counts["placeholders"],
            "mailto": counts["mailto"],
            "tel": counts["tel"],
            "other_schemes": counts["data"] + counts["other"],
            "excluded": counts["excluded"],  # skipped + other hosts' links when external = false
            "skipped": sum(len(v) for v in skipped.values()),
            "unchecked_robots": counts["unchecked_robots"],
            "unchecked_budget": counts["unchecked_budget"],
            "unchecked_home_budget": counts["unchecked_home_budget"],  # of those, linked from the home page
            "blocked": sum(blocked_by.values()),
            "blocked_by": dict(sorted(blocked_by.items())),
            "by_status": dict(sorted(by_status.items())),
            "by_element": dict(sorted(by_element.items())),
            **home_availability(snapshot, ctx),
            **anchor_metrics,
        }
        data = {"soft_404_fingerprints": {o: {"title": f.title, "length": f.length} for o, f in fingerprints.items()},
                "skipped": {p: {"targets": len(v), "examples": v[:SKIP_EXAMPLES]} for p, v in skipped.items()}}
        return CheckResult(status="ok", metrics=metrics, findings=findings, data=data)

    async def _fingerprints(self, origins: set[str], ctx: CheckContext) -> dict[str, Fingerprint]:
        """Ask each site origin for a path that cannot exist; a 200 answer is the soft-404 template."""
        out: dict[str, Fingerprint] = {}
        for origin in sorted(origins):
            probe = f"{origin}/govaudit-missing-{secrets.token_hex(6)}.html"
            res = await ctx.fetcher.fetch(probe, max_bytes=256 * 1024)
            if res.status == 200 and res.body:
                text, _ = decode_html(res.body, res.headers.get("content-type"))
                out[origin] = Fingerprint(title=title_of_text(text), length=length_without(text, res.final_url))
        return out

    async def _judge_all(self, targets: list[str], snapshot: SiteSnapshot, ctx: CheckContext,
                         fingerprints: dict[str, Fingerprint], home_urls: set[str]) -> dict[str, Verdict]:
        verdicts: dict[str, Verdict] = {}
        pending: list[str] = []
        # snapshot.page() scans every page for a final URL; with thousands of targets that is
        # quadratic (5 % of a 5,000-page audit), so the same lookup goes through an index here.
        by_final: dict[str, Page] = {}
        for p in snapshot.pages.values():
            by_final.setdefault(p.final_url, p)
        disallowed = set(snapshot.robots_disallowed)
        for t in targets:
            page = snapshot.pages.get(t) or by_final.get(t)
            if page is not None:
                verdicts[t] = judge_page(page, fingerprints, home_urls)
            elif t in disallowed:
                verdicts[t] = Verdict(False, "robots")
            else:
                pending.append(t)
        # The home page's own links first: 首页链接可用性 is judged on them, and the crawl left
        # the link check a reserved share of the budget (Fetcher.crawl_out_of_time), not nothing.
        on_home = {link.url for u in home_urls if (hp := snapshot.pages.get(u)) is not None for link in hp.links}
        pending.sort(key=lambda t: t not in on_home)
        queue: asyncio.Queue[str] = asyncio.Queue()
        for t in pending:
            queue.put_nowait(t)

        async def worker() -> None:
            while not queue.empty():
                t = queue.get_nowait()
                res = await ctx.fetcher.check(t)
                verdicts[t] = judge_fetch(res, fingerprints, home_urls)

        n = max(1, min(len(pending), ctx.config.crawl.concurrency * 2))
        await asyncio.gather(*(worker() for _ in range(n)))
        return verdicts


def home_availability(snapshot: SiteSnapshot, ctx: CheckContext) -> dict[str, int | float | str | None]:
    """`home_ok` (1: the home page is available) for 首页可用性, with where it comes from.

    With probe samples of the audit's week in the store (`govaudit probe`), from them: available
    while real failures stay under HOME_FAILURE_SHARE of the visits (a challenge answer is up, not a
    failure). Without, the audit's own fetch of the home page stands in: opened within the timeout,
    or answered by a firewall's challenge (people open the site; the audit could not)."""
    days = ctx.config.checks.get("availability", {}).get("days", WINDOW_DAYS)
    samples = window_samples(ctx.store, snapshot.start_url, ctx.as_of, days if isinstance(days, int) else WINDOW_DAYS)
    if samples:
        rate = sum(1 for s in samples if failed(s)) / len(samples)
        return {"home_ok": int(rate < HOME_FAILURE_SHARE), "home_ok_source": "probe",
                "home_failure_rate": round(rate, 6), "home_samples": len(samples)}
    home = snapshot.home
    opened = home is not None and (home.ok or home.error == "blocked") and \
        home.elapsed_ms <= ctx.config.crawl.timeout * 1000
    return {"home_ok": int(opened), "home_ok_source": "audit", "home_failure_rate": None, "home_samples": 0}


SKIP_EXAMPLES = 5


def skip_patterns(options: dict[str, Any]) -> list[re.Pattern[str]]:
    """The regexes of targets the link check never asks (`skip`, from --skip-check, and the older
    `exclude` option of [checks.links]); a bad regex is a usage error naming it."""
    out: list[re.Pattern[str]] = []
    for key in ("skip", "exclude"):
        values = options.get(key, [])
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list):
            raise UsageError(f"checks.links.{key} must be a list of regular expressions")
        for value in values:
            try:
                out.append(re.compile(str(value)))
            except re.error as exc:
                raise UsageError(f"checks.links.{key}: {value!r} is not a regular expression ({exc})") from None
    return out


def error_verdict(error: str, detail: str, retry_after: float | None = None) -> Verdict:
    """A fetch that ended in an error word. Two of them are not the target's fault: a firewall's
    challenge answered (blocked), or the server asked us to come back later than we wait."""
    if error == "retry-after":
        wait = f"{retry_after:.0f}s" if retry_after is not None else "longer than we wait"
        return Verdict(False, "retry-after", warning=f"server asked to retry after {wait}; not verified")
    if error == "blocked":
        return Verdict(False, "blocked", detail, warning=f"{detail or 'an anti-bot challenge'} answered instead "
                                                         "of the page; not verified")
    return Verdict(error not in NOT_CHECKED, error, detail)


def status_verdict(status: int) -> Verdict | None:
    """What the status alone says, or None when the body must be read (a 2xx/3xx answer). A status
    outside HTTP's 100-599 (LinkedIn's 999) is no answer we can read: not verified, never broken."""
    if status == 429:
        return Verdict(False, status, warning=f"rate-limited ({status}); could not be verified")
    if not 100 <= status <= 599:
        return Verdict(False, status, warning=f"invalid-status ({status}): not an HTTP status; could not be verified")
    if status >= 400:
        return Verdict(True, status)
    return None


def judge_page(page: Page, fingerprints: dict[str, Fingerprint], home_urls: set[str]) -> Verdict:
    if page.error is not None:
        v = error_verdict(page.error, page.error_detail, parse_retry_after(page.headers.get("retry-after")))
        v.location = bad_location(page.error, page.redirects)
        return v
    status = page.status or 0
    by_status = status_verdict(status)
    if by_status is not None:
        return by_status
    if page.is_html and page.url not in home_urls and page.final_url not in home_urls:
        reason = soft_404_reason(page.title, page.text, page.final_url, fingerprints)
        if reason:
            return Verdict(True, "soft-404", reason)
    notice = empty_body(status, page.size, page.headers.get("content-length")) or (
        self_refresh(page.text, page.url, page.final_url) if page.is_html else None)
    return Verdict(False, status, notice=notice)


def judge_fetch(res: FetchResult, fingerprints: dict[str, Fingerprint], home_urls: set[str]) -> Verdict:
    if res.error is not None:
        v = error_verdict(res.error, res.error_detail, res.retry_after)
        v.location = bad_location(res.error, res.redirects)
        return v
    status = res.status or 0
    by_status = status_verdict(status)
    if by_status is not None:
        return by_status
    body = res.body or b""
    notice = empty_body(status, len(body), res.headers.get("content-length"), res.method) if not res.truncated \
        else None
    if body and res.content_type in ("text/html", "application/xhtml+xml", "") and res.final_url not in home_urls:
        text, _ = decode_html(body, res.headers.get("content-type"))
        reason = soft_404_reason(title_of_text(text), text, res.final_url, fingerprints)
        if reason:
            return Verdict(True, "soft-404", reason)
        notice = notice or self_refresh(text, res.url, res.final_url)
    return Verdict(False, status, notice=notice)


def fragment_found(fragment: str, ids: set[str]) -> bool | None:
    """Whether a #fragment (as written) names an element among `ids` (id and a[name] values).

    None when it names no element to look for: "" and "top" are the top of the page, and a text
    directive (#:~:text=...) names text. Otherwise the HTML standard's order: the fragment as
    written, then percent-decoded as UTF-8 (case-sensitive both times).
    """
    frag = fragment.split(":~:", 1)[0]
    if frag == "":
        return None
    if frag in ids:
        return True
    try:
        decoded = unquote(frag, errors="strict")
    except UnicodeDecodeError:
        return False
    if decoded in ids:
        return True
    return None if decoded.lower() == "top" else False


def check_anchors(snapshot: SiteSnapshot, sources: dict[str, list[tuple[str, Link]]],
                  home_urls: set[str]) -> tuple[list[Finding], dict[str, int]]:
    """Warnings for #fragments that name no element on their (crawled, HTML) target page.

    Only pages the crawl read are looked into: a fragment on another host, a file or a page
    beyond the crawl is counted as unchecked, never fetched just for its anchors.
    """
    findings: list[Finding] = []
    ids_of: dict[str, set[str] | None] = {}
    checked = unchecked = 0
    for target, occurrences in sources.items():
        for page_url, link in occurrences:
            if link.kind != "http" or not link.fragment:
                continue
            if target not in ids_of:
                page = snapshot.page(target)
                ids_of[target] = (parse_html(page.text, page.final_url, page.encoding or "utf-8").ids
                                  if page is not None and page.ok and page.is_html else None)
            ids = ids_of[target]
            if ids is None:
                unchecked += 1
                continue
            found = fragment_found(link.fragment, ids)
            if found is None:
                continue
            checked += 1
            if not found:
                f = _finding("broken-anchor", page_url, link, "", f"#{link.fragment[:200]} names no element "
                             f"on {target}", page_url in home_urls, severity="warning")
                f.status = None
                f.evidence["fragment"] = link.fragment[:500]
                findings.append(f)
    metrics = {"anchors_checked": checked, "broken_anchors": len(findings), "anchors_unchecked": unchecked}
    return findings, metrics


def _per_page(occurrences: list[tuple[str, Link]]) -> list[tuple[str, Link]]:
    """One (page, link) per page: a page linking a target twice is one finding."""
    seen: dict[str, Link] = {}
    for page_url, link in occurrences:
        seen.setdefault(page_url, link)
    return list(seen.items())


def _finding(rule: str, page_url: str, link: Link, outcome: int | str, message: str, on_home: bool,
             severity: str = "error") -> Finding:
    return Finding(
        rule=rule, page=page_url, message=message, severity=severity, target=link.url, status=outcome,
        element=link.element,
        evidence={"on_home": on_home, "attr": link.attr, "raw": link.raw[:500], "text": link.text[:200]},
    )
