"""survey-diff: what changed from one survey round to the next — sites newly failing or passing,
score changes, and each indicator whose result changed on a site. Each site's entry links to its
row (and trend) in the newer round's survey.html."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from govaudit.errors import UsageError
from govaudit.survey.report import SCHEMA, site_dir_name

DIFF_SCHEMA = "govaudit.survey-diff/1"


def load_survey(path: str | Path) -> dict[str, Any]:
    """A survey.json, given as the file or the folder holding it."""
    p = Path(path)
    if p.is_dir():
        p = p / "survey.json"
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no survey found at {path} (expected a survey folder or its survey.json)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {p}: {exc}") from None
    except ValueError:
        raise UsageError(f"{p} is not JSON") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("sites"), list):
        raise UsageError(f"{p} is not a govaudit survey.json ({SCHEMA})")
    return doc


def _passed(row: dict[str, Any]) -> bool | None:
    """True/False for a site with a verdict; None when it was not audited in that round."""
    if row.get("status") == "failed":
        return False  # a site that cannot be opened fails
    if row.get("score") is None:
        return None
    return bool(row.get("passed"))


def diff_surveys(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """What changed from round A to round B: sites newly failing or passing, score changes, and
    each indicator whose result changed on a site."""
    rows_a = {r["url"]: r for r in a["sites"]}
    rows_b = {r["url"]: r for r in b["sites"]}
    titles = {i["id"]: i.get("title", i["id"]) for i in a.get("indicators", []) + b.get("indicators", [])}
    newly_failing, newly_passing, changes, scores = [], [], [], []
    for url in [u for u in rows_b if u in rows_a]:
        ra, rb = rows_a[url], rows_b[url]
        pa, pb = _passed(ra), _passed(rb)
        entry = {"url": url, "name": rb.get("name") or ra.get("name", ""), "before": _verdict(ra),
                 "after": _verdict(rb), "score_before": ra.get("score"), "score_after": rb.get("score"),
                 "trend": f"survey.html#site-{site_dir_name(url)}"}  # in round B's folder: the site's trend
        if pa is True and pb is False:
            newly_failing.append(entry)
        elif pa is False and pb is True:
            newly_passing.append(entry)
        if isinstance(ra.get("score"), (int, float)) and isinstance(rb.get("score"), (int, float)) \
                and ra["score"] != rb["score"]:
            scores.append({**entry, "delta": round(rb["score"] - ra["score"], 4)})
        ia, ib = ra.get("indicators", {}), rb.get("indicators", {})
        for ind in sorted(set(ia) | set(ib)):
            if ia.get(ind) != ib.get(ind) and ia.get(ind) is not None and ib.get(ind) is not None:
                changes.append({"url": url, "indicator": ind, "title": titles.get(ind, ind),
                                "before": ia[ind], "after": ib[ind]})
    by_indicator: Counter[tuple[str, str, str]] = Counter((c["indicator"], c["before"], c["after"]) for c in changes)
    return {
        "schema": DIFF_SCHEMA,
        "a": {"id": a.get("survey", {}).get("id"), "as_of": a.get("survey", {}).get("as_of"),
              "sites": len(rows_a)},
        "b": {"id": b.get("survey", {}).get("id"), "as_of": b.get("survey", {}).get("as_of"),
              "sites": len(rows_b)},
        "newly_failing": newly_failing,
        "newly_passing": newly_passing,
        "added": sorted(u for u in rows_b if u not in rows_a),
        "removed": sorted(u for u in rows_a if u not in rows_b),
        "score_changes": sorted(scores, key=lambda s: (s["delta"], s["url"])),
        "indicator_changes": changes,
        "indicator_summary": [{"indicator": i, "title": titles.get(i, i), "before": x, "after": y, "sites": n}
                              for (i, x, y), n in sorted(by_indicator.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def _verdict(row: dict[str, Any]) -> str:
    if row.get("status") == "failed":
        return "not reachable"
    if row.get("score") is None:
        return "not audited"
    return f"{row.get('grade')} ({row.get('score'):g})" if isinstance(row.get("score"), (int, float)) \
        else str(row.get("grade"))


def diff_text(diff: dict[str, Any]) -> str:
    """The diff for a terminal or a cron mail."""
    a, b = diff["a"], diff["b"]
    lines = [f"survey-diff {a['id']} ({a['as_of']}, {a['sites']} sites) -> {b['id']} ({b['as_of']}, "
             f"{b['sites']} sites)"]
    for key, title in (("newly_failing", "newly failing"), ("newly_passing", "newly passing")):
        lines.append(f"{title}: {len(diff[key])}")
        lines += [f"  {e['url']}  {e['before']} -> {e['after']}  (trend: {e['trend']})" for e in diff[key]]
    lines.append(f"indicator changes: {len(diff['indicator_changes'])} on "
                 f"{len({c['url'] for c in diff['indicator_changes']})} sites")
    lines += [f"  {s['indicator']} {s['before']} -> {s['after']}: {s['sites']} sites"
              for s in diff["indicator_summary"]]
    if diff["added"] or diff["removed"]:
        lines.append(f"sites added: {len(diff['added'])}, removed: {len(diff['removed'])}")
    return "\n".join(lines) + "\n"
