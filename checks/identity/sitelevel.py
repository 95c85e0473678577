"""Site-level findings of the identity check (HTTPS, IPv6, robots.txt, sitemap, a real 404), and
which of their metrics have no value because the probe was never made.

Rule across checks: pass means the probe looked and found it right; fail means it looked and found
it wrong, with evidence; a probe the time budget stopped is not judged, with the reason.
"""

from __future__ import annotations

from govaudit.checks.identity.transport import FileVerdict, HttpsVerdict, Ipv6Verdict

from govaudit.model import Finding


def site_findings(page: str, https: HttpsVerdict, robots: FileVerdict, sitemap: FileVerdict, missing: FileVerdict,
                  ipv6: Ipv6Verdict) -> list[Finding]:
    """The findings of the site-level probes; a probe that was never made (the budget ran out)
    judges nothing: no finding, and its metric has no value (see `not_judged`)."""
    out: list[Finding] = []
    if https.judged and not https.available:
        out.append(Finding("https-unavailable", page, f"the site does not answer over HTTPS ({https.error})",
                           target=https.https_url))
    elif https.judged:
        if https.cert_valid is False:
            out.append(Finding("tls-invalid", page, f"the HTTPS certificate is not valid ({https.error})",
                               target=https.https_url, status="tls"))
        if https.redirects is False:
            out.append(Finding("https-no-redirect", page, "http:// does not redirect to https://",
                               target=https.http_url))
        if not https.hsts:
            out.append(Finding("hsts-missing", page, "the HTTPS answer has no Strict-Transport-Security header",
                               target=https.https_url, evidence={"header": https.hsts_header}))
    if ipv6.judged and not ipv6.supported:
        why = f" ({ipv6.error})" if ipv6.error else ""
        out.append(Finding("ipv6-missing", page, f"{ipv6.host} has no IPv6 (AAAA) address{why}",
                           evidence={"host": ipv6.host}))
    if robots.judged and not robots.present:
        out.append(Finding("robots-missing", page, f"no robots.txt: {robots.detail}", target=robots.url,
                           status=robots.status, severity="warning"))
    if sitemap.judged and not sitemap.present:
        out.append(Finding("sitemap-missing", page, f"no sitemap: {sitemap.detail}", target=sitemap.url,
                           status=sitemap.status, severity="warning"))
    if missing.judged and not missing.present:
        out.append(Finding("missing-page-not-404", page, f"a page that cannot exist {missing.detail}, not 404",
                           target=missing.url, status=missing.status))
    return out


def not_judged(https: HttpsVerdict, robots: FileVerdict, sitemap: FileVerdict, missing: FileVerdict) -> dict[str, str]:
    """metric -> why it has no value, for the site-level probes that were never made."""
    out: dict[str, str] = {}
    if not https.judged:
        out.update(dict.fromkeys(("https", "http_redirects_https", "hsts"), https.error))
    for metric, verdict in (("robots_txt", robots), ("sitemap_xml", sitemap), ("missing_page_404", missing)):
        if not verdict.judged:
            out[metric] = verdict.detail
    return out
