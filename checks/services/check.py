"""The services check: 办事指南 key elements (服务不实用), online services, and the measurable bonus items.

Reads the crawled pages only (`snapshot.pages`): a 政务服务网 that the crawl scope includes is read
like any other page; one outside it is listed as not crawled (its guides are not judged here).

Options ([checks.services] in govaudit.toml; the site config's [site] keys no_services / portal too):
  no_services = false   # a department without public services: 办事服务 is not inspected
  portal = true         # a 政府门户网站 (the bonus part applies to portals only); default: not no_services
  labels = {办理时间 = ["受理时限"]}   # more labels for a key element
  entry_limit = 20      # entries of one kind kept as evidence
"""

from __future__ import annotations

from typing import Any, ClassVar

from govaudit.checks.services.entries import ENTRY_WORDS, find_entries, html_pages, interpretations
from govaudit.checks.services.guides import ELEMENTS, Guide, read_guide

from govaudit.checkapi import CheckContext
from govaudit.errors import UsageError
from govaudit.model import CheckResult, Finding, SiteSnapshot

BONUS_KINDS = ("online", "data_open", "response", "smart_qa")
# kind -> (rule when entries are found, rule when none is)
ENTRY_RULES: dict[str, tuple[str, str]] = {
    "online": ("entry-online", "entry-online-missing"),
    "data_open": ("entry-data_open", "entry-data_open-missing"),
    "response": ("entry-response", "entry-response-missing"),
    "smart_qa": ("entry-smart_qa", "entry-smart_qa-missing"),
}
EVIDENCE_PER_KIND = 3


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on", "0", "false", "no", "off", ""):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise UsageError(f"[checks.services] {name} must be true or false, got {value!r}")


def site_kind(options: dict[str, Any], site: dict[str, Any]) -> tuple[bool, bool]:
    """(no_services, portal) from the check's options, else the site config."""
    raw_ns = options.get("no_services", site.get("no_services", False))
    no_services = _flag(raw_ns, "no_services")
    raw_portal = options.get("portal", site.get("portal", not no_services))
    return no_services, _flag(raw_portal, "portal")


