"""The services check (办事服务) in the reports: each 办事指南 page with the key elements it lacks,
the service entries found, and the 政务服务网 links the crawl did not follow."""

from __future__ import annotations

from govaudit.model import AuditResult, CheckResult, Finding
from govaudit.report.checkdata import check_data
from govaudit.report.html import render_html
from govaudit.report.markdown import render_markdown
from tests.report.builders import BASE, XSS_SCRIPT, build_result
from tests.report.test_checkdata import table_rows
from tests.report.test_html import assert_inert

PORTAL = "http://zwfw.example.gov.cn/"


def services_result(name: str = "临时救助申请") -> AuditResult:
    r = build_result()
    r.checks["services"] = CheckResult(
        metrics={"no_services": 0, "guides": 2, "guides_incomplete": 1, "missing_element_types": 2,
                 "service_entries": 3, "portal_links": 1, "portal_links_not_crawled": 1},
        findings=[
            Finding("guide-incomplete", f"{BASE}/bsfw/bszn_03.html", f"办事指南「{name}」缺少要素：办理时间、联系电话",
                    evidence={"guide": name, "missing": ["办理时间", "联系电话"]}, id="f-90"),
            Finding("portal-not-crawled", f"{BASE}/", "政务服务网链接「县政务服务网」在抓取范围外，其办事指南未检查",
                    severity="info", target=PORTAL, evidence={"text": "县政务服务网"}, id="f-91"),
        ],
        data={
            "guides": [{"url": f"{BASE}/bsfw/bszn_01.html", "name": "城乡居民基本养老保险参保登记", "missing": [],
                        "empty_labels": [], "recognised_by": "structure"},
                       {"url": f"{BASE}/bsfw/bszn_03.html", "name": name, "missing": ["办理时间", "联系电话"],
                        "empty_labels": [], "recognised_by": "structure"}],
            "missing_element_types": ["办理时间", "联系电话"],
            "entries": {"service": [{"page": f"{BASE}/", "target": f"{BASE}/bsfw/index.html", "text": "办事服务"}],
                        "portal": [{"page": f"{BASE}/", "target": PORTAL, "text": "县政务服务网"}],
                        "online": [], "data_open": [], "response": [], "smart_qa": []},
        })
    return r


def test_services_view_lists_guides_entries_and_portal_links() -> None:
    r = services_result()
    data = {d.id: d for d in check_data(r)}["services"]
    assert data.title == "Services (办事服务)"
    keys = [b.key for b in data.blocks]
    assert keys[:4] == ["summary", "guides", "entry_kinds", "entries"] and "portal_not_crawled" in keys
    tree = assert_inert(render_html(r))
    guides = table_rows(tree, "data-services-guides")
    assert guides[1][:2] == ["临时救助申请", "办理时间、联系电话"]
    assert guides[0][1] == "✓ none"
    entries = table_rows(tree, "data-services-entries")
    assert ["政务服务网 (service portal)", "县政务服务网", "/"] in entries
    assert table_rows(tree, "data-services-portal_not_crawled") == [["县政务服务网", "/"]]
    md = render_markdown(r)
    assert "**办事指南 pages**" in md and "| 临时救助申请 | **办理时间、联系电话** |" not in md  # names are links
    assert "办理时间、联系电话" in md and "政务服务网 links not crawled" in md


def test_services_view_escapes_site_text() -> None:
    tree = assert_inert(render_html(services_result(XSS_SCRIPT)))
    assert XSS_SCRIPT in tree.css_first("#data-services-guides").text()
