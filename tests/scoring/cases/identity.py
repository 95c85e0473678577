"""cn-gov-2019's identity part (域名与网站标识, 搜索, IPv6, metadata; HTTPS and files as info)."""

from __future__ import annotations

from tests.scoring.helpers import Checks
from tests.scoring.sites import identity

P = "cn-gov-2019"

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    (P, "cn.deduct.identity.domain"): (lambda: {"identity": identity(gov_domain=0)}, "fail", -2.0),
    (P, "cn.deduct.identity.site-id"): (lambda: {"identity": identity(site_id_code_valid=0)}, "fail", -1.0),
    # 0.5 a missing mark: ICP, 公安备案 and 党政机关网站标识 missing
    (P, "cn.deduct.identity.footer"): (
        lambda: {"identity": identity(icp_present=0, police_present=0, conac_present=0)}, "fail", -1.5),
    (P, "cn.deduct.identity.error-report"): (lambda: {"identity": identity(error_report_present=0)}, "fail", -1.0),
    # 0.1 a page: 7 pages lack a required meta (9 fields between them)
    (P, "cn.deduct.identity.metadata"): (
        lambda: {"identity": identity(meta_pages_missing=7, meta_missing_fields=9)}, "fail", -0.7),
    (P, "cn.deduct.identity.siteidcode"): (lambda: {"identity": identity(siteidcode_mismatch=3)}, "fail", -1.0),
    (P, "cn.deduct.identity.search"): (lambda: {"identity": identity(search_present=0)}, "fail", -2.0),
    (P, "cn.deduct.identity.search-answers"): (lambda: {"identity": identity(search_answers=0)}, "fail", -1.0),
    (P, "cn.deduct.identity.ipv6"): (lambda: {"identity": identity(ipv6=0)}, "fail", -2.0),
    (P, "cn.info.identity.record-links"): (lambda: {"identity": identity(icp_linked=0)}, "fail", 0.0),
    (P, "cn.info.identity.https"): (lambda: {"identity": identity(https=0)}, "fail", 0.0),
    (P, "cn.info.identity.robots-sitemap"): (lambda: {"identity": identity(sitemap_xml=0)}, "fail", 0.0),
    (P, "cn.info.identity.not-found"): (lambda: {"identity": identity(missing_page_404=0)}, "fail", 0.0),
}

# Each quiet case carries a neighbouring defect that another indicator owns.
QUIET: dict[tuple[str, str], Checks] = {
    (P, "cn.deduct.identity.domain"): lambda: {"identity": identity(ipv6=0)},
    (P, "cn.deduct.identity.site-id"): lambda: {"identity": identity(icp_present=0)},
    # the 网站标识码 and 找错 entry have indicators of their own: not counted again here
    (P, "cn.deduct.identity.footer"): lambda: {"identity": identity(site_id_code_present=0, error_report_present=0)},
    (P, "cn.deduct.identity.error-report"): lambda: {"identity": identity(sponsor_present=0)},
    # a wrong value is not a missing field
    (P, "cn.deduct.identity.metadata"): lambda: {"identity": identity(meta_invalid=2, siteidcode_mismatch=1)},
    (P, "cn.deduct.identity.siteidcode"): lambda: {"identity": identity(meta_pages_missing=3)},
    # a POST-only box: present, its answer unknown
    (P, "cn.deduct.identity.search"): lambda: {"identity": identity(search_answers=None)},
    (P, "cn.deduct.identity.search-answers"): lambda: {"identity": identity(ipv6=0)},
    (P, "cn.deduct.identity.ipv6"): lambda: {"identity": identity(hsts=0)},
    # a missing number is footer's deduction, not an unlinked one
    (P, "cn.info.identity.record-links"): lambda: {"identity": identity(icp_present=0)},
    # HTTPS answers; HSTS and the redirect are listed in its findings without failing it
    (P, "cn.info.identity.https"): lambda: {"identity": identity(hsts=0, http_redirects_https=0)},
    (P, "cn.info.identity.robots-sitemap"): lambda: {"identity": identity(missing_page_404=0)},
    (P, "cn.info.identity.not-found"): lambda: {"identity": identity(robots_txt=0)},
}
