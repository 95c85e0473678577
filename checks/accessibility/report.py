"""From page runs to the check's findings, metrics and tables.

axe violations are merged per (template, rule): the same defect on twenty pages of one template
is one finding listing its pages, so a template fault does not outweigh twenty different faults.
axe's "incomplete" results (needs human review) are kept apart in their own table, never counted
as violations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.accessibility.mapping import Mapping
from govaudit.checks.accessibility.probe import PageRun
from govaudit.checks.accessibility.templates import Template

from govaudit.model import LINK_ELEMENTS, Finding

IMPACTS = ("critical", "serious", "moderate", "minor")
_TAG_RE = re.compile(r"^<\s*([a-zA-Z][\w-]*)")
MAX_SELECTORS = 5
MAX_PAGES_LISTED = 20


@dataclass(slots=True)
class RuleHit:
    """One axe rule on one template, across the tested pages of that template."""

    rule: str
    template: Template
    kind: str  # violation | incomplete
    impact: str = "minor"
    help: str = ""
    help_url: str = ""
    tags: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    nodes: int = 0
    selectors: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    summary: str = ""

    def add(self, page: str, result: dict[str, Any]) -> None:
        if page not in self.pages:
            self.pages.append(page)
        self.nodes += int(result.get("node_count", 0))
        impact = result.get("impact") or "minor"
        if IMPACTS.index(impact) < IMPACTS.index(self.impact):
            self.impact = impact
        self.help = self.help or result.get("help", "")
        self.help_url = self.help_url or result.get("helpUrl", "")
        self.tags = self.tags or list(result.get("tags", []))
        for node in result.get("nodes", []):
            if node["target"] not in self.selectors and len(self.selectors) < MAX_SELECTORS:
                self.selectors.append(node["target"])
                self.html.append(node.get("html", ""))
            self.summary = self.summary or node.get("summary", "")


def merge(runs: list[PageRun], kind: str) -> list[RuleHit]:
    hits: dict[tuple[str, str], RuleHit] = {}
    key_name = "violations" if kind == "violation" else "incomplete"
    for run in runs:
        if run.axe is None:
            continue
        for result in run.axe.get(key_name, []):
            key = (run.pick.template.key, result["id"])
            hit = hits.get(key)
            if hit is None:
                hit = hits[key] = RuleHit(result["id"], run.pick.template, kind)
            hit.add(run.url, result)
    return sorted(hits.values(), key=lambda h: (IMPACTS.index(h.impact), h.rule, h.template.key))


def axe_finding(hit: RuleHit, mapping: Mapping, shots: set[str]) -> Finding:
    info = mapping.rule(hit.rule, hit.tags)
    page = hit.pages[0]
    where = "the home page" if hit.template.key == "home" else \
        f"{len(hit.pages)} tested page(s) of template {hit.template.pattern} ({len(hit.template.urls)} pages)"
    evidence: dict[str, Any] = {
        "selector": hit.selectors[0] if hit.selectors else "",
        "html": hit.html[0] if hit.html else "",
        "impact": hit.impact,
        "nodes": hit.nodes,
        "level": info.level,
        "wcag": list(info.wcag),
        "wcag_titles": [mapping.sc_label(sc) for sc in info.wcag],
        "gbt": mapping.clauses(info.wcag),
        "gbt_level": mapping.gbt_level(info.wcag),
        "template": hit.template.pattern,
        "template_pages": len(hit.template.urls),
        "pages": hit.pages[:MAX_PAGES_LISTED],
        "selectors": hit.selectors,
        "summary": hit.summary,
        "help_url": hit.help_url,
    }
    tag = _tag(hit.html[0]) if hit.html else None
    if tag:
        evidence["tag"] = tag
    shot = next((p for p in hit.pages if p in shots), None)
    if shot:
        evidence["screenshot"] = f"screenshot:{shot}"
    return Finding(
        rule=f"axe:{hit.rule}", page=page, severity="error" if info.is_wcag else "warning",
        message=f"{hit.help} — {hit.nodes} element(s) on {where}",
        # The report contract's `element` is a link element word; any other tag stays in evidence.
        element=tag if tag in LINK_ELEMENTS else None, evidence=evidence,
    )


def review_row(hit: RuleHit, mapping: Mapping) -> dict[str, Any]:
    info = mapping.rule(hit.rule, hit.tags)
    return {"rule": hit.rule, "impact": hit.impact, "level": info.level, "wcag": ", ".join(info.wcag),
            "template": hit.template.pattern, "pages": len(hit.pages), "nodes": hit.nodes,
            "example": hit.selectors[0] if hit.selectors else "", "page": hit.pages[0], "help": hit.help}


def rule_table(hits: list[RuleHit], mapping: Mapping) -> list[dict[str, Any]]:
    """One row per violated axe rule: where it maps and how far it spreads."""
    rows: dict[str, dict[str, Any]] = {}
    for hit in hits:
        info = mapping.rule(hit.rule, hit.tags)
        row = rows.setdefault(hit.rule, {
            "rule": hit.rule, "impact": hit.impact, "level": info.level,
            "wcag": "; ".join(mapping.sc_label(sc) for sc in info.wcag),
            "gbt": "; ".join(mapping.clauses(info.wcag)), "gbt_level": mapping.gbt_level(info.wcag),
            "templates": 0, "pages": 0, "nodes": 0, "help": hit.help,
        })
        row["templates"] += 1
        row["pages"] += len(hit.pages)
        row["nodes"] += hit.nodes
        if IMPACTS.index(hit.impact) < IMPACTS.index(row["impact"]):
            row["impact"] = hit.impact
    return sorted(rows.values(), key=lambda r: (IMPACTS.index(r["impact"]), -r["pages"], r["rule"]))


def _tag(html: str) -> str | None:
    m = _TAG_RE.match(html or "")
    return m.group(1).lower() if m else None
