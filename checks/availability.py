"""Availability over a week (站点无法访问): the probe's samples of the audited site, read from the store.

One audit cannot measure a week. `govaudit probe SITES.csv` (run from cron) records one visit of
each home page at a time; this check reads the visits of the seven calendar days ending on the
audit's as-of date and publishes:

- `samples`: visits in the window; `failures`: visits that did not open the home page;
- `challenged`: visits a firewall's anti-bot challenge answered (`up (challenge)`): the site was up —
  a person's browser passes the challenge — so they are never failures;
- `failure_rate`: failures / samples (0..1), None when there is no sample;
- `days`: days of the window with at least `min_per_day` visits (20: the rule's "at least 20 a
  day"), so the profile's `days >= 7` guard means "every day of the week was monitored";
- `days_sampled`: days with any visit.

With too few samples the profile's guards make the veto read "error" (not enough samples), never
a pass. Options ([checks.availability]): `days` (window, 7), `min_per_day` (20).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from govaudit.checkapi import CheckContext
from govaudit.crawl.urls import origin_of
from govaudit.model import CheckResult, Finding, SiteSnapshot

WINDOW_DAYS = 7
MIN_PER_DAY = 20
MAX_FINDINGS = 200  # one per failed visit; a site down all week would otherwise list hundreds
CHALLENGE_ERROR = "blocked"  # the fetcher's word for a firewall answering in place of the site


def failed(sample: Any) -> bool:
    """Whether a visit is a real failure: the home page did not open. A challenge answer is not one,
    whether recorded as `up (challenge)` or (by a probe before that state existed) as error blocked."""
    return not sample.ok and sample.error != CHALLENGE_ERROR


def challenged(sample: Any) -> bool:
    return sample.error == CHALLENGE_ERROR


def window_samples(store: Any, site: str, as_of: date, days: int = WINDOW_DAYS) -> Sequence[Any]:
    """The probe samples of `site` (or of its origin) on the `days` calendar days ending `as_of`;
    empty when there is no store that keeps samples."""
    if store is None or not hasattr(store, "samples"):
        return []
    return store.samples(site, as_of - timedelta(days=days - 1), as_of, origin_of(site))


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
        samples = window_samples(store, site, last, window)
        by_day: dict[str, list[bool]] = defaultdict(list)
        findings: list[Finding] = []
        failures = 0
        for s in samples:
            by_day[s.day].append(not failed(s))
            if not failed(s):
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
            "challenged": sum(1 for s in samples if challenged(s)),
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
