"""The end-of-run summary printed by the CLI: short, one line per problem, worst first.

A CI log or a shell pipe gets plain lines; the CLI draws the same rows as a table on a terminal.
Site text (the title) and indicator details are flattened to one line without control characters,
so a hostile page title cannot move the cursor or recolour a terminal.
"""

from __future__ import annotations

import re
from pathlib import Path

from govaudit.coverage import coverage_of
from govaudit.model import AuditResult, IndicatorResult
from govaudit.report.grading import grade_statement, not_measured_reason
from govaudit.report.view import fmt_number

MAX_LISTED = 10  # indicators listed in the summary; the reports have all of them
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: object, limit: int = 110) -> str:
    """`text` on one line, control characters (ANSI escapes included) dropped, cut to `limit`."""
    s = re.sub(r" {2,}", " ", _CONTROL.sub(" ", "" if text is None else str(text))).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _rank(ind: IndicatorResult) -> int:
    if ind.result == "fail":
        return {"veto": 0, "deduct": 1}.get(ind.kind, 3)
    return 2  # "error": the indicator could not be judged, after what cost points


def problems(indicators: list[IndicatorResult]) -> list[IndicatorResult]:
    """Failed and unjudged indicators: failed vetoes, then deductions (largest first), then the
    ones that could not be judged, then failed bonus and information items."""
    bad = [i for i in indicators if i.result in ("fail", "error")]
    return sorted(bad, key=lambda i: (_rank(i), i.points))


def points_text(ind: IndicatorResult) -> str:
    """What the indicator did to the score, in a few characters."""
    if ind.result == "error":
        return "?"
    if ind.kind in ("veto", "info"):
        return ind.kind
    return ("+" if ind.points > 0 else "") + fmt_number(ind.points)


def counts(indicators: list[IndicatorResult]) -> str:
    """ "14 fail, 2 error, 24 pass" in that order, leaving out results nobody got."""
    n = {r: sum(1 for i in indicators if i.result == r)
         for r in ("fail", "error", "partial", "pass", "not_applicable")}
    return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in n.items() if v) or "none"


def coverage_lines(result: AuditResult) -> list[str]:
    """The coverage sentence, when anything was cut or recognised as a trap (else nothing)."""
    sentence = coverage_of(result.crawl, result.checks).sentence
    return [f"coverage: {one_line(sentence, 400)}"] if sentence else []


def grading_lines(result: AuditResult) -> list[str]:
    """The grading rule, what the grade covers, the points on our own numbers and the bonus items
    not measured: the same sentences as the HTML and Markdown reports, flattened to one line each."""
    st = grade_statement(result)
    lines = []
    if st.unverified_sentence:
        lines.append(f"our numbers: {one_line(st.unverified_sentence, 140)}")
    if st.pass_mark is not None:
        lines.append(f"grading: pass mark {fmt_number(st.pass_mark)}/{fmt_number(st.max)}: {one_line(st.short_rule, 120)}")
    else:
        lines.append("grading: the profile is not at hand; its rule is not stated")
    lines.append(f"the grade covers: {one_line(st.short_covers, 120)}")
    if st.not_measured:
        lines.append("bonus not measured: " + one_line("; ".join(
            f"{i.id} ({not_measured_reason(i)})" for i in st.not_measured), 130))
    return lines


def plain_summary(result: AuditResult, paths: list[Path], limit: int = MAX_LISTED) -> list[str]:
    """The summary as plain lines for a log."""
    sc = result.scored.score
    inds = result.scored.indicators
    lines = [
        f"site: {one_line(result.site_url, 200)}  pages: {result.crawl.pages}  run: {result.run_id}",
        *coverage_lines(result),
        f"score: {sc.value:g}/{sc.max:g}  grade: {one_line(sc.grade, 40)}  vetoes: {','.join(sc.vetoes) or '-'}",
        *grading_lines(result),  # under the score: the rule it was given by, what it covers
        f"indicators: {counts(inds)}",
    ]
    bad = problems(inds)
    for ind in bad[:limit]:
        lines.append(f"  {ind.result:5} {points_text(ind):>6}  {ind.id}: {one_line(ind.detail)}")
    if len(bad) > limit:
        lines.append(f"  +{len(bad) - limit} more (every indicator is in the reports)")
    lines += [f"wrote {p}" for p in paths]
    return lines
