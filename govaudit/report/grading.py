"""What a report says about its own grade: the profile's grading rule in words, what the grade
covers, how many of its points rest on govaudit's own numbers, the bonus items not measured, and
the checks the profile reads (so a re-scored run counts only those in its header).

Every renderer (HTML, Markdown, the terminal summary, report.json's added fields) reads these, so
the four say the same thing. Nothing here escapes: texts may hold profile or site words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from govaudit.errors import UsageError
from govaudit.model import AuditResult, IndicatorResult
from govaudit.phrases import LANGUAGES, say
from govaudit.profiles import Grading, Profile, load_profile
from govaudit.report.view import ReportFinding, fmt_number

# Link statuses that mean the page itself did not load when the crawler fetched it (CrawlStats.errors
# counts fetch errors and answers >= 500); a 404 answered, so it is a broken link, not a failed load.
_LOAD_ERRORS = frozenset({"timeout", "dns", "refused", "tls", "redirect-loop", "too-many-redirects", "reset",
                          "protocol", "error"})


@dataclass(slots=True)
class GradeStatement:
    rule: list[str]  # the grading rule, one sentence a line
    pass_mark: float | None
    max: float
    covers: str  # what the grade covers
    short_rule: str  # the rule in one short line (terminal)
    short_covers: str
    unverified_points: float
    scored_points: float
    unverified_sentence: str  # "" when no point moved
    not_measured: list[IndicatorResult] = field(default_factory=list)  # bonus items not applicable


@cache
def _profile(profile_id: str) -> Profile | None:
    try:
        return load_profile(profile_id)
    except UsageError:
        return None  # a profile file that is not at hand now: the rule is not stated, never guessed


def profile_of(result: AuditResult) -> Profile | None:
    """The shipped profile the run was scored with, or None (a profile file not at hand)."""
    return _profile(result.scored.profile_id)


def rule_sentences(grading: Grading) -> list[str]:
    """The grading model in words, from the profile's `grading` (each profile states its own)."""
    g = grading.grades
    mark, top = fmt_number(grading.pass_mark), fmt_number(grading.max)
    lines = [f"Any failed veto (单项否决) indicator → {g['fail']}, whatever the score."]
    if grading.model == "cn-gov-2019":
        lines.append(f"Deduction score = {top} minus the deductions (floored at 0): below {mark} → {g['fail']}; "
                     f"{mark} or more → {g['pass']}.")
        if grading.bonus_threshold is not None:
            cap = f" (at most {fmt_number(grading.bonus_max)})" if grading.bonus_max is not None else ""
            lines.append(f"Above {fmt_number(grading.bonus_threshold)}, the bonus part{cap} is added to the score; "
                         "the grade is judged on the deduction score alone.")
    else:
        cap = f", at most {fmt_number(grading.bonus_max)}" if grading.bonus_max is not None else ""
        lines.append(f"Score = {top} minus the deductions plus any bonus{cap}: below {mark} → {g['fail']}; "
                     f"{mark} or more → {g['pass']}.")
    ns = grading.no_services
    if ns is not None:
        lines.append(f"A department without public services is not inspected on {ns.group}: its deduction "
                     f"score is ({fmt_number(ns.max)} minus the deductions) × {top}/{fmt_number(ns.max)}.")
    lines.append(f"A required indicator that could not be judged → {g['incomplete']}.")
    return lines


def short_rule(grading: Grading) -> str:
    """ "a failed veto → 不合格; deduction score < 60 → 不合格; > 80 → the bonus part is added"."""
    g, mark = grading.grades, fmt_number(grading.pass_mark)
    if grading.model == "cn-gov-2019":
        text = f"a failed veto → {g['fail']}; deduction score < {mark} → {g['fail']}"
        if grading.bonus_threshold is not None:
            text += f"; > {fmt_number(grading.bonus_threshold)} → the bonus part is added"
        return text
    return f"a failed veto → {g['fail']}; score < {mark} → {g['fail']}, else {g['pass']}"


def unverified_points(indicators: list[IndicatorResult]) -> tuple[float, float]:
    """(points resting on govaudit's own numbers, all points scored): sums of |points| over the
    deduction and bonus indicators, the first over those marked `verified: unverified`."""
    moved = [i for i in indicators if i.kind in ("deduct", "bonus") and i.points]
    ours = sum(abs(i.points) for i in moved if i.verified == "unverified")
    return round(ours, 4), round(sum(abs(i.points) for i in moved), 4)


def unverified_sentence(ours: float, total: float) -> str:
    if not total:
        return ""
    return (f"{fmt_number(ours)} of {fmt_number(total)} scored points rest on govaudit's own numbers "
            "(unverified)" + ("." if ours else ": every point lost or earned follows an official text."))


def grade_statement(result: AuditResult) -> GradeStatement:
    inds = result.scored.indicators
    profile = profile_of(result)
    judged = [i for i in inds if i.result not in ("not_applicable",)]
    errors = sum(1 for i in inds if i.result == "error")
    covers = (f"The grade covers the indicators govaudit measures: {len(judged)} of the profile's {len(inds)}"
              + (f" ({errors} not judged)" if errors else "")
              + "; items an inspector judges by hand are not part of it.")
    ours, total = unverified_points(inds)
    return GradeStatement(
        rule=rule_sentences(profile.grading) if profile is not None else [],
        pass_mark=profile.grading.pass_mark if profile is not None else None,
        max=result.scored.score.max,
        covers=covers,
        short_rule=short_rule(profile.grading) if profile is not None else "",
        short_covers=f"the {len(judged)} of {len(inds)} indicators govaudit measures"
                     + (f" ({errors} not judged)" if errors else ""),
        unverified_points=ours,
        scored_points=total,
        unverified_sentence=unverified_sentence(ours, total),
        not_measured=[i for i in inds if i.kind == "bonus" and i.result == "not_applicable"],
    )


def not_measured_reason(ind: IndicatorResult) -> str:
    """A not-applicable indicator's reason, without the scorer's "not applicable: " lead (in any
    language of the phrase table) nor the profile's own "not measured: "."""
    text = ind.detail
    leads = [say(lang, "not_applicable", why="") for lang in LANGUAGES] + ["not measured: ", "未测量："]
    for lead in leads:
        if text.startswith(lead):
            text = text[len(lead):]
    return text


def read_checks(result: AuditResult) -> set[str] | None:
    """The checks the run's profile reads; None when the profile is not at hand (then all count)."""
    profile = profile_of(result)
    if profile is None:
        return None
    return profile.check_ids() & set(result.checks)


def counted(findings: list[ReportFinding], checks: set[str] | None) -> list[ReportFinding]:
    """The findings a header counts: those of the checks the profile reads."""
    return findings if checks is None else [rf for rf in findings if rf.check in checks]


def failed_pages(result: AuditResult, findings: list[ReportFinding]) -> list[tuple[str, str]]:
    """Pages of the audited site that failed to load, with why: link targets on the site that answered
    5xx or no HTTP answer at all (what the crawl counts in `errors`), first occurrence each."""
    try:
        site = urlsplit(result.site_url).netloc
    except ValueError:
        return []
    out: dict[str, str] = {}
    for rf in findings:
        f = rf.finding
        if not f.target or f.target in out or rf.check != "links":
            continue
        status = f.status
        failed = (isinstance(status, int) and not isinstance(status, bool) and status >= 500) or status in _LOAD_ERRORS
        try:
            same = urlsplit(f.target).netloc == site
        except ValueError:
            same = False
        if failed and same:
            out[f.target] = str(status)
    return list(out.items())
