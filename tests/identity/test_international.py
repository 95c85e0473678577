"""US federal marks (viewport, DAP tag, banner, required links, .gov) and the EU/UK accessibility
statement (linked from every page, compliance status, feedback, enforcement, reviewed within a year)."""

from __future__ import annotations

from datetime import date

import pytest
from govaudit.checks.identity import IdentityCheck

from govaudit.errors import UsageError
from tests.identity.servers import audit, rules
from tests.support.server import page, serving

US_RULES = {"viewport-missing", "dap-missing", "banner-missing", "required-link-missing", "domain-not-gov"}
STATEMENT_RULES = {"a11y-statement-missing", "a11y-statement-unlinked", "a11y-statement-no-compliance",
                   "a11y-statement-no-feedback", "a11y-statement-no-enforcement", "a11y-statement-outdated"}
US_LINKS = {
    "usa_gov": '<a href="https://www.usa.gov/">USA.gov</a>',
    "privacy": '<a href="/privacy/">Privacy Policy</a>',
    "foia": '<a href="/foia/">Freedom of Information Act (FOIA)</a>',
    "accessibility": '<a href="/accessibility/">Accessibility</a>',
    "no_fear": '<a href="/no-fear-act/">No FEAR Act Data</a>',
    "about": '<a href="/about/">About Us</a>',
}


def no_v6(host: str) -> list[str]:
    return []


def us_home(*, viewport: bool = True, dap: bool = True, banner: bool = True, without: str = "") -> str:
    head = '<meta name="viewport" content="width=device-width, initial-scale=1">' if viewport else ""
    if dap:
        head += ('<script async id="_fed_an_ua_tag" src="https://dap.digitalgov.gov/'
                 'Universal-Federated-Analytics-Min.js?agency=GSA"></script>')
    top = ('<section class="usa-banner" aria-label="Official website of the United States government">'
           "<p>An official website of the United States government</p></section>") if banner else ""
    links = "".join(v for k, v in US_LINKS.items() if k != without)
    return (f"<!DOCTYPE html><html lang='en'><head><title>Agency</title>{head}</head><body>{top}"
            f"<main><h1>Agency</h1></main><footer>{links}</footer></body></html>")


US_OPTS = {"domain": "www.agency.gov"}


def test_complete_us_home_page() -> None:
    with serving({"/": page(us_home())}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), US_OPTS)
        assert rules(res) & US_RULES == set()
        m = res.metrics
        assert (m["viewport"], m["dap"], m["banner"], m["required_links_missing"], m["gov_domain"]) == (1, 1, 1, 0, 1)
        assert all(m["required_links"].values())


@pytest.mark.parametrize(("kw", "rule"), [
    ({"viewport": False}, "viewport-missing"), ({"dap": False}, "dap-missing"), ({"banner": False}, "banner-missing"),
])
def test_each_us_mark_missing_fires(kw: dict, rule: str) -> None:
    with serving({"/": page(us_home(**kw))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), US_OPTS)
        assert rules(res) & US_RULES == {rule}


@pytest.mark.parametrize("link", sorted(US_LINKS))
def test_each_required_link_missing_fires(link: str) -> None:
    with serving({"/": page(us_home(without=link))}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), US_OPTS)
        found = [f for f in res.findings if f.rule == "required-link-missing"]
        assert [f.evidence["link"] for f in found] == [link]
        assert res.metrics["required_links_missing"] == 1 and res.metrics["required_links"][link] == 0


def test_a_non_gov_domain_fires() -> None:
    with serving({"/": page(us_home())}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), dict(US_OPTS, domain="agency.com"))
        assert "domain-not-gov" in rules(res)
        # a narrower suffix list (a US-only audit) rejects a Chinese government domain
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"),
                       {"domain": "www.qingshan.gov.cn", "domain_suffixes": [".gov", ".mil", ".fed.us"]})
        assert "domain-not-gov" in rules(res)


def test_required_links_are_an_option() -> None:
    with serving({"/": page(us_home())}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"),
                       dict(US_OPTS, required_links={"inspector_general": "inspector general|/oig"}))
        assert [f.evidence["link"] for f in res.findings if f.rule == "required-link-missing"] == ["inspector_general"]


# ---- EU / UK accessibility statement ------------------------------------------------------------

