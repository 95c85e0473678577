"""The survey operator's view: the hierarchy's roll-ups, the 健康指数, trends over rounds and days,
and the HTML of survey.html's operator sections and of one page per unit (units/u-….html).

`operator_view` computes everything from the store; the templates only lay it out. Every string
from a site or from the input list is escaped by Jinja's autoescaping (SVG text included).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

from govaudit.crawl.urls import origin_of
from govaudit.store import Store
from govaudit.survey.health import HealthSpec, load_health, site_health, unit_health
from govaudit.survey.org import Unit, portals, rolled_units, unit_path, unit_slug
from govaudit.survey.trends import ProbeDays, line_chart, mean_or_none, round_rows, rounds, sparkline

DAYS_SHOWN = 14  # probe days drawn per site, ending on the survey's date


def operator_view(store: Store, doc: dict[str, Any], spec: HealthSpec | None = None) -> dict[str, Any]:
    """Health, trends and units for a survey document; adds `health`, `unit`, `trend` to its rows."""
    spec = spec or load_health()
    survey_id = doc["survey"]["id"]
    as_of = date.fromisoformat(str(doc["survey"]["as_of"]))
    past = rounds(store, survey_id)
    round_ids = [r["id"] for r in past] or [survey_id]
    round_dates = {r["id"]: date.fromisoformat(str(r.get("as_of") or as_of)) for r in past}
    round_dates.setdefault(survey_id, as_of)
    by_round = round_rows(store, [r for r in round_ids if r != survey_id])
    window = spec.window_days
    first = min([as_of - timedelta(days=DAYS_SHOWN - 1)] + [d - timedelta(days=window - 1) for d in round_dates.values()])
    probes = ProbeDays(store, first, as_of)
    titles = {i["id"]: i["title"] for i in doc["indicators"]}
    from govaudit.survey.report import site_dir_name

    for row in doc["sites"]:
        origin = origin_of(row["url"]) or ""
        row["anchor"] = site_dir_name(row["url"])
        audited = row["score"] is not None
        row["unit"] = "/".join(unit_path(row))
        row["health"] = site_health(spec, row["metrics"] if audited else None,
                                    probes.window(row["url"], origin, as_of, window))
        days = [d for d in probes.series(row["url"], origin) if d["day"] > (as_of - timedelta(days=DAYS_SHOWN)).isoformat()]
        row["days"] = days
        known = [d for d in days if d["visits"]]
        row["availability"] = (round(100.0 * sum(d["availability"] * d["visits"] for d in known) / 100.0
                                     / sum(d["visits"] for d in known), 1) if known else None)
        trend = []
        for rid in round_ids:
            past_row = None if rid == survey_id else by_round.get(rid, {}).get(row["url"])
            if rid == survey_id:
                score, grade, passed, metrics = row["score"], row["grade"], row["passed"], row["metrics"]
                health = row["health"]["value"]
            elif past_row is None:
                trend.append({"round": rid, "score": None, "grade": None, "passed": None, "health": None})
                continue
            else:
                score, grade, passed, metrics = (past_row["score"], past_row["grade"], past_row["passed"],
                                                 past_row["metrics"])
                health = site_health(spec, metrics if score is not None else None,
                                     probes.window(row["url"], origin, round_dates[rid], window))["value"]
            trend.append({"round": rid, "score": score, "grade": grade, "passed": passed, "health": health})
        row["trend"] = trend
        row["spark_score"] = sparkline([t["score"] for t in trend])
        row["spark_avail"] = sparkline([d["availability"] for d in days])
    units = rolled_units(doc["sites"], titles)
    unit_trends = {path: _unit_trend(u, round_ids) for path, u in units.items()}
    return {"spec": spec, "units": units, "rounds": round_ids, "unit_trends": unit_trends,
            "round_dates": {k: v.isoformat() for k, v in round_dates.items()}}


def _unit_trend(unit: Unit, round_ids: list[str]) -> dict[str, Any]:
    """Per round: mean score, 合格 share (%) and mean 健康指数 of the unit's sites."""
    mean, share, health = [], [], []
    for i in range(len(round_ids)):
        points = [r["trend"][i] for r in unit.rows]
        judged = [p for p in points if p["score"] is not None]
        mean.append(mean_or_none([p["score"] for p in judged]))
        share.append(round(100.0 * sum(1 for p in judged if p["passed"]) / len(judged), 1) if judged else None)
        health.append(unit_health([p["health"] for p in points]))
    chart = line_chart(round_ids, [{"name": "mean score", "values": mean, "cls": "l-score"},
                                   {"name": "合格 %", "values": share, "cls": "l-pass"},
                                   {"name": "健康指数", "values": health, "cls": "l-health"}])
    return {"mean": mean, "pass_share": share, "health": health, "chart": chart,
            "spark": sparkline(mean)}


