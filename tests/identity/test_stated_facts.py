"""A pass states only what was observed (issue 17, pattern 10).

"SiteIDCode matches the footer's 网站标识码" needs both codes; "the record numbers link to the filing
systems" needs numbers. On a site with neither, those indicators are not applicable (the missing
marks are the other indicators' deductions), never a pass claiming a match.
"""

from __future__ import annotations

from pathlib import Path

from govaudit.checks.identity import IdentityCheck

from govaudit.model import CheckResult
from govaudit.profiles import load_profile
from govaudit.scoring import score
from tests.identity.pages import SITE_META, cn_page, footer, home
from tests.identity.servers import audit
from tests.support.server import page, serving

NO_CODES_FOOT = footer(without=("site_id", "icp", "police"))
FACTS = ("cn.deduct.identity.siteidcode", "cn.info.identity.record-links")


def no_v6(host: str) -> list[str]:
    return []


def scored(res: CheckResult) -> dict[str, tuple[str, str]]:
    result = score(load_profile("cn-gov-2019"), {"identity": res})
    return {i.id: (i.result, i.detail) for i in result.indicators if i.id.startswith("cn.")}


def test_no_codes_and_no_numbers_are_not_passes() -> None:
    meta = {k: v for k, v in SITE_META.items() if k != "SiteIDCode"}
    with serving({"/": page(cn_page("青山县人民政府", meta, "<p>首页</p>", foot=NO_CODES_FOOT))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
    assert (res.metrics["siteidcode_compared"], res.metrics["record_numbers_shown"]) == (0, 0)
    by_id = scored(res)
    for ind in FACTS:
        assert by_id[ind][0] == "not_applicable", by_id[ind]
    # the absent marks are still said to be absent, by their own indicators
    assert by_id["cn.deduct.identity.site-id"][0] == "fail"
    assert by_id["cn.deduct.identity.footer"][0] == "fail"


def test_a_meta_code_without_a_footer_code_is_not_a_match() -> None:
    with serving({"/": page(home(foot=NO_CODES_FOOT))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
    assert res.metrics["siteidcode_compared"] == 0
    assert scored(res)["cn.deduct.identity.siteidcode"][0] == "not_applicable"


def test_both_codes_and_linked_numbers_pass() -> None:
    with serving({"/": page(home())}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
    assert res.metrics["siteidcode_compared"] >= 1 and res.metrics["record_numbers_shown"] == 2
    by_id = scored(res)
    assert [by_id[i][0] for i in FACTS] == ["pass", "pass"]


def test_gxpopss_home_has_no_code_and_no_number(corpus: Path) -> None:
    """广西社科规划办's footer: 版权所有, 电话, 地址, three badge images — no 网站标识码, no ICP or
    公安备案 number, no SiteIDCode meta."""
    site = corpus / "cn-portals" / "gxpopss_cn" / "site"
    with serving({"/": page((site / "index.html").read_text(encoding="utf-8"))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), max_pages=1)
    assert (res.metrics["siteidcode_compared"], res.metrics["record_numbers_shown"]) == (0, 0)
    by_id = scored(res)
    assert [by_id[i][0] for i in FACTS] == ["not_applicable", "not_applicable"]
