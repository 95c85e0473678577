"""Scoring: a pure function from check results and a profile to indicator results and a grade.

No I/O, no clock: a stored run re-scored against the same profile gives the same answer. An
indicator that cannot be judged (its check did not run or failed, its metric is missing, a guard
such as a minimum sample count is unmet) comes out "error" with the reason, never "pass".
"""

from __future__ import annotations

from typing import Any

from govaudit.coverage import Coverage
from govaudit.errors import UsageError
from govaudit.model import CheckResult, IndicatorResult, Score, ScoredResult
from govaudit.phrases import say
from govaudit.profiles import Grading, IndicatorSpec, Profile, is_number

_NDIGITS = 4  # enough for 0.1-point deductions without binary-fraction noise in reports


class _CannotJudge(Exception):
    """Raised inside an indicator's evaluation; its message becomes the error detail."""


def score(profile: Profile, checks: dict[str, CheckResult], context: dict[str, Any] | None = None,
          coverage: Coverage | None = None) -> ScoredResult:
    """Judge every indicator of `profile` from `checks`, then grade with the profile's model.

    `context` carries facts about the audited unit that no check measures; known key:
    `no_services` (a department without public services: its services group is not inspected
    and the rest is rescaled to full marks). Without it, the fact comes from the services check's
    `no_services` metric (site config, survey CSV column), else the profile's
    `grading.no_services.default`.

    `coverage`: what the audit did not see. When it is incomplete, an indicator that needs the
    whole site cannot pass on part of it: its pass becomes `partial`, and the grade is marked
    incomplete (`Score.complete`). A fail stays a fail: its evidence was seen.
    """
    context = context or {}
    grading = profile.grading
    lang = profile.language
    skipped_group = None
    if no_services(profile, checks, context):
        if grading.no_services is None:
            raise UsageError(f"profile {profile.id!r} has no no_services setting; it cannot score a "
                             "department without public services")
        skipped_group = grading.no_services.group
    results: list[IndicatorResult] = []
    for spec in profile.indicators:
        if skipped_group is not None and spec.group == skipped_group:
            result = _blank(spec, "not_applicable")
            result.detail = say(lang, "not_inspected", group=skipped_group)
            results.append(result)
        else:
            results.append(evaluate(spec, checks, lang))
    for result in results:
        _name_our_numbers(result, lang)
    cuts = _cut_words(coverage, lang, home=False) if coverage is not None and not coverage.complete else []
    home_cuts = _cut_words(coverage, lang, home=True) if coverage is not None else []
    if cuts or home_cuts:
        for spec, result in zip(profile.indicators, results, strict=True):
            why = cuts if needs_whole_site(spec) else home_cuts if spec.check == "links" else []
            if result.result == "pass" and why:
                result.result = "partial"
                result.detail += say(lang, "partial", why=say(lang, "joined").join(why))
    for spec, result in zip(profile.indicators, results, strict=True):
        _read_too_little(spec, result, checks, lang)
    grade = _grade(profile, results, skipped_group is not None)
    if cuts:
        grade.complete = False
        grade.incomplete = list(cuts)
    return ScoredResult(profile.id, profile.title, grade, results)


def no_services(profile: Profile, checks: dict[str, CheckResult], context: dict[str, Any]) -> bool:
    """Whether the audited site is a department without public services (办事服务 not inspected).

    The caller's context decides first; else a site marked so (the services check's `no_services`
    metric, from the site config or the survey's CSV column) or a profile whose sites all are
    (`grading.no_services.default`).
    """
    if "no_services" in context:
        return bool(context["no_services"])
    services = checks.get("services")
    if services is not None and services.status == "ok" and services.metrics.get("no_services"):
        return True
    grading = profile.grading
    return bool(grading.no_services is not None and grading.no_services.default)


def _cut_words(coverage: Coverage, lang: str, home: bool) -> list[str]:
    """The coverage cuts in the profile's language (a Coverage built by hand has only the words)."""
    if coverage.home_cut_items if home else coverage.cut_items:
        return coverage.cut_words(lang, home=home)
    return list(coverage.home_cuts if home else coverage.cuts)


def _name_our_numbers(result: IndicatorResult, lang: str) -> None:
    """An unverified number that moved the score (or failed a veto) says so in its own detail,
    so every report that prints the detail names it as ours, not only the HTML badge."""
    if result.verified != "unverified":
        return
    if result.kind in ("deduct", "bonus") and result.points:
        result.detail += say(lang, "our_points", points=_fmt(abs(result.points)))
    elif result.kind == "veto" and result.result == "fail":
        result.detail += say(lang, "our_veto")


