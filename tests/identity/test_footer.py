"""Footer marks (底部功能区) and the .gov.cn domain rule: each mark missing fires its rule alone;
the forms real portals use (seen in the corpus pages) are all recognised."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from govaudit.checks.identity import IdentityCheck
from govaudit.checks.identity.footer import CONAC, BadgeMarkers, Mark, find_marks, footer_images
from govaudit.checks.identity.html import Doc

from govaudit.checkapi import CheckContext
from tests.identity.pages import FOOTER_PARTS, cn_page, footer, home
from tests.identity.servers import AS_OF, audit, rules
from tests.support.server import page, serving

MARK_RULES = {
    "site_id": "footer-site-id-missing", "icp": "footer-icp-missing", "police": "footer-police-missing",
    "conac": "footer-conac-missing", "sponsor": "footer-sponsor-missing", "contact": "footer-contact-missing",
    "error_report": "footer-error-report-missing",
}
FOOTER_RULES = set(MARK_RULES.values()) | {"footer-site-id-malformed", "footer-icp-unlinked",
                                           "footer-police-unlinked", "footer-police-malformed"}


def no_v6(host: str) -> list[str]:
    return []


def test_complete_footer_has_no_footer_finding() -> None:
    with serving({"/": page(home())}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert rules(res) & FOOTER_RULES == set()
        assert res.metrics["footer_marks_missing"] == 0
        assert res.data["footer"]["site_id"]["value"] == "3611230001"
        assert res.data["footer"]["sponsor"]["value"] == "青山县人民政府办公室"


@pytest.mark.parametrize("mark", sorted(MARK_RULES))
def test_each_missing_mark_fires_its_rule_alone(mark: str) -> None:
    with serving({"/": page(home(foot=footer(without=(mark,))))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert rules(res) & FOOTER_RULES == {MARK_RULES[mark]}
        assert res.metrics["footer_marks_missing"] == 1
        assert res.metrics[f"{mark if mark != 'site_id' else 'site_id_code'}_present"] == 0


def test_unlinked_and_malformed_numbers_fire() -> None:
    foot = footer(replace={
        "site_id": "<span>网站标识码：36112300</span>",  # 8 digits
        "icp": "<span>赣ICP备20260001号-1</span>",  # shown, not linked
        "police": "<span>赣公网安备 3611230200010号</span>",  # 13 digits, not linked
    })
    with serving({"/": page(home(foot=foot))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert rules(res) & FOOTER_RULES == {"footer-site-id-malformed", "footer-icp-unlinked",
                                             "footer-police-unlinked", "footer-police-malformed"}
        assert (res.metrics["icp_present"], res.metrics["icp_linked"]) == (1, 0)
        assert res.metrics["site_id_code_valid"] == 0


def test_error_report_entry_in_a_comment_does_not_count() -> None:
    foot = footer(without=("error_report",)) + "<!-- <a href='/jc'>【我要纠错】</a> -->"
    with serving({"/": page(home(foot=foot))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert "footer-error-report-missing" in rules(res)


@pytest.mark.parametrize(("html", "mark", "value"), [
    # forms taken from real portals (gov.cn, shanxi.gov.cn, kaili.gov.cn, wanzai.gov.cn, cmse.gov.cn)
    ("<p>网站标识码bm01000001</p>", "site_id", "bm01000001"),
    ("<p>政府网站标识码：5226010001</p>", "site_id", "5226010001"),
    ("<p>京ICP备05070218号　京公网安备11010202000001号</p>", "police", "京公网安备11010202000001号"),
    ('<a href="http://www.beian.gov.cn/portal/recordQuery?token=x">贵公网安备：52260102556121号</a>', "police",
     "贵公网安备：52260102556121号"),
    ("<span>备案序号：</span><a href='https://beian.miit.gov.cn'>京ICP备20027467号-1</a>", "icp", "京ICP备20027467号-1"),
    ("<p>主办：宜春市人民政府　承办：宜春市人民政府办公室</p>", "sponsor", "宜春市人民政府"),
    ("<span><i>主办方：</i>中国载人航天工程办公室</span>", "sponsor", "中国载人航天工程办公室"),
    ("<p>技术支持：万载县信息中心(0795-8819792)</p>", "contact", "0795-8819792"),
    ('<span id="_ideConac"></span>', "conac", "_ideConac"),
    ('<script id="_jiucuo_" sitecode="1400000045" src="http://pucha.kaipuyun.cn/exposure/jiucuo.js"></script>',
     "error_report", "http://pucha.kaipuyun.cn/exposure/jiucuo.js"),
    ('<a href="https://www.gov.cn/fuwu/jiucuopage.html">网站纠错</a>', "error_report", "网站纠错"),
    ('<img src="jiucuo.png" aria-label="政府网站找错" onclick="Link(1)">', "error_report", "找错"),
])
def test_real_portal_forms_are_recognised(html: str, mark: str, value: str) -> None:
    doc = Doc(f'<html><body><div class="main">正文</div><div class="footer">{html}</div></body></html>',
              "http://www.example.gov.cn/")
    found = dict(find_marks(doc).items())[mark]
    assert found.present and found.value == value


def test_marks_outside_the_footer_text_rules() -> None:
    # 主办 in an article body is not the footer's 主办单位 when the footer is marked and lacks it.
    body = "<p>本次活动主办单位：县文化馆。</p>" + "<p>正文内容。</p>" * 400
    doc = Doc(cn_page("t", {}, body, foot=footer(without=("sponsor",))), "http://www.example.gov.cn/")
    assert not find_marks(doc).sponsor.present
    assert FOOTER_PARTS["sponsor"]  # the builder still has it; this page just left it out


def test_ipv6_gateway_rewrite_of_the_icp_link_counts() -> None:
    doc = Doc('<div class="footer"><a href="https://beian.miit.gov.cn.ipv6.iname.damddos.com/">'
              "赣ICP备11002306号-1</a></div>", "http://www.wanzai.gov.cn/")
    assert find_marks(doc).icp.linked


def test_gov_cn_domain_rule() -> None:
    with serving({"/": page(home())}) as srv:
        # 127.0.0.1 has no domain: the SiteDomain meta (www.qingshan.gov.cn) is judged
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert res.metrics["gov_domain"] == 1 and res.data["domain"]["source"] == "SiteDomain meta"
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), {"domain": "www.qingshan.com"})
        assert res.metrics["gov_domain"] == 0 and "domain-not-gov" in rules(res)
        # a Chinese-only audit can narrow the suffixes: then a .gov.uk domain is not official
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"),
                       {"domain": "www.council.gov.uk", "domain_suffixes": [".gov.cn"]})
        assert res.metrics["gov_domain"] == 0 and "domain-not-gov" in rules(res)


def test_domain_is_not_judged_when_there_is_none() -> None:
    bare = home().replace('<meta name="SiteDomain" content="www.qingshan.gov.cn">', "")
    with serving({"/": page(bare)}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert res.metrics["gov_domain"] is None and "domain-not-gov" not in rules(res)


# ---- 党政机关网站标识: one set of markers for every site (issue 17, pattern 13) ------------------

CONAC_JS = "http://dcs.conac.cn/js/24/356/2168/40584250/CA243562168405842500001.js"
CONAC_FORMS = {
    # TRS WCM footers (道真县人社局): the conac script written by document.write, percent-encoded
    "document.write": ('<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' %3E'
                       f'%3C/span%3E%3Cscript src=\' {CONAC_JS}\' type=\'text/javascript\'%3E%3C/script%3E"));'
                       '</script>'),
    # the same, every character of the tag encoded (escape() of the whole string)
    "encoded": ('<script>document.write(unescape("%3Cscript%20src%3D%27http%3A%2F%2Fdcs%2Econac%2Ecn%2Fjs%2F24'
                '%2FCA2435.js%27%3E%3C%2Fscript%3E"));</script>'),
    "script src": f'<span id="_ideConac"></span><script src="{CONAC_JS}"></script>',
    "placeholder id": '<span id="_ideConac_2168"></span>',
    "hot-linked badge": '<a href="javascript:;"><img src="http://dcs.conac.cn/image/red.png"></a>',
    "badge alt": '<a href="javascript:;"><img src="/images/dzjg.png" alt="党政机关网站标识"></a>',
    "link": FOOTER_PARTS["conac"],
}


@pytest.mark.parametrize("form", sorted(CONAC_FORMS))
def test_every_conac_form_is_the_mark(form: str) -> None:
    foot = footer(replace={"conac": CONAC_FORMS[form]})
    with serving({"/": page(home(foot=foot))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert res.metrics["conac_present"] == 1, res.data["footer"]["conac"]
        assert "footer-conac-missing" not in rules(res)


def test_a_commented_out_conac_link_is_not_the_mark() -> None:
    foot = footer(replace={"conac": '<!--a href="http://bszs.conac.cn/sitename?id=1"><img src="/dz.png"></a-->'})
    assert not find_marks(Doc(home(foot=foot), "http://127.0.0.1/")).conac.present


def test_a_copy_of_the_badge_image_is_the_mark() -> None:
    """A footer image with no link and no alt is the badge when its bytes are the badge's."""
    badge = b"\x89PNG\r\n\x1a\n a badge image for this test"
    markers = BadgeMarkers(hosts=("conac.cn",), ids=("_ideConac",), words=CONAC.words,
                           digests={hashlib.sha256(badge).hexdigest(): "test"})
    foot = footer(replace={"conac": '<div class="ico1"><a href="javascript:;"><img src="/Picture/red.png"></a></div>'})
    other = footer(replace={"conac": '<a href="javascript:;"><img src="/Picture/other.png"></a>'})
    with serving({"/": page(home(foot=foot)), "/other.html": page(home(foot=other)),
                  "/Picture/red.png": page(badge, content_type="image/png"),
                  "/Picture/other.png": page(b"GIF89a other", content_type="image/gif")}) as srv:
        got = _badge(srv.url("/"), markers)
        assert (got.present, got.evidence) == (True, "badge image (test)")
        assert not _badge(srv.url("/other.html"), markers).present


