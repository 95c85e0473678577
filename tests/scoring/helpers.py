"""Hand-built check results for scoring tests: plain data, no crawl needed.

Each builder starts from what a real run of the check publishes on a clean site (the metric names
and finding rules of checks/<id>) and changes only what a case needs, keeping the dependent
metrics and the findings consistent with each other the way the check does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govaudit.model import CheckResult, Finding

Checks = Callable[[], dict[str, CheckResult]]

# checks/links.py on a clean site: by_status and by_element count broken links only.
LINKS_CLEAN: dict[str, Any] = {
    "links_checked": 120, "link_occurrences": 410, "broken": 0, "broken_targets": 0, "broken_home": 0,
    "broken_other": 0, "invalid": 0, "warnings": 0, "placeholders": 2, "mailto": 1, "tel": 0, "other_schemes": 0,
    "excluded": 3, "unchecked_robots": 0, "unchecked_budget": 0, "by_status": {}, "by_element": {}, "home_ok": 1,
}


def broken(n: int, page: str, on_home: bool, rule: str = "broken-link") -> Finding:
    status: int | str = 404 if rule == "broken-link" else "invalid-url"
    return Finding(rule=rule, page=page, message=f"link {n} is broken", target=f"{page}missing-{n}",
                   status=status, element="a", evidence={"on_home": on_home}, id=f"f-{n}")


def links_result(home: int = 0, other: int = 0, invalid: int = 0, **metrics: Any) -> CheckResult:
    """A links check with `home` broken links on the home page and `other` elsewhere, numbered f-1…"""
    findings = [broken(n, "http://site.test/", True) for n in range(1, home + 1)]
    findings += [broken(home + n, "http://site.test/a/", False) for n in range(1, other + 1)]
    findings += [broken(home + other + n, "http://site.test/b/", False, rule="invalid-url")
                 for n in range(1, invalid + 1)]
    bad = home + other
    values = dict(LINKS_CLEAN, broken=bad, broken_targets=bad, broken_home=home, broken_other=other, invalid=invalid,
                  by_status={"404": bad} if bad else {}, by_element={"a": bad} if bad else {})
    values.update(metrics)
    return CheckResult(status="ok", metrics=values, findings=findings)


def availability(failures: int, samples: int = 168, days: int = 7, min_per_day: int = 20) -> CheckResult:
    """checks/availability.py after a week of probe samples: one probe-failure finding per failed visit.
    `days` counts the days with at least `min_per_day` visits (the check's option)."""
    findings = [Finding(rule="probe-failure", page="http://site.test/", status="timeout",
                        message=f"home page did not open at visit {n}: timeout", evidence={"elapsed_ms": 15000})
                for n in range(failures)]
    metrics = {"samples": samples, "failures": failures,
               "failure_rate": round(failures / samples, 6) if samples else None,
               "days": days, "days_sampled": 7 if samples else 0, "window_days": 7, "min_per_day": min_per_day}
    return CheckResult(status="ok", metrics=metrics, findings=findings)
