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