def _badge(url: str, markers: BadgeMarkers) -> Mark:
    from govaudit.checks.identity.check import _badge_image

    from govaudit.config import AuditConfig
    from govaudit.crawl.fetcher import Fetcher
    from tests.conftest import run

    cfg = AuditConfig()

    async def go() -> Mark:
        async with Fetcher(cfg.crawl) as f:
            res = await f.fetch(url)
            doc = Doc(res.body.decode("utf-8"), res.final_url)
            return await _badge_image(doc, markers, CheckContext(fetcher=f, config=cfg, as_of=AS_OF, options={},
                                                                 results={}))

    return run(go())


def _serve_site(site: Path) -> dict[str, object]:
    """The home page and the images its footer shows, read from the corpus at run time."""
    html = (site / "index.html").read_text(encoding="utf-8")
    routes: dict[str, object] = {"/": page(html)}
    for url in footer_images(Doc(html, "http://127.0.0.1/")):
        rel = url.split("127.0.0.1", 1)[1].split("?", 1)[0]
        path = site / rel.lstrip("/")
        if path.is_file():
            routes[rel] = page(path.read_bytes(), content_type="image/" + path.suffix.lstrip("."))
    return routes


@pytest.mark.parametrize(("folder", "present", "evidence"), [
    ("gzdzhrss_com", True, "script"),  # document.write of _ideConac + dcs.conac.cn/js/… in the footer
    ("lgedu_net", True, "badge image"),  # <div class=ico1><a href=javascript:;><img src=Picture/red.png>
    ("gxpopss_cn", False, ""),  # 网警, 不良信息举报 and 网警岗亭 badges: no 党政机关 mark
])
def test_conac_on_the_corpus_portals(corpus: Path, folder: str, present: bool, evidence: str) -> None:
    site = corpus / "cn-portals" / folder / "site"
    with serving(_serve_site(site)) as srv:  # type: ignore[arg-type]
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), max_pages=1)
    conac = res.data["footer"]["conac"]
    assert conac["present"] is present, conac
    assert str(conac["evidence"]).startswith(evidence)


@pytest.mark.parametrize(("folder", "present"), [
    ("lgedu_net", True),  # <div class=ico3><a href=javascript:;><img src=Picture/index_33.png> (政府网站 找错)
    ("gzdzhrss_com", False),  # RSS订阅 | 联系方式 | 网站地图, 主办, 电话: no 找错 entry
    ("gxpopss_cn", False),
])
def test_error_report_image_on_the_corpus_portals(corpus: Path, folder: str, present: bool) -> None:
    site = corpus / "cn-portals" / folder / "site"
    with serving(_serve_site(site)) as srv:  # type: ignore[arg-type]
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), max_pages=1)
    assert res.data["footer"]["error_report"]["present"] is present, res.data["footer"]["error_report"]
