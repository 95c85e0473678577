"""Footer marks (底部功能区) and the .gov.cn domain rule: each mark missing fires its rule alone;
the forms real portals use (seen in the corpus pages) are all recognised."""

from __future__ import annotations

import pytest

from checks.identity import IdentityCheck
from checks.identity.footer import find_marks
from checks.identity.html import Doc
from tests.identity.pages import FOOTER_PARTS, cn_page, footer, home
from tests.identity.servers import audit, rules
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
