"""适老化 findings and metrics from the elderly probes of the tested pages."""

from __future__ import annotations

from typing import Any

from govaudit.checks.accessibility.elderly import ENTRY_WORDS, ZOOM_VIEWPORT
from govaudit.checks.accessibility.mapping import Mapping
from govaudit.checks.accessibility.probe import PageRun

from govaudit.model import Finding

FOCUS_VISIBLE_MIN = 0.8  # share of keyboard-focused elements that must show focus (our threshold)


def _finding(mapping: Mapping, rule: str, page: str, message: str, **evidence: Any) -> Finding:
    spec = mapping.elderly[rule]
    evidence.setdefault("wcag", list(spec["wcag"]))
    evidence.setdefault("gbt", mapping.clauses(spec["wcag"]))
    evidence["source"] = spec["source"]["document"]
    evidence["verified"] = spec["verified"]
    return Finding(rule=rule, page=page, message=message, severity="warning", evidence=evidence)


def elderly_results(runs: list[PageRun], mapping: Mapping, min_font_px: float
                    ) -> tuple[list[Finding], dict[str, Any], list[dict[str, Any]]]:
    """(findings, metrics, table rows) for the elderly-friendly checks."""
    findings: list[Finding] = []
    done = [r for r in runs if r.error is None and r.zoom is not None]
    per_template: dict[tuple[str, str], list[PageRun]] = {}
    popup_pages = 0
    for run in done:
        if run.zoom and run.zoom["overflow"]:
            per_template.setdefault(("zoom", run.pick.template.key), []).append(run)
        if run.font and run.font["body_px"] is not None and run.font["body_px"] < min_font_px:
            per_template.setdefault(("font", run.pick.template.key), []).append(run)
        pops = run.popups or {}
        if pops.get("popups") or pops.get("dialogs") or pops.get("windows"):
            popup_pages += 1
            findings.append(_finding(
                mapping, "elderly:popup", run.url,
                "a pop-up, overlay or floating element appeared after the page loaded",
                popups=pops.get("popups", []), dialogs=pops.get("dialogs", []), windows=pops.get("windows", []),
                selector=(pops.get("popups") or [{}])[0].get("selector", "")))
    for (kind, _), group in per_template.items():
        first = group[0]
        pages = [r.url for r in group]
        tpl = first.pick.template
        if kind == "zoom":
            findings.append(_finding(
                mapping, "elderly:zoom-200", first.url,
                f"at 200 % zoom the page is {first.zoom['scroll_width']} CSS px wide in a "
                f"{ZOOM_VIEWPORT['width']} px window: readers must scroll sideways",
                scroll_width=first.zoom["scroll_width"], viewport_width=ZOOM_VIEWPORT["width"],
                pages=pages, template=tpl.pattern))
        else:
            findings.append(_finding(
                mapping, "elderly:font-size", first.url,
                f"body text is {first.font['body_px']:g} px, under {min_font_px:g} px",
                body_px=first.font["body_px"], sizes=first.font["sizes"], pages=pages, template=tpl.pattern))

    metrics: dict[str, Any] = {
        "elderly_zoom_overflow": sum(1 for r in done if r.zoom and r.zoom["overflow"]),
        "elderly_font_small": sum(1 for r in done if r.font and r.font["body_px"] is not None
                                  and r.font["body_px"] < min_font_px),
        "elderly_popups": popup_pages,
    }
    home = next((r for r in done if r.home), None)
    if home is not None:
        findings.extend(_home_findings(home, mapping, metrics))
    metrics["elderly_failures"] = len(findings)
    return findings, metrics, _table(done, home, metrics, min_font_px)


def _home_findings(home: PageRun, mapping: Mapping, metrics: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    entries = home.entry or []
    metrics["elderly_entry"] = 1 if entries else 0
    if not entries:
        out.append(_finding(mapping, "elderly:entry", home.url,
                            "no 无障碍 / 长者模式 / 关怀版 entry on the home page", searched=list(ENTRY_WORDS)))
    kb = home.keyboard
    if kb is None:
        return out
    metrics["elderly_keyboard_nav"] = 1 if kb.reached_nav else 0
    metrics["elderly_search_box"] = 1 if kb.search_boxes else 0
    metrics["elderly_keyboard_search"] = (1 if kb.reached_search else 0) if kb.search_boxes else None
    share = kb.visible_share
    metrics["elderly_focus_visible"] = round(share, 3) if share is not None else None
    reached = [f["selector"] for f in kb.focused[:10]]
    if not kb.reached_nav:
        out.append(_finding(mapping, "elderly:keyboard-nav", home.url,
                            f"the main navigation was not reached in {kb.steps} presses of Tab"
                            + (f" (focus stuck on {kb.trapped_at})" if kb.trapped_at else ""),
                            tab_presses=kb.steps, reached=reached, trapped_at=kb.trapped_at))
    if kb.search_boxes and not kb.reached_search:
        out.append(_finding(mapping, "elderly:keyboard-search", home.url,
                            f"the search box was not reached in {kb.steps} presses of Tab",
                            selector=kb.search_boxes[0], tab_presses=kb.steps, reached=reached))
    if share is not None and share < FOCUS_VISIBLE_MIN:
        hidden = [f["selector"] for f in kb.focused if f["on_screen"] and not f["visible"]]
        out.append(_finding(mapping, "elderly:focus-visible", home.url,
                            f"only {share:.0%} of the elements reached by Tab show that they have focus",
                            selector=hidden[0] if hidden else "", no_focus_style=hidden[:5],
                            focused=len(kb.focused)))
    return out


def _table(done: list[PageRun], home: PageRun | None, metrics: dict[str, Any], min_font_px: float
           ) -> list[dict[str, Any]]:
    def row(rule: str, result: str, detail: str) -> dict[str, Any]:
        return {"check": rule, "result": result, "detail": detail}

    rows = []
    if home is not None:
        entries = home.entry or []
        rows.append(row("elderly:entry", "pass" if entries else "fail",
                        ", ".join(e["text"] for e in entries) or "no entry found"))
        kb = home.keyboard
        if kb is not None:
            rows.append(row("elderly:keyboard-nav", "pass" if kb.reached_nav else "fail",
                            f"{len(kb.focused)} elements reached in {kb.steps} Tab presses"))
            rows.append(row("elderly:keyboard-search",
                            ("pass" if kb.reached_search else "fail") if kb.search_boxes else "not applicable",
                            kb.search_boxes[0] if kb.search_boxes else "no search box on the home page"))
            share = kb.visible_share
            rows.append(row("elderly:focus-visible",
                            "not tested" if share is None else ("pass" if share >= FOCUS_VISIBLE_MIN else "fail"),
                            "" if share is None else f"{share:.0%} of focused elements show focus"))
    rows.append(row("elderly:zoom-200", "fail" if metrics["elderly_zoom_overflow"] else "pass",
                    f"{metrics['elderly_zoom_overflow']} of {len(done)} pages scroll sideways at 200 %"))
    rows.append(row("elderly:font-size", "fail" if metrics["elderly_font_small"] else "pass",
                    f"{metrics['elderly_font_small']} of {len(done)} pages have body text under {min_font_px:g} px"))
    rows.append(row("elderly:popup", "fail" if metrics["elderly_popups"] else "pass",
                    f"{metrics['elderly_popups']} of {len(done)} pages showed a pop-up or overlay"))
    return rows
