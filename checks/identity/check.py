"""Site identity and compliance (网站标识与合规): footer marks, domain, page metadata, search, HTTPS,
IPv6, robots.txt/sitemap.xml, a real 404 — and the US federal and EU/UK statement marks.

Every rule runs on every site; the profiles decide which count. The home page carries the footer,
search box and US marks; metadata and the statement link are judged on every crawled HTML page of
the site. A part that could not be judged (no HTTPS to read HSTS from, a POST-only search box)
leaves its metric None, so an indicator reading it says "error", never "pass".

Every metric is computed on every site, so any profile can score a stored run; the findings of
one country's marks are listed only for sites of that country (`families`, default "auto": cn for a
Chinese-language site or a .gov.cn domain, us for a .gov/.mil/.fed.us domain, eu for any other
non-Chinese site), so a county portal's report does not list a missing USA.gov link.

Options (`[checks.identity]` in govaudit.toml): families, domain, domain_suffixes, meta_required,
search_query, ipv6_host, ipv6_resolver, required_links, statement_patterns, max_findings_per_rule.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.identity.domain import DEFAULT_SUFFIXES, is_address, judge_domain
from govaudit.checks.identity.footer import (
    CONAC,
    JIUCUO,
    BadgeMarkers,
    FooterMarks,
    Mark,
    find_marks,
    footer_images,
    site_id_code,
)
from govaudit.checks.identity.html import Doc
from govaudit.checks.identity.metadata import judge_meta, required_fields
from govaudit.checks.identity.pagekind import page_kind
from govaudit.checks.identity.search import default_query, find_search_form, probe_search
from govaudit.checks.identity.sitelevel import not_judged, site_findings
from govaudit.checks.identity.statement import compile_patterns, find_statement_link, judge_statement
from govaudit.checks.identity.transport import (
    Ipv6Verdict,
    Resolver,
    host_for_ipv6,
    judge_https,
    judge_ipv6,
    judge_missing_page,
    judge_robots,
    judge_sitemap,
    load_resolver,
    system_aaaa,
)
from govaudit.checks.identity.usfed import find_us_marks, required_link_patterns
from govaudit.checks.links import says_missing

from govaudit.browser.errorpage import browser_error
from govaudit.checkapi import CheckContext
from govaudit.crawl.charset import decode_html
from govaudit.crawl.urls import host_of, origin_of
from govaudit.errors import UsageError
from govaudit.model import CheckResult, Finding, Page, SiteSnapshot

MARK_RULES = {  # footer mark -> (rule when missing, what the guideline calls it)
    "site_id": ("footer-site-id-missing", "网站标识码"),
    "icp": ("footer-icp-missing", "ICP备案编号"),
    "police": ("footer-police-missing", "公安机关备案标识"),
    "conac": ("footer-conac-missing", "党政机关网站标识"),
    "sponsor": ("footer-sponsor-missing", "主办单位"),
    "contact": ("footer-contact-missing", "联系方式"),
    "error_report": ("footer-error-report-missing", "我为政府网站找错"),
}
DEFAULT_MAX_FINDINGS = 200
FAMILIES = ("cn", "us", "eu")
# Rules that belong to one country's marks; every other rule is listed for every site.
FAMILY_RULES = {
    "cn": ("footer-", "meta-"),
    "us": ("dap-missing", "banner-missing", "required-link-missing"),
    "eu": ("a11y-statement-",),
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
STATEMENT_BYTES = 1024 * 1024
BADGE_BYTES = 256 * 1024


def flag(value: bool | None) -> int | None:
    return None if value is None else int(bool(value))


class IdentityCheck:
    id = "identity"
    title = "网站标识与合规 — site identity, metadata and compliance marks"

    def __init__(self, resolver: Resolver | None = None) -> None:
        self._resolver = resolver

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        opts = ctx.options
        home = snapshot.home
        if home is None or not home.ok or not home.is_html:
            return CheckResult(status="error", error="the home page was not fetched as HTML; nothing to inspect")
        shown = browser_error(home.final_url, home.text)
        if shown:
            return CheckResult(status="error", error=f"the home page is not the site's: {shown}")
        cap = int(opts.get("max_findings_per_rule", DEFAULT_MAX_FINDINGS))
        injected = self._resolver or (load_resolver(opts["ipv6_resolver"]) if opts.get("ipv6_resolver") else None)
        home_doc = Doc(home.text, home.final_url)
        out = _Out(cap)
        home_url = home.url

        marks = find_marks(home_doc)
        if not marks.conac.present:
            marks.conac = await _badge_image(home_doc, CONAC, ctx)
        if not marks.error_report.present:
            marks.error_report = await _badge_image(home_doc, JIUCUO, ctx)
        self._footer(marks, home_url, out)
        suffixes = tuple(opts.get("domain_suffixes", DEFAULT_SUFFIXES))
        if not suffixes or not all(isinstance(s, str) and s for s in suffixes):
            raise UsageError("checks.identity.domain_suffixes must be a list of domain suffixes")
        domain = judge_domain(host_of(snapshot.home_url), suffixes, str(opts.get("domain", "")),
                              home_doc.meta.get("sitedomain", ""))
        if domain.official is False:
            out.add(Finding("domain-not-gov", home_url, f"the site's domain {domain.domain} does not end in "
                            f"{' or '.join(domain.suffixes)}", evidence={"domain": domain.domain, "source": domain.source}))

        scan = _Scan()
        meta_metrics = self._scan_pages(snapshot, ctx, marks, out, scan)
        form = find_search_form(home_doc)
        https, robots, sitemap, missing, ipv6, search = await asyncio.gather(
            judge_https(snapshot.start_url, ctx.fetcher, bool(ctx.config.crawl.verify_tls)),
            judge_robots(snapshot.home_url, ctx.fetcher),
            judge_sitemap(snapshot.home_url, ctx.fetcher, list(snapshot.stats.notes)),
            judge_missing_page(snapshot.home_url, ctx.fetcher),
            self._ipv6(host_for_ipv6(snapshot.home_url, str(opts.get("ipv6_host", ""))), injected),
            self._search(form, home_doc, home, ctx),
        )
        for finding in site_findings(home_url, https, robots, sitemap, missing, ipv6):
            out.add(finding)
        if form is None:
            out.add(Finding("search-missing", home_url, "no site search box on the home page"))
        elif search is not None and search.answers is False:
            out.add(Finding("search-no-answer", home_url, f"the site search does not answer: {search.reason}",
                            target=search.url, status=search.status, element="form"))

        us = find_us_marks(home_doc, required_link_patterns(opts))
        self._us(us, home_url, out)
        statement_metrics = await self._statement(snapshot, ctx, scan, out)

        metrics: dict[str, Any] = {
            "footer_marks_missing": sum(not m.present for _, m in marks.items()),
            "site_id_code_present": int(marks.site_id.present),
            "site_id_code_valid": int(bool(marks.site_id.valid)),
            "icp_present": int(marks.icp.present),
            "icp_linked": int(bool(marks.icp.linked)),
            "police_present": int(marks.police.present),
            "police_linked": int(bool(marks.police.linked)),
            # ICP and 公安备案 numbers the footer shows: "they link" is only said of numbers that exist
            "record_numbers_shown": int(marks.icp.present) + int(marks.police.present),
            "conac_present": int(marks.conac.present),
            "sponsor_present": int(marks.sponsor.present),
            "contact_present": int(marks.contact.present),
            "error_report_present": int(marks.error_report.present),
            "gov_domain": flag(domain.official),
            **meta_metrics,
            "search_present": int(form is not None),
            "search_answers": flag(search.answers) if search is not None else None,  # no box: nothing to ask
            "https": int(https.available) if https.judged else None,
            "http_redirects_https": (flag(https.redirects) if https.available else 0) if https.judged else None,
            "tls_valid": flag(https.cert_valid),
            "hsts": int(https.hsts) if https.judged else None,
            "ipv6": int(ipv6.supported) if ipv6.judged else None,
            "ipv6_judged": int(ipv6.judged),
            "robots_txt": int(robots.present) if robots.judged else None,
            "sitemap_xml": int(sitemap.present) if sitemap.judged else None,
            "missing_page_404": int(missing.present) if missing.judged else None,
            "viewport": int(us.viewport),
            "dap": int(us.dap),
            "banner": int(us.banner),
            "required_links_missing": sum(not v for v in us.links.values()),
            "required_links": {k: int(bool(v)) for k, v in us.links.items()},
            **statement_metrics,
            "findings_dropped": out.dropped,
            # Why a metric above has no value: its probe was never made (scoring names the reason).
            "not_judged": not_judged(https, robots, sitemap, missing),
        }
        data = {
            "footer": marks.as_dict(),
            "domain": {"domain": domain.domain, "source": domain.source, "official": domain.official,
                       "suffixes": list(domain.suffixes)},
            "page_kinds": dict(sorted(scan.kinds.items())),
            "search": {
                "form": None if form is None else {"page": form.page, "action": form.action, "method": form.method,
                                                   "param": form.param, "evidence": form.evidence},
                "probe": None if search is None else {"answers": search.answers, "url": search.url,
                                                      "reason": search.reason},
            },
            "https": {"https_url": https.https_url, "available": https.available, "redirects": https.redirects,
                      "cert_valid": https.cert_valid, "hsts": https.hsts_header, "error": https.error,
                      "judged": https.judged},
            "ipv6": {"host": ipv6.host, "addresses": ipv6.addresses, "error": ipv6.error, "judged": ipv6.judged},
            "files": {name: {"url": v.url, "status": v.status, "detail": v.detail, "judged": v.judged}
                      for name, v in (("robots", robots), ("sitemap", sitemap), ("missing_page", missing))},
            "us": {"viewport": us.viewport_content, "dap": us.dap_evidence, "banner": us.banner_evidence,
                   "required_links": us.links},
        }
        families = _families(opts.get("families", "auto"), home_doc, domain.domain)
        data["families"] = sorted(families)
        findings = [f for f in out.findings if _family_of(f.rule) in families | {None}]
        metrics["findings_hidden_other_countries"] = len(out.findings) - len(findings)
        return CheckResult(status="ok", metrics=metrics, findings=findings, data=data)

    # -- parts ------------------------------------------------------------------------------------

    def _footer(self, marks: FooterMarks, page: str, out: _Out) -> None:
        for name, mark in marks.items():
            rule, label = MARK_RULES[name]
            if not mark.present:
                out.add(Finding(rule, page, f"the footer has no {label}", evidence={"mark": name}))
        if marks.site_id.present and not marks.site_id.valid:
            out.add(Finding("footer-site-id-malformed", page, f"网站标识码 {marks.site_id.value!r} is not 10 digits "
                            "or bm + 8 digits", evidence={"code": marks.site_id.value}))
        if marks.icp.present and not marks.icp.linked:
            out.add(Finding("footer-icp-unlinked", page, f"{marks.icp.value} does not link to beian.miit.gov.cn",
                            severity="warning", evidence={"number": marks.icp.value}))
        if marks.police.present and not marks.police.linked:
            out.add(Finding("footer-police-unlinked", page, f"{marks.police.value} does not link to www.beian.gov.cn",
                            severity="warning", evidence={"number": marks.police.value}))
        if marks.police.present and not marks.police.valid:
            out.add(Finding("footer-police-malformed", page, f"{marks.police.value}: a 公网安备 number has 14 digits",
                            severity="warning", evidence={"number": marks.police.value}))

    def _scan_pages(self, snapshot: SiteSnapshot, ctx: CheckContext, marks: FooterMarks, out: _Out,
                    scan: _Scan) -> dict[str, Any]:
        """One pass over the site's pages: metadata by page kind, and which pages link the statement."""
        required = required_fields(ctx.options)
        patterns = compile_patterns(ctx.options)
        home_urls = {snapshot.start_url, snapshot.home_url}
        origins = {origin_of(snapshot.start_url), origin_of(snapshot.home_url)}
        kinds = scan.kinds
        missing_by_kind: Counter[str] = Counter()
        pages_missing = missing_fields = invalid = mismatches = compared = judged = 0
        for page in _site_pages(snapshot, origins):
            doc = Doc(page.text, page.final_url)
            scan.pages += 1
            link = find_statement_link(doc, patterns)
            if link is None:
                scan.unlinked.append(page.url)
            else:
                scan.links[link.url] += 1
            kind = page_kind(doc, page.url, home_urls)
            kinds[kind] += 1
            if kind == "other":
                continue
            judged += 1
            verdict = judge_meta(kind, doc.meta, required)
            for name in verdict.missing:
                out.add(Finding("meta-missing", page.url, f"{kind} page has no {name} meta",
                                evidence={"field": name, "kind": kind}))
            for name, why in verdict.invalid.items():
                invalid += 1
                out.add(Finding("meta-invalid", page.url, f"{name} {verdict.values[name]!r}: {why}",
                                evidence={"field": name, "kind": kind, "value": verdict.values[name]}))
            if verdict.missing:
                pages_missing += 1
                missing_fields += len(verdict.missing)
                missing_by_kind[kind] += 1
            code = doc.meta.get("siteidcode", "").strip()
            footer_code = site_id_code(doc) or marks.site_id.value
            if code and footer_code:
                compared += 1
            if code and footer_code and code.lower() != footer_code.lower():
                mismatches += 1
                out.add(Finding("meta-siteidcode-mismatch", page.url,
                                f"SiteIDCode meta {code} differs from the footer's 网站标识码 {footer_code}",
                                evidence={"field": "SiteIDCode", "meta": code, "footer": footer_code, "kind": kind}))
        metrics = {
            "meta_pages_judged": judged,
            "meta_pages_missing": pages_missing,
            "meta_missing_fields": missing_fields,
            "meta_missing_home": missing_by_kind["home"],
            "meta_missing_column": missing_by_kind["column"],
            "meta_missing_article": missing_by_kind["article"],
            "meta_invalid": invalid,
            "siteidcode_mismatch": mismatches,
            # pages that show both a SiteIDCode meta and a 网站标识码: a "match" needs both to exist
            "siteidcode_compared": compared,
        }
        return metrics

    async def _ipv6(self, host: str, injected: Resolver | None) -> Ipv6Verdict:
        """AAAA records of the site's name. An audit of an IPv4 address or localhost (the demo, a
        staging mirror) has no name to look up: not judged, unless a resolver was injected or the
        option ipv6_host names the real host."""
        if injected is not None:
            return await judge_ipv6(host, injected)
        if is_address(host) and ":" not in host.strip("[]"):
            return Ipv6Verdict(host, [], f"{host} is an address, not a name; set ipv6_host to judge the site's name",
                               judged=False)
        return await judge_ipv6(host, system_aaaa)

    async def _search(self, form: Any, doc: Doc, home: Page, ctx: CheckContext) -> Any:
        if form is None:
            return None
        term = str(ctx.options.get("search_query") or default_query(doc))
        return await probe_search(form, ctx.fetcher, term, home.encoding or "utf-8")

    def _us(self, us: Any, page: str, out: _Out) -> None:
        if not us.viewport:
            out.add(Finding("viewport-missing", page, "no <meta name=viewport content=width=device-width>",
                            evidence={"content": us.viewport_content}))
        if not us.dap:
            out.add(Finding("dap-missing", page, "no Digital Analytics Program tag (dap.digitalgov.gov)"))
        if not us.banner:
            out.add(Finding("banner-missing", page, "no official-site banner (An official website of the "
                                                    "United States government)"))
        for key, url in us.links.items():
            if not url:
                out.add(Finding("required-link-missing", page, f"no {key.replace('_', ' ')} link on the home page",
                                evidence={"link": key}))

    async def _statement(self, snapshot: SiteSnapshot, ctx: CheckContext, scan: _Scan, out: _Out) -> dict[str, Any]:
        patterns = compile_patterns(ctx.options)
        links, unlinked, pages = scan.links, scan.unlinked, scan.pages
        empty = {"a11y_statement_found": 0, "a11y_statement_pages_unlinked": len(unlinked),
                 "a11y_statement_compliance": 0, "a11y_statement_feedback": 0,
                 "a11y_statement_enforcement": 0, "a11y_statement_recent": 0, "a11y_statement_age_days": None,
                 "a11y_statement_status": "none"}
        if not links:
            out.add(Finding("a11y-statement-missing", snapshot.home_url,
                            "no page links to an accessibility statement", severity="warning",
                            evidence={"pages": pages}))
            return empty
        url = links.most_common(1)[0][0]
        doc = await self._load(url, snapshot, ctx)
        if doc is None:
            out.add(Finding("a11y-statement-missing", snapshot.home_url,
                            f"the accessibility statement link {url} does not open", target=url))
            return empty
        for page_url in unlinked:
            if page_url != url:
                out.add(Finding("a11y-statement-unlinked", page_url, "this page does not link to the "
                                "accessibility statement", target=url, severity="warning"))
        verdict = judge_statement(doc, ctx.as_of, patterns)
        for ok, rule, message in (
            (verdict.compliance, "a11y-statement-no-compliance", "states no compliance status (fully / partially / "
                                                                  "not compliant)"),
            (verdict.feedback, "a11y-statement-no-feedback", "offers no feedback mechanism"),
            (verdict.enforcement, "a11y-statement-no-enforcement", "does not name the enforcement procedure"),
            (verdict.recent, "a11y-statement-outdated",
             f"was not reviewed in the 12 months before {ctx.as_of} (latest date: {verdict.latest or 'none'})"),
        ):
            if not ok:
                out.add(Finding(rule, url, f"the accessibility statement {message}",
                                evidence={"latest": verdict.latest.isoformat() if verdict.latest else None}))
        return {
            "a11y_statement_found": 1,
            "a11y_statement_pages_unlinked": len([u for u in unlinked if u != url]),
            "a11y_statement_compliance": int(verdict.compliance is not None),
            "a11y_statement_feedback": int(bool(verdict.feedback)),
            "a11y_statement_enforcement": int(bool(verdict.enforcement)),
            "a11y_statement_recent": int(verdict.recent),
            "a11y_statement_age_days": verdict.age_days,
            "a11y_statement_status": verdict.compliance or "none",
        }

    async def _load(self, url: str, snapshot: SiteSnapshot, ctx: CheckContext) -> Doc | None:
        page = snapshot.page(url)
        if page is not None and page.ok and page.is_html:
            return Doc(page.text, page.final_url)
        res = await ctx.fetcher.fetch(url, max_bytes=STATEMENT_BYTES)
        if not res.ok or not res.body:
            return None
        text, _ = decode_html(res.body, res.headers.get("content-type"))
        return Doc(text, res.final_url)


