"""cn-gov-2019's freshness indicators: each one firing and quiet, on hand-built results and on
real audits of local portals (5 stale news columns, 5 empty columns, a stale home page …)."""

from __future__ import annotations

from typing import Any

import pytest

from govaudit.audit import AuditPlan, run_audit
from govaudit.config import AuditConfig, loopback_fast
from govaudit.model import CheckResult, Finding
from govaudit.profiles import load_profile
from govaudit.scoring import score
from tests.conftest import run
from tests.freshness.site import AS_OF, SITE, block, empty_page, list_page, row, shell
from tests.support.server import page, serving

IDS = ("cn.veto.home-update", "cn.veto.columns.stale", "cn.veto.columns.long-stale", "cn.veto.columns.empty",
       "cn.veto.faked-date", "cn.deduct.columns.policy", "cn.deduct.columns.personnel-plan")

CLEAN: dict[str, Any] = {
    "columns": 12, "stale": 0, "empty": 0, "undated": 0, "no_dates": 0, "unreadable": 0, "stale_news": 0,
    "stale_notice_policy": 0, "stale_news_plus_notice_policy": 0, "stale_policy": 0, "stale_personnel_plan": 0,
    "long_stale": 0, "future_columns": 0, "future_dates": 0, "home_updated": 1, "home_updated_days": 3,
}


def stale(n: int, kind: str, start: int = 1, long: bool = False) -> list[Finding]:
    return [Finding(rule="stale-column", page=f"http://site.test/{kind}{i}/", message="stale", id=f"f-{start + i}",
                    evidence={"type": kind, "name": f"{kind}{i}", "long_stale": long}) for i in range(n)]


def freshness(findings: list[Finding] | None = None, **metrics: Any) -> dict[str, CheckResult]:
    return {"freshness": CheckResult(metrics={**CLEAN, **metrics}, findings=findings or [])}


FIRES: dict[str, tuple[dict[str, CheckResult], str, float, int]] = {
    "cn.veto.home-update": (freshness([Finding(rule="home-not-updated", page="http://site.test/", message="x",
                                               id="f-1")], home_updated=0, home_updated_days=15), "fail", 0.0, 1),
    "cn.veto.columns.stale": (freshness(stale(3, "news") + stale(2, "notice", 10) + stale(4, "personnel", 20),
                                        stale=9, stale_news=3, stale_notice_policy=2,
                                        stale_news_plus_notice_policy=5, stale_personnel_plan=4), "fail", 0.0, 5),
    "cn.veto.columns.long-stale": (freshness(stale(8, "plan", long=True) + stale(3, "news", 20) + [
        Finding(rule="long-stale-column", page=f"http://site.test/o{i}/", message="x", id=f"f-{30 + i}",
                severity="warning", evidence={"type": "other", "long_stale": True}) for i in range(2)],
        stale=11, long_stale=10), "fail", 0.0, 10),
    "cn.veto.columns.empty": (freshness([Finding(rule="empty-column", page=f"http://site.test/e{i}/", message="x",
                                                 id=f"f-{i}") for i in range(5)], empty=5), "fail", 0.0, 5),
    "cn.veto.faked-date": (freshness([Finding(rule="future-date", page="http://site.test/tz/", message="x",
                                              id="f-1")], future_dates=1), "fail", 0.0, 1),
    "cn.deduct.columns.policy": (freshness(stale(2, "policy"), stale=2, stale_policy=2), "fail", -5.0, 2),
    "cn.deduct.columns.personnel-plan": (freshness(stale(1, "personnel") + stale(2, "plan", 5), stale=3,
                                                   stale_personnel_plan=3), "fail", -2.0, 3),
}
QUIET: dict[str, dict[str, CheckResult]] = {
    "cn.veto.home-update": freshness(home_updated_days=14),
    "cn.veto.columns.stale": freshness(stale(4, "news"), stale=4, stale_news=4, stale_news_plus_notice_policy=4),
    "cn.veto.columns.long-stale": freshness(long_stale=9),
    "cn.veto.columns.empty": freshness(empty=4),
    "cn.veto.faked-date": freshness(),
    "cn.deduct.columns.policy": freshness(stale(3, "news"), stale_news=3),
    "cn.deduct.columns.personnel-plan": freshness(stale(1, "policy"), stale_policy=1),
}


def indicator(checks: dict[str, CheckResult], indicator_id: str):  # noqa: ANN201
    (found,) = [i for i in score(load_profile("cn-gov-2019"), checks).indicators if i.id == indicator_id]
    return found


def test_every_freshness_indicator_is_covered() -> None:
    shipped = {s.id for s in load_profile("cn-gov-2019").indicators if s.check == "freshness"}
    assert shipped == set(IDS) == set(FIRES) == set(QUIET)


@pytest.mark.parametrize("indicator_id", IDS)
def test_fires(indicator_id: str) -> None:
    checks, result, points, n_findings = FIRES[indicator_id]
    ind = indicator(checks, indicator_id)
    assert (ind.result, ind.points, len(ind.findings)) == (result, points, n_findings), ind.detail
    assert ind.detail and ind.source["document"] and ind.verified in ("V", "V2", "unverified")


@pytest.mark.parametrize("indicator_id", IDS)
def test_quiet(indicator_id: str) -> None:
    ind = indicator(QUIET[indicator_id], indicator_id)
    assert (ind.result, ind.points) == ("pass", 0.0), ind.detail


@pytest.mark.parametrize("indicator_id", [i for i in IDS if i not in ("cn.veto.home-update", "cn.veto.faked-date")])
def test_no_columns_is_an_error_never_a_pass(indicator_id: str) -> None:
    ind = indicator(freshness(columns=0), indicator_id)
    assert ind.result == "error" and "未发现内容栏目" in ind.detail


