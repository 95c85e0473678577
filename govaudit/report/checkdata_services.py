"""The services check (办事服务) as display blocks: each 办事指南 page and the key elements it lacks,
the service entries found, and the 政务服务网 links the crawl did not follow (their guides were not
read). Shapes are those of checks/services: `guides`, `missing_element_types`, `entries` and the
`portal-not-crawled` findings."""

from __future__ import annotations

from typing import Any

from govaudit.model import CheckResult
from govaudit.report.cells import Block, Cell, Facts, _count_cell, _Ctx, _rows, _table, fmt, url_cell

# Entry kinds of checks/services/entries.py, in words.
ENTRY_KINDS = {
    "service": "办事服务 (service entry)",
    "portal": "政务服务网 (service portal)",
    "online": "在线办理 (online service)",
    "data_open": "数据开放 (open data)",
    "response": "回应关切 (responses)",
    "smart_qa": "智能问答 (smart Q&A)",
}


def services_blocks(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    d, m = chk.data, chk.metrics
    blocks: list[Block] = []
    facts: list[tuple[str, list[Cell]]] = []
    if m.get("no_services"):
        facts.append(("Site kind", [Cell("a department without public services: 办事服务 not inspected",
                                         cls="muted")]))
    if m.get("guides") is not None:
        facts.append(("办事指南 read", [Cell(fmt(m.get("guides")), cls="n"),
                                       Cell(f"({fmt(m.get('guides_incomplete'))} missing key elements)",
                                            cls="bad" if m.get("guides_incomplete") else "muted")]))
    missing = d.get("missing_element_types")
    if isinstance(missing, list):
        facts.append(("Key elements missing somewhere", [Cell("、".join(str(x) for x in missing) or "none",
                                                              cls="bad" if missing else "good")]))
    if m.get("service_entries") is not None:
        facts.append(("Service entries found", [Cell(fmt(m.get("service_entries")), cls="n")]))
    if m.get("portal_links") is not None:
        facts.append(("政务服务网 links", [Cell(fmt(m.get("portal_links")), cls="n"),
                                         Cell(f"({fmt(m.get('portal_links_not_crawled'))} not crawled: their "
                                              "guides were not read)", cls="warn"
                                              if m.get("portal_links_not_crawled") else "muted")]))
    if facts:
        blocks.append(Facts("summary", "What was read", facts, markdown=True))
    guides = _rows(d.get("guides"))
    blocks.append(_table(
        "guides", "办事指南 pages", ["Guide", "Missing elements", "Empty labels", "Recognised by"],
        [[url_cell(g.get("url"), ctx, str(g.get("name") or "") or None),
          Cell("、".join(str(x) for x in g["missing"]) if isinstance(g.get("missing"), list) and g["missing"]
               else "✓ none", cls="bad" if g.get("missing") else "good"),
          Cell(fmt(g.get("empty_labels")), cls="muted"), Cell(fmt(g.get("recognised_by")), cls="muted")]
         for g in guides],
        row_classes=["stale" if g.get("missing") else "" for g in guides], markdown=[0, 1, 2]))
    entries = d.get("entries")
    rows: list[list[Cell]] = []
    if isinstance(entries, dict):
        for kind, found in entries.items():
            for e in _rows(found):
                rows.append([Cell(ENTRY_KINDS.get(str(kind), str(kind))), url_cell(e.get("target"), ctx,
                             str(e.get("text") or "") or None), url_cell(e.get("page"), ctx)])
        counts = [(ENTRY_KINDS.get(str(k), str(k)), len(v) if isinstance(v, list) else 0) for k, v in entries.items()]
        blocks.append(Facts("entry_kinds", "Entries by kind", [(k, [_count_cell(n, False)]) for k, n in counts],
                            markdown=True))
    blocks.append(_table("entries", "Service entries found", ["Kind", "Entry", "Found on"], rows,
                         markdown=[0, 1, 2], collapsed=len(rows) > 20))
    portal = [f for f in chk.findings if f.rule == "portal-not-crawled"]
    blocks.append(_table(
        "portal_not_crawled", "政务服务网 links not crawled (their 办事指南 were not checked)",
        ["Link", "Found on"],
        [[url_cell(f.target, ctx, str(f.evidence.get("text") or "") or None), url_cell(f.page, ctx)] for f in portal],
        markdown=[0, 1],
        caption=_cut_caption(m.get("portal_links_not_crawled"), len(portal))))
    return blocks, {"guides", "missing_element_types", "entries"}


def _cut_caption(total: Any, listed: int) -> str:
    if isinstance(total, int) and total > listed:
        return f"{listed} of {total} listed (the check keeps a few examples)"
    return ""