# ---- templates -------------------------------------------------------------------------------

MACROS = """
{% macro spark(s, cls="") %}{% if s %}<svg class="spark {{ cls }}" width="{{ s.width }}" height="{{ s.height }}"
 role="img" aria-label="{{ s.label }}"><title>{{ s.label }}</title><polyline points="{{ s.points }}"/>
<circle cx="{{ s.last[0] }}" cy="{{ s.last[1] }}" r="2"/></svg>{% else %}<span class="muted">-</span>{% endif %}{% endmacro %}

{% macro chart(c, title) %}{% if c %}<svg class="chart" width="{{ c.width }}" height="{{ c.height }}" role="img"
 aria-label="{{ title }}"><title>{{ title }}</title>
{% for t in c.ticks %}<line class="grid" x1="{{ c.left }}" x2="{{ c.right }}" y1="{{ t.y }}" y2="{{ t.y }}"/>
<text x="{{ c.left - 4 }}" y="{{ t.y + 4 }}" font-size="10" text-anchor="end">{{ t.label }}</text>{% endfor %}
{% for x in c.xs %}<text x="{{ x.x }}" y="{{ c.bottom + 14 }}" font-size="10" text-anchor="middle">{{ x.label }}</text>{% endfor %}
{% for l in c.lines %}<g class="{{ l.cls }}"><polyline points="{{ l.points }}"/>
{% for d in l.dots %}<circle cx="{{ d.x }}" cy="{{ d.y }}" r="3"><title>{{ l.name }}: {{ d.v }}</title></circle>{% endfor %}</g>
{% endfor %}
{% for l in c.lines %}<g class="{{ l.cls }}"><line x1="{{ c.left + 130 * loop.index0 }}" x2="{{ c.left + 130 * loop.index0 + 16 }}"
 y1="{{ c.bottom + 30 }}" y2="{{ c.bottom + 30 }}"/></g><text x="{{ c.left + 130 * loop.index0 + 20 }}" y="{{ c.bottom + 34 }}"
 font-size="11">{{ l.name }}</text>{% endfor %}
</svg>{% else %}<p class="muted">One round only: the trend starts with the next survey of this profile.</p>{% endif %}{% endmacro %}

{% macro notice(spec) %}<p class="notice" role="note"><b>{{ spec.title }}</b>: {{ spec.notice }}
(<code>{{ spec.id }}</code>; formula in docs/health-index.md)</p>{% endmacro %}

{% macro unit_table(units, paths, base, trends) %}
<table class="units"><tr><th>unit</th><th class="n">sites</th><th class="n">门户</th><th class="n">合格</th>
<th class="n">不合格</th><th class="n">无法评定</th><th class="n">mean</th><th class="n">median</th>
<th class="n">健康指数</th><th>vetoes</th><th>worst indicators</th><th class="n">broken links / site</th>
<th class="n">stale columns</th><th class="n">overdue messages</th><th>trend</th></tr>
{% for p in paths %}{% set u = units[p] %}{% set s = u.stats %}<tr>
<td><a href="{{ base }}{{ slug(p) }}">{{ u.name }}</a></td><td class="n">{{ s.sites }}</td><td class="n">{{ s.portals }}</td>
<td class="n pass">{{ s.pass }}</td><td class="n fail">{{ s.fail }}</td><td class="n">{{ s.unjudged }}</td>
<td class="n">{{ num(s.mean) }}</td><td class="n">{{ num(s.median) }}</td><td class="n">{{ num(s.health) }}</td>
<td>{% for v in s.vetoes %}{{ v.title }} ({{ v.sites }}){{ "; " if not loop.last }}{% endfor %}</td>
<td>{% for w in s.worst %}{{ w.title }} ({{ w.sites }}){{ "; " if not loop.last }}{% endfor %}</td>
<td class="n">{{ num(s.broken_per_site) }}</td><td class="n">{{ s.stale_columns }}</td><td class="n">{{ s.overdue_messages }}</td>
<td>{{ spark(trends[p].spark) }}</td></tr>{% endfor %}</table>{% endmacro %}

{% macro site_table(rows, base) %}
<table class="sites"><tr><th>site</th><th>unit</th><th>level</th><th class="n">score</th><th>grade</th>
<th class="n">健康指数</th><th>score over rounds</th><th class="n">availability {{ days }} d</th><th>per day</th><th>vetoes</th></tr>
{% for r in rows %}<tr id="site-{{ r.anchor }}"><td>{% if r.report %}<a href="{{ base }}{{ r.report }}">{{ r.name or r.title or r.url }}</a>
{% else %}{{ r.name or r.url }}{% endif %}<br><span class="muted">{{ r.url }}</span>
{% if r.parent_site %}<br><span class="muted">门户 {{ r.parent_site }}</span>{% endif %}</td>
<td>{{ r.unit }}</td><td>{{ r.level }}</td><td class="n">{{ num(r.score) }}</td>
<td class="{{ 'pass' if r.passed else 'fail' }}">{{ r.grade or r.status }}</td>
<td class="n">{{ num(r.health.value) }}</td><td>{{ spark(r.spark_score) }}</td><td class="n">{{ num(r.availability) }}</td>
<td>{{ spark(r.spark_avail, "avail") }}</td><td>{{ r.vetoes | join(", ") }}</td></tr>{% endfor %}</table>{% endmacro %}
"""