def _read_too_little(spec: IndicatorSpec, result: IndicatorResult, checks: dict[str, CheckResult],
                     lang: str) -> None:
    """A check that read less than a metric needs says so in `CheckResult.partial` (metric name ->
    why, with the numbers); an indicator on that metric cannot pass: it is `partial`."""
    check = checks.get(spec.check)
    if check is None or result.result != "pass":
        return
    if not check.metrics:
        # The check API's rule: a result without evidence of having looked cannot be a pass.
        result.result, result.points = "error", 0.0
        result.detail = say(lang, "no_metrics", check=spec.check)
        return
    name = spec.metric.split(".", 1)[1] if spec.metric else "findings"
    why = check.partial.get(name)
    if why:
        result.result = "partial"
        result.detail += say(lang, "partial", why=why)


# Checks whose indicators read the whole crawl (every page's links, every column, every board);
# a metric about the home page alone is judged on the home page, which every audit fetches first.
WHOLE_SITE_CHECKS = frozenset({"links", "freshness", "interaction", "content"})


def needs_whole_site(spec: IndicatorSpec) -> bool:
    """True when the indicator's verdict depends on pages beyond the home page."""
    if spec.check not in WHOLE_SITE_CHECKS:
        return False
    if spec.metric is not None:
        return "home" not in spec.metric.split(".", 1)[1]
    assert spec.findings is not None
    return spec.findings.where.get("evidence.on_home") is not True


# ---- one indicator ------------------------------------------------------------------------


def evaluate(spec: IndicatorSpec, checks: dict[str, CheckResult], lang: str = "en") -> IndicatorResult:
    """One indicator's result; never raises for missing or odd data, says "error" instead.
    `lang` is the profile's language, for the words scoring adds to the detail."""
    result = _blank(spec, "error")
    try:
        check = _usable_check(checks, spec.check, lang)
        for cond in spec.applies:
            have = _metric(checks, cond.metric, lang)
            if not _holds(cond.when, have, cond.metric, lang):
                result.result = "not_applicable"
                why = cond.reason or say(lang, "applies_when", metric=cond.metric, value=_fmt(have), when=cond.when)
                result.detail = say(lang, "not_applicable", why=why)
                return result
        for req in spec.requires:
            have = _metric(checks, req.metric, lang)
            if not _holds(req.when, have, req.metric, lang):
                why = say(lang, "reason", reason=req.reason) if req.reason else ""
                raise _CannotJudge(say(lang, "not_enough", metric=req.metric, value=_fmt(have), when=req.when, why=why))
        matched = [f for f in check.findings if spec.findings and spec.findings.matches(f)]
        result.findings = [f.id for f in matched]
        value = _metric(checks, spec.metric, lang) if spec.metric else len(matched)
        holds = _holds(spec.when, value, spec.metric or "finding count", lang) if spec.when else None
        if spec.kind == "veto":
            result.result = "fail" if holds else "pass"
            result.detail = _detail(spec, result.result, value, len(matched), 0, 0.0, lang)
        elif spec.kind == "info":
            result.result = "fail" if holds else "pass"
            result.detail = _detail(spec, result.result, value, len(matched), 0, 0.0, lang)
        else:
            earned, units, raw = 0.0, 0.0, 0.0
            if holds is not False:
                units = _units(spec, value, len(matched), lang)
                raw = spec.per_unit * units
                earned = min(spec.points, raw)
            if spec.kind == "deduct":
                result.points = -round(earned, _NDIGITS) if earned else 0.0
                result.result = "fail" if earned > 0 else "pass"
            else:
                result.points = round(earned, _NDIGITS)
                result.result = "pass" if earned > 0 else "fail"
            result.detail = _detail(spec, result.result, value, len(matched), units, earned, lang)
            if raw > spec.points:
                result.detail += say(lang, "capped", points=_fmt(spec.points))
    except _CannotJudge as exc:
        result.result = "error"
        result.points = 0.0
        result.detail = str(exc)
    return result


def _blank(spec: IndicatorSpec, outcome: str) -> IndicatorResult:
    return IndicatorResult(
        id=spec.id, title=spec.title, kind=spec.kind, result=outcome, source=dict(spec.source),
        verified=spec.verified, group=spec.group, note=spec.note,
    )


def _usable_check(checks: dict[str, CheckResult], check_id: str, lang: str) -> CheckResult:
    check = checks.get(check_id)
    if check is None:
        raise _CannotJudge(say(lang, "check_missing", check=check_id))
    if check.status != "ok":
        why = say(lang, "status_why", error=check.error) if check.error else ""
        raise _CannotJudge(say(lang, "check_status", check=check_id, status=check.status, why=why))
    return check


def _metric(checks: dict[str, CheckResult], name: str, lang: str) -> Any:
    """The value of `check_id.metric[.key...]`; a missing or None value cannot be judged."""
    check_id, rest = name.split(".", 1)
    metrics = _usable_check(checks, check_id, lang).metrics
    if rest in metrics:
        value = metrics[rest]
    else:
        value = metrics
        for part in rest.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, dict) and part.lstrip("-").isdigit() and int(part) in value:
                value = value[int(part)]  # by_status-style dicts may be keyed by int
            else:
                raise _CannotJudge(say(lang, "metric_absent", name=name, check=check_id))
    if value is None:
        why = metrics.get("not_judged", {}).get(rest) if isinstance(metrics.get("not_judged"), dict) else None
        raise _CannotJudge(say(lang, "metric_none", name=name, why=say(lang, "reason", reason=why) if why else ""))
    return value


