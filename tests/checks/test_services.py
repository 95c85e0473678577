"""The services check on portals served on 127.0.0.1: 办事指南 elements (服务不实用), service entries,
政策解读 linked to its policy, the bonus entries, and no_services from the site config."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from govaudit.checks.services import ServicesCheck

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.demo import DemoServer, load_manifest
from govaudit.errors import UsageError
from govaudit.model import CheckResult
from govaudit.profiles import load_profile
from govaudit.scoring import score
from tests.conftest import run
from tests.support.server import page, serving

ELEMENTS = ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程")


def shell(title: str, body: str) -> str:
    footer = '<div class="footer">联系电话：0797-6321000 网站标识码：3611230001</div>'
    return (f"<html><head><title>{title}</title></head><body><div class='nav'><a href='/'>首页</a></div>"
            f"<div class='main'><h1>{title}</h1>{body}</div>{footer}</body></html>")


def table_guide(name: str, elements: tuple[str, ...]) -> str:
    rows = "".join(f"<tr><th>{e}</th><td>{name}的{e}内容</td></tr>" for e in elements)
    return shell(f"{name}办事指南", f"<table>{rows}</table>")


def line_guide(name: str, elements: tuple[str, ...], empty: str = "") -> str:
    lines = "".join(f"<p>{e}：{'' if e == empty else name + '的' + e}</p>" for e in elements)
    return shell(name, lines)  # no 指南 in the name: recognised by its labels alone


def audit(routes: dict[str, Any], options: dict[str, Any] | None = None,
          site: dict[str, Any] | None = None) -> CheckResult:
    cfg = AuditConfig(site=dict(site or {}))
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    cfg.crawl.timeout, cfg.crawl.backoff, cfg.crawl.retries = 2.0, 0.05, 0
    with serving(routes) as srv:
        async def go() -> CheckResult:
            async with Fetcher(cfg.crawl) as f:
                snap = await crawl(srv.url("/"), cfg.crawl, f)
                ctx = CheckContext(fetcher=f, config=cfg, as_of=date(2026, 11, 20), options=dict(options or {}))
                return await ServicesCheck().run(snap, ctx)

        return run(go())


def portal(guides: dict[str, str], extra_links: str = "", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    links = "".join(f'<li><a href="{path}">指南{n}</a></li>' for n, path in enumerate(guides))
    home = shell("青山县人民政府", f'<a href="/bsfw/">办事服务</a><ul>{links}</ul>{extra_links}')
    routes: dict[str, Any] = {"/": page(home), "/bsfw/": page(shell("办事服务", f"<ul>{links}</ul>"))}
    routes.update({path: page(html) for path, html in guides.items()})
    routes.update(extra or {})
    return routes


def test_complete_guides_pass_and_an_incomplete_one_names_what_is_missing() -> None:
    res = audit(portal({
        "/bsfw/bszn_01.html": table_guide("参保登记", ELEMENTS),
        "/bsfw/item2.html": line_guide("临时救助", ELEMENTS, empty="办理时间"),
        "/bsfw/bszn_03.html": table_guide("建房审批", tuple(e for e in ELEMENTS if e not in ("联系电话", "办理流程"))),
    }))
    assert res.status == "ok"
    m = res.metrics
    assert (m["guides"], m["guides_incomplete"], m["missing_element_types"]) == (3, 2, 3)
    by_page = {f.page.rsplit("/", 1)[1]: f for f in res.findings if f.rule == "guide-incomplete"}
    assert sorted(by_page) == ["bszn_03.html", "item2.html"]
    # the footer's 联系电话 is not the guide's: it is still missing
    assert by_page["bszn_03.html"].evidence["missing"] == ["联系电话", "办理流程"]
    assert by_page["item2.html"].evidence["missing"] == ["办理时间"]
    assert by_page["item2.html"].evidence["empty_labels"] == ["办理时间"]
    assert by_page["item2.html"].evidence["recognised_by"] == "structure"
    # the list page and the home page are not guides
    assert {g["url"].rsplit("/", 1)[1] for g in res.data["guides"]} == {"bszn_01.html", "item2.html", "bszn_03.html"}


def test_veto_fires_on_a_missing_element_and_not_on_complete_guides() -> None:
    profile = load_profile("cn-gov-2019")
    bad = audit(portal({"/bsfw/bszn_01.html": table_guide("参保登记", ELEMENTS[:-1])}))
    good = audit(portal({"/bsfw/bszn_01.html": table_guide("参保登记", ELEMENTS)}))
    fired = {i.id: i for i in score(profile, {"services": bad}).indicators}
    quiet = {i.id: i for i in score(profile, {"services": good}).indicators}
    assert fired["cn.veto.services.guides"].result == "fail"
    assert "该否决阈值为 govaudit 自定" in fired["cn.veto.services.guides"].detail
    assert fired["cn.deduct.services.guide-elements"].points == -2.0
    assert (quiet["cn.veto.services.guides"].result, quiet["cn.deduct.services.guide-elements"].result) == ("pass", "pass")
    assert quiet["cn.veto.services.none"].result == "pass"


def test_no_service_entry_at_all_is_the_first_veto_case() -> None:
    res = audit({"/": page(shell("青山县统计局", '<a href="/tjsj/">统计数据</a>')), "/tjsj/": page(shell("统计数据", ""))})
    assert res.metrics["service_entries"] == 0
    assert [f.rule for f in res.findings if f.rule == "service-none"] == ["service-none"]
    ind = {i.id: i for i in score(load_profile("cn-gov-2019"), {"services": res}).indicators}
    assert ind["cn.veto.services.none"].result == "fail"
    # no guide found: the guide veto cannot be judged, it is error, never a pass
    assert ind["cn.veto.services.guides"].result == "error"


def test_no_services_in_the_site_config_skips_the_vetoes_and_the_services_group() -> None:
    routes = {"/": page(shell("青山县统计局", '<a href="/tjsj/">统计数据</a>')), "/tjsj/": page(shell("统计数据", ""))}
    res = audit(routes, site={"no_services": True})
    assert (res.metrics["no_services"], res.metrics["portal"]) == (1, 0)
    scored = score(load_profile("cn-gov-2019"), {"services": res})
    ind = {i.id: i for i in scored.indicators}
    assert ind["cn.veto.services.none"].result == "not_applicable"
    assert ind["cn.deduct.services.guide-elements"].result == "not_applicable"
    assert ind["cn.bonus.response"].result == "not_applicable"  # not a portal: no bonus part
    assert "cn.veto.services.none" not in scored.score.vetoes


def test_interpretations_linked_and_unlinked_and_bonus_entries() -> None:
    policy = shell("青山县城区停车管理办法", "<p>第一条……</p>")
    linked = shell("解读《青山县城区停车管理办法》", '<p>……</p><a href="/zcwj/1.html">青山县城区停车管理办法</a>')
    unlinked = shell("《青山县突发事件总体应急预案》解读", "<p>……</p>")
    extra_links = ('<a href="/zcjd/1.html">解读一</a><a href="/zcjd/2.html">解读二</a><a href="/zcwj/1.html">文件</a>'
                   '<a href="https://data.example.gov.cn/">数据开放</a><a href="/hygq/">回应关切</a>'
                   '<a href="https://zwfw.example.gov.cn/">省政务服务网</a>')
    guide = table_guide("参保登记", ELEMENTS).replace("</table>", '</table><a href="/apply/1">在线办理</a>')
    res = audit(portal({"/bsfw/bszn_01.html": guide}, extra_links, {
        "/zcwj/1.html": page(policy), "/zcjd/1.html": page(linked), "/zcjd/2.html": page(unlinked),
        "/hygq/": page(shell("回应关切", "")), "/apply/1": page(shell("申报", "")),
    }))
    m = res.metrics
    assert (m["interpretations"], m["interpretations_linked"], m["interpretations_linked_share"]) == (2, 1, 0.5)
    assert [f.page.rsplit("/", 1)[1] for f in res.findings if f.rule == "interpretation-unlinked"] == ["2.html"]
    assert (m["online_entries"], m["data_open_entries"], m["response_entries"], m["smart_qa_entries"]) == (1, 1, 1, 0)
    assert m["portal_links"] == 1 and m["portal_links_not_crawled"] == 1
    assert [f.rule for f in res.findings if f.rule == "entry-smart_qa-missing"] == ["entry-smart_qa-missing"]
    ind = {i.id: i for i in score(load_profile("cn-gov-2019"), {"services": res}).indicators}
    assert (ind["cn.bonus.data-open"].result, ind["cn.bonus.data-open"].points) == ("pass", 5.0)
    assert "非官方" in ind["cn.bonus.data-open"].detail
    assert (ind["cn.bonus.interpretation-linked"].result, ind["cn.bonus.smart-qa"].result) == ("fail", "fail")
    assert ind["cn.bonus.not-measured"].result == "not_applicable"
    assert "未测量" in ind["cn.bonus.not-measured"].detail


def test_bad_options_are_refused() -> None:
    for options in ({"no_services": "maybe"}, {"labels": {"不存在": ["x"]}}, {"entry_limit": 0}, {"colour": 1}):
        with pytest.raises(UsageError):
            ServicesCheck.validate_options(options, {}, "http://127.0.0.1/")


def test_the_demo_portal_guides_match_its_manifest() -> None:
    """The demo's planted 办事指南: bszn_03 lacks 办理时间 and 联系电话, the other two are whole."""
    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    with DemoServer() as demo:
        async def go() -> CheckResult:
            async with Fetcher(cfg.crawl) as f:
                snap = await crawl(demo.url, cfg.crawl, f)
                ctx = CheckContext(fetcher=f, config=cfg, as_of=date(2026, 11, 20))
                return await ServicesCheck().run(snap, ctx)

        res = run(go())
    want = {g["page"]: g["missing"] for g in load_manifest()["service_guides"]["guides"]}
    got = {"/" + g["url"].split("/", 3)[3]: g["missing"] for g in res.data["guides"]}
    assert got == want
    ind = {i.id: i for i in score(load_profile("cn-gov-2019"), {"services": res}).indicators}
    assert ind["cn.veto.services.guides"].result == "fail"
