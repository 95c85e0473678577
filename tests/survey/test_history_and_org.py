"""`govaudit history URL` over a store with two rounds and probe days, and the organisation columns
of the sites CSV."""

from __future__ import annotations

import json
import re
from pathlib import Path

from govaudit.store import Store
from govaudit.survey.health import load_health
from govaudit.survey.sites import parse_sites
from tests.survey.helpers import govaudit
from tests.survey.test_operator_view import _sites, generate


def test_history_prints_rounds_changes_and_days(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    with Store.open(str(db)) as store:
        generate(store)
    proc = govaudit("history", "http://s4.example.gov.cn/", "--db", str(db), "--until", "2026-11-22", "--days", "8")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "history of http://s4.example.gov.cn/"
    assert any("2026-08-22" in ln and "r1" in ln for ln in lines)
    assert any("2026-11-22" in ln and "r2" in ln for ln in lines)
    assert "2026-11-15     - no sample" in proc.stdout  # the 8th day back has no visit
    assert "2026-11-22     4 visits   75.0 %" in proc.stdout
    data = json.loads(govaudit("history", "s4.example.gov.cn", "--db", str(db), "--until", "2026-11-22",
                               "--format", "json").stdout)
    assert [r["survey"] for r in data["rounds"]] == ["r1", "r2"]
    assert all(c["before"] != c["after"] for c in data["rounds"][1]["changes"])
    missing = govaudit("history", "http://nowhere.example/", "--db", str(db))
    assert missing.returncode == 2 and "in no survey" in missing.stderr


def test_history_gives_each_round_its_health_index_from_that_rounds_probe_window(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    with Store.open(str(db)) as store:
        truth = generate(store)
    for url in ("http://s4.example.gov.cn/", "http://s9.example.gov.cn/"):
        _check_history_health(db, url, truth)


def _check_history_health(db: Path, url: str, truth: dict) -> None:
    data = json.loads(govaudit("history", url, "--db", str(db), "--until", "2026-11-22", "--format", "json").stdout)
    assert data["health_index"]["title"] == "健康指数" and "not an official score" in data["health_index"]["notice"]
    r1, r2 = data["rounds"]
    for rnd, got in (("r1", r1), ("r2", r2)):
        metrics = truth[rnd][url]["summary"]["metrics"]  # type: ignore[index]
        links = 100 - 10 * metrics["links.broken_home"] - 2 * metrics["links.broken_other"]
        assert got["health"]["components"]["links"] == max(links, 0)
    # r2's 7-day window holds the 28 probe visits; the August round has none, so availability is
    # absent there and the index stands on the other components' weight only.
    n = [u for u, _ in _sites()].index(url)
    visits = 28
    opened = visits - 7 if n % 10 == 3 else visits  # the generator's one missed visit in four
    assert r2["health"]["components"]["availability"] == round(100 * opened / visits, 2)
    assert r1["health"]["components"]["availability"] is None
    spec = load_health()
    for rnd, got in (("r1", r1), ("r2", r2)):
        metrics = truth[rnd][url]["summary"]["metrics"]  # type: ignore[index]
        present = {c.id: c.weight for c in spec.components
                   if (c.reads == "probes" and rnd == "r2") or (set(c.deduct) | set(c.require)) & set(metrics)}
        assert set(present) == {k for k, v in got["health"]["components"].items() if v is not None}
        assert got["health"]["coverage"] == round(sum(present.values()) / spec.total_weight, 3)
        parts = got["health"]["components"]
        weight = sum(present.values())
        expected = (round(sum(w * parts[k] for k, w in present.items()) / weight, 1)
                    if weight / spec.total_weight >= spec.min_coverage else None)
        assert got["health"]["value"] == expected
    assert "availability" not in [k for k, v in r1["health"]["components"].items() if v is not None]
    text = govaudit("history", url, "--db", str(db), "--until", "2026-11-22").stdout
    for got in (r1, r2):
        h = got["health"]
        words = (f"健康指数 - (measured {h['coverage']:.0%} of its weight)" if h["value"] is None
                 else f"健康指数 {h['value']:g}" + ("" if h["coverage"] == 1 else f" (on {h['coverage']:.0%} of its weight)"))
        assert any(got["survey"] in ln and words in ln for ln in text.splitlines()), (words, text)
    assert "not an official score" in text


def test_org_columns() -> None:
    text = ("url,name,org_path,level,parent_site\n"
            "http://a.gov.cn/,瑞金市,江西省 / 赣州市 / 瑞金市,门户,\n"
            "http://b.gov.cn/,教育局,江西省>赣州市>瑞金市,部门,a.gov.cn\n")
    a, b = parse_sites(text).sites
    assert a.org_path == b.org_path == "江西省/赣州市/瑞金市"
    assert b.parent_site == "http://a.gov.cn/" and b.info()["parent_site"] == "http://a.gov.cn/"
    (c,) = parse_sites("网站地址,省,市,县\nhttp://c.gov.cn/,河北省,保定市,\n").sites
    assert c.org_path == "河北省/保定市" and "省" not in c.extra
    (d,) = parse_sites("url,region\nhttp://d.gov.cn/,四川省/成都市\n").sites
    assert d.org_path == "四川省/成都市" and d.region == "四川省/成都市"


def test_real_audits_end_to_end(tmp_path: Path) -> None:
    """Three loopback portals audited for real in two rounds, with the hierarchy in the CSV: the
    unit pages lead to the site reports, the 问题清单 points into them, history and diff follow."""
    import csv

    from tests.survey.helpers import AS_OF, FAST
    from tests.survey.portals import portal_routes, serve_portals

    db = tmp_path / "g.db"

    def round_(name: str, as_of: str, urls: list[str]) -> Path:
        sites = tmp_path / f"{name}.csv"
        with sites.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["url", "name", "province", "city", "county", "level", "parent_site"])
            w.writerow([urls[0], "赣州市人民政府", "江西省", "赣州市", "", "门户", ""])
            w.writerow([urls[1], "瑞金市人民政府", "江西省", "赣州市", "瑞金市", "门户", urls[0]])
            w.writerow([urls[2], "石家庄市人民政府", "河北省", "石家庄市", "", "门户", ""])
        out = tmp_path / name
        proc = govaudit("survey", str(sites), "--id", name, "--db", str(db), "--out", str(out), "--as-of", as_of,
                        "--profile", "links", "--checks", "links", *FAST)
        assert proc.returncode == 0, proc.stderr
        return out

    with serve_portals(3, first_address=130, broken_every=0) as portals:
        urls = portals.urls
        one = round_("r1", "2026-11-01", urls)
        portals.items[1].server.routes = portal_routes(1, broken=True)
        two = round_("r2", AS_OF, urls)

    board = json.loads((two / "dashboard.json").read_text(encoding="utf-8"))
    units = {u["label"]: u for u in board["units"]}
    assert set(units) == {"全部", "江西省", "江西省/赣州市", "江西省/赣州市/瑞金市", "河北省", "河北省/石家庄市"}
    assert units["江西省"]["sites"] == 2 and units["江西省"]["fail"] == 1 and units["江西省"]["pass"] == 1
    assert units["江西省"]["trend"]["mean"][0] == 100 and units["江西省"]["trend"]["mean"][1] < 100
    county = (two / units["江西省/赣州市/瑞金市"]["page"]).read_text(encoding="utf-8")
    (href,) = re.findall(r'href="\.\./(sites/[^"]+/report\.html)"', county)
    report = (two / href).read_text(encoding="utf-8")
    with (two / "issues.csv").open(encoding="utf-8-sig", newline="") as fh:
        issues = [r for r in csv.DictReader(fh) if r["url"] == urls[1]]
    assert issues and issues[0]["indicator"] == "links.broken.home"
    link, anchor = issues[0]["evidence"].split("#")
    assert link == href and f'id="{anchor}"' in report

    text = govaudit("history", urls[1], "--db", str(db), "--until", AS_OF).stdout
    assert "r1" in text and "r2" in text and "links.broken.home: pass -> fail" in text
    diff = json.loads(govaudit("survey-diff", str(one), str(two), "--format", "json").stdout)
    (entry,) = diff["newly_failing"]
    assert entry["url"] == urls[1]
    page, site_anchor = entry["trend"].split("#")
    assert f'id="{site_anchor}"' in (two / page).read_text(encoding="utf-8")
