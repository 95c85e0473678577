"""Small local portals for the freshness tests: page builders and a crawl-then-check runner."""

from __future__ import annotations

from datetime import date
from typing import Any

from govaudit.checks.freshness import FreshnessCheck

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import CheckResult, SiteSnapshot
from tests.conftest import run

AS_OF = date(2026, 11, 20)
SITE = "某县人民政府"


def shell(title: str, body: str, meta: str = "", nav: str = "") -> str:
    """A page in the county template: header with today's date, nav, body, footer with copyright."""
    return (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta name='SiteName' content='{SITE}'>{meta}</head><body>"
        "<div class='top'><span class='today'>今天是：2026年11月20日 星期五</span></div>"
        f"{nav}<div class='main'>{body}</div>"
        "<div class='footer'><p>Copyright © 2008-2026 某县人民政府 版权所有</p><p>网站标识码：1234560001</p></div>"
        "</body></html>"
    )


def nav(*entries: tuple[str, str]) -> str:
    return "<ul class='nav'>" + "".join(f"<li><a href='{href}'>{text}</a></li>" for text, href in entries) + "</ul>"


def row(title: str, href: str, written: str | None) -> str:
    date_html = f"<span class='date'>{written}</span>" if written is not None else ""
    return f"<li><a href='{href}' title='{title}'>{title}</a>{date_html}</li>"


def list_page(name: str, rows: list[str], pager: str = "", menu: str = "") -> str:
    body = (f"<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <span>{name}</span></div>{menu}"
            f"<h1 class='coltitle'>{name}</h1><ul class='list'>{''.join(rows)}</ul><div class='pager'>{pager}</div>")
    return shell(f"{name}_{SITE}", body, meta=f"<meta name='ColumnName' content='{name}'>")


def empty_page(name: str, marker: str = "暂无信息") -> str:
    body = (f"<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <span>{name}</span></div>"
            f"<h1 class='coltitle'>{name}</h1><div class='list-box'><p class='nodata'>{marker}</p></div>")
    return shell(f"{name}_{SITE}", body, meta=f"<meta name='ColumnName' content='{name}'>")


def article(title: str, pubdate: str | None = None, visible: str | None = None) -> str:
    meta = f"<meta name='PubDate' content='{pubdate}'>" if pubdate else ""
    info = f"<div class='info'>发布时间：{visible}</div>" if visible else ""
    return shell(f"{title}_{SITE}", f"<h1>{title}</h1>{info}<div class='content'><p>正文内容。</p></div>",
                 meta=meta + f"<meta name='ArticleTitle' content='{title}'>")


def block(name: str, more: str, rows: list[str]) -> str:
    return (f"<div class='block'><div class='bhead'><h2>{name}</h2><a class='more' href='{more}'>更多</a></div>"
            f"<ul class='list'>{''.join(rows)}</ul></div>")


def audit_freshness(url: str, options: dict[str, Any] | None = None, site: dict[str, Any] | None = None,
                    as_of: date = AS_OF, **crawl_kw: Any) -> tuple[SiteSnapshot, CheckResult]:
    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    cfg.crawl.timeout, cfg.crawl.backoff, cfg.crawl.retries = 2.0, 0.05, 0
    cfg.crawl.use_sitemap = False
    for k, v in crawl_kw.items():
        setattr(cfg.crawl, k, v)
    cfg.site = site or {}

    async def go() -> tuple[SiteSnapshot, CheckResult]:
        async with Fetcher(cfg.crawl) as f:
            snap = await crawl(url, cfg.crawl, f)
            ctx = CheckContext(fetcher=f, config=cfg, as_of=as_of, options=options or {})
            return snap, await FreshnessCheck().run(snap, ctx)

    return run(go())


def columns_by_path(result: CheckResult, base: str) -> dict[str, dict[str, Any]]:
    return {c["url"][len(base):]: c for c in result.data["columns"]}
