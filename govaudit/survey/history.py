"""`govaudit history URL`: one site over the survey rounds of a store (score, grade, vetoes, its
健康指数, the indicators that changed since the round before) and per day from its probe samples
(visits, availability %, mean response time)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from govaudit.crawl.urls import origin_of
from govaudit.errors import UsageError
from govaudit.store import Store
from govaudit.survey.health import HealthSpec, load_health, site_health
from govaudit.survey.trends import ProbeDays


def _round_day(survey: dict[str, Any], fallback: date) -> date:
    try:
        return date.fromisoformat(str(survey.get("as_of")))
    except ValueError:
        return fallback


def site_history(store: Store, url: str, until: date, days: int = 14, spec: HealthSpec | None = None) -> dict[str, Any]:
    spec = spec or load_health()
    surveys = {s["id"]: s for s in store.surveys()}
    found = store.site_rounds(url)
    origin = origin_of(url) or ""
    daily = ProbeDays(store, until - timedelta(days=days - 1), until).series(url, origin)
    if not found and not any(d["visits"] for d in daily):
        raise UsageError(f"{url} is in no survey of the store {store.where} and has no probe sample")
    found.sort(key=lambda r: (str(surveys.get(r["survey_id"], {}).get("as_of") or ""),
                              surveys.get(r["survey_id"], {}).get("created_at") or "", r["survey_id"]))
    # Each round's 健康指数 reads the probe window that ends on that round's date, as survey.html does.
    round_days = {r["survey_id"]: _round_day(surveys.get(r["survey_id"], {}), until) for r in found}
    window = spec.window_days
    first = min([d - timedelta(days=window - 1) for d in round_days.values()], default=until)
    windows = ProbeDays(store, first, max(round_days.values(), default=until))
    out_rounds = []
    before: dict[str, Any] = {}
    for r in found:
        summary = r["summary"] or {}
        indicators = {k: v[0] if isinstance(v, list) else v for k, v in summary.get("indicators", {}).items()}
        changes = [{"indicator": k, "before": before[k], "after": v} for k, v in sorted(indicators.items())
                   if k in before and before[k] != v]
        audited = summary.get("score") is not None
        health = site_health(spec, dict(summary.get("metrics", {})) if audited else None,
                             windows.window(url, origin, round_days[r["survey_id"]], window))
        out_rounds.append({"survey": r["survey_id"], "as_of": surveys.get(r["survey_id"], {}).get("as_of"),
                           "profile": surveys.get(r["survey_id"], {}).get("profile"), "status": r["status"],
                           "score": summary.get("score"), "grade": summary.get("grade"),
                           "passed": summary.get("passed"), "vetoes": list(summary.get("vetoes", [])),
                           "error": r["error"], "health": health, "changes": changes})
        if indicators:
            before = indicators
    return {"url": url, "health_index": {"id": spec.id, "title": spec.title, "notice": spec.notice},
            "rounds": out_rounds, "days": daily}


def history_text(data: dict[str, Any]) -> str:
    lines = [f"history of {data['url']}", "", "rounds:"]
    if not data["rounds"]:
        lines.append("  (in no survey)")
    for r in data["rounds"]:
        verdict = (f"{r['score']:g} {r['grade']}" if isinstance(r["score"], int | float)
                   else f"not audited ({r['status']}{': ' + r['error'] if r['error'] else ''})")
        vetoes = f"  vetoes: {', '.join(r['vetoes'])}" if r["vetoes"] else ""
        lines.append(f"  {r['as_of'] or '-':10}  {r['survey']:24}  {verdict}  {_health_words(r['health'])}{vetoes}")
        lines += [f"      {c['indicator']}: {c['before']} -> {c['after']}" for c in r["changes"]]
    if data["rounds"]:
        lines += ["", f"{data['health_index']['title']}: {data['health_index']['notice']}".rstrip(": ")]
    lines += ["", "probe days (visits, availability, mean response):"]
    for d in data["days"]:
        if d["visits"]:
            lines.append(f"  {d['day']}  {d['visits']:4} visits  {d['availability']:5.1f} %  {d['ms']:8.1f} ms")
        else:
            lines.append(f"  {d['day']}     - no sample")
    return "\n".join(lines) + "\n"


def _health_words(health: dict[str, Any]) -> str:
    if health["value"] is None:
        return f"健康指数 - (measured {health['coverage']:.0%} of its weight)"
    note = "" if health["coverage"] >= 1 else f" (on {health['coverage']:.0%} of its weight)"
    return f"健康指数 {health['value']:g}{note}"
