"""The Markdown report: a summary, the indicator table and a capped list of findings per indicator.

Site text is escaped so that no renderer (CommonMark, GitHub, a wiki) turns it into markup, HTML or
a link; only http(s) addresses become links, with a percent-encoded destination.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from govaudit.coverage import coverage_of
from govaudit.model import AuditResult, IndicatorResult
from govaudit.report.checkdata import Cell, Facts, Table, check_data
from govaudit.report.grading import counted, failed_pages, grade_statement, not_measured_reason, read_checks
from govaudit.report.view import (
    FindingGroup,
    ReportFinding,
    display_message,
    finding_groups,
    fmt_number,
    home_indicator,
    plural,
    report_findings,
    safe_href,
)

MAX_FINDINGS_PER_INDICATOR = 20  # grouped findings (rows) per indicator
MAX_GROUP_PAGES = 5  # pages named with a grouped finding; report.json's finding_groups has them all
MAX_TABLE_ROWS = 50  # rows of a check-details table in Markdown; the HTML and report.json have more
# Characters that open or close inline markup anywhere in a line (emphasis, code, links, images,
# table cells, strikethrough). Line-start markup (#, -, 1.) cannot occur: site text never starts a
# line here. <, > and & become entities, so no HTML tag or entity from a site survives.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~!#])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def md_escape(text: object) -> str:
    """`text` as literal inline Markdown on one line (table-safe)."""
    s = "" if text is None else str(text)
    s = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", s)  # one line: tables and list items must not break
    s = "".join(_HTML.get(ch, ch) for ch in s)
    return _MD_SPECIAL.sub(r"\\\1", s)


def md_link(url: object, limit: int = 90, text: str | None = None) -> str:
    """An http(s) address as a link, anything else (javascript:, data:...) as escaped text.

    `text` replaces the address as the link's words (a column's name, say)."""
    if url is None or url == "":
        return md_escape(text) if text else "–"
    shown = text if text else str(url) if len(str(url)) <= limit else str(url)[: limit - 1] + "…"
    href = safe_href(url)
    if href is None:
        return md_escape(shown)
    # Percent-encode everything that could end or break a link destination: spaces, <>, (), quotes.
    dest = quote(href, safe="/:?#[]@!$&*+,;=%~-._'")
    dest = dest.replace("'", "%27")
    return f"[{md_escape(shown)}]({dest})"


def render_markdown(result: AuditResult) -> str:
    scored, score = result.scored, result.scored.score
    findings = report_findings(result)
    by_id = {rf.id: rf for rf in findings}
    coverage = coverage_of(result.crawl, result.checks)
    stated = grade_statement(result)
    reads = read_checks(result)
    shown = counted(findings, reads)
    lines = [
        f"# Inspection report: {md_escape(result.site_title or result.site_url)}",
        "",
        *([f"> **Coverage:** {md_escape(coverage.sentence)}", ""] if coverage.sentence else []),
        *([f"> **Our numbers:** {md_escape(stated.unverified_sentence)}", ""] if stated.unverified_sentence else []),
        f"- **Site:** {md_link(result.site_url)}",
        f"- **As of:** {result.as_of.isoformat()}",
        f"- **Profile:** {md_escape(scored.profile_title)} (`{_code(scored.profile_id)}`)",
        f"- **Score:** **{fmt_number(score.value)} / {fmt_number(score.max)}** — grade **{md_escape(score.grade)}**"
        + (f" (bonus {fmt_number(score.bonus)})" if score.bonus else "")
        + (" — **incomplete coverage**" if not score.complete else ""),
        "- **Vetoes:** " + (", ".join(f"`{_code(v)}`" for v in score.vetoes) if score.vetoes else "none"),
        "- **Grading:** " + (f"pass mark {fmt_number(stated.pass_mark)} of {fmt_number(stated.max)}"
                             if stated.pass_mark is not None else "the profile is not at hand; its rule is not stated"),
        *[f"  - {md_escape(line)}" for line in stated.rule],
        f"  - {md_escape(stated.covers)}",
        f"- **Findings:** {len(shown)}"
        + (f" ({len(findings) - len(shown)} more from checks this profile does not read)"
           if len(findings) > len(shown) else ""),
        f"- **Crawl:** {result.crawl.pages} pages, {result.crawl.requests} requests, "
        f"{fmt_number(round(result.crawl.duration_s, 1))} s, {result.crawl.errors} failed, "
        f"{result.crawl.skipped_robots} skipped by robots.txt"
        + (" — **stopped at its budget**" if result.crawl.budget_exhausted else ""),
        f"- **Run:** `{_code(result.run_id)}`, govaudit {md_escape(result.tool_version)}",
    ]
    lines += [f"- **Note:** {md_escape(n)}" for n in result.crawl.notes]
    broken = failed_pages(result, findings)
    if result.crawl.errors or broken:
        lines.append(f"- **Pages that failed to load:** {result.crawl.errors}"
                     + (": " + ", ".join(f"{md_link(u)} ({md_escape(why)})" for u, why in broken[:20]) if broken else "")
                     + (f" — {result.crawl.errors - len(broken)} not named (no link to them was reported)"
                        if result.crawl.errors > len(broken) else ""))
    failed = [(cid, c) for cid, c in result.checks.items() if c.status != "ok"]
    for cid, c in failed:
        lines.append(f"- **Check `{_code(cid)}` {c.status}:** {md_escape(c.error or 'no reason given')}")
    lines += ["", "## Indicators", "",
              "| Indicator | Kind | Result | Points | Detail | Source | Findings |",
              "|---|---|---|---:|---|---|---:|"]
    for ind in scored.indicators:
        source = "; ".join(md_escape(v) for v in ind.source.values())
        if ind.verified:
            source += f" ({md_escape(ind.verified)})"
        lines.append(
            f"| `{_code(ind.id)}` {md_escape(ind.title)} | {md_escape(ind.kind)} | {'**fail**' if ind.result == 'fail' else md_escape(ind.result)} "
            f"| {fmt_number(ind.points)} | {md_escape(ind.detail)} | {source} | {len(ind.findings)} |"
        )
    if stated.not_measured:
        lines += ["", "**Bonus not measured:** " + "; ".join(
            f"`{_code(ind.id)}` {md_escape(ind.title)} ({md_escape(not_measured_reason(ind))})"
            for ind in stated.not_measured)]
    notes = [ind for ind in scored.indicators if ind.verified == "unverified" and ind.note]
    if notes:
        lines += ["", "Numbers of unverified indicators are govaudit's choice, not official rules:", ""]
        lines += [f"- `{_code(ind.id)}`: {md_escape(ind.note)}" for ind in notes]
    lines += _check_details(result)
    lines += _findings_sections(scored.indicators, findings, by_id, reads)
    return "\n".join(lines).rstrip() + "\n"


def _check_details(result: AuditResult) -> list[str]:
    """The compact tables of each check (column freshness, message boards, marks, rules...)."""
    lines: list[str] = []
    for data in check_data(result):
        blocks = [b for b in data.blocks if (b.markdown if isinstance(b, Facts) else b.markdown is not None)]
        if not blocks:
            continue
        lines += ["", f"### {md_escape(data.title)}"]
        for b in blocks:
            lines += ["", f"**{md_escape(b.title)}**", ""]
            lines += _md_facts(b) if isinstance(b, Facts) else _md_table(b)
    return ["", "## Check details", *lines] if lines else []


def _md_facts(facts: Facts) -> list[str]:
    return [f"- {md_escape(label)}: " + " ".join(_md_cell(c) for c in cells) for label, cells in facts.items]


def _md_table(table: Table) -> list[str]:
    cols = table.markdown or []
    numeric = {i for i in cols if table.rows and all("n" in r[i].cls.split() for r in table.rows)}
    out = []
    if table.caption:
        out += [md_escape(table.caption), ""]
    out += ["| " + " | ".join(md_escape(table.columns[i]) for i in cols) + " |",
            "|" + "|".join("---:" if i in numeric else "---" for i in cols) + "|"]
    rows = table.rows[:MAX_TABLE_ROWS]
    out += ["| " + " | ".join(_md_cell(row[i], strong=table.row_classes[n] == "stale" and i == 0) for i in cols)
            + " |" for n, row in enumerate(rows)]
    more = table.total - len(rows)
    if more > 0:
        out += ["", f"… and {more} more rows (see report.html or report.json)"]
    return out


def _md_cell(cell: Cell, strong: bool = False) -> str:
    if cell.href and not cell.href.startswith("#"):
        text = md_link(cell.href, text=cell.text)
    else:
        text = md_escape(cell.text)
    if "bad" in cell.cls.split() or strong:
        text = f"**{text}**"
    return text


def _findings_sections(indicators: list[IndicatorResult], findings: list[ReportFinding],
                       by_id: dict[str, ReportFinding], reads: set[str] | None) -> list[str]:
    """Findings under their indicators, each once (a finding cited by several sits under the first
    that failed; the others name it), occurrences of one target or template as one line."""
    results = {i.id: i.result for i in indicators}
    home = {rf.id: home_indicator(rf, results) for rf in findings}
    cited: set[str] = set()
    out = ["", "## Findings", ""]
    any_section = False
    for ind in indicators:
        rows = [by_id[f] for f in dict.fromkeys(ind.findings) if f in by_id]
        if not rows:
            continue
        any_section = True
        cited.update(rf.id for rf in rows)
        quiet = ind.result in ("pass", "partial", "not_applicable")
        out += [f"### `{_code(ind.id)}` {md_escape(ind.title)} ({ind.result})", ""]
        if quiet:
            out += ["This indicator passed: its findings are within the standard's limit (notes, not errors).", ""]
        elsewhere: dict[str, list[str]] = {}
        for rf in rows:
            other = home[rf.id]
            if other is not None and other != ind.id:
                elsewhere.setdefault(other, []).append(rf.id)
        for other, fids in elsewhere.items():
            out.append(f"- {plural(len(fids), 'finding')} shown under `{_code(other)}`: "
                       + ", ".join(f"**{_code(f)}**" for f in fids[:10]) + (" …" if len(fids) > 10 else ""))
        out += _group_lines([rf for rf in rows if home[rf.id] == ind.id], quiet)
        out.append("")
    other = [rf for rf in findings if rf.id not in cited]
    unread = [rf for rf in other if reads is not None and rf.check not in reads]
    unread_ids = {rf.id for rf in unread}
    for title, rows, quiet in (("Other findings", [rf for rf in other if rf.id not in unread_ids], False),
                               ("Findings of checks this profile does not read", unread, True)):
        if rows:
            any_section = True
            out += [f"### {title}", "", *_group_lines(rows, quiet), ""]
    if not any_section:
        out.append("No findings.")
    return out


def _group_lines(rows: list[ReportFinding], quiet: bool) -> list[str]:
    groups = finding_groups(rows)
    out = [_group_line(g, quiet) for g in groups[:MAX_FINDINGS_PER_INDICATOR]]
    if len(groups) > MAX_FINDINGS_PER_INDICATOR:
        rest = sum(g.occurrences for g in groups[MAX_FINDINGS_PER_INDICATOR:])
        out.append(f"- … and {plural(rest, 'more finding')} (see report.json)")
    return out


def _group_line(g: FindingGroup, quiet: bool) -> str:
    rf = g.first
    f = rf.finding
    severity = "noted" if quiet else f.severity
    ident = f"**{rf.id}**" + (f" (+{g.occurrences - 1} more)" if g.occurrences > 1 else "")
    parts = [f"- {ident} {severity} `{_code(f.rule)}`: {md_escape(display_message(rf))}"]
    if len(g.pages) == 1:
        parts.append(f"on {md_link(f.page)}")
    else:
        named = ", ".join(md_link(u) for u in g.pages[:MAX_GROUP_PAGES])
        parts.append(f"on {len(g.pages)} pages: {named}" + (" …" if len(g.pages) > MAX_GROUP_PAGES else ""))
    if f.target:
        parts.append(f"→ {md_link(f.target)}")
    if f.status is not None:
        parts.append(f"(status {md_escape(f.status)}" + (f", &lt;{md_escape(f.element)}&gt;)" if f.element else ")"))
    if len(rf.indicators) > 1:
        parts.append("— indicators: " + ", ".join(f"`{_code(i)}`" for i in rf.indicators))
    return " ".join(parts)


def _code(text: str) -> str:
    """Text for inside a `code span` (ids from profiles and checks): no backticks, pipes or newlines."""
    return re.sub(r"[`|\r\n]", "_", text)