STYLE = """
.notice{background:#fffaeb;border:1px solid #fec84b;padding:6px 10px;border-radius:6px}
svg.spark polyline{fill:none;stroke:#1f4e79;stroke-width:1.5}svg.spark circle{fill:#1f4e79}
svg.spark.avail polyline{stroke:#1b7f3b}svg.spark.avail circle{fill:#1b7f3b}
svg.chart polyline{fill:none;stroke-width:2}svg.chart line.grid{stroke:#eaecf0}
.l-score polyline,.l-score line{stroke:#1f4e79;stroke-width:2}.l-score circle{fill:#1f4e79}
.l-pass polyline,.l-pass line{stroke:#1b7f3b;stroke-width:2}.l-pass circle{fill:#1b7f3b}
.l-health polyline,.l-health line{stroke:#b54708;stroke-width:2}.l-health circle{fill:#b54708}
table.units td,table.sites td{font-size:13px}nav.crumbs{margin:8px 0}
"""

OPERATOR = """{% import "macros" as m %}
<h2 id="units">Units (roll-up by organisation)</h2>
{{ m.notice(ov.spec) }}
<p class="muted">合格 passed · 不合格 audited and failed · 无法评定 no verdict (not audited or not finished).
Broken links, stale columns (freshness.stale_news_plus_notice_policy) and overdue messages (interaction.overdue)
are summed over the audited sites. Exports: <a href="issues.csv">问题清单 CSV</a> · <a href="issues.xlsx">XLSX</a> ·
<a href="dashboard.json">dashboard JSON</a></p>
{% set root = ov.units[()] %}
{{ m.unit_table(ov.units, root.children, "", ov.unit_trends) }}
<h2>Trend over rounds</h2>
{{ m.chart(ov.unit_trends[()].chart, "All sites: mean score, 合格 share and 健康指数 per round") }}
<p class="muted">Each site's 健康指数, score over the rounds and availability per day are in the ranking below.</p>
"""

