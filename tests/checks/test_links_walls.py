"""Link targets a firewall answered for (issue 11 item 3): their own `blocked` bucket in the links
check's metrics and in the reports, never a broken link; ordinary 403/404 targets stay broken."""

from __future__ import annotations

from datetime import date

from govaudit.checks.links import LinksCheck

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import CheckResult, SiteSnapshot
from govaudit.report import checkdata
from tests.conftest import run
from tests.crawl.walls_pages import ORDINARY, WALLS
from tests.support.server import Reply, page, serving


def audit_links(url: str) -> tuple[SiteSnapshot, CheckResult]:
    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    cfg.crawl.timeout, cfg.crawl.backoff, cfg.crawl.retries = 2.0, 0.05, 0

    async def go() -> tuple[SiteSnapshot, CheckResult]:
        async with Fetcher(cfg.crawl) as f:
            snap = await crawl(url, cfg.crawl, f)
            ctx = CheckContext(fetcher=f, config=cfg, as_of=date(2026, 11, 20), options={"external": False})
            return snap, await LinksCheck().run(snap, ctx)

    return run(go())


def ruishu_file(req) -> Reply:  # noqa: ANN001 - the server's handler object
    reply = WALLS["/ruishu.html"][0]
    return Reply(status=412, body=b"" if req.command == "HEAD" else reply.body, headers=reply.headers)


def test_blocked_targets_are_their_own_bucket_never_broken() -> None:
    walls = ["/safedog.html", "/aliyun.html", "/jsl.html", "/cf.html", "/files/notice.pdf"]
    ordinary = ["/nginx403.html", "/portal404.html", "/cf404.html", "/safedog404.html"]
    home = "<title>首页</title>" + "".join(f'<a href="{p}">{p}</a>' for p in walls + ordinary)
    routes = {"/": page(home), "/files/notice.pdf": ruishu_file,
              **{p: WALLS[p][0] for p in walls if p in WALLS}, **{p: ORDINARY[p] for p in ordinary}}
    with serving(routes) as srv:
        _, res = audit_links(srv.url("/"))
    m = res.metrics
    assert m["blocked"] == 5
    assert m["blocked_by"] == {
        "Alibaba Cloud WAF (阿里云盾) block page": 1, "Cloudflare challenge": 1, "Jiasule (加速乐) challenge": 1,
        "Rivers Security (瑞数) challenge": 1, "SafeDog (安全狗) block page": 1}
    broken = {f.target.rsplit("/", 1)[-1] for f in res.findings if f.rule == "broken-link"}
    assert broken == {p.rsplit("/", 1)[-1] for p in ordinary}
    assert m["broken_targets"] == 4 and m["broken_home"] == 4
    # The 4 broken ones and the home page (the SafeDog 404 links back to it); blocked targets were not verified.
    assert m["links_checked"] == 5
    blocked = [f for f in res.findings if f.status == "blocked"]
    assert len(blocked) == 5 and all(f.rule == "link-warning" and f.severity == "warning" for f in blocked)

    blocks, _ = checkdata._links(res, checkdata._Ctx("", {}, {}))  # what report.html and report.md show
    facts = next(b for b in blocks if b.key == "blocked")
    text = repr(facts)
    assert "5" in text and "瑞数" in text and "安全狗" in text