AS_OF = date(2026, 11, 20)
UK_STATEMENT = """<h1>Accessibility statement for Example Council</h1>
<p>This website is run by Example Council. We want as many people as possible to be able to use it.</p>
<h2>Compliance status</h2><p>This website is partially compliant with the Web Content Accessibility
Guidelines version 2.1 AA standard, due to the non-compliances listed below.</p>
<h2>Feedback and contact information</h2><p>If you find any problems, email
<a href="mailto:web@example.gov.uk">web@example.gov.uk</a>.</p>
<h2>Enforcement procedure</h2><p>The Equality and Human Rights Commission (EHRC) is responsible for
enforcing the accessibility regulations.</p>
<p>This statement was prepared on 12 March 2024. It was last reviewed on {reviewed}.</p>"""


def eu_site(statement: str, *, link_on_other: bool = True, reviewed: str = "3 October 2026") -> dict:
    link = '<a href="/accessibility-statement">Accessibility statement</a>'
    other_link = link if link_on_other else ""
    return {
        "/": page(f"<html lang='en'><title>Council</title><body><a href='/news'>News</a>{link}</body></html>"),
        "/news": page(f"<html lang='en'><title>News</title><body><p>News</p>{other_link}</body></html>"),
        "/accessibility-statement": page(f"<html lang='en'><title>Accessibility statement</title><body>"
                                         f"{statement.replace('{reviewed}', reviewed)}</body></html>"),
    }


def test_complete_statement() -> None:
    with serving(eu_site(UK_STATEMENT)) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), as_of=AS_OF)
        assert rules(res) & STATEMENT_RULES == set()
        m = res.metrics
        assert (m["a11y_statement_found"], m["a11y_statement_compliance"], m["a11y_statement_feedback"],
                m["a11y_statement_enforcement"], m["a11y_statement_recent"]) == (1, 1, 1, 1, 1)
        assert m["a11y_statement_status"] == "partially" and m["a11y_statement_age_days"] == 48
        assert m["a11y_statement_pages_unlinked"] == 0


@pytest.mark.parametrize(("cut", "rule"), [
    ("This website is partially compliant", "a11y-statement-no-compliance"),
    ("Feedback and contact information", "a11y-statement-no-feedback"),
    ("Enforcement procedure", "a11y-statement-no-enforcement"),
])
def test_each_statement_part_missing_fires(cut: str, rule: str) -> None:
    text = UK_STATEMENT
    if rule == "a11y-statement-no-compliance":
        text = text.replace("This website is partially compliant with", "This website follows")
    elif rule == "a11y-statement-no-feedback":
        text = text.replace("Feedback and contact information", "Problems").replace(
            'email\n<a href="mailto:web@example.gov.uk">web@example.gov.uk</a>', "write to us")
        text = text.replace("If you find any problems,", "")
    else:
        text = text.replace("Enforcement procedure", "Regulator").replace(
            "The Equality and Human Rights Commission (EHRC) is responsible for\nenforcing the accessibility "
            "regulations.", "A national body oversees this.")
    assert cut not in text or rule == "a11y-statement-no-compliance"
    with serving(eu_site(text)) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), as_of=AS_OF)
        assert rules(res) & STATEMENT_RULES == {rule}


def test_statement_reviewed_over_a_year_ago_fires() -> None:
    with serving(eu_site(UK_STATEMENT, reviewed="19 November 2025")) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), as_of=AS_OF)
        assert rules(res) & STATEMENT_RULES == {"a11y-statement-outdated"}
        assert res.metrics["a11y_statement_age_days"] == 366
    with serving(eu_site(UK_STATEMENT, reviewed="20 November 2025")) as srv:  # exactly 12 months: still fine
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), as_of=AS_OF)
        assert res.metrics["a11y_statement_recent"] == 1


def test_page_without_the_statement_link_fires() -> None:
    with serving(eu_site(UK_STATEMENT, link_on_other=False)) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), as_of=AS_OF)
        (f,) = [f for f in res.findings if f.rule == "a11y-statement-unlinked"]
        assert f.page.endswith("/news") and f.target and f.target.endswith("/accessibility-statement")
        assert res.metrics["a11y_statement_pages_unlinked"] == 1


