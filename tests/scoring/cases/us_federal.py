"""us-federal: every indicator on a US federal site (identity and accessibility checks)."""

from __future__ import annotations

from tests.a11y.profile_cases import a11y
from tests.scoring.helpers import Checks
from tests.scoring.sites import IDENTITY_US, identity

P = "us-federal"


def us(**changes: object) -> Checks:
    return lambda: {"identity": identity(IDENTITY_US, **changes)}


TWO_LINKS_MISSING = {**IDENTITY_US["required_links"], "foia": "", "no_fear": ""}

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    (P, "us.https"): (us(https=0), "fail", -15.0),
    (P, "us.https.redirect"): (us(http_redirects_https=0), "fail", -5.0),
    (P, "us.tls"): (us(tls_valid=0), "fail", -10.0),
    (P, "us.hsts"): (us(hsts=0), "fail", -10.0),
    (P, "us.search"): (us(search_present=0), "fail", -10.0),
    (P, "us.search.answers"): (us(search_answers=0), "fail", -5.0),
    (P, "us.mobile"): (us(viewport=0), "fail", -10.0),
    (P, "us.dap"): (us(dap=0), "fail", -5.0),
    (P, "us.banner"): (us(banner=0), "fail", -5.0),
    (P, "us.links"): (us(required_links=TWO_LINKS_MISSING), "fail", -4.0),
    (P, "us.domain"): (us(gov_domain=0), "fail", -5.0),
    (P, "us.a11y.a"): (lambda: a11y(a=2), "fail", -10.0),
    (P, "us.a11y.aa"): (lambda: a11y(aa=5), "fail", -20.0),  # 25, capped at 20
    (P, "us.not-found"): (us(missing_page_404=0), "fail", -3.0),
    (P, "us.ipv6"): (us(ipv6=0), "fail", -5.0),
    (P, "us.robots"): (us(robots_txt=0), "fail", -2.0),
    (P, "us.sitemap"): (us(sitemap_xml=0), "fail", -2.0),
}

QUIET: dict[tuple[str, str], Checks] = {
    (P, "us.https"): us(hsts=0),
    (P, "us.https.redirect"): us(hsts=0),
    (P, "us.tls"): us(http_redirects_https=0),
    (P, "us.hsts"): us(tls_valid=0),
    (P, "us.search"): us(search_answers=None),  # a POST-only box is still a search box
    (P, "us.search.answers"): us(banner=0),
    (P, "us.mobile"): us(banner=0),
    (P, "us.dap"): us(viewport=0),
    (P, "us.banner"): us(dap=0),
    (P, "us.links"): us(),
    (P, "us.domain"): us(ipv6=0),
    (P, "us.a11y.a"): lambda: a11y(aa=2),
    (P, "us.a11y.aa"): lambda: a11y(a=2),
    (P, "us.not-found"): us(robots_txt=0),
    (P, "us.ipv6"): us(),
    (P, "us.robots"): us(sitemap_xml=0),
    (P, "us.sitemap"): us(robots_txt=0),
}
