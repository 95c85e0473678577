"""Run the interaction check against a live local server, the way an audit does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from govaudit.checks.interaction import InteractionCheck

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig, loopback_fast
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import CheckResult, SiteSnapshot
from tests.conftest import run

AS_OF = date(2026, 11, 20)


@dataclass
class Outcome:
    snapshot: SiteSnapshot
    result: CheckResult

    @property
    def metrics(self) -> dict[str, Any]:
        return self.result.metrics

    @property
    def boards(self) -> list[dict[str, Any]]:
        return self.result.data["boards"]

    def board(self, name: str) -> dict[str, Any]:
        (found,) = [b for b in self.boards if b["name"] == name]
        return found

    def rules(self, rule: str) -> list[Any]:
        return [f for f in self.result.findings if f.rule == rule]


def check_site(url: str, as_of: date = AS_OF, options: dict[str, Any] | None = None,
               site: dict[str, Any] | None = None, renderer: Any = None, max_depth: int = 1) -> Outcome:
    """Crawl `url` (shallow by default, so the check must fetch the boards itself) and run the check."""
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.max_depth = max_depth
    cfg.crawl.use_sitemap = False
    cfg.crawl.timeout, cfg.crawl.retries, cfg.crawl.backoff = 2.0, 0, 0.05
    cfg.site = site or {}

    async def go() -> Outcome:
        async with Fetcher(cfg.crawl) as fetcher:
            snapshot = await crawl(url, cfg.crawl, fetcher)
            ctx = CheckContext(fetcher=fetcher, config=cfg, as_of=as_of, options=dict(options or {}),
                               renderer=renderer)
            return Outcome(snapshot, await InteractionCheck().run(snapshot, ctx))

    return run(go())


def html_page(title: str, body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>{body}</body></html>'


def table_board(rows: list[tuple[str, str, str, str]], pager: str = "", reply_column: bool = True) -> str:
    """A 信箱 list table: (link, asked, status, replied) per row."""
    head = "<tr><th>标题</th><th>留言时间</th><th>办理状态</th>" + ("<th>答复时间</th>" if reply_column else "") + "</tr>"
    body = "".join(
        f'<tr><td><a href="{link}">信件{n}</a></td><td>{asked}</td><td>{status}</td>'
        + (f"<td>{replied}</td>" if reply_column else "") + "</tr>"
        for n, (link, asked, status, replied) in enumerate(rows)
    )
    return html_page("县长信箱", f"<h1>县长信箱</h1><table>{head}{body}</table>{pager}")


def home(links: str) -> str:
    return html_page("某某县人民政府", f'<div class="nav"><a href="/">首页</a>{links}</div>')
