"""Availability over a week (站点无法访问): the probe's samples of the audited site, read from the store.

One audit cannot measure a week. `govaudit probe SITES.csv` (run from cron) records one visit of
each home page at a time; this check reads the visits of the seven calendar days ending on the
audit's as-of date and publishes:

- `samples`: visits in the window; `failures`: visits that did not open the home page;
- `failure_rate`: failures / samples (0..1), None when there is no sample;
- `days`: days of the window with at least `min_per_day` visits (20: the rule's "at least 20 a
  day"), so the profile's `days >= 7` guard means "every day of the week was monitored";
- `days_sampled`: days with any visit.

With too few samples the profile's guards make the veto read "error" (not enough samples), never
a pass. Options ([checks.availability]): `days` (window, 7), `min_per_day` (20).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from govaudit.checkapi import CheckContext
from govaudit.crawl.urls import origin_of
from govaudit.model import CheckResult, Finding, SiteSnapshot

WINDOW_DAYS = 7
MIN_PER_DAY = 20
MAX_FINDINGS = 200  # one per failed visit; a site down all week would otherwise list hundreds


class AvailabilityCheck:
    id = "availability"
    title = "Availability over a week (probe samples)"

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        store = ctx.store
        if store is None or not hasattr(store, "samples"):
            return CheckResult(status="error", error="no store to read probe samples from: availability "
                               "samples recorded by `govaudit probe` live in the store (--db)")
        window = _whole(ctx.options.get("days", WINDOW_DAYS), "days")
        min_per_day = _whole(ctx.options.get("min_per_day", MIN_PER_DAY), "min_per_day")
        last = ctx.as_of
        first = last - timedelta(days=window - 1)
        site = snapshot.start_url
        samples = store.samples(site, first, last, origin_of(site))
        by_day: dict[str, list[bool]] = defaultdict(list)
        findings: list[Finding] = []
        failures = 0
        for s in samples:
            by_day[s.day].append(s.ok)
            if s.ok:
                continue
            failures += 1
            if len(findings) < MAX_FINDINGS:
                what = s.error or (f"HTTP {s.status}" if s.status is not None else "no answer")
                findings.append(Finding(
                    rule="probe-failure", page=s.site, severity="error", status=s.error or s.status,
                    message=f"home page did not open at {s.at}: {what}",
                    evidence={"at": s.at, "elapsed_ms": s.elapsed_ms, **s.detail},
                ))
        days = []
        for n in range(window):
            day = (first + timedelta(days=n)).isoformat()
            oks = by_day.get(day, [])
            fails = sum(1 for ok in oks if not ok)
            days.append({"day": day, "samples": len(oks), "failures": fails,
                         "failure_rate": round(fails / len(oks), 4) if oks else None,
                         "enough": len(oks) >= min_per_day})
        metrics = {
            "samples": len(samples),
            "failures": failures,
            "failure_rate": round(failures / len(samples), 6) if samples else None,
            "days": sum(1 for d in days if d["enough"]),
            "days_sampled": sum(1 for d in days if d["samples"]),
            "window_days": window,
            "min_per_day": min_per_day,
        }
        data = {"window": {"first": first.isoformat(), "last": last.isoformat()}, "samples_by_day": days}
        if len(findings) < failures:
            data["findings_capped"] = f"{failures - len(findings)} more failed visits are not listed"
        return CheckResult(status="ok", metrics=metrics, findings=findings, data=data)


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"[checks.availability] {name} must be a whole number of at least 1, got {value!r}")
    return value