UNIT = """{% import "macros" as m %}<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ unit.label }} — survey {{ doc.survey.id }}</title><style>{{ base_style }}{{ style }}</style></head><body>
<nav class="crumbs"><a href="../survey.html">{{ root_name }}</a>{% for p in crumbs %} › <a href="../{{ slug(p) }}">{{ p[-1] }}</a>{% endfor %}
 › <b>{{ unit.name }}</b></nav>
<h1>{{ unit.label }}</h1>
<p class="muted">Survey {{ doc.survey.id }} · {{ doc.profile.title }} ({{ doc.profile.id }}) · as of {{ doc.survey.as_of }}</p>
{{ m.notice(ov.spec) }}
{% set s = unit.stats %}
<div class="cards"><div class="card"><b>{{ s.sites }}</b>sites</div><div class="card"><b>{{ s.pass }}</b>合格</div>
<div class="card"><b>{{ s.fail }}</b>不合格</div><div class="card"><b>{{ s.unjudged }}</b>无法评定</div>
<div class="card"><b>{{ num(s.mean) }}</b>mean score</div><div class="card"><b>{{ num(s.median) }}</b>median</div>
<div class="card"><b>{{ num(s.health) }}</b>健康指数 (not official)</div></div>
<p>Exports: <a href="{{ export }}.csv">问题清单 CSV</a> · <a href="{{ export }}.xlsx">XLSX</a></p>
<h2>Vetoes and worst indicators</h2>
<table><tr><th>veto</th><th class="n">sites</th></tr>{% for v in s.vetoes %}<tr><td>{{ v.title }}<br>
<span class="muted">{{ v.id }}</span></td><td class="n">{{ v.sites }}</td></tr>{% else %}<tr><td colspan="2" class="muted">none</td></tr>{% endfor %}</table>
<table><tr><th>indicator failing most</th><th class="n">sites</th></tr>{% for w in s.worst %}<tr><td>{{ w.title }}<br>
<span class="muted">{{ w.id }}</span></td><td class="n">{{ w.sites }}</td></tr>{% else %}<tr><td colspan="2" class="muted">none</td></tr>{% endfor %}</table>
<p>Broken links per audited site: {{ num(s.broken_per_site) }} ({{ s.broken_links }} in all) · stale columns:
{{ s.stale_columns }} · overdue messages: {{ s.overdue_messages }}</p>
<h2>Trend over rounds</h2>
{{ m.chart(trend.chart, unit.label ~ ": mean score, 合格 share and 健康指数 per round") }}
<h2>By level</h2>
<table><tr><th>level</th><th class="n">sites</th><th class="n">合格</th><th class="n">不合格</th><th class="n">无法评定</th>
<th class="n">mean score</th></tr>{% for g in s.levels %}<tr><td>{{ g.level }}</td><td class="n">{{ g.sites }}</td>
<td class="n">{{ g.pass }}</td><td class="n">{{ g.fail }}</td><td class="n">{{ g.unjudged }}</td><td class="n">{{ num(g.mean) }}</td></tr>
{% endfor %}</table>
{% if portals %}<h2>门户 and their departments</h2>
<table><tr><th>门户</th><th class="n">its score</th><th class="n">departments</th><th class="n">合格</th><th class="n">不合格</th>
<th class="n">无法评定</th><th class="n">departments' mean</th></tr>{% for p in portals %}<tr>
<td><a href="#site-{{ p.row.anchor }}">{{ p.row.name or p.row.url }}</a></td><td class="n">{{ num(p.row.score) }}</td>
<td class="n">{{ p.departments }}</td><td class="n">{{ p.pass }}</td><td class="n">{{ p.fail }}</td><td class="n">{{ p.unjudged }}</td>
<td class="n">{{ num(p.mean) }}</td></tr>{% endfor %}</table>{% endif %}
{% if unit.children %}<h2>Units of {{ unit.name }}</h2>{{ m.unit_table(ov.units, unit.children, "../", ov.unit_trends) }}{% endif %}
<h2>Sites</h2>
{{ m.site_table(rows, "../") }}
</body></html>
"""


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


def environment() -> Environment:
    from govaudit.survey.report import HTML_TEMPLATE

    env = Environment(loader=DictLoader({"macros": MACROS, "operator": OPERATOR, "unit": UNIT,
                                         "survey": HTML_TEMPLATE}),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(num=_num, slug=unit_slug, days=DAYS_SHOWN, style=STYLE)
    return env


def unit_pages(doc: dict[str, Any], ov: dict[str, Any], base_style: str) -> dict[str, str]:
    """units/u-….html for every unit but the root (which is survey.html)."""
    from govaudit.survey.exports import export_name

    env = environment()
    template = env.get_template("unit")
    out = {}
    for path, unit in ov["units"].items():
        if not path:
            continue
        rows = sorted(unit.rows, key=lambda r: (r["score"] is None, -(r["score"] or 0.0), r["url"]))
        out[unit_slug(path)] = template.render(
            doc=doc, ov=ov, unit=unit, rows=rows, trend=ov["unit_trends"][path], base_style=base_style,
            crumbs=[path[:i] for i in range(1, len(path))], root_name="全部 (all)", portals=portals(unit.rows),
            export=export_name(path).removeprefix("units/"))
    return out
