"""Per-column verdicts and the check's metrics: pure functions over dates, no I/O.

`latest` is the newest date the column shows, a future one included (the report contract's field,
as the page has it); `latest_valid` ignores dates after the as-of date (plus a tolerance for time
zones), and age, staleness and the home-page rule use it. An empty column (有栏目无内容) is counted
as empty, never as stale. Items without a date count as not updated (2015 census rule, still
applied): a column whose items carry no date at all is stale when its type has a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


@dataclass(slots=True)
class DatedItem:
    title: str
    url: str
    date: date
    text: str  # as written
    page: str  # where it was read: the list page, or the article page
    source: str  # list | article:<how> | home-block


@dataclass(slots=True)
class Column:
    name: str
    url: str
    type: str
    threshold_days: int | None
    items: int = 0
    dates: list[DatedItem] = field(default_factory=list)
    undated_items: int = 0
    empty: bool = False
    empty_marker: str | None = None
    error: str | None = None  # the column page could not be read, or showed no list
    found_via: str = ""
    list_pages: list[str] = field(default_factory=list)
    items_source: str = "counted"  # counted | pager (the page's own 共N条)
    list_undated: bool = False  # the list shows no dates (they came from article pages, if at all)
    names: list[str] = field(default_factory=list)
    static: bool = False  # standing information (机构职能): never long-stale

    def valid_dates(self, as_of: date, tolerance: int) -> list[DatedItem]:
        limit = as_of + timedelta(days=tolerance)
        return [d for d in self.dates if d.date <= limit]

    def future(self, as_of: date, tolerance: int) -> list[DatedItem]:
        limit = as_of + timedelta(days=tolerance)
        return [d for d in self.dates if d.date > limit]


def judge(col: Column, as_of: date, tolerance: int, long_stale_days: int = 365) -> dict[str, Any]:
    """The column as the report contract's `checks.freshness.columns[]` entry, plus our keys.

    `long_stale`: a column of a type with an update duty (news … plan) that shows nothing newer than
    `long_stale_days`, or no date at all; never an empty one, never a column of standing information
    (机构职能, see column_types.yaml), never before its own type's threshold has passed. `dormant`:
    the same for a column of type other, whose duty the standard does not state — reported as a
    warning, never counted toward the veto (a finished 专题 is no 应更新 column)."""
    valid = col.valid_dates(as_of, tolerance)
    latest = max((d.date for d in col.dates), default=None)
    latest_valid = max((d.date for d in valid), default=None)
    age = max(0, (as_of - latest_valid).days) if latest_valid is not None else None
    judged = col.error is None and not col.empty
    stale = False
    if judged and col.threshold_days is not None:
        stale = age is None or age > col.threshold_days
    over_long = judged and not col.static and (age is None or age > max(long_stale_days, col.threshold_days or 0))
    # Only a column whose type says it must be updated counts toward the long-stale veto; a column
    # of type other (a finished 专题, a unit's page) that stopped long ago is shown, not counted.
    long_stale = over_long and col.threshold_days is not None
    dormant = over_long and col.threshold_days is None
    sources = sorted({d.source for d in valid if d.date == latest_valid})
    return {
        "name": col.name,
        "url": col.url,
        "type": col.type,
        "latest": latest.isoformat() if latest else None,
        "age_days": age,
        "threshold_days": col.threshold_days,
        "items": col.items,
        "stale": stale,
        "empty": col.empty,
        "latest_valid": latest_valid.isoformat() if latest_valid else None,
        "long_stale": long_stale,
        "dormant": dormant,
        "static": col.static,
        "date_source": sources[0] if sources else None,
        "undated": judged and col.list_undated,
        "no_dates": judged and not col.dates,
        "undated_items": col.undated_items,
        "future_dates": sorted({d.date.isoformat() for d in col.future(as_of, tolerance)}),
        "items_source": col.items_source,
        "list_pages": col.list_pages,
        "found_via": col.found_via,
        "error": col.error,
        "empty_marker": col.empty_marker,
    }


def metrics(columns: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts the profile's rules read."""
    judged = [c for c in columns if c["error"] is None]

    def stale_of(*types: str) -> int:
        return sum(1 for c in judged if c["stale"] and c["type"] in types)

    by_type: dict[str, int] = {}
    for c in columns:
        by_type[c["type"]] = by_type.get(c["type"], 0) + 1
    return {
        "columns": len(columns),
        "stale": sum(1 for c in judged if c["stale"]),
        "empty": sum(1 for c in judged if c["empty"]),
        "undated": sum(1 for c in judged if c["undated"]),
        "no_dates": sum(1 for c in judged if c["no_dates"]),
        "unreadable": len(columns) - len(judged),
        "stale_news": stale_of("news"),
        "stale_notice_policy": stale_of("notice", "policy"),
        "stale_news_plus_notice_policy": stale_of("news", "notice", "policy"),
        "stale_policy": stale_of("policy"),
        "stale_personnel_plan": stale_of("personnel", "plan"),
        "long_stale": sum(1 for c in judged if c["long_stale"]),
        "future_columns": sum(1 for c in columns if c["future_dates"]),
        "by_type": dict(sorted(by_type.items())),
    }