def test_no_statement_at_all_fires() -> None:
    with serving({"/": page("<html lang='en'><title>Council</title><body>Hello</body></html>")}) as srv:
        _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), as_of=AS_OF)
        assert rules(res) & STATEMENT_RULES == {"a11y-statement-missing"}
        assert res.metrics["a11y_statement_found"] == 0 and res.metrics["a11y_statement_compliance"] == 0


def test_statements_in_other_eu_languages() -> None:
    fr = ("<h1>Déclaration d'accessibilité</h1><p>Ce site est partiellement conforme avec le RGAA 4.1.</p>"
          "<p>Retour d'information et contact : <a href='mailto:a@b.fr'>écrivez-nous</a>.</p>"
          "<p>Voies de recours : vous pouvez saisir le Défenseur des droits.</p><p>Établie le 28.01.2026.</p>")
    de = ("<h1>Erklärung zur Barrierefreiheit</h1><p>Diese Website ist nur teilweise mit der BITV 2.0 vereinbar.</p>"
          "<p>Feedback und Kontaktangaben: barrierefreiheit@example.de</p>"
          "<p>Durchsetzungsverfahren: Schlichtungsstelle nach § 16 BGG.</p><p>Stand: 3 March 2026</p>")
    for body, link_text in ((fr, "Accessibilité : partiellement conforme"), (de, "Barrierefreiheit")):
        routes = {"/": page(f"<html><title>x</title><body><a href='/a11y'>{link_text}</a></body></html>"),
                  "/a11y": page(f"<html><title>a11y</title><body>{body}</body></html>")}
        with serving(routes) as srv:
            _, res = audit(IdentityCheck(resolver=no_v6), srv.url("/"), as_of=AS_OF)
            assert rules(res) & STATEMENT_RULES == set(), [f.message for f in res.findings]
            assert res.metrics["a11y_statement_status"] == "partially"


@pytest.mark.parametrize(("sentence", "status"), [
    ("This website is fully compliant with the WCAG version 2.1 AA standard.", "fully"),
    ("This website is partially compliant with the WCAG version 2.1 AA standard, due to the "
     "non-compliances listed below.", "partially"),
    ("This website is not compliant with the WCAG version 2.1 AA standard.", "not"),
    ("Diese Website ist mit der BITV 2.0 nicht vereinbar.", "not"),
    ("Ce site est totalement conforme avec le RGAA.", "fully"),
    ("We aim to improve accessibility.", None),
])
def test_compliance_status_words(sentence: str, status: str | None) -> None:
    from govaudit.checks.identity.html import Doc
    from govaudit.checks.identity.statement import PATTERNS, compile_patterns, judge_statement

    assert "fully" in PATTERNS
    verdict = judge_statement(Doc(f"<p>{sentence}</p>", "http://x.gov.uk/a11y"), AS_OF, compile_patterns({}))
    assert verdict.compliance == status


def test_findings_follow_the_sites_country_and_metrics_do_not() -> None:
    from tests.identity.pages import home

    cn_rules = {"footer-site-id-missing", "meta-missing"}
    with serving({"/": page(home()), "/us": page(us_home(dap=False)), "/en": page(us_home(dap=False))}) as srv:
        _, cn = audit(IdentityCheck(resolver=no_v6), srv.url("/"))
        assert cn.data["families"] == ["cn"]
        assert not rules(cn) & (US_RULES | STATEMENT_RULES)  # a county portal is not told about USA.gov
        assert cn.metrics["dap"] == 0 and cn.metrics["findings_hidden_other_countries"] > 0  # still measured
        _, us = audit(IdentityCheck(resolver=no_v6), srv.url("/us"), US_OPTS)
        assert us.data["families"] == ["us"] and "dap-missing" in rules(us)
        assert not rules(us) & (cn_rules | STATEMENT_RULES | {"footer-icp-missing"})
        _, eu = audit(IdentityCheck(resolver=no_v6), srv.url("/en"))
        assert eu.data["families"] == ["eu"] and "a11y-statement-missing" in rules(eu)
        assert "dap-missing" not in rules(eu)
        _, both = audit(IdentityCheck(resolver=no_v6), srv.url("/en"), {"families": ["us", "eu", "cn"]})
        assert {"dap-missing", "a11y-statement-missing", "footer-icp-missing"} <= rules(both)
        with pytest.raises(UsageError, match="families"):
            audit(IdentityCheck(resolver=no_v6), srv.url("/en"), {"families": ["fr"]})
