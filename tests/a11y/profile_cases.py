"""Firing and quiet cases for every indicator fed by the accessibility check, in the format of
tests/scoring/test_shipped.py (FIRES: key -> (checks, result, points); QUIET: key -> checks), so
that file can take them with `FIRES.update(a11y.FIRES)`. tests/a11y/test_profiles.py runs them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govaudit.model import CheckResult, Finding

Checks = Callable[[], dict[str, CheckResult]]

CLEAN: dict[str, Any] = {
    "pages_tested": 12, "pages_failed": 0, "templates": 6, "axe_version": "4.12.1", "violations": 0,
    "violations_serious": 0, "violation_nodes": 0, "rules_violated": 0, "wcag_a": 0, "wcag_aa": 0,
    "best_practice": 3, "incomplete": 0, "elderly_entry": 1, "elderly_popups": 0, "elderly_failures": 0,
}


def axe(n: int, level: str, impact: str = "serious") -> Finding:
    return Finding(rule="axe:image-alt" if level == "A" else "axe:color-contrast", page="http://site.test/a/",
                   message="a violation", severity="error", id=f"f-a{level}{n}",
                   evidence={"level": level, "impact": impact, "wcag": ["1.1.1" if level == "A" else "1.4.3"]})


def elderly(rule: str, n: int = 1) -> Finding:
    return Finding(rule=rule, page="http://site.test/", message=rule, severity="warning", id=f"f-{rule}-{n}",
                   evidence={"wcag": []})


def a11y(a: int = 0, aa: int = 0, incomplete: int = 0, pages: int = 12, extra: list[Finding] | None = None,
         untested: int = 0) -> dict[str, CheckResult]:
    findings = [axe(n, "A") for n in range(a)] + [axe(n, "AA") for n in range(aa)] + (extra or [])
    metrics = dict(CLEAN, wcag_a=a, wcag_aa=aa, violations=a + aa, incomplete=incomplete, pages_tested=pages,
                   elderly_failures=len(extra or []), untested_with_signs=untested)
    return {"accessibility": CheckResult(status="ok", metrics=metrics, findings=findings)}


FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    ("wcag21-aa", "wcag.a"): (lambda: a11y(a=3), "fail", -15.0),
    ("wcag21-aa", "wcag.aa"): (lambda: a11y(aa=12), "fail", -50.0),  # capped
    ("wcag21-aa", "wcag.review"): (lambda: a11y(incomplete=4), "fail", 0.0),
    ("wcag21-aa", "wcag.pages"): (lambda: a11y(untested=3), "fail", 0.0),
    ("gbt-37668", "gbt.level1"): (lambda: a11y(a=2), "fail", -10.0),
    ("gbt-37668", "gbt.level2"): (lambda: a11y(aa=1), "fail", -5.0),
    ("gbt-37668", "gbt.level1.reached"): (lambda: a11y(a=1), "fail", 0.0),
    ("gbt-37668", "gbt.review"): (lambda: a11y(incomplete=1), "fail", 0.0),
    ("cn-gov-2019", "cn.info.a11y.wcag"): (lambda: a11y(a=1, aa=1), "fail", 0.0),
    ("cn-gov-2019", "cn.info.elderly.entry"): (lambda: a11y(extra=[elderly("elderly:entry")]), "fail", 0.0),
    ("cn-gov-2019", "cn.info.elderly.popup"): (lambda: a11y(extra=[elderly("elderly:popup")]), "fail", 0.0),
    ("cn-gov-2019", "cn.info.elderly.keyboard"): (
        lambda: a11y(extra=[elderly("elderly:focus-visible")]), "fail", 0.0),
    ("cn-gov-2019", "cn.info.elderly.zoom"): (lambda: a11y(extra=[elderly("elderly:zoom-200")]), "fail", 0.0),
    ("cn-gov-2019", "cn.info.elderly.font"): (lambda: a11y(extra=[elderly("elderly:font-size")]), "fail", 0.0),
}

QUIET: dict[tuple[str, str], Checks] = {
    ("wcag21-aa", "wcag.a"): lambda: a11y(aa=2),
    ("wcag21-aa", "wcag.aa"): lambda: a11y(a=2),
    ("wcag21-aa", "wcag.review"): lambda: a11y(a=1),
    ("wcag21-aa", "wcag.pages"): lambda: a11y(),
    ("gbt-37668", "gbt.level1"): lambda: a11y(aa=3),
    ("gbt-37668", "gbt.level2"): lambda: a11y(a=3),
    ("gbt-37668", "gbt.level1.reached"): lambda: a11y(aa=3),
    ("gbt-37668", "gbt.review"): lambda: a11y(),
    ("cn-gov-2019", "cn.info.a11y.wcag"): lambda: a11y(extra=[elderly("elderly:entry")]),
    ("cn-gov-2019", "cn.info.elderly.entry"): lambda: a11y(a=2, extra=[elderly("elderly:popup")]),
    ("cn-gov-2019", "cn.info.elderly.popup"): lambda: a11y(extra=[elderly("elderly:entry")]),
    ("cn-gov-2019", "cn.info.elderly.keyboard"): lambda: a11y(extra=[elderly("elderly:zoom-200")]),
    ("cn-gov-2019", "cn.info.elderly.zoom"): lambda: a11y(extra=[elderly("elderly:font-size")]),
    ("cn-gov-2019", "cn.info.elderly.font"): lambda: a11y(extra=[elderly("elderly:zoom-200")]),
}