def test_a_failed_check_leaves_every_freshness_indicator_in_error() -> None:
    checks = {"freshness": CheckResult(status="error", error="the home page could not be read as HTML")}
    for indicator_id in IDS:
        assert indicator(checks, indicator_id).result == "error"


def test_sources_follow_standards() -> None:
    specs = {s.id: s for s in load_profile("cn-gov-2019").indicators}
    assert {i: specs[i].verified for i in IDS} == {
        "cn.veto.home-update": "V", "cn.veto.columns.stale": "V", "cn.veto.columns.long-stale": "unverified",
        "cn.veto.columns.empty": "V", "cn.veto.faked-date": "V", "cn.deduct.columns.policy": "V2",
        "cn.deduct.columns.personnel-plan": "unverified",
    }
    assert all("国办秘函〔2019〕19号" in specs[i].source["document"] for i in IDS)
    assert all(specs[i].note for i in IDS if specs[i].verified == "unverified")


# ---- the same indicators on real audits of local portals ----------------------------------------


def audit(routes: dict, fallback_html: str | None = None) -> dict[str, Any]:
    with serving(routes, fallback=page(fallback_html) if fallback_html else None) as srv:
        cfg = AuditConfig()
        loopback_fast(cfg.crawl)
        cfg.crawl.use_sitemap = False
        plan = AuditPlan(url=srv.url("/"), profile=load_profile("cn-gov-2019"), as_of=AS_OF, config=cfg,
                         check_ids=["freshness"])
        result = run(run_audit(plan))
    return {i.id: i for i in result.scored.indicators}


def portal(columns: dict[str, tuple[str, str | None]], home_date: str = "2026-11-18") -> dict:
    """A home page with one dated block, and `columns` (path -> (name, newest date | None for empty))
    linked from a menu."""
    entries = {"/": ("首页", ""), **columns, "/lxwm.html": ("联系我们", ""), "/wzdt.html": ("网站地图", "")}
    menu = "".join(f"<li><a href='{p}'>{name}</a></li>" for p, (name, _) in entries.items())
    home = shell(SITE, "<ul class='nav'>" + menu + "</ul>" + block(
        "要闻", "/yw/", [row("县政府召开常务会议研究部署工作", "/yw/t1.html", home_date),
                         row("县领导调研农村公路建设", "/yw/t2.html", home_date)]))
    routes: dict = {"/": page(home), "/yw/": page(list_page("要闻", [row("县政府召开常务会议研究部署工作",
                                                                         "/yw/t1.html", home_date)]))}
    for p, (name, newest) in columns.items():
        routes[p] = page(empty_page(name) if newest is None else list_page(
            name, [row(f"{name}的一条信息标题", p + "t1.html", newest), row(f"{name}的二条信息", p + "t2.html", "2024-01-01")]))
    return routes


def test_stale_news_columns_veto_fires_at_five_and_not_at_four() -> None:
    five = {f"/dt{i}/": (f"第{i}动态", "2026-10-01") for i in range(5)}
    assert audit(portal(five))["cn.veto.columns.stale"].result == "fail"
    four = {f"/dt{i}/": (f"第{i}动态", "2026-10-01") for i in range(4)} | {"/dt9/": ("第9动态", "2026-11-10")}
    assert audit(portal(four))["cn.veto.columns.stale"].result == "pass"


def test_empty_columns_veto_fires_at_five_and_not_at_four() -> None:
    five = {f"/kl{i}/": (f"第{i}栏目", None) for i in range(5)}
    ind = audit(portal(five))
    assert ind["cn.veto.columns.empty"].result == "fail" and len(ind["cn.veto.columns.empty"].findings) == 5
    four = {f"/kl{i}/": (f"第{i}栏目", None) for i in range(4)}
    assert audit(portal(four))["cn.veto.columns.empty"].result == "pass"


def test_long_stale_veto_fires_at_ten() -> None:
    ten = {f"/gh{i}/": (f"第{i}规划", "2025-06-01") for i in range(10)}
    ind = audit(portal(ten))
    assert ind["cn.veto.columns.long-stale"].result == "fail"
    assert (ind["cn.deduct.columns.personnel-plan"].points, ind["cn.veto.columns.stale"].result) == (-2.0, "pass")
    nine = {f"/gh{i}/": (f"第{i}规划", "2025-06-01") for i in range(9)}
    assert audit(portal(nine))["cn.veto.columns.long-stale"].result == "pass"


def test_home_update_veto_and_policy_deduction() -> None:
    routes = portal({"/zcwj/": ("政策文件", "2026-03-01")}, home_date="2026-11-01")
    ind = audit(routes)
    assert ind["cn.veto.home-update"].result == "fail"  # 19 days
    assert (ind["cn.deduct.columns.policy"].result, ind["cn.deduct.columns.policy"].points) == ("fail", -5.0)
    ind = audit(portal({"/zcwj/": ("政策文件", "2026-10-01")}, home_date="2026-11-06"))
    assert ind["cn.veto.home-update"].result == "pass"  # 14 days: still within
    assert ind["cn.deduct.columns.policy"].result == "pass"


def test_faked_date_veto_on_a_real_page() -> None:
    ind = audit(portal({"/tzgg/": ("通知公告", "2027-01-15")}))
    assert ind["cn.veto.faked-date"].result == "fail" and len(ind["cn.veto.faked-date"].findings) == 1
    assert audit(portal({"/tzgg/": ("通知公告", "2026-11-15")}))["cn.veto.faked-date"].result == "pass"
