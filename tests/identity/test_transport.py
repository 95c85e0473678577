"""HTTPS (redirect, certificate, HSTS), IPv6, robots.txt, sitemap.xml and a real 404 — each rule
firing and not firing, on real loopback servers (TLS with certificates made in the test)."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from govaudit.checks.identity import IdentityCheck

from govaudit.errors import UsageError
from tests.identity.pages import home
from tests.identity.servers import Certs, DualServer, audit, make_certs, rules
from tests.support.server import Reply, page, redirect, serving, status

HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
ROBOTS = Reply(200, "User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
SITEMAP = Reply(200, '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                     "<url><loc>http://127.0.0.1/</loc></url></urlset>", content_type="application/xml")
SITE_RULES = {"https-unavailable", "tls-invalid", "https-no-redirect", "hsts-missing", "ipv6-missing",
              "robots-missing", "sitemap-missing", "missing-page-not-404"}


def v6(host: str) -> list[str]:
    return ["2001:db8::10"]


def no_v6(host: str) -> list[str]:
    return []


@pytest.fixture(scope="module")
def certs() -> Certs:
    return make_certs()


def secure_site(certs: Certs, tmp: Path, *, redirect_http: bool = True, hsts: bool = True,
                server_certs: Certs | None = None) -> DualServer:
    def http_home(req: BaseHTTPRequestHandler) -> Reply:
        if redirect_http and not req.secure:  # type: ignore[attr-defined]
            return redirect(f"https://127.0.0.1:{req.server.server_address[1]}/", 301)
        return page(home(), **(HSTS if hsts and req.secure else {}))  # type: ignore[attr-defined]

    routes = {"/": http_home, "/robots.txt": ROBOTS, "/sitemap.xml": SITEMAP}
    return DualServer(routes, tls=(server_certs or certs).server_context(tmp))


def test_https_site_with_redirect_valid_cert_and_hsts(certs: Certs, tmp_path: Path) -> None:
    with secure_site(certs, tmp_path) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/", "https"), verify=certs.client_context())
        assert rules(res) & SITE_RULES == set()
        m = res.metrics
        assert (m["https"], m["http_redirects_https"], m["tls_valid"], m["hsts"]) == (1, 1, 1, 1)
        assert (m["ipv6"], m["robots_txt"], m["sitemap_xml"], m["missing_page_404"]) == (1, 1, 1, 1)
        assert res.data["https"]["hsts"].startswith("max-age=31536000")
        # the check asked http:// and https:// itself: both schemes show in the server log
        assert {"http", "https"} <= {scheme for scheme, _, _ in srv.log}


def test_http_start_url_is_judged_on_its_https_twin(certs: Certs, tmp_path: Path) -> None:
    with secure_site(certs, tmp_path) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"), verify=certs.client_context())
        assert res.metrics["https"] == 1 and res.metrics["http_redirects_https"] == 1
        assert "https-no-redirect" not in rules(res)


def test_no_redirect_from_http_fires(certs: Certs, tmp_path: Path) -> None:
    with secure_site(certs, tmp_path, redirect_http=False) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"), verify=certs.client_context())
        assert "https-no-redirect" in rules(res)
        assert res.metrics["http_redirects_https"] == 0 and res.metrics["https"] == 1


def test_missing_hsts_fires(certs: Certs, tmp_path: Path) -> None:
    with secure_site(certs, tmp_path, hsts=False) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/", "https"), verify=certs.client_context())
        assert rules(res) & SITE_RULES == {"hsts-missing"}
        assert res.metrics["hsts"] == 0


def test_hsts_with_zero_max_age_does_not_count(certs: Certs, tmp_path: Path) -> None:
    def handler(req: BaseHTTPRequestHandler) -> Reply:
        return page(home(), **{"Strict-Transport-Security": "max-age=0"})

    with DualServer({"/": handler, "/robots.txt": ROBOTS, "/sitemap.xml": SITEMAP},
                    tls=certs.server_context(tmp_path)) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/", "https"), verify=certs.client_context())
        assert "hsts-missing" in rules(res)


def test_untrusted_certificate_fires_with_verification_on(certs: Certs, tmp_path: Path) -> None:
    # The site's certificate comes from another CA than the one the fetcher trusts.
    # The crawl starts on http:// (no redirect), so the home page opens and HTTPS is judged apart.
    other = make_certs()
    with secure_site(certs, tmp_path, server_certs=other, redirect_http=False) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"), verify=certs.client_context())
        assert "tls-invalid" in rules(res)
        assert res.metrics["tls_valid"] == 0 and res.metrics["https"] == 1
        f = next(f for f in res.findings if f.rule == "tls-invalid")
        assert "certificate" in f.message.lower() and f.status == "tls"


def test_expired_certificate_fires(tmp_path: Path) -> None:
    expired = make_certs(expired=True)
    with secure_site(expired, tmp_path, redirect_http=False) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"), verify=expired.client_context())
        assert "tls-invalid" in rules(res)
        assert "expired" in next(f for f in res.findings if f.rule == "tls-invalid").message


def test_certificate_not_judged_when_verification_is_off(certs: Certs, tmp_path: Path) -> None:
    other = make_certs()
    with secure_site(certs, tmp_path, server_certs=other, redirect_http=False) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"), verify=False)
        assert "tls-invalid" not in rules(res)
        assert res.metrics["tls_valid"] is None  # unknown, never a pass
        assert res.metrics["https"] == 1


def test_plain_http_site_has_no_https() -> None:
    with serving({"/": page(home()), "/robots.txt": ROBOTS, "/sitemap.xml": SITEMAP}) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"))
        assert "https-unavailable" in rules(res)
        assert not {"tls-invalid", "hsts-missing", "https-no-redirect"} & rules(res)
        assert (res.metrics["https"], res.metrics["hsts"], res.metrics["tls_valid"]) == (0, 0, None)


def test_ipv6_from_the_injected_resolver() -> None:
    asked: list[str] = []

    async def resolver(host: str) -> list[str]:
        asked.append(host)
        return ["2001:db8::1", "192.0.2.1"]  # an A answer mixed in is ignored

    with serving({"/": page(home())}) as srv:
        _, res = audit(IdentityCheck(resolver=resolver), srv.url("/"))
        assert asked == ["127.0.0.1"]
        assert res.metrics["ipv6"] == 1 and "ipv6-missing" not in rules(res)
        assert res.data["ipv6"]["addresses"] == ["2001:db8::1"]
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert res.metrics["ipv6"] == 0 and "ipv6-missing" in rules(res)


def test_ipv6_resolver_and_host_as_options() -> None:
    with serving({"/": page(home())}) as srv:
        opts = {"ipv6_resolver": "tests.identity.test_transport:v6", "ipv6_host": "www.qingshan.gov.cn"}
        _, res = audit(IdentityCheck(), srv.url("/"), opts)
        assert res.metrics["ipv6"] == 1 and res.data["ipv6"]["host"] == "www.qingshan.gov.cn"
        with pytest.raises(UsageError, match="ipv6_resolver"):
            audit(IdentityCheck(), srv.url("/"), {"ipv6_resolver": "no.such.module:f"})


def test_a_failing_resolver_is_no_ipv6_with_the_reason() -> None:
    def broken(host: str) -> list[str]:
        raise OSError("resolver unreachable")

    with serving({"/": page(home())}) as srv:
        _, res = audit(IdentityCheck(resolver=broken), srv.url("/"))
        f = next(f for f in res.findings if f.rule == "ipv6-missing")
        assert "resolver unreachable" in f.message


def test_an_ipv4_address_audit_is_not_judged_without_a_name() -> None:
    with serving({"/": page(home())}) as srv:
        _, res = audit(IdentityCheck(), srv.url("/"))  # the system resolver, host 127.0.0.1
        assert res.metrics["ipv6"] is None and "ipv6-missing" not in rules(res)
        assert res.data["ipv6"]["judged"] is False and "ipv6_host" in res.data["ipv6"]["error"]
        # naming the site's real host judges it (an .invalid name has no AAAA: no network needed)
        _, res = audit(IdentityCheck(), srv.url("/"), {"ipv6_host": "www.qingshan.invalid"})
        assert res.metrics["ipv6"] == 0 and "ipv6-missing" in rules(res)


def test_the_default_resolver_answers_for_ip_literals() -> None:
    # No DNS involved: an IPv4 literal has no AAAA, an IPv6 literal is its own address.
    from govaudit.checks.identity.transport import system_aaaa

    from tests.conftest import run

    assert run(system_aaaa("127.0.0.1")) == []
    assert run(system_aaaa("[::1]")) == ["::1"]
    assert run(system_aaaa("no-such-host.invalid")) == []


def test_robots_and_sitemap_missing_fire() -> None:
    with serving({"/": page(home())}) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"))
        assert {"robots-missing", "sitemap-missing"} <= rules(res)
        assert (res.metrics["robots_txt"], res.metrics["sitemap_xml"]) == (0, 0)


def test_robots_and_sitemap_answered_by_an_html_page_do_not_count() -> None:
    soft = page("<html><title>首页</title><body>catch-all</body></html>")
    with serving({"/": page(home())}, fallback=soft) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"))
        assert {"robots-missing", "sitemap-missing", "missing-page-not-404"} <= rules(res)
        assert res.data["files"]["robots"]["detail"] == "answers with an HTML page, not a robots.txt"


def test_sitemap_named_in_robots_txt_is_used() -> None:
    robots = Reply(200, "User-agent: *\nSitemap: http://127.0.0.1:{port}/maps/site.xml\n", content_type="text/plain")

    def robots_handler(req: BaseHTTPRequestHandler) -> Reply:
        return Reply(200, robots.body.replace("{port}", str(req.server.server_address[1])),  # type: ignore[union-attr]
                     content_type="text/plain")

    with serving({"/": page(home()), "/robots.txt": robots_handler, "/maps/site.xml": SITEMAP}) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"))
        assert res.metrics["sitemap_xml"] == 1
        assert res.data["files"]["sitemap"]["url"].endswith("/maps/site.xml")


def test_missing_page_redirected_home_fires() -> None:
    with serving({"/": page(home())}, fallback=redirect("/", 302)) as srv:
        _, res = audit(IdentityCheck(resolver=v6), srv.url("/"))
        f = next(f for f in res.findings if f.rule == "missing-page-not-404")
        assert "redirects to" in f.message


def test_missing_page_404_and_410_pass() -> None:
    for code in (404, 410):
        with serving({"/": page(home())}, fallback=status(code)) as srv:
            _, res = audit(IdentityCheck(resolver=v6), srv.url("/"))
            assert res.metrics["missing_page_404"] == 1 and "missing-page-not-404" not in rules(res)
