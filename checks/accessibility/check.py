"""Accessibility (无障碍) and elderly-friendly design (适老化) in a real browser.

axe-core runs in the system Chromium on the home page and on representative pages of each
template (plus pages whose raw HTML shows a defect sign), capped by the `max_pages` option
(`--a11y-pages`). Each violated rule maps to its WCAG 2.x criterion and the GB/T 37668-2019
principle that mirrors it. Automated rules cover only part of WCAG; GB/T 37668-2019 follows WCAG,
so axe's WCAG A/AA rules serve as the practical automated proxy, as the report says.
Without a browser the check is "skipped" with the reason: it never reports "no problems".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from govaudit.checks.accessibility.elderly_findings import elderly_results
from govaudit.checks.accessibility.mapping import load_mapping
from govaudit.checks.accessibility.probe import SERIOUS, PageRun, ProbeOptions, probe_page
from govaudit.checks.accessibility.report import IMPACTS, axe_finding, merge, review_row, rule_table
from govaudit.checks.accessibility.templates import WHOLE_SITE_BOUND, Template, group_pages, select_pages
from govaudit.checks.accessibility.triage import signs

from govaudit.browser import BrowserUnavailable, unavailable_reason
from govaudit.browser.axe import axe_version, run_options
from govaudit.checkapi import CheckContext
from govaudit.errors import UsageError
from govaudit.model import CheckResult, SiteSnapshot

DEFAULT_PAGES: int | None = None  # the whole site by template and defect sign (templates.select_pages)
PROXY_NOTE = ("Automated axe-core rules test part of WCAG 2.x A/AA; GB/T 37668-2019 follows WCAG, so "
              "they are the automated proxy for it. Manual review is still needed for full conformance.")


@dataclass(slots=True)
class Options:
    max_pages: int | None = DEFAULT_PAGES
    elderly: bool = True
    screenshots: bool = True
    popup_wait: float = 3.0
    min_font_px: float = 14.0
    axe_tags: list[str] | None = None  # narrow axe to these tags (default: axe's own default rules)
    axe_rules: dict[str, bool] | None = None  # turn single rules on or off
    cut: str = ""  # what the page cap left untested, in words ("" when it did not bind)

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Options:
        known = {"max_pages", "pages", "elderly", "screenshots", "popup_wait", "min_font_px", "axe_tags", "axe_rules"}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise UsageError(f"[checks.accessibility]: unknown option {unknown[0]!r}")
        opts = cls()
        pages = raw.get("max_pages", raw.get("pages", DEFAULT_PAGES))
        if pages is not None and (isinstance(pages, bool) or not isinstance(pages, int) or pages < 1):
            raise UsageError(f"[checks.accessibility]: max_pages must be a whole number of at least 1, got {pages!r}")
        opts.max_pages = pages
        for name in ("elderly", "screenshots"):
            if name in raw:
                if not isinstance(raw[name], bool):
                    raise UsageError(f"[checks.accessibility]: {name} must be true or false")
                setattr(opts, name, raw[name])
        for name in ("popup_wait", "min_font_px"):
            if name in raw:
                value = raw[name]
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise UsageError(f"[checks.accessibility]: {name} must be a number of at least 0")
                setattr(opts, name, float(value))
        if "axe_tags" in raw:
            tags = raw["axe_tags"]
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise UsageError("[checks.accessibility]: axe_tags must be a list of axe tags")
            opts.axe_tags = tags
        if "axe_rules" in raw:
            rules = raw["axe_rules"]
            if not isinstance(rules, dict) or not all(isinstance(v, bool) for v in rules.values()):
                raise UsageError("[checks.accessibility]: axe_rules must map rule ids to true/false")
            opts.axe_rules = rules
        return opts


class AccessibilityCheck:
    id = "accessibility"
    title = "无障碍与适老化 — accessibility (axe-core, WCAG 2.x / GB/T 37668-2019) and elderly-friendly design"

    @staticmethod
    def validate_options(options: dict[str, Any], site: dict[str, Any], home_url: str = "") -> None:
        """A typo in [checks.accessibility] is one line before the crawl, not an error after it."""
        Options.parse(options)

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        renderer = ctx.renderer
        if renderer is None:
            return _skipped(f"no browser: {unavailable_reason(ctx.config)}")
        opts = Options.parse(ctx.options)
        templates = group_pages(snapshot)
        sign_map = {p.final_url: signs(p.text) for p in snapshot.pages.values() if p.ok and p.is_html}
        picks = select_pages(templates, opts.max_pages, sign_map)
        opts.cut = _cut_by_cap(templates, sign_map, picks, opts.max_pages)
        if not picks:
            return _skipped("no HTML page of the site was crawled, nothing to test")
        try:
            await renderer.start()
        except BrowserUnavailable as exc:
            return _skipped(f"no browser: {exc}")
        try:
            script = renderer.axe_script()
        except BrowserUnavailable as exc:  # a browser but no usable axe-core: the check failed
            return CheckResult(status="error", error=str(exc), data={"note": PROXY_NOTE})
        probe_opts = ProbeOptions(axe=run_options(opts.axe_tags, opts.axe_rules), elderly=opts.elderly,
                                  screenshots=opts.screenshots, popup_wait=opts.popup_wait,
                                  min_font_px=opts.min_font_px)
        home_url = picks[0].url if picks[0].reason == "home" else None
        runs = await asyncio.gather(*(probe_page(renderer, p, p.url == home_url, probe_opts) for p in picks))
        tested = [r for r in runs if r.error is None and r.axe is not None]
        if not tested:
            first = runs[0].error or "unknown error"
            return CheckResult(status="error", error=f"no page could be tested in the browser: {first}",
                               metrics={"pages_tested": 0, "pages_failed": len(runs)},
                               data={"pages": [_page_row(r) for r in runs]})
        return _result(templates, sign_map, runs, tested, opts, axe_version(script))


def _skipped(reason: str) -> CheckResult:
    return CheckResult(status="skipped", error=reason, data={"note": PROXY_NOTE})


def _result(templates: list[Template], sign_map: dict[str, set[str]],
            runs: list[PageRun], tested: list[PageRun], opts: Options, bundled_version: str) -> CheckResult:
    mapping = load_mapping()
    shots = {r.url for r in tested if r.screenshot}
    violations = merge(tested, "violation")
    reviews = merge(tested, "incomplete")
    findings = [axe_finding(hit, mapping, shots) for hit in violations]
    wcag_hits = [h for h in violations if mapping.rule(h.rule, h.tags).is_wcag]
    levels = [mapping.rule(h.rule, h.tags).level for h in wcag_hits]
    engine = next((r.axe.get("version") for r in tested if r.axe and r.axe.get("version")), bundled_version)
    metrics: dict[str, Any] = {
        "pages_tested": len(tested),
        "pages_failed": len(runs) - len(tested),
        "templates": len(templates),
        "axe_version": engine,
        "violations": len(wcag_hits),
        "violations_serious": sum(1 for h in wcag_hits if h.impact in SERIOUS),
        "violation_nodes": sum(h.nodes for h in wcag_hits),
        "rules_violated": len({h.rule for h in wcag_hits}),
        "wcag_a": levels.count("A"),
        "wcag_aa": levels.count("AA"),
        "best_practice": sum(1 for h in violations if not mapping.rule(h.rule, h.tags).is_wcag),
        "incomplete": len(reviews),
        "by_impact": {i: sum(1 for h in wcag_hits if h.impact == i) for i in IMPACTS},
        "screenshots": len(shots),
    }
    tested_urls = {r.url for r in runs}
    untested = sorted((u, s) for u, s in sign_map.items() if s and u not in tested_urls)
    metrics["untested_with_signs"] = len(untested)
    data: dict[str, Any] = {
        "note": PROXY_NOTE,
        "axe_version": engine,
        "rules": rule_table(violations, mapping),
        "needs_review": [review_row(h, mapping) for h in reviews],
        "pages": [_page_row(r) for r in runs],
        "templates": [{"template": t.pattern, "key": t.key, "pages": len(t.urls),
                       "tested": sum(1 for r in runs if r.pick.template is t), "example": t.urls[0]}
                      for t in templates],
    }
    if untested:
        data["untested_signs"] = [{"page": u, "signs": ", ".join(sorted(s))} for u, s in untested[:50]]
    if opts.elderly:
        e_findings, e_metrics, e_rows = elderly_results(tested, mapping, opts.min_font_px)
        findings.extend(e_findings)
        metrics.update(e_metrics)
        data["elderly"] = e_rows
    failed = [r for r in runs if r.error]
    if failed:
        data["failed_pages"] = [{"page": r.url, "error": r.error} for r in failed]
    partial: dict[str, str] = {}
    if opts.cut:
        data["cap"] = opts.cut
        metrics["cap_bound"] = 1
        # a template or a sign page the cap left untested may hold what the tested pages do not
        partial = {m: opts.cut for m in ("violations", "wcag_a", "wcag_aa", "incomplete")}
    return CheckResult(status="ok", metrics=metrics, findings=findings, data=data, partial=partial)


def _cut_by_cap(templates: list[Template], sign_map: dict[str, set[str]], picks: list[Any],
                cap: int | None) -> str:
    """What the cap (or the whole-site bound) left out: templates with no tested page, and pages
    whose defect signs no tested page of their template shows."""
    chosen = {p.url for p in picks}
    untested_templates = sum(1 for t in templates if t.urls and not chosen & set(t.urls))
    covered: dict[str, set[str]] = {}
    for p in picks:
        covered.setdefault(p.template.key, set()).update(sign_map.get(p.url, ()))
    by_url = {u: t for t in templates for u in t.urls}
    sign_pages = sum(1 for u, s in sign_map.items()
                     if s and u not in chosen and u in by_url and s - covered.get(by_url[u].key, set()))
    if not untested_templates and not sign_pages:
        return ""
    bound = f"the cap of {cap} pages (--a11y-pages)" if cap is not None else \
        f"the whole-site bound of {WHOLE_SITE_BOUND} pages"
    return (f"{len(picks)} pages tested; {bound} left {untested_templates} templates and {sign_pages} pages "
            "with defect signs untested")


def _page_row(run: PageRun) -> dict[str, Any]:
    axe = run.axe or {}
    row: dict[str, Any] = {
        "page": run.url, "template": run.pick.template.pattern, "template_pages": len(run.pick.template.urls),
        "why": run.pick.reason, "violations": len(axe.get("violations", [])),
        "serious": sum(1 for v in axe.get("violations", []) if v.get("impact") in SERIOUS),
        "incomplete": len(axe.get("incomplete", [])), "screenshot": run.screenshot, "seconds": run.seconds,
    }
    if run.font is not None:
        row["body_font_px"] = run.font["body_px"]
    if run.zoom is not None:
        row["width_at_200"] = run.zoom["scroll_width"]
    if run.error:
        row["error"] = run.error
    return row

