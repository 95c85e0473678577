"""The organisation hierarchy of a survey and its roll-ups.

A site's unit path comes from the sites CSV (`org_path`, or `province`/`city`/`county`, or a
region written as a path such as 江西省/赣州市); every prefix of it is a unit, the empty path is
the whole survey. Each unit rolls up all the sites under it, at any depth.

Verdicts: 合格 = audited and passed; 不合格 = audited and not passed; 无法评定 = no verdict (the site
could not be audited, or is not finished). The metric sums name their metrics below.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

BROKEN_METRICS = ("links.broken_home", "links.broken_other")
STALE_METRIC = "freshness.stale_news_plus_notice_policy"  # columns not updated in time (栏目不更新)
OVERDUE_METRIC = "interaction.overdue"  # messages not answered in time
ROOT_NAME = "全部"
PORTAL_WORDS = ("门户", "portal")
WORST_SHOWN = 5


def unit_path(row: dict[str, Any]) -> tuple[str, ...]:
    """The units a site rolls up into, outermost first (an older survey: its region)."""
    raw = row.get("org_path") or row.get("region") or ""
    return tuple(p.strip() for p in str(raw).replace("＞", "/").replace(">", "/").split("/") if p.strip())


def unit_slug(path: tuple[str, ...]) -> str:
    """The file a unit's page is written to (the root is survey.html)."""
    if not path:
        return "survey.html"
    return f"units/u-{hashlib.sha1('/'.join(path).encode('utf-8')).hexdigest()[:12]}.html"


def is_portal(row: dict[str, Any]) -> bool:
    level = str(row.get("level") or "").lower()
    return any(w in level for w in PORTAL_WORDS)


@dataclass(slots=True)
class Unit:
    path: tuple[str, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)  # every site under it, at any depth
    children: list[tuple[str, ...]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ROOT_NAME

    @property
    def label(self) -> str:
        return "/".join(self.path) or ROOT_NAME

    @property
    def direct(self) -> list[dict[str, Any]]:
        """Sites whose own path is this unit (not one of its children)."""
        return [r for r in self.rows if unit_path(r) == self.path]


def build_units(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], Unit]:
    """Every unit of the survey (root included), each with all the rows under it."""
    units: dict[tuple[str, ...], Unit] = {(): Unit(())}
    for row in rows:
        path = unit_path(row)
        for depth in range(len(path) + 1):
            key = path[:depth]
            unit = units.get(key)
            if unit is None:
                unit = units[key] = Unit(key)
                units[key[:-1]].children.append(key)
            unit.rows.append(row)
    return units


def _metric_sum(row: dict[str, Any], names: tuple[str, ...]) -> float | None:
    values = [row["metrics"].get(n) for n in names]
    nums = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return sum(nums) if nums else None


def rollup(rows: list[dict[str, Any]], titles: dict[str, str]) -> dict[str, Any]:
    """The numbers of one unit over its sites."""
    audited = [r for r in rows if r["score"] is not None]
    scores = [float(r["score"]) for r in audited]
    vetoes: Counter[str] = Counter(v for r in audited for v in r["vetoes"])
    fails: Counter[str] = Counter(i for r in audited for i, res in r["indicators"].items() if res == "fail")
    broken = [b for r in audited if (b := _metric_sum(r, BROKEN_METRICS)) is not None]
    stale = [s for r in audited if (s := _metric_sum(r, (STALE_METRIC,))) is not None]
    overdue = [o for r in audited if (o := _metric_sum(r, (OVERDUE_METRIC,))) is not None]
    health = [r["health"]["value"] for r in rows if r.get("health") and r["health"]["value"] is not None]
    return {
        "sites": len(rows),
        "portals": sum(1 for r in rows if is_portal(r)),
        "audited": len(audited),
        "pass": sum(1 for r in audited if r["passed"]),
        "fail": sum(1 for r in audited if not r["passed"]),
        "unjudged": len(rows) - len(audited),
        "mean": round(statistics.fmean(scores), 1) if scores else None,
        "median": round(statistics.median(scores), 1) if scores else None,
        "vetoes": [{"id": v, "title": titles.get(v, v), "sites": n} for v, n in
                   sorted(vetoes.items(), key=lambda kv: (-kv[1], kv[0]))],
        "worst": [{"id": i, "title": titles.get(i, i), "sites": n} for i, n in
                  sorted(fails.items(), key=lambda kv: (-kv[1], kv[0]))[:WORST_SHOWN]],
        "broken_links": int(sum(broken)),
        "broken_per_site": round(sum(broken) / len(broken), 2) if broken else None,
        "stale_columns": int(sum(stale)),
        "overdue_messages": int(sum(overdue)),
        "health": round(statistics.fmean(health), 1) if health else None,
        "levels": by_level(rows),
    }


def by_level(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """合格 / 不合格 / 无法评定 and mean score per level (门户, 部门, …) among the rows."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(str(r.get("level") or "(none)"), []).append(r)
    out = []
    for level, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        audited = [r for r in members if r["score"] is not None]
        out.append({"level": level, "sites": len(members), "pass": sum(1 for r in audited if r["passed"]),
                    "fail": sum(1 for r in audited if not r["passed"]), "unjudged": len(members) - len(audited),
                    "mean": round(statistics.fmean(float(r["score"]) for r in audited), 1) if audited else None})
    return out


def portals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each portal among the rows with the department sites that name it as their parent_site."""
    by_parent: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r.get("parent_site"):
            by_parent.setdefault(str(r["parent_site"]), []).append(r)
    out = []
    for r in rows:
        if is_portal(r):
            deps = by_parent.get(r["url"], [])
            judged = [d for d in deps if d["score"] is not None]
            out.append({"row": r, "departments": len(deps), "pass": sum(1 for d in judged if d["passed"]),
                        "fail": sum(1 for d in judged if not d["passed"]), "unjudged": len(deps) - len(judged),
                        "mean": round(statistics.fmean(float(d["score"]) for d in judged), 1) if judged else None})
    return out


def rolled_units(rows: list[dict[str, Any]], titles: dict[str, str]) -> dict[tuple[str, ...], Unit]:
    units = build_units(rows)
    for unit in units.values():
        unit.stats = rollup(unit.rows, titles)
        unit.children.sort()
    return units
