"""`govaudit history URL`: one site over the survey rounds of a store (score, grade, vetoes, the
indicators that changed since the round before) and per day from its probe samples (visits,
availability %, mean response time)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from govaudit.crawl.urls import origin_of
from govaudit.errors import UsageError
from govaudit.store import Store
from govaudit.survey.trends import ProbeDays


def site_history(store: Store, url: str, until: date, days: int = 14) -> dict[str, Any]:
    surveys = {s["id"]: s for s in store.surveys()}
    found = store.site_rounds(url)
    probes = ProbeDays(store, until - timedelta(days=days - 1), until)
    daily = probes.series(url, origin_of(url) or "")
    if not found and not any(d["visits"] for d in daily):
        raise UsageError(f"{url} is in no survey of the store {store.where} and has no probe sample")
    found.sort(key=lambda r: (str(surveys.get(r["survey_id"], {}).get("as_of") or ""),
                              surveys.get(r["survey_id"], {}).get("created_at") or "", r["survey_id"]))
    out_rounds = []
    before: dict[str, Any] = {}
    for r in found:
        summary = r["summary"] or {}
        indicators = {k: v[0] if isinstance(v, list) else v for k, v in summary.get("indicators", {}).items()}
        changes = [{"indicator": k, "before": before[k], "after": v} for k, v in sorted(indicators.items())
                   if k in before and before[k] != v]
        out_rounds.append({"survey": r["survey_id"], "as_of": surveys.get(r["survey_id"], {}).get("as_of"),
                           "profile": surveys.get(r["survey_id"], {}).get("profile"), "status": r["status"],
                           "score": summary.get("score"), "grade": summary.get("grade"),
                           "passed": summary.get("passed"), "vetoes": list(summary.get("vetoes", [])),
                           "error": r["error"], "changes": changes})
        if indicators:
            before = indicators
    return {"url": url, "rounds": out_rounds, "days": daily}


def history_text(data: dict[str, Any]) -> str:
    lines = [f"history of {data['url']}", "", "rounds:"]
    if not data["rounds"]:
        lines.append("  (in no survey)")
    for r in data["rounds"]:
        verdict = (f"{r['score']:g} {r['grade']}" if isinstance(r["score"], int | float)
                   else f"not audited ({r['status']}{': ' + r['error'] if r['error'] else ''})")
        vetoes = f"  vetoes: {', '.join(r['vetoes'])}" if r["vetoes"] else ""
        lines.append(f"  {r['as_of'] or '-':10}  {r['survey']:24}  {verdict}{vetoes}")
        lines += [f"      {c['indicator']}: {c['before']} -> {c['after']}" for c in r["changes"]]
    lines += ["", "probe days (visits, availability, mean response):"]
    for d in data["days"]:
        if d["visits"]:
            lines.append(f"  {d['day']}  {d['visits']:4} visits  {d['availability']:5.1f} %  {d['ms']:8.1f} ms")
        else:
            lines.append(f"  {d['day']}     - no sample")
    return "\n".join(lines) + "\n"
