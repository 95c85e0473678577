"""Content safety (内容安全): serious misstatements, hidden spam links and hijacked outbound links —
the automatable parts of the 2019 veto item 安全、泄密事故.

Options (`[checks.content]`): dictionary, replace_default, misstatements (inline entries),
spam_terms, hidden_allow (regexes of off-site URLs that may be hidden, e.g. a 找错 widget's
endpoint), max_external (targets judged for hijacking), external (false: skip hijack fetches),
max_findings_per_rule.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from govaudit.checks.content.hidden import find_hidden_links
from govaudit.checks.content.hijack import DEFAULT_MAX_TARGETS, external_targets, judge_targets
from govaudit.checks.content.misstatements import load_dictionary
from govaudit.checks.content.spam import judge_anchor, lexicon
from govaudit.checks.identity.html import Doc
from govaudit.checks.links import says_missing

from govaudit.checkapi import CheckContext
from govaudit.crawl.urls import host_of, origin_of
from govaudit.errors import UsageError
from govaudit.model import CheckResult, Finding, SiteSnapshot

# Hidden off-site links that government templates carry on purpose (the national 找错 widget,
# the conac badge, record-filing links): hidden, but not 暗链 unless their text says spam.
DEFAULT_HIDDEN_ALLOW = (r"/exposure/jiucuo", r"kaipuyun\.cn", r"conac\.cn", r"beian\.miit\.gov\.cn",
                        r"beian\.gov\.cn")
TWO_LEVEL_SUFFIXES = frozenset("gov.cn com.cn net.cn org.cn edu.cn ac.cn mil.cn gov.uk co.uk org.uk ac.uk "
                               "gov.au com.au gov.hk com.hk gov.mo gov.tw".split())
DEFAULT_MAX_FINDINGS = 200


def site_key(host: str) -> str:
    """The registrable part of a host (qingshan.gov.cn for www.qingshan.gov.cn); IPs stay whole."""
    h = host.lower().strip("[]").rstrip(".")
    labels = h.split(".")
    if h.replace(".", "").isdigit() or ":" in h or len(labels) <= 2:
        return h
    return ".".join(labels[-3:]) if ".".join(labels[-2:]) in TWO_LEVEL_SUFFIXES else ".".join(labels[-2:])


class ContentCheck:
    id = "content"
    title = "内容安全 — misstatements, hidden links, hijacked outbound links"

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        opts = ctx.options
        home = snapshot.home
        if home is None or not home.ok or not home.is_html:
            return CheckResult(status="error", error="the home page was not fetched as HTML; nothing to scan")
        dictionary = load_dictionary(opts)
        lex = lexicon(opts)
        allow = _patterns(opts.get("hidden_allow"), DEFAULT_HIDDEN_ALLOW)
        cap = int(opts.get("max_findings_per_rule", DEFAULT_MAX_FINDINGS))
        site_keys = {site_key(host_of(snapshot.start_url)), site_key(host_of(snapshot.home_url))}
        origins = {origin_of(snapshot.start_url), origin_of(snapshot.home_url)}

        def offsite(url: str) -> bool:
            return site_key(host_of(url)) not in site_keys

        findings: list[Finding] = []
        counts: Counter[str] = Counter()
        categories: Counter[str] = Counter()
        scanned = 0
        seen_final: set[str] = set()
        for page in snapshot.pages.values():
            if not (page.ok and page.is_html) or origin_of(page.final_url) not in origins:
                continue
            if page.final_url in seen_final:
                continue
            seen_final.add(page.final_url)
            html = page.text
            if page.url != snapshot.start_url and says_missing(page.title, html[:65536]):
                continue
            scanned += 1
            doc = Doc(html, page.final_url)
            for hit in dictionary.scan(doc.title + "\n" + doc.text):
                e = hit.entry
                rule = "misstatement" if e.severity == "error" else "misstatement-review"
                counts[rule] += 1
                categories[e.category] += 1
                findings.append(Finding(
                    rule, page.url, f"{hit.found!r} should read {e.right!r} ({e.category})",
                    severity=e.severity,
                    evidence={"wrong": hit.found, "right": e.right, "category": e.category, "excerpt": hit.excerpt,
                              "note": e.note, "dictionary": e.origin},
                ))
            for hidden in find_hidden_links(doc, offsite):
                a = hidden.anchor
                verdict = judge_anchor(a.text, a.host, lex)
                if verdict.category is None and any(p.search(a.url) for p in allow):
                    continue
                rule = "hidden-spam-link" if verdict.category else "hidden-link"
                counts[rule] += 1
                what = f"{verdict.category} link" if verdict.category else "off-site link"
                findings.append(Finding(
                    rule, page.url, f"hidden {what} to {a.host} ({hidden.reason})",
                    severity="error" if verdict.category else "warning", target=a.url, element="a",
                    evidence={"text": a.text[:200], "reason": hidden.reason, "source": hidden.source,
                              "category": verdict.category, "triggers": verdict.triggers,
                              "trigger_in": verdict.where},
                ))

        external = {"checked": 0, "readable": 0, "left_out": 0}
        if opts.get("external", True):
            limit = int(opts.get("max_external", DEFAULT_MAX_TARGETS))
            targets, left_out = external_targets(snapshot, offsite, limit)
            judged, readable = await judge_targets(targets, ctx.fetcher, lex)
            external = {"checked": len(targets), "readable": readable, "left_out": left_out}
            for j in judged:
                cat = j.verdict.category or ""
                rule = "parked-link" if cat == "parked" else "hijacked-link"
                counts[rule] += 1
                for page_url, text in j.target.pages:
                    findings.append(Finding(
                        rule, page_url, f"the link to {j.target.url} now leads to a {cat} page "
                                        f"(triggered by {', '.join(j.verdict.triggers[:4])} in its {j.verdict.where})",
                        severity="warning" if cat == "parked" else "error", target=j.target.url, element="a",
                        status=j.status,
                        evidence={"category": cat, "triggers": j.verdict.triggers, "trigger_in": j.verdict.where,
                                  "title": j.title[:200], "final_url": j.final_url, "text": text[:200]},
                    ))
        kept, dropped = _cap(findings, cap)
        metrics: dict[str, Any] = {
            "pages_scanned": scanned,
            "misstatements": counts["misstatement"],
            "misstatements_review": counts["misstatement-review"],
            "misstatements_by_category": dict(sorted(categories.items())),
            "hidden_links": counts["hidden-link"] + counts["hidden-spam-link"],
            "hidden_spam_links": counts["hidden-spam-link"],
            "hijacked_links": counts["hijacked-link"],
            "parked_links": counts["parked-link"],
            "harmful_links": counts["hidden-spam-link"] + counts["hijacked-link"],
            "external_checked": external["checked"],
            "external_readable": external["readable"],
            "external_left_out": external["left_out"],
            "findings_dropped": dropped,
        }
        data = {"dictionary": {"sources": dictionary.sources, "entries": len(dictionary.entries)}}
        partial = {}
        unread = outbound_unread(external, bool(opts.get("external", True)))
        if unread:
            # 外链变异 is judged on the outbound pages read: fewer than all cannot be a clean pass
            partial["harmful_links"] = unread
        return CheckResult(status="ok", metrics=metrics, findings=kept, data=data, partial=partial)


def _patterns(given: Any, default: tuple[str, ...]) -> list[re.Pattern[str]]:
    if given is None:
        given = []
    if isinstance(given, str):
        given = [given]
    if not isinstance(given, list) or not all(isinstance(p, str) for p in given):
        raise UsageError("checks.content.hidden_allow must be a list of regexes")
    try:
        return [re.compile(p, re.I) for p in (*default, *given)]
    except re.error as exc:
        raise UsageError(f"checks.content.hidden_allow: bad regex: {exc}") from None


def outbound_unread(external: dict[str, int], enabled: bool) -> str:
    """Why the hijacked-link half of 链接违规内容 saw less than every outbound page, or ""."""
    if not enabled:
        return "outbound pages not read ([checks.content] external = false)"
    # An outbound target that could not be read has no page to be hijacked (the links check
    # reports it as broken); one left out by the cap was never looked at.
    total = external["checked"] + external["left_out"]
    if external["left_out"]:
        return (f"outbound pages asked: {external['checked']} of {total} "
                f"({external['left_out']} left out by [checks.content] max_external)")
    return ""


def _cap(findings: list[Finding], cap: int) -> tuple[list[Finding], int]:
    per_rule: Counter[str] = Counter()
    kept = []
    for f in findings:
        per_rule[f.rule] += 1
        if per_rule[f.rule] <= cap:
            kept.append(f)
    return kept, len(findings) - len(kept)
