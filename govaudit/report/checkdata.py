"""Check data as display blocks: the tables and checklists an inspector reads in HTML and Markdown.

Checks keep their own data shapes (report.json carries them whole). This module picks, orders and
summarises them for people, one builder per known check; any key a builder does not consume gets
a generic table, so a new key still shows up. Nothing here escapes: every text may be site text
until a renderer escapes it, and a Cell's `href` is only ever a safe_href() URL or a "#" anchor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from govaudit.model import AuditResult, CheckResult
from govaudit.report.cells import (  # noqa: F401  (re-exported: renderers and tests import them from here)
    _NO,
    _YES,
    MAX_ROWS,
    Block,
    Cell,
    Facts,
    Table,
    _count_cell,
    _Ctx,
    _num,
    _origin,
    _rows,
    _table,
    fmt,
    short_url,
    state_cell,
    url_cell,
    value_cell,
)
from govaudit.report.checkdata_services import services_blocks
from govaudit.report.view import report_findings, safe_href

# People-facing names of the shipped checks, in the order the details are shown (what the veto
# items turn on first); any other check follows under its id.
TITLES = {
    "freshness": "Column freshness (栏目更新)",
    "interaction": "Interaction (政民互动)",
    "identity": "Identity and site features (网站标识与功能)",
    "content": "Content safety (内容安全)",
    "links": "Links (链接可用性)",
    "accessibility": "Accessibility and elderly-friendly design (无障碍与适老化)",
    "availability": "Availability (站点可访问)",
    "services": "Services (办事服务)",
}


@dataclass(slots=True)
class CheckData:
    id: str
    title: str
    blocks: list[Block]


def check_data(result: AuditResult, shots: dict[str, str] | None = None) -> list[CheckData]:
    """Display blocks for every check that has data, shipped checks in TITLES order, others after."""
    origin = _origin(result.site_url)
    firsts: dict[str, dict[str, str]] = {}
    for rf in report_findings(result):
        firsts.setdefault(rf.check, {}).setdefault(rf.finding.rule, rf.id)
    out = []
    order = list(TITLES)
    for cid, chk in sorted(result.checks.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        ctx = _Ctx(origin, firsts.get(cid, {}), shots or {})
        builder = _BUILDERS.get(cid)
        blocks, used = builder(chk, ctx) if builder else ([], set())
        blocks += _generic({k: v for k, v in chk.data.items() if k not in used}, ctx)
        blocks = [b for b in blocks if not isinstance(b, Table) or b.rows]
        if blocks:
            out.append(CheckData(cid, TITLES.get(cid, cid), blocks))
    return out



# ---- freshness ------------------------------------------------------------------------------


def column_verdict(c: dict[str, Any]) -> tuple[str, str]:
    """One column's judgement in words, and how to colour it."""
    if c.get("error"):
        return f"not judged: {c['error']}", "bad"
    if c.get("empty"):
        return "empty" + (f" ({c['empty_marker']})" if c.get("empty_marker") else ""), "bad"
    if c.get("stale"):
        words, cls = ("stale: no dates read" if c.get("no_dates") else
                      "stale for over a year" if c.get("long_stale") else "stale"), "bad"
    elif c.get("threshold_days") is None:
        words, cls = "no limit for this type", "muted"
    else:
        words, cls = "up to date", "good"
    future = c.get("future_dates") or []
    if isinstance(future, list) and future:
        words += f"; dated in the future: {future[0]}" + (f" (+{len(future) - 1})" if len(future) > 1 else "")
        cls = "bad"
    return words, cls


def age_text(age: object, limit: object) -> str:
    """ "23 / 14 d": days since the newest item over the type's limit."""
    return f"{fmt(age)} / {fmt(limit) if limit is not None else 'no limit'}" + (" d" if limit is not None else "")


