"""Deterministic pages and results for store tests (also imported by the kill -9 child process)."""

from __future__ import annotations

from datetime import date

from govaudit.model import AuditResult, CheckResult, CrawlStats, Finding, Hop, Link, Page
from govaudit.profiles import load_profile
from govaudit.scoring import score

BASE = "http://127.0.0.1:8080"


def make_page(i: int, size: int = 200) -> Page:
    """Page number i: its URL, links, redirects and text all derive from i, so a reader can check it."""
    url = f"{BASE}/" if i == 0 else f"{BASE}/news/{i}.html"
    page = Page(
        url=url, final_url=url, depth=min(i, 3), status=200 if i % 7 else 404, error=None,
        redirects=[Hop(url=f"{BASE}/old/{i}", status=301, location=url)] if i % 5 == 1 else [],
        headers={"content-type": "text/html; charset=gbk", "server": "test"},
        content_type="text/html", elapsed_ms=12.5 + i, size=1000 + i, encoding="gbk" if i % 2 else "utf-8",
        title=f"第{i}号通知 — 某某县人民政府", is_html=True,
        links=[Link(url=f"{BASE}/news/{i + k}.html", raw=f"/news/{i + k}.html", element="a", attr="href",
                    text=f"链接{k}") for k in range(1, 4)]
        + [Link(url=f"{BASE}/img/{i}.png", raw=f"img/{i}.png", element="img", attr="src", text="图")],
        fetched_at=f"2026-11-22T14:35:{i % 60:02d}+08:00",
    )
    page.set_text(f"<html><title>第{i}号通知</title>" + "政务公开" * size + "</html>")
    return page


def make_result(run_id: str, home: int = 2, other: int = 3, profile: str = "cn-gov-2019") -> AuditResult:
    findings = [
        Finding(rule="broken-link", page=f"{BASE}/" if n <= home else f"{BASE}/news/{n}.html",
                message="HTTP 404", target=f"{BASE}/missing/{n}", status=404 if n % 2 else "timeout",
                element="a", evidence={"on_home": n <= home, "raw": f"/missing/{n}"}, id=f"f-{n}")
        for n in range(1, home + other + 1)
    ]
    metrics = {"links_checked": 40, "broken": home + other, "broken_home": home, "broken_other": other,
               "placeholders": 1, "mailto": 0, "tel": 0, "excluded": 0, "by_status": {"404": home + other},
               "by_element": {"a": home + other}, "home_ok": 1}
    checks = {"links": CheckResult(status="ok", metrics=metrics, findings=findings, duration_s=0.25)}
    return AuditResult(
        run_id=run_id, site_url=f"{BASE}/", site_title="某某县人民政府", as_of=date(2026, 11, 22),
        started_at="2026-11-22T14:35:01+08:00", finished_at="2026-11-22T14:36:40+08:00",
        crawl=CrawlStats(pages=5, requests=48, duration_s=3.5), checks=checks,
        scored=score(load_profile(profile), checks), tool_version="0.4.0", options={"profile": profile},
    )