def _holds(comparison: Any, value: Any, name: str, lang: str) -> bool:
    try:
        return bool(comparison.holds(value))
    except TypeError:
        raise _CannotJudge(say(lang, "not_number", name=name, value=_fmt(value), comparison=comparison)) from None


def _units(spec: IndicatorSpec, value: Any, count: int, lang: str) -> float:
    if spec.units == "once":
        return 1.0
    if spec.units == "findings":
        return float(count)
    if not is_number(value):
        raise _CannotJudge(say(lang, "not_number_units", name=spec.metric, value=_fmt(value)))
    if spec.units == "over":
        assert spec.when is not None
        return max(0.0, float(value) - float(spec.when.value))
    return max(0.0, float(value))


def _detail(spec: IndicatorSpec, outcome: str, value: Any, count: int, units: float, earned: float,
            lang: str) -> str:
    fields = {
        "value": value, "count": count, "units": _fmt(units), "points": _fmt(earned),
        "threshold": spec.when.value if spec.when else "", "op": spec.when.op if spec.when else "",
        "metric": spec.metric or "findings",
    }
    template = spec.detail.get(outcome)
    if template:
        try:
            return template.format(**fields)
        except (ValueError, TypeError, KeyError, IndexError):
            pass  # e.g. a numeric format spec met a word; fall back to the generic sentence
    subject = (say(lang, "subject_metric", metric=spec.metric, value=_fmt(value)) if spec.metric
               else say(lang, "subject_count", count=count))
    if spec.kind == "veto":
        return say(lang, "generic_veto", subject=subject, when=spec.when)
    if spec.kind == "info":
        return subject
    sign = "-" if spec.kind == "deduct" else "+"
    return say(lang, "generic_points", subject=subject, sign=sign, points=_fmt(earned))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{round(value, _NDIGITS):g}"
    return str(value)


# ---- the grade ------------------------------------------------------------------------------


def _grade(profile: Profile, results: list[IndicatorResult], no_services: bool) -> Score:
    grading = profile.grading
    specs = {spec.id: spec for spec in profile.indicators}
    vetoes = [r.id for r in results if r.kind == "veto" and r.result == "fail"]
    incomplete = [r.id for r in results if r.result == "error" and specs[r.id].required]
    deductions = sum(r.points for r in results if r.kind == "deduct")
    deduction_score = _deduction_score(grading, deductions, no_services)

    bonus_results = [r for r in results if r.kind == "bonus"]
    bonus_blocked = _bonus_blocked(grading, vetoes, deduction_score, profile.language)
    if bonus_blocked:
        for r in bonus_results:
            if r.points:
                r.detail += say(profile.language, "bonus_not_added", why=bonus_blocked)
                r.points = 0.0
    bonus = float(sum(r.points for r in bonus_results))
    if grading.bonus_max is not None:
        bonus = min(bonus, grading.bonus_max)

    if vetoes:
        value = deduction_score  # the grade fails; the number still shows what the site lost
    else:
        value = deduction_score + bonus
    judged = deduction_score if grading.model == "cn-gov-2019" else value
    if vetoes:
        word, passed = "fail", False
    elif incomplete:
        word, passed = "incomplete", False
    elif judged < grading.pass_mark:
        word, passed = "fail", False
    else:
        word, passed = "pass", True
    return Score(
        value=round(value, _NDIGITS), max=grading.max, grade=grading.grades[word], vetoes=vetoes,
        deduction_score=round(deduction_score, _NDIGITS), bonus=round(bonus if not vetoes else 0.0, _NDIGITS),
        passed=passed,
    )


def _deduction_score(grading: Grading, deductions: float, no_services: bool) -> float:
    """Full marks plus the (negative) deductions, floored at 0; rescaled when a group is skipped."""
    if no_services and grading.no_services is not None:
        base = grading.no_services.max
        return max(0.0, base + deductions) * grading.max / base  # e.g. out of 75, times 4/3
    return max(0.0, grading.max + deductions)


def _bonus_blocked(grading: Grading, vetoes: list[str], deduction_score: float, lang: str) -> str:
    """Why no bonus may be added, or "" when it may."""
    if vetoes:
        return say(lang, "bonus_after_veto")
    if grading.model == "cn-gov-2019" and grading.bonus_threshold is not None:
        if not deduction_score > grading.bonus_threshold:
            return say(lang, "bonus_below", score=_fmt(deduction_score), threshold=_fmt(grading.bonus_threshold))
    return ""
