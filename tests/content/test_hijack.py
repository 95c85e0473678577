"""Hijacked outbound links (外链变异): external targets that now read as gambling, pornography or a
parked domain. The "outside world" is a second loopback server reached as `localhost` — another
host name than the audited 127.0.0.1, so its links are off-site."""

from __future__ import annotations

from datetime import date

from govaudit.checks.content import ContentCheck
from govaudit.checks.content.spam import Lexicon, judge_page
from govaudit.checks.links import LinksCheck

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from tests.conftest import run
from tests.identity.servers import audit
from tests.support.server import page, serving

CASINO = ("<html><head><title>澳门新葡京娱乐城-百家乐-真人视讯官网</title></head><body>"
          "<p>注册送彩金，首存返水，体育投注，时时彩，北京赛车。</p></body></html>")
PORN = ("<html><head><title>免费成人视频 - 国产自拍</title></head><body><p>无码 三级片 福利视频</p></body></html>")
PARKED = ("<html><head><title>qingshan-tour.com</title></head><body><h1>This domain is for sale!</h1>"
          "<p>Buy this domain. Parked free, courtesy of the registrar.</p></body></html>")
NEWS = ("<html><head><title>公安部：严厉打击跨境赌博</title></head><body><p>警方破获一起网上赌博案，查处赌场……"
        "博彩 老虎机 六合彩 都在打击之列。</p></body></html>")
TOURISM = "<html><head><title>青山旅游网</title></head><body><p>欢迎来到青山。</p></body></html>"


def outside_routes() -> dict:
    return {"/casino.html": page(CASINO), "/porn.html": page(PORN), "/parked.html": page(PARKED),
            "/news.html": page(NEWS), "/tour.html": page(TOURISM)}


def home(port: int) -> str:
    links = "".join(f'<li><a href="http://localhost:{port}/{p}">{t}</a></li>' for p, t in [
        ("casino.html", "县旅游局"), ("porn.html", "招商网"), ("parked.html", "青山旅游"), ("news.html", "公安新闻"),
        ("tour.html", "青山旅游网")])
    return f"<html><head><meta charset='utf-8'><title>青山县人民政府</title></head><body><ul>{links}</ul></body></html>"


def test_hijacked_and_parked_targets_are_reported_with_their_trigger() -> None:
    with serving(outside_routes()) as outside, serving({}) as site:
        site.routes["/"] = page(home(outside.port))
        _, res = audit(ContentCheck(), site.url("/"))
        by_target = {f.target.rsplit("/", 1)[-1]: f for f in res.findings}  # type: ignore[union-attr]
        assert set(by_target) == {"casino.html", "porn.html", "parked.html"}
        casino, porn, parked = by_target["casino.html"], by_target["porn.html"], by_target["parked.html"]
        assert (casino.rule, casino.severity, casino.evidence["category"]) == ("hijacked-link", "error", "gambling")
        assert casino.evidence["trigger_in"] == "title" and "百家乐" in casino.evidence["triggers"]
        assert casino.page == site.url("/") and casino.evidence["text"] == "县旅游局"
        assert (porn.rule, porn.evidence["category"]) == ("hijacked-link", "porn")
        assert (parked.rule, parked.severity, parked.evidence["category"]) == ("parked-link", "warning", "parked")
        m = res.metrics
        assert (m["hijacked_links"], m["parked_links"], m["harmful_links"]) == (2, 1, 2)
        assert (m["external_checked"], m["external_readable"]) == (5, 5)


def test_news_about_a_crackdown_is_not_a_gambling_site() -> None:
    verdict = judge_page("公安部：严厉打击跨境赌博", NEWS, "www.news.example", Lexicon())
    assert verdict.category is None
    # a government host never reads as gambling, whatever it says (the state lotteries are .gov.cn)
    assert judge_page("中国福利彩票", CASINO, "www.cwl.gov.cn", Lexicon()).category is None


def test_targets_are_fetched_once_when_the_links_check_ran_first() -> None:
    with serving(outside_routes()) as outside, serving({}) as site:
        site.routes["/"] = page(home(outside.port))
        async def go():  # noqa: ANN202
            cfg = AuditConfig()
            cfg.crawl.delay, cfg.crawl.retries = 0.0, 0
            async with Fetcher(cfg.crawl) as f:
                snap = await crawl(site.url("/"), cfg.crawl, f)
                links = await LinksCheck().run(snap, CheckContext(f, cfg, date(2026, 11, 20)))
                content = await ContentCheck().run(snap, CheckContext(f, cfg, date(2026, 11, 20),
                                                                      results={"links": links}))
                return links, content

        links, content = run(go())
        assert links.metrics["broken"] == 0 and content.metrics["hijacked_links"] == 2
        gets = [p for m, p in outside.log if p.endswith(".html")]
        assert sorted(gets) == sorted(set(gets)) and len(gets) == 5  # each target asked once


def test_external_judging_can_be_switched_off_and_capped() -> None:
    with serving(outside_routes()) as outside, serving({}) as site:
        site.routes["/"] = page(home(outside.port))
        _, res = audit(ContentCheck(), site.url("/"), {"external": False})
        assert res.metrics["external_checked"] == 0 and outside.log == []
        _, res = audit(ContentCheck(), site.url("/"), {"max_external": 2})
        assert (res.metrics["external_checked"], res.metrics["external_left_out"]) == (2, 3)


def test_an_unreachable_target_is_left_to_the_links_check() -> None:
    html = "<html><title>t</title><body><a href='http://www.gone-portal.invalid/'>旧站</a></body></html>"
    with serving({"/": page(html)}) as site:
        _, res = audit(ContentCheck(), site.url("/"))
        assert res.findings == [] and res.metrics["external_checked"] == 1
        assert res.metrics["external_readable"] == 0


def test_a_veto_on_outbound_pages_read_in_part_is_partial_not_pass() -> None:
    """Issue 16 item 8: 0 of 5 outbound pages read (switched off), or 2 of 5 (capped): 链接违规内容
    cannot pass on what it did not read; with every page read and none bad it passes."""
    from govaudit.profiles import load_profile
    from govaudit.scoring import score

    profile = load_profile("cn-gov-2019")

    def verdict(res: object) -> tuple[str, str]:
        scored = score(profile, {"content": res})  # type: ignore[dict-item]
        ind = next(i for i in scored.indicators if i.id == "cn.veto.security.harmful-links")
        return ind.result, ind.detail

    clean = {"/tour.html": page(TOURISM), "/news.html": page(NEWS)}
    with serving(clean) as outside, serving({}) as site:
        links = "".join(f'<a href="http://localhost:{outside.port}/{n}">友情链接</a>' for n in clean)
        site.routes["/"] = page(f"<html><head><title>青山县人民政府</title></head><body>{links}</body></html>")
        _, off = audit(ContentCheck(), site.url("/"), {"external": False})
        _, capped = audit(ContentCheck(), site.url("/"), {"max_external": 1})
        _, whole = audit(ContentCheck(), site.url("/"))
    result, detail = verdict(off)
    assert result == "partial" and "external = false" in detail
    result, detail = verdict(capped)
    assert result == "partial" and "asked: 1 of 2" in detail
    assert capped.partial == {"harmful_links": capped.partial["harmful_links"]}
    assert verdict(whole)[0] == "pass" and whole.partial == {}
