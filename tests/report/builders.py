"""Hand-built AuditResults for the renderer tests: one realistic Chinese county portal, one whose
every site-controlled string is an injection payload, and one filled from the shared corpus."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from govaudit.model import (
    AuditResult,
    CheckResult,
    CrawlStats,
    Finding,
    IndicatorResult,
    Score,
    ScoredResult,
)

BASE = "http://127.0.0.1:8080"
SOURCE = {"document": "国办秘函〔2019〕19号", "article": "单项否决 · 互动回应差"}

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
XSS_JS = "javascript:alert(1)"
PAYLOADS = (XSS_SCRIPT, XSS_IMG, XSS_JS)
LINKS_NOTE = "1 point per unusable link, at most 5: our reading; the official per-link figure was not found"


def link_findings(base: str = BASE) -> list[Finding]:
    return [
        Finding("broken-link", f"{base}/", "首页链接不可用：404 Not Found", "error", f"{base}/a/missing.html", 404, "a",
                {"text": "通知公告", "attr": "href"}, "f-1"),
        Finding("broken-link", f"{base}/", "图片无法加载", "error", f"{base}/img/banner.jpg", 500, "img",
                {"alt": "县政府大楼"}, "f-2"),
        Finding("broken-link", f"{base}/", "外部链接连接超时（15 秒）", "error", "http://www.example.invalid/", "dns", "a",
                {"text": "国务院"}, "f-3"),
        Finding("broken-link", f"{base}/zwgk/index.html", "附件不存在", "error", f"{base}/files/2023.pdf", 404, "a",
                {"text": "2023年政府工作报告.pdf"}, "f-4"),
        Finding("broken-link", f"{base}/zwgk/index.html", "脚本无法加载", "warning", f"{base}/js/old.js", "timeout",
                "script", {}, "f-5"),
        Finding("soft-404", f"{base}/hdjl/index.html", "页面返回 200 但内容为“页面不存在”", "warning",
                f"{base}/hdjl/old.html", "soft-404", "a", {"matched": "页面不存在"}, "f-6"),
    ]


def freshness_columns(base: str = BASE) -> list[dict]:
    return [
        {"name": "政务要闻", "url": f"{base}/xwzx/zwyw/", "type": "news", "latest": "2026-11-18", "age_days": 4,
         "threshold_days": 14, "items": 20, "stale": False, "empty": False},
        {"name": "通知公告", "url": f"{base}/tzgg/", "type": "notice", "latest": "2026-03-02", "age_days": 265,
         "threshold_days": 183, "items": 20, "stale": True, "empty": False},
        {"name": "政策文件", "url": f"{base}/zcwj/", "type": "policy", "latest": "2026-08-01", "age_days": 113,
         "threshold_days": 183, "items": 15, "stale": False, "empty": False},
        {"name": "人事信息", "url": f"{base}/rsxx/", "type": "personnel", "latest": None, "age_days": None,
         "threshold_days": 365, "items": 0, "stale": True, "empty": True},
    ]


def boards(base: str = BASE) -> list[dict]:
    return [
        {"name": "县长信箱", "url": f"{base}/hdjl/xzxx/", "messages": 40, "answered": 35, "unanswered": 5,
         "overdue": 4, "median_reply_days": 6, "max_reply_days": 120,
         "delays_days": [1, 2, 2, 3, 4, 5, 6, 6, 7, 9, 12, 15, 21, 30, 45, 95, 120]},
        {"name": "咨询投诉", "url": f"{base}/hdjl/zxts/", "messages": 12, "answered": 12, "unanswered": 0,
         "overdue": 0, "median_reply_days": 3, "max_reply_days": 10, "delays_days": [1, 2, 3, 3, 4, 10]},
    ]


def indicators() -> list[IndicatorResult]:
    return [
        IndicatorResult("cn.veto.interaction", "互动回应差", "veto", "fail", 0.0,
                        "县长信箱 has a message unanswered for more than 3 months", ["f-7"], SOURCE, "V", "单项否决"),
        IndicatorResult("cn.veto.columns", "栏目不更新", "veto", "pass", 0.0, "1 stale column (threshold 5)", [],
                        {"document": "国办秘函〔2019〕19号", "article": "单项否决 · 栏目不更新"}, "V", "单项否决"),
        IndicatorResult("cn.deduct.links.home", "首页可用性 · 链接", "deduct", "fail", -3.0,
                        "3 unusable links on the home page", ["f-1", "f-2", "f-3"],
                        {"document": "国办秘函〔2019〕19号", "article": "网站可用性"}, "unverified", "功能设计",
                        note=LINKS_NOTE),
        IndicatorResult("cn.deduct.links.other", "其他页面链接可用性", "deduct", "fail", -1.5,
                        "3 unusable links on other pages", ["f-4", "f-5", "f-6"],
                        {"document": "国办秘函〔2019〕19号", "article": "网站可用性"}, "unverified", "功能设计"),
        IndicatorResult("cn.deduct.policy", "政策文件栏目更新", "deduct", "pass", 0.0, "latest 2026-08-01", [],
                        {"document": "国办秘函〔2019〕19号"}, "V2", "发布解读"),
        IndicatorResult("cn.bonus.interview", "在线访谈", "bonus", "fail", 0.0, "no interviews found", [],
                        {"document": "国办秘函〔2019〕19号"}, "unverified", "加分指标"),
        IndicatorResult("cn.info.accessibility", "无障碍", "info", "error", 0.0, "no browser available", [],
                        {"document": "GB/T 37668-2019"}, "V2", "功能设计"),
        IndicatorResult("cn.info.ipv6", "IPv6", "info", "not_applicable", 0.0, "", [], {}, "", "功能设计"),
    ]


def build_result(base: str = BASE) -> AuditResult:
    links = CheckResult(
        "ok", None,
        {"links_checked": 5120, "broken": 6, "broken_home": 3,
         "by_status": {"404": 2, "500": 1, "dns": 1, "timeout": 1, "soft-404": 1},
         "by_element": {"a": 4, "img": 1, "script": 1}},
        link_findings(base), {}, 12.5,
    )
    freshness = CheckResult(
        "ok", None, {"columns": 4, "stale": 2, "empty": 1},
        [Finding("stale-column", f"{base}/tzgg/", "通知公告 最近更新 2026-03-02，已 265 天未更新", "error",
                 evidence={"latest": "2026-03-02"}, id="f-8")],
        {"columns": freshness_columns(base)}, 0.8,
    )
    interaction = CheckResult(
        "ok", None, {"boards": 2, "overdue": 4},
        [Finding("overdue-reply", f"{base}/hdjl/xzxx/", "留言“小区供暖问题”超过 3 个月未答复", "error",
                 evidence={"asked": "2026-06-01", "answered": None}, id="f-7")],
        {"boards": boards(base), "limit_days": 90}, 1.1,
    )
    accessibility = CheckResult("skipped", "no browser available (install chromium)", {}, [], {}, 0.0)
    return AuditResult(
        run_id="r-20261122-0001",
        site_url=f"{base}/",
        site_title="某某县人民政府",
        as_of=date(2026, 11, 22),
        started_at="2026-11-22T09:00:00+08:00",
        finished_at="2026-11-22T09:00:38+08:00",
        crawl=CrawlStats(pages=412, requests=1630, duration_s=38.2, skipped_robots=3, errors=2,
                         notes=["robots.txt disallows /admin/"]),
        checks={"links": links, "freshness": freshness, "interaction": interaction, "accessibility": accessibility},
        scored=ScoredResult(
            "cn-gov-2019", "政府网站与政务新媒体检查指标（2019）",
            Score(0.0, 100.0, "不合格", ["cn.veto.interaction"], 95.5, 0.0, False),
            indicators(),
        ),
        tool_version="0.4.0",
        options={"max_pages": 2000, "checks": ["links", "freshness", "interaction", "accessibility"]},
    )


def hostile_result(base: str = BASE) -> AuditResult:
    """Every string a site controls carries a payload: titles, link texts, URLs, messages, evidence,
    column and board names, check data keys and values."""
    r = build_result(base)
    r.site_title = f"县政府{XSS_SCRIPT}{XSS_IMG}"
    for i, f in enumerate(r.checks["links"].findings):
        f.message = f"坏链 {PAYLOADS[i % 3]}"
        f.evidence = {"text": XSS_IMG, "html": XSS_SCRIPT, XSS_SCRIPT: XSS_JS}
    bad = r.checks["links"].findings
    bad[0].target = XSS_JS
    bad[1].target = "JaVaScRiPt:alert(1)"
    bad[2].target = " javascript:alert(1)"
    bad[3].target = "data:text/html,<script>alert(1)</script>"
    bad[4].target = f'{base}/x"><script>alert(1)</script>'
    bad[5].page = "vbscript:msgbox(1)"
    cols = r.checks["freshness"].data["columns"]
    cols[0]["name"] = XSS_SCRIPT
    cols[1]["url"] = XSS_JS
    cols[2]["name"] = XSS_IMG
    r.checks["interaction"].data["boards"][0]["name"] = XSS_IMG
    r.checks["interaction"].data["boards"][1]["url"] = XSS_JS
    r.checks["interaction"].data[XSS_SCRIPT] = XSS_IMG  # a check's own scalar data
    r.checks["links"].metrics["by_status"][XSS_SCRIPT] = 1
    r.crawl.notes.append(f"note {XSS_SCRIPT}")
    r.scored.indicators[0].detail = f"detail {XSS_IMG}"
    r.options["start"] = XSS_SCRIPT
    return r


# ---- from the shared corpus -----------------------------------------------------------------

HEBEI_SCRAPED = date(2024, 9, 29)  # the scrape date the corpus README names as "now"
_TYPE_WORDS = (("政策", "policy"), ("文件", "policy"), ("通知", "notice"), ("公告", "notice"),
               ("人事", "personnel"), ("规划", "plan"), ("计划", "plan"), ("动态", "news"), ("要闻", "news"))
THRESHOLDS = {"news": 14, "notice": 183, "policy": 183, "personnel": 365, "plan": 365, "other": 365}


def corpus_columns(corpus: Path) -> list[dict]:
    """Freshness columns of real Hebei government column dumps, aged against the scrape date."""
    out = []
    path = corpus / "gerry0208-hebei-gov-columns" / "derived" / "column_summary.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = Path(row["source_csv"]).stem
            kind = next((t for word, t in _TYPE_WORDS if word in name), "other")
            latest = row["latest_date"] or None
            age = (HEBEI_SCRAPED - date.fromisoformat(latest)).days if latest else None
            limit = THRESHOLDS[kind]
            out.append({"name": name, "url": "http://www.hebei.gov.cn/" + row["source_csv"], "type": kind,
                        "latest": latest, "age_days": age, "threshold_days": limit, "items": int(row["n_items"]),
                        "stale": age is None or age > limit, "empty": int(row["n_items"]) == 0})
    return out


def corpus_delays(corpus: Path) -> list[float]:
    """Real reply delays (days) of 2,816 answered citizen messages."""
    path = corpus / "taidi2020-zhihuizhengwu" / "derived" / "fj4_reply_times.csv"
    with path.open(encoding="utf-8") as fh:
        return [float(r["lag_days_computed"]) for r in csv.DictReader(fh) if r["lag_days_computed"]]


# ---- every shipped check with data in the shapes the checks write ------------------------------


def rich_result(base: str = BASE) -> AuditResult:
    """build_result plus the data keys of every shipped check, shaped as the checks write them (read
    from a demo-portal run): freshness bookkeeping, interaction activities and channels, identity
    marks and site features, accessibility rules/pages/elderly, content and availability."""
    r = build_result(base)
    fresh = r.checks["freshness"].data
    for col in fresh["columns"]:
        col.update({"latest_valid": col["latest"], "long_stale": False, "date_source": "list", "undated": False,
                    "no_dates": False, "undated_items": 0, "future_dates": [], "items_source": "pager",
                    "list_pages": [col["url"], col["url"] + "index_1.html", col["url"] + "index_2.html",
                                   col["url"] + "index_3.html"],
                    "found_via": "menu", "error": None, "empty_marker": None})
    fresh["columns"][0].update({"latest": "2026-12-05", "future_dates": ["2026-12-05"], "latest_valid": "2026-11-18"})
    fresh["columns"][3]["empty_marker"] = "暂无信息"
    fresh["columns"].append({"name": "乡镇动态", "url": f"{base}/xzdt/", "type": "news", "latest": None,
                             "age_days": None, "threshold_days": 14, "items": 0, "stale": False, "empty": False,
                             "error": "list page unreadable: 404"})
    fresh["home"] = {"url": f"{base}/", "latest": "2026-11-18", "age_days": 4, "threshold_days": 14,
                     "updated": True, "basis": "home", "dated_items": 23}
    fresh["thresholds"] = {"news": 14, "notice": 183, "policy": 183, "personnel": 365, "plan": 365, "other": None}
    fresh["not_columns"] = [{"url": f"{base}/hdjl/index.html", "name": "互动交流",
                             "reason": "skipped by name (judged by another check, or no content column)"},
                            {"url": f"{base}/zt/2025/index.html", "name": "2025年重点工作专题",
                             "reason": "unreadable (redirect-loop)"}]
    inter = r.checks["interaction"].data
    inter.update({"window_start": "2025-11-22", "limit": "3 calendar months",
                  "searched": [f"{base}/", f"{base}/hdjl/index.html"]})
    for b in inter["boards"]:
        b.update({"p90_reply_days": 46, "latest_reply": "2026-11-13", "readable": True, "status": "ok", "reason": "",
                  "complete": True, "shape": "table", "pages_read": 2, "rendered": False, "selectors_used": False})
    inter["activities"] = [
        {"name": "在线访谈", "url": f"{base}/hdjl/zxft/", "kind": "interview", "type": "在线访谈", "items": 5,
         "in_window": 4, "latest": "2026-10-30", "readable": True, "status": "ok", "reason": "", "complete": True,
         "selectors_used": False},
        {"name": "调查征集", "url": f"{base}/hdjl/dczj/", "kind": "survey", "type": "调查征集", "items": 0,
         "in_window": 0, "latest": None, "readable": False, "status": "unreadable", "reason": "the list is drawn by a script",
         "complete": False, "selectors_used": False}]
    inter["channels"] = [
        {"name": "县长信箱", "url": f"{base}/hdjl/xzxx/", "kind": "consultation", "type": "政务咨询",
         "found_on": f"{base}/", "via": "text", "form": False, "duplicate_of": None},
        {"name": "网上信访（旧系统）", "url": "http://127.0.0.1:9/", "kind": "excluded", "type": "excluded",
         "found_on": f"{base}/hdjl/index.html", "via": "text", "form": False, "duplicate_of": None}]
    r.checks["identity"] = CheckResult("ok", None, {
        "meta_pages_judged": 92, "meta_pages_missing": 2, "robots_txt": 1, "sitemap_xml": 0, "missing_page_404": 1,
    }, [], {
        "footer": {
            "site_id": {"present": True, "value": "3611230001", "linked": None, "valid": True, "evidence": "text"},
            "icp": {"present": True, "value": "赣ICP备20260001号-1", "linked": False, "valid": True, "evidence": "text"},
            "police": {"present": False, "value": None, "linked": None, "valid": None, "evidence": ""},
            "conac": {"present": True, "value": "https://bszs.conac.cn/sitename?method=show&id=5B8E",
                      "linked": None, "valid": None, "evidence": "link"},
        },
        "domain": {"domain": "www.qingshan.gov.cn", "source": "SiteDomain meta", "official": True,
                   "suffixes": [".gov.cn"]},
        "page_kinds": {"article": 75, "column": 16, "home": 1, "other": 47},
        "search": {"form": {"page": f"{base}/", "action": f"{base}/search/", "method": "get", "param": "q",
                            "evidence": "role=search, query input"},
                   "probe": {"answers": False, "url": f"{base}/search/?q=%E6%94%BF%E5%BA%9C",
                             "reason": "the results page is the same whatever is searched for"}},
        "https": {"https_url": "https://127.0.0.1:8080/", "available": False, "redirects": False,
                  "cert_valid": None, "hsts": "", "error": "tls: wrong version number"},
        "ipv6": {"host": "127.0.0.1", "addresses": [], "error": ""},
        "files": {"robots": {"url": f"{base}/robots.txt", "status": 200, "detail": ""},
                  "sitemap": {"url": f"{base}/sitemap.xml", "status": 404, "detail": ""},
                  "missing_page": {"url": f"{base}/govaudit-no-such-page.html", "status": 404, "detail": ""}},
        "us": {"viewport": "width=device-width", "dap": "", "banner": "", "required_links": {"privacy": ""}},
    }, 0.3)
    shot_page = f"{base}/xwdt/202611/t20261118_4341.html"
    r.checks["accessibility"] = CheckResult("ok", None, {"pages_tested": 2, "pages_failed": 0, "templates": 2}, [
        Finding("axe:image-alt", shot_page, "Images must have alternative text — 1 element(s)", "error",
                element="img", evidence={
                    "selector": 'img[src="/x.png"]', "html": '<img src="/x.png">', "impact": "critical", "nodes": 1,
                    "level": "A", "wcag": ["1.1.1"], "gbt_level": "", "wcag_titles": [],
                    "pages": [shot_page, f"{base}/xwdt/a.html", f"{base}/xwdt/b.html", f"{base}/xwdt/c.html",
                              f"{base}/xwdt/d.html", f"{base}/xwdt/e.html", f"{base}/xwdt/f.html"],
                    "template": "/xwdt/{n}/t{n}_{n}.html", "template_pages": 75,
                    "help_url": "https://dequeuniversity.com/rules/axe/4.12/image-alt",
                    "screenshot": f"screenshot:{shot_page}"}, id="f-9")], {
        "note": "Automated axe-core rules test part of WCAG 2.x A/AA.",
        "axe_version": "4.12.1",
        "rules": [{"rule": "image-alt", "impact": "critical", "level": "A", "wcag": "1.1.1 Non-text Content (A)",
                   "gbt": "GB/T 37668-2019 可感知性 › 文本替代 (WCAG 1.1.1)", "gbt_level": "一级", "templates": 1,
                   "pages": 1, "nodes": 1, "help": "Images must have alternative text"},
                  {"rule": "region", "impact": "moderate", "level": "best-practice", "wcag": "", "gbt": "",
                   "gbt_level": "", "templates": 2, "pages": 2, "nodes": 9,
                   "help": "All page content should be contained by landmarks"}],
        "needs_review": [],
        "pages": [{"page": f"{base}/", "template": "/", "template_pages": 1, "why": "home", "violations": 1,
                   "serious": 0, "incomplete": 0, "screenshot": False, "seconds": 4.7, "body_font_px": 14,
                   "width_at_200": 1100},
                  {"page": shot_page, "template": "/xwdt/{n}/t{n}_{n}.html", "template_pages": 75,
                   "why": "template", "violations": 2, "serious": 1, "incomplete": 0, "screenshot": True,
                   "seconds": 4.5, "body_font_px": 14, "width_at_200": 640}],
        "templates": [{"template": "/", "key": "home", "pages": 1, "tested": 1, "example": f"{base}/"}],
        "elderly": [{"check": "elderly:entry", "result": "pass", "detail": "无障碍, 关怀版"},
                    {"check": "elderly:zoom-200", "result": "fail", "detail": "1 of 2 pages scroll sideways at 200 %"}],
    }, 9.2)
    r.checks["content"] = CheckResult("ok", None, {
        "pages_scanned": 139, "misstatements": 1, "misstatements_review": 0, "hidden_links": 0,
        "hidden_spam_links": 0, "hijacked_links": 0, "parked_links": 0, "external_checked": 4}, [],
        {"dictionary": {"sources": ["checks/content/misstatements.yaml"], "entries": 35}}, 0.3)
    r.checks["availability"] = CheckResult("ok", None, {"days": 1, "window_days": 2, "min_per_day": 20}, [], {
        "window": {"first": "2026-11-21", "last": "2026-11-22"},
        "samples_by_day": [{"day": "2026-11-21", "samples": 24, "failures": 3, "failure_rate": 0.125, "enough": True},
                           {"day": "2026-11-22", "samples": 2, "failures": 0, "failure_rate": 0.0, "enough": False}],
    }, 0.0)
    r.scored.indicators[6] = IndicatorResult(
        "cn.info.accessibility", "无障碍", "info", "fail", 0.0, "1 rule violated", ["f-9"],
        {"document": "GB/T 37668-2019"}, "unverified", "功能设计", note="axe-core stands in for the standard")
    return r


def hostile_rich_result(base: str = BASE) -> AuditResult:
    """rich_result with a payload in every site-controlled string of the new tables."""
    r = rich_result(base)
    fresh = r.checks["freshness"].data
    fresh["columns"][1]["name"] = XSS_IMG
    fresh["columns"][1]["future_dates"] = [XSS_SCRIPT]
    fresh["columns"][3]["empty_marker"] = XSS_SCRIPT
    fresh["not_columns"][0].update({"name": XSS_SCRIPT, "url": XSS_JS})
    fresh["home"]["basis"] = XSS_IMG
    inter = r.checks["interaction"].data
    inter["activities"][0]["name"] = XSS_SCRIPT
    inter["activities"][1]["reason"] = XSS_IMG
    inter["channels"][0].update({"name": XSS_IMG, "found_on": XSS_JS, "duplicate_of": XSS_SCRIPT})
    inter["searched"] = [XSS_JS, f'{base}/"><script>alert(1)</script>']
    ident = r.checks["identity"].data
    ident["footer"]["site_id"]["value"] = XSS_SCRIPT
    ident["footer"]["conac"]["value"] = "javascript:alert(1)//https://bszs.conac.cn/"
    ident["footer"][XSS_IMG] = {"present": True, "value": XSS_IMG, "linked": None, "valid": None, "evidence": XSS_SCRIPT}
    ident["domain"]["domain"] = XSS_SCRIPT
    ident["search"]["form"]["evidence"] = XSS_IMG
    ident["search"]["probe"].update({"url": XSS_JS, "reason": XSS_SCRIPT})
    ident["https"]["error"] = XSS_IMG
    ident["page_kinds"][XSS_SCRIPT] = 1
    ident["us"]["dap"] = XSS_JS
    a11y = r.checks["accessibility"].data
    a11y["rules"][0]["help"] = XSS_SCRIPT
    a11y["pages"][0].update({"page": XSS_JS, "template": XSS_IMG})
    a11y["elderly"][0]["detail"] = XSS_SCRIPT
    a11y["templates"][0]["example"] = XSS_JS
    a11y["needs_review"] = [{"rule": "color-contrast", "impact": "serious", "level": "AA", "wcag": "1.4.3",
                             "template": XSS_IMG, "pages": 1, "nodes": 1, "example": XSS_SCRIPT, "page": XSS_JS,
                             "help": XSS_IMG}]
    r.checks["accessibility"].findings[0].evidence["screenshot"] = f"screenshot:{XSS_JS}"
    r.checks["content"].data["dictionary"]["sources"] = [XSS_SCRIPT]
    r.checks["availability"].data["samples_by_day"][0]["day"] = XSS_IMG
    r.checks["links"].data["soft_404_fingerprints"] = {XSS_JS: {"title": XSS_SCRIPT, "length": 10}}
    r.checks["extra"] = CheckResult("ok", None, {}, [], {
        "things": [{"name": XSS_SCRIPT, "url": XSS_JS, "values": [XSS_IMG] * 9}], "label": XSS_IMG})
    r.scored.indicators[6].note = f"note {XSS_SCRIPT}"
    return r
