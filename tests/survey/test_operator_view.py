"""The survey operator's view on real stores (an SQLite file and the test PostgreSQL): a generated
survey of 240 sites in three provinces, two rounds and a week of probe samples, written through the
store's API. The roll-ups are checked against a plain recomputation, the exports are read back, and
the pages are opened in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from govaudit.store import Claim, ProbeSample, Store
from govaudit.survey.report import site_dir_name, write_survey
from govaudit.survey.runner import summarize
from tests.store.helpers import make_result

EVIL = '<b class="evil">乙</b><script>alert(1)</script>'
PROVINCES = {"江西省": ["赣州市", "南昌市"], "河北省": ["石家庄市", "保定市"], "四川省": ["成都市", "绵阳市"]}
ROUNDS = (("r1", date(2026, 8, 22)), ("r2", date(2026, 11, 22)))
CN = timezone(timedelta(hours=8))


def _sites() -> list[tuple[str, dict[str, object]]]:
    out = []
    n = 0
    for prov, cities in PROVINCES.items():
        for city in cities:
            for county in ("甲县", "乙县", "丙区", "丁县"):
                for k in range(10):
                    n += 1
                    portal = k == 0
                    out.append((f"http://s{n}.example.gov.cn/", {
                        "name": EVIL if n == 7 else f"站点{n}", "region": prov,
                        "level": "门户" if portal else "部门", "org_path": f"{prov}/{city}/{county}",
                        "parent_site": "" if portal else f"http://s{n - k}.example.gov.cn/", "extra": {}}))
    return out


def _summary(rng: random.Random, url: str) -> dict[str, object]:
    score = round(rng.uniform(40, 100), 1)
    vetoes = ["cn.veto.columns.stale"] if rng.random() < 0.15 else []
    if rng.random() < 0.05:
        vetoes.append("cn.veto.interaction.overdue")
    passed = score >= 60 and not vetoes
    home, other = rng.randint(0, 3), rng.randint(0, 9)
    inds = {"cn.deduct.links.home": ["fail" if home else "pass", -home],
            "cn.deduct.links.other": ["fail" if other > 4 else "pass", 0],
            "cn.veto.columns.stale": ["fail" if "cn.veto.columns.stale" in vetoes else "pass", 0]}
    return {"score": score, "grade": "合格" if passed else "不合格", "passed": passed, "vetoes": vetoes,
            "pages": 10, "title": url, "indicators": inds,
            "metrics": {"links.broken_home": home, "links.broken_other": other,
                        "freshness.stale_news_plus_notice_policy": int(bool(vetoes)),
                        "interaction.overdue": rng.randint(0, 2), "freshness.home_updated": 1}}


def generate(store: Store) -> dict[str, dict[str, dict[str, object]]]:
    """Two rounds; returns round -> url -> (info, status, summary) as generated."""
    rng = random.Random(13)
    sites = _sites()
    truth: dict[str, dict[str, dict[str, object]]] = {}
    for rid, as_of in ROUNDS:
        store.create_survey(rid, {"profile": "cn-gov-2019", "as_of": as_of.isoformat()})
        store.add_survey_sites(rid, sites)
        truth[rid] = {}
        for i, (url, info) in enumerate(sites):
            claim = store.claim_site(rid, url, "gen", 60, {"profile": "cn-gov-2019"}, as_of)
            assert isinstance(claim, Claim)
            if i % 37 == 5:
                store.finish_site(rid, url, "failed", error="dns: <no such host>")
                truth[rid][url] = {"info": info, "status": "failed", "summary": None}
                continue
            if rid == "r2" and i < 4:  # real results with findings, for the 问题清单
                result = make_result(claim.run_id, home=2, other=3)
                store.finish_run(claim.run_id, result)
                summary = summarize(result)
            else:
                summary = _summary(rng, url)
            store.finish_site(rid, url, "done", summary=summary)
            truth[rid][url] = {"info": info, "status": "done", "summary": summary}
    samples = []
    for n, (url, _) in enumerate(sites):
        for d in range(7):
            day = ROUNDS[1][1] - timedelta(days=d)
            for h in range(4):
                at = datetime(day.year, day.month, day.day, 3 + 5 * h, 0, tzinfo=CN)
                ok = not (n % 10 == 3 and h == 0)  # a tenth of the sites miss one visit in four
                samples.append(ProbeSample(site=url, at=at.isoformat(), day=day.isoformat(), ok=ok,
                                           status=200 if ok else None, error=None if ok else "timeout",
                                           elapsed_ms=100.0 + n, origin=url.rstrip("/")))
    store.add_samples(samples)
    return truth


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "govaudit.db")
    return request.getfixturevalue("pg_url")


def _expected(truth: dict[str, dict[str, object]], prefix: str) -> dict[str, object]:
    rows = [t for t in truth.values() if str(t["info"]["org_path"]).startswith(prefix)]  # type: ignore[index]
    done = [t["summary"] for t in rows if t["status"] == "done"]
    scores = [float(s["score"]) for s in done]  # type: ignore[index]
    vetoes = Counter(v for s in done for v in s["vetoes"])  # type: ignore[index]
    broken = [s["metrics"]["links.broken_home"] + s["metrics"]["links.broken_other"] for s in done  # type: ignore[index]
              if "links.broken_home" in s["metrics"]]  # type: ignore[index]
    return {"sites": len(rows), "pass": sum(1 for s in done if s["passed"]),  # type: ignore[index]
            "fail": sum(1 for s in done if not s["passed"]), "unjudged": len(rows) - len(done),  # type: ignore[index]
            "mean": round(statistics.fmean(scores), 1), "median": round(statistics.median(scores), 1),
            "vetoes": dict(vetoes), "broken_links": sum(broken)}


def test_rollups_exports_and_pages(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Store.open(store_url) as store:
        truth = generate(store)
        for site in store.survey_sites("r2"):  # generated sites: their reports "already written"
            if site.status == "done" and site.run_id and not site.url.startswith(("http://s1.", "http://s2.")):
                folder = out / "sites" / site_dir_name(site.url)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / ".run").write_text(site.run_id, encoding="utf-8")
        write_survey(store, "r2", out, site_formats=["html"])
    board = json.loads((out / "dashboard.json").read_text(encoding="utf-8"))
    assert "not an official score" in board["health"]["notice"]
    assert [r["id"] for r in board["rounds"]] == ["r1", "r2"]
    units = {u["label"]: u for u in board["units"]}
    assert len(units) == 1 + 3 + 6 + 24
    for label in ("江西省", "河北省/保定市", "四川省/成都市/丙区"):
        want = _expected(truth["r2"], label)
        got = units[label]
        assert {k: got[k] for k in ("sites", "pass", "fail", "unjudged", "mean", "median", "broken_links")} == \
            {k: want[k] for k in ("sites", "pass", "fail", "unjudged", "mean", "median", "broken_links")}
        assert {v["id"]: v["sites"] for v in got["vetoes"]} == want["vetoes"]
        # the unit's trend has both rounds; round 1 recomputed from round 1's truth
        assert got["trend"]["mean"][0] == _expected(truth["r1"], label)["mean"]
        assert got["trend"]["mean"][1] == want["mean"]
    assert units["全部"]["sites"] == 240 and units["全部"]["portals"] == 24
    levels = {g["level"]: g for g in units["江西省/赣州市/甲县"]["levels"]}
    jx = [t for t in truth["r2"].values() if t["info"]["org_path"] == "江西省/赣州市/甲县"]  # type: ignore[index]
    assert levels["门户"]["sites"] == 1 and levels["部门"]["sites"] == 9
    assert levels["部门"]["pass"] == sum(1 for t in jx if t["info"]["level"] == "部门"  # type: ignore[index]
                                       and t["summary"] and t["summary"]["passed"])  # type: ignore[index]

    sites = {s["url"]: s for s in board["sites"]}
    # s4 (index 3) misses one probe visit in four: availability 75 %, all others 100 %
    assert sites["http://s4.example.gov.cn/"]["availability"] == 75.0
    assert sites["http://s5.example.gov.cn/"]["availability"] == 100.0
    assert sites["http://s5.example.gov.cn/"]["health"]["components"]["availability"] == 100.0
    assert sites["http://s6.example.gov.cn/"]["health"]["value"] is None  # not audited: probes alone are too little
    assert sites["http://s7.example.gov.cn/"]["health"]["value"] is not None
    assert [t["round"] for t in sites["http://s5.example.gov.cn/"]["trend"]] == ["r1", "r2"]

    with (out / "issues.csv").open(encoding="utf-8-sig", newline="") as fh:
        issues = list(csv.DictReader(fh))
    real = [r for r in issues if r["url"] == "http://s1.example.gov.cn/" and r["indicator"] == "cn.deduct.links.home"]
    assert real and all(r["evidence"].startswith("sites/") and "#f-" in r["evidence"] for r in real)
    assert any(r["result"] == "error" and "no such host" in r["finding"] for r in issues)
    prov = units["江西省"]["issues"]
    with (out / prov).open(encoding="utf-8-sig", newline="") as fh:
        jx = list(csv.DictReader(fh))
    assert jx and all(r["unit"].startswith("江西省/") for r in jx)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO((out / prov.replace(".csv", ".xlsx")).read_bytes()), read_only=True)
    assert sum(1 for _ in wb["问题清单"].iter_rows()) == len(jx) + 2

    with (out / "survey.csv").open(encoding="utf-8-sig", newline="") as fh:
        table = {r["url"]: r for r in csv.DictReader(fh)}
    assert table["http://s7.example.gov.cn/"]["health"] == f'{sites["http://s7.example.gov.cn/"]["health"]["value"]:g}'
    assert table["http://s7.example.gov.cn/"]["unit"] == "江西省/赣州市/甲县"
    html = (out / "survey.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert html.count("not an official score") >= 1
    for u in board["units"][1:4]:
        page = (out / u["page"]).read_text(encoding="utf-8")
        assert "not an official score" in page and "<b class=\"evil\">" not in page
    county = "江西省/赣州市/甲县"
    with (out / units[county]["issues"]).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["unit"] == county for r in rows)
    sheet = load_workbook(io.BytesIO((out / units[county]["issues_xlsx"]).read_bytes()), read_only=True)["问题清单"]
    cells = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == f"问题清单 {units[county]['label']}"
    assert cells[1] == list(rows[0].keys()) and [dict(zip(cells[1], r, strict=True)) for r in cells[2:]] == rows
    _look_in_chromium(out, units["江西省"]["page"])


def _look_in_chromium(out: Path, unit_page: str) -> None:
    import asyncio

    from playwright.async_api import async_playwright

    from govaudit.browser import find_browser

    async def look() -> None:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=find_browser(), args=[
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            try:
                page = await browser.new_page()
                await page.goto((out / "survey.html").as_uri())
                assert await page.locator("table.units tr").count() == 1 + 3
                assert await page.locator("svg.chart polyline").count() == 3
                assert await page.locator("table.sites svg.spark").count() > 200  # in the ranking
                assert await page.locator("b.evil").count() == 0  # site text shown as text
                assert await page.get_by_text(EVIL).count() >= 1
                await page.click("table.units a >> text=江西省")
                assert page.url.endswith(unit_page)
                assert await page.locator("table.units tr").count() == 1 + 2  # its two cities
                assert await page.locator("svg.chart").count() == 1
                await page.click("table.units a >> text=赣州市")
                await page.click("table.units a >> text=甲县")
                assert "江西省/赣州市/甲县" in await page.locator("h1").inner_text()
                assert "9" in await page.locator("h2:has-text('门户 and their departments') + table tr >> nth=1").inner_text()
                links = await page.locator("table.sites a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
                assert links and all(h.startswith("../sites/") and h.endswith("/report.html") for h in links)
            finally:
                await browser.close()

    asyncio.run(look())