def _freshness(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    d = chk.data
    blocks: list[Block] = []
    cols = _rows(d.get("columns"))
    limits = d.get("thresholds")
    caption = ""
    if isinstance(limits, dict) and limits:
        caption = "Limits: " + " · ".join(f"{k} {fmt(v)} d" if v is not None else f"{k} none"
                                          for k, v in limits.items())
    rows, classes = [], []
    for c in cols:
        verdict, cls = column_verdict(c)
        latest = c.get("latest_valid", c.get("latest"))
        rows.append([
            url_cell(c.get("url"), ctx, str(c.get("name") or "")),
            Cell(fmt(c.get("type"))),
            Cell(fmt(latest), cls="nowrap"),
            Cell(age_text(c.get("age_days"), c.get("threshold_days")), cls="n"),
            _num(c.get("items")),
            Cell(verdict, cls=cls),
            Cell(fmt(c.get("date_source")), cls="muted"),
            Cell(fmt(c.get("found_via")), cls="muted"),
        ])
        classes.append("stale" if c.get("stale") is True or c.get("empty") is True else "")
    blocks.append(_table("columns", "Columns", ["Column", "Type", "Latest", "Age / limit", "Items", "Verdict",
                                                 "Date read from", "Found via"], rows, row_classes=classes,
                         caption=caption, markdown=[0, 1, 2, 3, 4, 5]))
    home = d.get("home")
    if isinstance(home, dict):
        blocks.append(Facts("home", "Home page", [
            ("Newest dated item", [Cell(fmt(home.get("latest")))]),
            ("Age / limit", [Cell(age_text(home.get("age_days"), home.get("threshold_days")))]),
            ("Updated in time", [state_cell(home.get("updated"))]),
            ("Dates read from", [Cell(f"{fmt(home.get('basis'))} ({fmt(home.get('dated_items'))} dated items)")]),
        ], markdown=True))
    skipped = _rows(d.get("not_columns"))
    blocks.append(_table(
        "not_columns", "Pages not judged as columns",
        ["Page", "Name", "Why not"],
        [[url_cell(x.get("url"), ctx), Cell(fmt(x.get("name"))), Cell(fmt(x.get("reason")), cls="muted")]
         for x in skipped], collapsed=True))
    return blocks, {"columns", "home", "thresholds", "not_columns"}


# ---- interaction ----------------------------------------------------------------------------


def _read_cell(row: dict[str, Any], pages_key: str | None = None) -> Cell:
    """How a board or activity list was read, or why it could not be."""
    if row.get("readable") is False:
        return Cell(f"unreadable: {row.get('reason') or row.get('status') or 'no reason given'}", cls="bad")
    bits = [] if row.get("status") in (None, "", "ok") else [str(row["status"])]
    if pages_key and isinstance(row.get(pages_key), int):
        bits.append(f"{row[pages_key]} page{'s' if row[pages_key] != 1 else ''}")
    if row.get("shape"):
        bits.append(str(row["shape"]))
    if row.get("rendered"):
        bits.append("in a browser")
    if row.get("selectors_used"):
        bits.append("site selectors")
    if row.get("complete") is False:
        bits.append("incomplete")
    if row.get("reason"):
        bits.append(str(row["reason"]))
    return Cell(", ".join(bits) or "ok", cls="warn" if row.get("complete") is False else "muted")


def _interaction(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    d = chk.data
    blocks: list[Block] = []
    facts: list[tuple[str, list[Cell]]] = []
    if d.get("window_start"):
        facts.append(("Window", [Cell(f"messages and activities since {fmt(d['window_start'])}")]))
    if d.get("limit") or d.get("limit_days") is not None:
        limit = fmt(d.get("limit")) + (f" (≈ {fmt(d['limit_days'])} days)" if d.get("limit_days") is not None else "")
        facts.append(("Reply limit", [Cell(limit)]))
    searched = d.get("searched")
    if isinstance(searched, list) and searched:
        facts.append(("Channels searched for on", [url_cell(u, ctx) for u in searched[:20]]
                      + ([Cell(f"+{len(searched) - 20} more", cls="muted")] if len(searched) > 20 else [])))
    if facts:
        blocks.append(Facts("window", "Rules applied", facts, markdown=True))
    boards = _rows(d.get("boards"))
    blocks.append(_table(
        "boards", "Message boards",
        ["Board", "Messages", "Answered", "Unanswered", "Overdue", "Reply days (median / p90 / max)",
         "Replies timed", "Latest reply", "Read"],
        [[url_cell(b.get("url"), ctx, str(b.get("name") or "")), _num(b.get("messages")), _num(b.get("answered")),
          _count_cell(b.get("unanswered"), False), _count_cell(b.get("overdue")),
          Cell(" / ".join(fmt(b.get(k)) for k in ("median_reply_days", "p90_reply_days", "max_reply_days")),
               cls="n"),
          # the delays themselves are the histogram above; a table cell only counts them
          _num(len(b["delays_days"]) if isinstance(b.get("delays_days"), list) else None),
          Cell(fmt(b.get("latest_reply")), cls="nowrap"), _read_cell(b, "pages_read")]
         for b in boards],
        row_classes=["stale" if (b.get("overdue") or b.get("readable") is False) else "" for b in boards],
        markdown=[0, 1, 2, 3, 4, 5, 7, 8]))
    acts = _rows(d.get("activities"))
    blocks.append(_table(
        "activities", "Interviews and surveys",
        ["Channel", "Type", "In window", "Items listed", "Latest", "Read"],
        [[url_cell(a.get("url"), ctx, str(a.get("name") or "")), Cell(fmt(a.get("type") or a.get("kind"))),
          _num(a.get("in_window")), _num(a.get("items")), Cell(fmt(a.get("latest")), cls="nowrap"), _read_cell(a)]
         for a in acts], markdown=[0, 1, 2, 3, 4, 5]))
    chans = _rows(d.get("channels"))
    blocks.append(_table(
        "channels", "Channels found",
        ["Channel", "Kind", "Found on", "Note"],
        [[url_cell(c.get("url"), ctx, str(c.get("name") or "")), Cell(fmt(c.get("type") or c.get("kind"))),
          url_cell(c.get("found_on"), ctx), Cell(_channel_note(c), cls="muted")] for c in chans]))
    msgs = _rows(d.get("messages"))
    blocks.append(_table(
        "messages", "Messages read",
        ["Board", "Message", "Asked", "Replied", "Reply days", "Verdict"],
        [[Cell(fmt(m.get("board"))), url_cell(m.get("url"), ctx, str(m.get("title") or "")),
          Cell(fmt(m.get("asked")), cls="nowrap"), Cell(fmt(m.get("replied")), cls="nowrap"),
          _num(m.get("reply_days")),
          Cell(("overdue" if m.get("overdue") else fmt(m.get("status")))
               + (f": {m['reason']}" if m.get("reason") else ""), cls="bad" if m.get("overdue") else "muted")]
         for m in msgs], row_classes=["stale" if m.get("overdue") else "" for m in msgs], collapsed=True))
    return blocks, {"window_start", "limit", "limit_days", "searched", "boards", "activities", "channels",
                    "messages"}


def _channel_note(c: dict[str, Any]) -> str:
    bits = []
    if c.get("via"):
        bits.append(f"found by {c['via']}")
    if c.get("form"):
        bits.append("a form, not a board")
    if c.get("duplicate_of"):
        bits.append(f"same board as {c['duplicate_of']}")
    return ", ".join(bits)


# ---- accessibility --------------------------------------------------------------------------


def _accessibility(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    d, m = chk.data, chk.metrics
    blocks: list[Block] = []
    facts: list[tuple[str, list[Cell]]] = []
    if m.get("pages_tested") is not None:
        tested = f"{fmt(m.get('pages_tested'))} pages of {fmt(m.get('templates'))} templates"
        if m.get("pages_failed"):
            tested += f"; {fmt(m['pages_failed'])} could not be tested"
        facts.append(("Tested", [Cell(tested)]))
    if d.get("axe_version"):
        facts.append(("Engine", [Cell(f"axe-core {d['axe_version']}")]))
    if d.get("note"):
        facts.append(("Scope", [Cell(str(d["note"]))]))
    if facts:
        blocks.append(Facts("scope", "What was tested", facts, markdown=True))
    rules = _rows(d.get("rules"))
    blocks.append(_table(
        "rules", "Rules violated",
        ["Rule", "Impact", "Level", "WCAG", "GB/T 37668-2019", "Templates", "Pages", "Elements", "What it asks"],
        [[_rule_cell(r.get("rule"), ctx), _impact_cell(r.get("impact")), Cell(fmt(r.get("level")), cls="nowrap"),
          Cell(fmt(r.get("wcag"))), Cell(fmt(r.get("gbt")) + (f" ({r['gbt_level']})" if r.get("gbt_level") else "")),
          _num(r.get("templates")), _num(r.get("pages")), _num(r.get("nodes")), Cell(fmt(r.get("help")))]
         for r in rules], markdown=[0, 1, 2, 3, 6, 7, 8]))
    elderly = _rows(d.get("elderly"))
    blocks.append(_table(
        "elderly", "Elderly-friendly design (适老化)", ["Check", "Result", "Detail"],
        [[Cell(fmt(e.get("check")), cls="mono"), _result_cell(e.get("result")), Cell(fmt(e.get("detail")))]
         for e in elderly], markdown=[0, 1, 2]))
    review = _rows(d.get("needs_review"))
    blocks.append(_table(
        "needs_review", "Needs a human review (axe could not decide)",
        ["Rule", "Impact", "WCAG", "Template", "Pages", "Example", "Help"],
        [[Cell(fmt(r.get("rule")), cls="mono"), _impact_cell(r.get("impact")), Cell(fmt(r.get("wcag"))),
          Cell(fmt(r.get("template")), cls="mono"), _num(r.get("pages")),
          Cell(fmt(r.get("example")), cls="mono", title=str(r.get("page") or "")), Cell(fmt(r.get("help")))]
         for r in review]))
    pages = _rows(d.get("pages"))
    blocks.append(_table(
        "pages", "Pages tested",
        ["Page", "Template", "Why chosen", "Violations", "Serious", "Review", "Screenshot", "Body text px",
         "Width at 200 %"],
        [[url_cell(p.get("page"), ctx), Cell(fmt(p.get("template")), cls="mono",
                                            title=f"{fmt(p.get('template_pages'))} pages of this template"),
          Cell(fmt(p.get("why")), cls="muted"), _num(p.get("violations")), _count_cell(p.get("serious")),
          _num(p.get("incomplete")), _shot_cell(p, ctx), _num(p.get("body_font_px")), _num(p.get("width_at_200"))]
         for p in pages]))
    failed = _rows(d.get("failed_pages"))
    blocks.append(_table("failed_pages", "Pages the browser could not test", ["Page", "Error"],
                         [[url_cell(f.get("page"), ctx), Cell(fmt(f.get("error")), cls="bad")] for f in failed]))
    signs = _rows(d.get("untested_signs"))
    blocks.append(_table("untested_signs", "Untested pages with signs of a problem", ["Page", "Signs"],
                         [[url_cell(s.get("page"), ctx), Cell(fmt(s.get("signs")))] for s in signs]))
    templates = _rows(d.get("templates"))
    blocks.append(_table(
        "templates", "Page templates", ["Template", "Pages", "Tested", "Example"],
        [[Cell(fmt(t.get("template")), cls="mono"), _num(t.get("pages")), _num(t.get("tested")),
          url_cell(t.get("example"), ctx)] for t in templates], collapsed=True))
    return blocks, {"rules", "elderly", "needs_review", "pages", "failed_pages", "untested_signs", "templates",
                    "note", "axe_version"}


def _rule_cell(rule: object, ctx: _Ctx) -> Cell:
    fid = ctx.first_finding.get(f"axe:{rule}")
    return Cell(fmt(rule), href=f"#{fid}" if fid else None, cls="mono nowrap")


def _impact_cell(impact: object) -> Cell:
    return Cell(fmt(impact), cls="bad nowrap" if impact in ("critical", "serious") else "muted nowrap")


def _result_cell(result: object) -> Cell:
    if result == "pass":
        return Cell(f"{_YES} pass", cls="good")
    if result == "fail":
        return Cell(f"{_NO} fail", cls="bad")
    return Cell(fmt(result), cls="muted")


def _shot_cell(page: dict[str, Any], ctx: _Ctx) -> Cell:
    anchor = ctx.shots.get(f"screenshot:{page.get('page')}")
    if anchor:
        return Cell("view", href=anchor)
    return Cell("taken" if page.get("screenshot") else "–", cls="muted")


# ---- identity -------------------------------------------------------------------------------

_MARKS = {
    "site_id": "网站标识码 (site ID code)",
    "icp": "ICP 备案编号",
    "police": "公安机关备案标识",
    "conac": "党政机关网站标识 (CONAC)",
    "sponsor": "主办单位 (sponsor)",
    "contact": "联系方式 (contact)",
    "error_report": "我为政府网站找错",
}


def _identity(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    d, m = chk.data, chk.metrics
    blocks: list[Block] = []
    footer = d.get("footer")
    if isinstance(footer, dict):
        rows = []
        for key, mark in footer.items():
            if not isinstance(mark, dict):
                continue
            value = mark.get("value")
            rows.append([
                Cell(_MARKS.get(str(key), str(key))),
                state_cell(mark.get("present"), "shown", "missing"),
                url_cell(value, ctx) if isinstance(value, str) and value.startswith(("http://", "https://"))
                else Cell(fmt(value)),
                state_cell(mark.get("linked"), "linked", "not linked", "–"),
                state_cell(mark.get("valid"), "valid", "invalid", "–"),
                Cell(fmt(mark.get("evidence")), cls="muted"),
            ])
        blocks.append(_table("footer", "Footer marks (底部功能区)",
                             ["Mark", "Shown", "Value", "Linked", "Format", "Seen in"], rows,
                             markdown=[0, 1, 2, 3]))
    blocks.append(_table("site", "Site features", ["Feature", "Result", "Detail"], _site_rows(d, m, ctx),
                         markdown=[0, 1, 2]))
    facts: list[tuple[str, list[Cell]]] = []
    kinds = d.get("page_kinds")
    if isinstance(kinds, dict) and kinds:
        facts.append(("Pages by kind", [Cell(" · ".join(f"{k} {fmt(v)}" for k, v in kinds.items()))]))
    if m.get("meta_pages_judged") is not None:
        facts.append(("Metadata", [Cell(f"{fmt(m.get('meta_pages_missing'))} of {fmt(m['meta_pages_judged'])} "
                                        "pages lack a required meta field")]))
    if facts:
        blocks.append(Facts("pages", "Pages", facts, markdown=True))
    us = d.get("us")
    if isinstance(us, dict):
        rows = [["Viewport meta", us.get("viewport")], ["Digital Analytics Program", us.get("dap")],
                ["Official-site banner", us.get("banner")]]
        links = us.get("required_links")
        if isinstance(links, dict):
            rows += [[f"Link: {k}", v] for k, v in links.items()]
        blocks.append(_table(
            "us", "US federal marks (read by the us-federal profile)", ["Mark", "Found", "Evidence"],
            [[Cell(label), state_cell(bool(v), "found", "not found"),
              url_cell(v, ctx) if isinstance(v, str) and safe_href(v) else Cell(fmt(v), cls="muted")]
             for label, v in rows], collapsed=True))
    return blocks, {"footer", "domain", "search", "https", "ipv6", "files", "page_kinds", "us"}


def _site_rows(d: dict[str, Any], m: dict[str, Any], ctx: _Ctx) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    dom = d.get("domain")
    if isinstance(dom, dict):
        rows.append([Cell("Government domain"), state_cell(dom.get("official"), "official", "not official"),
                     Cell(f"{fmt(dom.get('domain'))} (from {fmt(dom.get('source'))})")])
    search = d.get("search")
    if isinstance(search, dict):
        form, probe = search.get("form"), search.get("probe")
        rows.append([Cell("Search box"), state_cell(isinstance(form, dict), "present", "missing"),
                     Cell(fmt(form.get("evidence")) if isinstance(form, dict) else "no search form on the home page")])
        if isinstance(probe, dict):
            rows.append([Cell("Search answers a query"), state_cell(probe.get("answers"), "answers", "does not"),
                         url_cell(probe.get("url"), ctx, fmt(probe.get("reason")) if probe.get("reason") else None)])
    https = d.get("https")
    if isinstance(https, dict):
        rows.append([Cell("HTTPS"), state_cell(https.get("available"), "answers", "no"),
                     Cell(fmt(https.get("error")) if https.get("error") else fmt(https.get("https_url")))])
        if https.get("available"):
            rows.append([Cell("HTTP redirects to HTTPS"), state_cell(https.get("redirects")), Cell("")])
            rows.append([Cell("Certificate valid"), state_cell(https.get("cert_valid")), Cell("")])
            rows.append([Cell("HSTS"), state_cell(bool(https.get("hsts")), "sent", "not sent"),
                         Cell(fmt(https.get("hsts")), cls="mono")])
    ipv6 = d.get("ipv6")
    if isinstance(ipv6, dict):
        addrs = ipv6.get("addresses") or []
        # the metric says whether IPv6 could be judged at all (an IP-address audit cannot be)
        judged = m.get("ipv6") if "ipv6" in m else bool(addrs)
        detail = ipv6.get("error") or f"{fmt(ipv6.get('host'))}: {fmt(addrs) if addrs else 'no address'}"
        rows.append([Cell("IPv6 (AAAA)"), state_cell(None if judged is None else bool(judged), "has AAAA", "none",
                                                     "not judged"), Cell(str(detail))])
    files = d.get("files")
    if isinstance(files, dict):
        for key, label, metric in (("robots", "robots.txt", "robots_txt"), ("sitemap", "sitemap.xml", "sitemap_xml"),
                                   ("missing_page", "A missing page answers 404", "missing_page_404")):
            f = files.get(key)
            if isinstance(f, dict):
                state = m.get(metric)
                detail = f"status {fmt(f.get('status'))}" + (f", {f['detail']}" if f.get("detail") else "")
                rows.append([Cell(label), state_cell(None if state is None else bool(state)),
                             url_cell(f.get("url"), ctx, detail)])
    return rows


# ---- content, availability, links ----------------------------------------------------------


def _content(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    d, m = chk.data, chk.metrics
    facts: list[tuple[str, list[Cell]]] = []
    if m.get("pages_scanned") is not None:
        facts.append(("Pages scanned", [Cell(fmt(m["pages_scanned"]))]))
    dic = d.get("dictionary")
    if isinstance(dic, dict):
        facts.append(("Misstatement dictionary", [Cell(f"{fmt(dic.get('entries'))} entries from "
                                                       f"{fmt(dic.get('sources'))}")]))
    if m.get("misstatements") is not None:
        facts.append(("Misstatements", [_count_cell(m.get("misstatements")),
                                        Cell(f"(+ {fmt(m.get('misstatements_review'))} for a human review)",
                                             cls="muted")]))
    if m.get("hidden_links") is not None:
        facts.append(("Hidden off-site links", [_count_cell(m.get("hidden_links")),
                                                Cell(f"(spam: {fmt(m.get('hidden_spam_links'))})",
                                                     cls="muted")]))
    if m.get("external_checked") is not None:
        facts.append(("Outbound links opened", [Cell(fmt(m["external_checked"])), Cell(
            f"(hijacked {fmt(m.get('hijacked_links'))}, parked {fmt(m.get('parked_links'))})", cls="muted")]))
    blocks: list[Block] = [Facts("summary", "What was read", facts, markdown=True)] if facts else []
    return blocks, {"dictionary"}


def _availability(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    d, m = chk.data, chk.metrics
    blocks: list[Block] = []
    window = d.get("window")
    if isinstance(window, dict):
        enough = f"{fmt(m.get('days'))} of {fmt(m.get('window_days'))} days have {fmt(m.get('min_per_day'))} or " \
                 "more visits" if m.get("days") is not None else ""
        items = [("Window", [Cell(f"{fmt(window.get('first'))} → {fmt(window.get('last'))}")])]
        if enough:
            items.append(("Enough samples", [Cell(enough)]))
        if m.get("challenged"):
            items.append(("Answered by a challenge", [Cell(fmt(m["challenged"]), cls="n"), Cell(
                "(up (challenge): a firewall's anti-bot page answered; counted up, not failed)", cls="muted")]))
        if d.get("findings_capped"):
            items.append(("Not listed", [Cell(fmt(d["findings_capped"]), cls="muted")]))
        blocks.append(Facts("window", "Home-page monitoring", items, markdown=True))
    days = _rows(d.get("samples_by_day"))
    blocks.append(_table(
        "samples_by_day", "Visits by day", ["Day", "Visits", "Failed", "Failure rate", "Enough visits"],
        [[Cell(fmt(x.get("day")), cls="nowrap"), _num(x.get("samples")), _count_cell(x.get("failures")),
          Cell(f"{x['failure_rate'] * 100:.1f} %" if isinstance(x.get("failure_rate"), (int, float)) else "–",
               cls="n"), state_cell(x.get("enough"))] for x in days]))
    return blocks, {"window", "samples_by_day", "findings_capped"}


def _links(chk: CheckResult, ctx: _Ctx) -> tuple[list[Block], set[str]]:
    prints = chk.data.get("soft_404_fingerprints")
    rows = []
    if isinstance(prints, dict):
        rows = [[url_cell(origin, ctx), Cell(fmt(fp.get("title"))), _num(fp.get("length"))]
                for origin, fp in prints.items() if isinstance(fp, dict)]
    blocks: list[Block] = []
    by_wall = chk.metrics.get("blocked_by")
    if chk.metrics.get("blocked") and isinstance(by_wall, dict):
        # Targets a firewall answered for: not verified, and not counted as broken.
        items = [("Targets not verified", [Cell(fmt(chk.metrics["blocked"]), cls="warn"),
                                           Cell("(a firewall or anti-bot challenge answered; not broken links)",
                                                cls="muted")])]
        items += [(str(name), [Cell(fmt(n), cls="n")]) for name, n in by_wall.items()]
        blocks.append(Facts("blocked", "Blocked by a firewall", items, markdown=True))
    skipped = chk.data.get("skipped")
    if isinstance(skipped, dict) and skipped:
        # --skip-check targets: never requested, so neither broken nor ok.
        skip_rows = [[Cell(str(pattern)), _num(v.get("targets")),
                      Cell(", ".join(str(u) for u in v.get("examples", []))[:400])]
                     for pattern, v in skipped.items() if isinstance(v, dict)]
        blocks.append(_table("skipped", "Skipped targets (--skip-check: not requested, neither broken nor ok)",
                             ["Pattern", "Targets", "Examples"], skip_rows))
    return blocks + [_table("soft_404_fingerprints", "Soft-404 fingerprints (what each host answers for a missing page)",
                   ["Host", "Page title", "Length"], rows, collapsed=True)], {"soft_404_fingerprints", "skipped"}


_BUILDERS: dict[str, Callable[[CheckResult, _Ctx], tuple[list[Block], set[str]]]] = {
    "freshness": _freshness,
    "interaction": _interaction,
    "accessibility": _accessibility,
    "identity": _identity,
    "content": _content,
    "availability": _availability,
    "links": _links,
    "services": services_blocks,
}


# ---- anything else --------------------------------------------------------------------------


def _generic(data: dict[str, Any], ctx: _Ctx) -> list[Block]:
    """Lists of dicts as tables; everything else as label/value facts. Empty values are left out."""
    blocks: list[Block] = []
    facts: list[tuple[str, list[Cell]]] = []
    for key, value in data.items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        rows = _rows(value)
        if rows and len(rows) == len(value):
            cols: dict[str, None] = {}
            for row in rows:
                cols.update(dict.fromkeys(str(k) for k in row))
            names = list(cols)
            link_name = "name" in cols and "url" in cols  # the name becomes the link; the address column goes
            shown = [c for c in names if not (link_name and c == "url")]
            table_rows = [[_generic_cell(r, c, ctx, link_name) for c in shown] for r in
                          ({str(k): v for k, v in row.items()} for row in rows)]
            blocks.append(_table(str(key), str(key), shown, table_rows))
        elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            inner: dict[str, None] = {}
            for v in value.values():
                inner.update(dict.fromkeys(str(k) for k in v))
            blocks.append(_table(str(key), str(key), ["", *inner],
                                 [[Cell(str(k)), *(value_cell(v.get(c)) for c in inner)] for k, v in value.items()]))
        elif isinstance(value, str) and safe_href(value):
            facts.append((str(key), [url_cell(value, ctx)]))
        else:
            facts.append((str(key), [value_cell(value)]))
    if facts:
        blocks.append(Facts("other", "Other data", facts))
    return blocks


def _generic_cell(row: dict[str, Any], col: str, ctx: _Ctx, link_name: bool) -> Cell:
    value = row.get(col)
    if link_name and col == "name":
        return url_cell(row.get("url"), ctx, fmt(value))
    if isinstance(value, str) and safe_href(value):
        return url_cell(value, ctx)
    return value_cell(value)
