"""Hand-built check results for scoring tests: they are plain data, no crawl needed."""

from __future__ import annotations

from typing import Any

from govaudit.model import CheckResult, Finding

LINKS_CLEAN: dict[str, Any] = {
    "links_checked": 120, "broken": 0, "broken_home": 0, "broken_other": 0, "placeholders": 2,
    "mailto": 1, "tel": 0, "excluded": 3, "by_status": {"200": 118}, "by_element": {"a": 100, "img": 20},
    "home_ok": 1,
}


def broken(n: int, page: str, on_home: bool, rule: str = "broken-link") -> Finding:
    return Finding(rule=rule, page=page, message=f"link {n} is broken", target=f"{page}missing-{n}",
                   status=404, element="a", evidence={"on_home": on_home}, id=f"f-{n}")


def links_result(home: int = 0, other: int = 0, invalid: int = 0, **metrics: Any) -> CheckResult:
    """A links check with `home` broken links on the home page and `other` elsewhere, numbered f-1…"""
    findings = [broken(n, "http://site.test/", True) for n in range(1, home + 1)]
    findings += [broken(home + n, "http://site.test/a/", False) for n in range(1, other + 1)]
    findings += [broken(home + other + n, "http://site.test/b/", False, rule="invalid-url")
                 for n in range(1, invalid + 1)]
    values = dict(LINKS_CLEAN, broken=home + other, broken_home=home, broken_other=other)
    values.update(metrics)
    return CheckResult(status="ok", metrics=values, findings=findings)


def availability(rate: float, samples: int = 168, days: int = 7) -> CheckResult:
    return CheckResult(status="ok", metrics={"failure_rate": rate, "samples": samples, "days": days})