class ServicesCheck:
    id: ClassVar[str] = "services"
    title: ClassVar[str] = "办事服务与加分项"

    @staticmethod
    def validate_options(options: dict[str, Any], site: dict[str, Any], home_url: str) -> None:
        known = {"no_services", "portal", "labels", "entry_limit"}
        unknown = set(options) - known
        if unknown:
            raise UsageError(f"[checks.services] unknown option(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(known))}")
        site_kind(options, site)
        labels = options.get("labels", {})
        if not isinstance(labels, dict) or not all(
                k in ELEMENTS and isinstance(v, list) and all(isinstance(x, str) and x for x in v)
                for k, v in labels.items()):
            raise UsageError(f"[checks.services] labels maps a key element ({', '.join(ELEMENTS)}) "
                             "to a list of labels")
        limit = options.get("entry_limit", 20)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise UsageError(f"[checks.services] entry_limit must be a whole number of at least 1, got {limit!r}")

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        self.validate_options(ctx.options, ctx.config.site, snapshot.home_url)
        no_services, portal = site_kind(ctx.options, ctx.config.site)
        home = snapshot.home
        if home is None or not home.ok:
            return CheckResult(status="error", error="the home page was not fetched, so no service entry can be read")
        findings: list[Finding] = []

        guides: list[Guide] = []
        for page in html_pages(snapshot):
            guide = read_guide(page.url, page.text, ctx.options.get("labels"))
            if guide is not None:
                guides.append(guide)
        guides.sort(key=lambda g: g.url)
        for guide in guides:
            if guide.missing:
                findings.append(Finding(
                    rule="guide-incomplete", page=guide.url,
                    message=f"办事指南「{guide.name}」缺少要素：{'、'.join(guide.missing)}",
                    evidence={"guide": guide.name, "missing": guide.missing, "present": sorted(guide.present),
                              "empty_labels": guide.empty, "recognised_by": guide.by}))
        missing_types = sorted({e for g in guides for e in g.missing}, key=list(ELEMENTS).index)

        entries = find_entries(snapshot, ENTRY_WORDS, int(ctx.options.get("entry_limit", 20)))
        service_entries = len(entries["service"]) + len(entries["portal"]) + len(entries["online"])
        if service_entries + len(guides) == 0:
            findings.append(Finding(
                rule="service-none", page=home.url,
                message="未发现办事服务入口（办事服务、政务服务网、在线办理链接）或办事指南",
                evidence={"pages_read": len(html_pages(snapshot))}))
        portal_links = entries["portal"]
        not_crawled = [e for e in portal_links if snapshot.page(e.target) is None]
        for e in not_crawled[:EVIDENCE_PER_KIND]:
            findings.append(Finding(
                rule="portal-not-crawled", page=e.page, target=e.target, severity="info",
                message=f"政务服务网链接「{e.text}」在抓取范围外，其办事指南未检查",
                evidence={"text": e.text}))

        for kind in BONUS_KINDS:
            found = entries[kind]
            for e in found[:EVIDENCE_PER_KIND]:
                findings.append(Finding(rule=ENTRY_RULES[kind][0], page=e.page, target=e.target, severity="info",
                                        message=f"{kind}: 「{e.text}」", evidence={"kind": kind, "text": e.text}))
            if not found:
                findings.append(Finding(rule=ENTRY_RULES[kind][1], page=home.url, severity="warning",
                                        message=f"no {kind} entry found in {len(html_pages(snapshot))} pages",
                                        evidence={"kind": kind}))

        interp = interpretations(snapshot)
        linked = [i for i in interp if i.linked_to]
        for item in interp:
            if not item.linked_to:
                findings.append(Finding(
                    rule="interpretation-unlinked", page=item.url, severity="warning",
                    message=f"政策解读「{item.title}」未链接到所解读的政策文件",
                    evidence={"policy": item.policy}))
            else:
                findings.append(Finding(
                    rule="interpretation-linked", page=item.url, target=item.linked_to, severity="info",
                    message=f"政策解读「{item.title}」链接到政策原文", evidence={"policy": item.policy}))
        if not interp:
            findings.append(Finding(rule="interpretation-none", page=home.url, severity="warning",
                                    message="no 政策解读 page found in the crawl", evidence={}))

        metrics: dict[str, Any] = {
            "no_services": int(no_services),
            "portal": int(portal),
            "not_measured": 0,  # constant: bonus items a crawl cannot judge read not_applicable on it
            "guides": len(guides),
            "guides_incomplete": sum(1 for g in guides if g.missing),
            "missing_element_types": len(missing_types),
            "service_entries": service_entries + len(guides),
            "portal_links": len(portal_links),
            "portal_links_not_crawled": len(not_crawled),
            "interpretations": len(interp),
            "interpretations_linked": len(linked),
            "interpretations_linked_share": round(len(linked) / len(interp), 4) if interp else 0.0,
            "online_entries": len(entries["online"]),
            "data_open_entries": len(entries["data_open"]),
            "response_entries": len(entries["response"]),
            "smart_qa_entries": len(entries["smart_qa"]),
        }
        data = {
            "guides": [{"url": g.url, "name": g.name, "missing": g.missing, "empty_labels": g.empty,
                        "recognised_by": g.by} for g in guides],
            "missing_element_types": missing_types,
            "entries": {k: [{"page": e.page, "target": e.target, "text": e.text} for e in v]
                        for k, v in entries.items()},
            "interpretations": [{"url": i.url, "title": i.title, "policy": i.policy, "linked_to": i.linked_to}
                                for i in interp],
        }
        return CheckResult(metrics=metrics, findings=findings, data=data)