class _Out:
    """Findings with a per-rule cap: metrics count everything, the report lists the first `cap`."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.findings: list[Finding] = []
        self.per_rule: Counter[str] = Counter()
        self.dropped = 0

    def add(self, finding: Finding) -> None:
        self.per_rule[finding.rule] += 1
        if self.per_rule[finding.rule] > self.cap:
            self.dropped += 1
            return
        self.findings.append(finding)


async def _badge_image(doc: Doc, markers: BadgeMarkers, ctx: CheckContext) -> Mark:
    """The badge shown as a copy of its image (no link, no script): the footer's images on the
    site's own origin are fetched and their SHA-256 compared with the markers' digests."""
    if not markers.digests:
        return Mark(False)
    origin = origin_of(doc.url)
    for url in footer_images(doc):
        if origin_of(url) != origin:
            continue  # a badge served from elsewhere is recognised by its host, not fetched here
        res = await ctx.fetcher.fetch(url, max_bytes=BADGE_BYTES)
        if not res.ok or not res.body:
            continue
        digest = hashlib.sha256(res.body).hexdigest()
        if digest in markers.digests:
            return Mark(True, url, evidence=f"badge image ({markers.digests[digest]})")
    return Mark(False)


def _family_of(rule: str) -> str | None:
    for family, prefixes in FAMILY_RULES.items():
        if rule.startswith(prefixes):
            return family
    return None


def _families(option: Any, home: Doc, domain: str) -> set[str]:
    """Whose marks this site is held to: the option's list, or a guess from language and domain."""
    if option != "auto":
        if isinstance(option, str):
            option = [option]
        if not isinstance(option, list) or not option or not set(option) <= set(FAMILIES):
            raise UsageError(f"checks.identity.families must be \"auto\" or a list of {', '.join(FAMILIES)}")
        return set(option)
    lang = (home.tree.css_first("html").attributes.get("lang") or "").lower() if home.tree.css_first("html") else ""
    chinese = lang.startswith("zh") or domain.endswith(".gov.cn") or len(_CJK.findall(home.title + home.text[:2000])) >= 20
    if chinese:
        return {"cn"}
    if domain.endswith((".gov", ".mil", ".fed.us")):
        return {"us"}
    return {"eu"}


@dataclass(slots=True)
class _Scan:
    """What the pass over every page gathered besides metadata."""

    pages: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    links: Counter[str] = field(default_factory=Counter)  # statement URL -> pages linking it
    unlinked: list[str] = field(default_factory=list)  # pages with no statement link


def _site_pages(snapshot: SiteSnapshot, origins: set[str]) -> list[Page]:
    """The site's own HTML pages that opened, once per final URL, in crawl order. A page that
    answers 200 but says it does not exist (a soft 404), or the browser's own error page stored for
    it, is not a page of the site."""
    seen: set[str] = set()
    out = []
    for p in snapshot.pages.values():
        if not (p.ok and p.is_html) or origin_of(p.final_url) not in origins or p.final_url in seen:
            continue
        seen.add(p.final_url)
        if p.url not in (snapshot.start_url, snapshot.home_url) and says_missing(p.title, p.text[:65536]):
            continue
        if browser_error(p.final_url, p.text):  # the browser's own error page is not the site's
            continue
        out.append(p)
    return out

