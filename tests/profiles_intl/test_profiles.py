"""The identity, content, US federal, EU WAD and UK PSBAR indicators, each firing and not firing.

Check results come from real runs of the identity and content checks on loopback sites built to
pass or to fail (a TLS site with a test CA, an HTTP site without any mark, a Chinese portal with
and without its marks, a second host for hijacked links). The accessibility check belongs to
another module: its results are built by hand here, as the scoring tests do, and a profile that
reads it says "error" — never "pass" — when it did not run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from govaudit.checks.content import ContentCheck
from govaudit.checks.identity import IdentityCheck

from govaudit.model import CheckResult, Finding
from govaudit.profiles import load_profile
from govaudit.scoring import score
from tests.identity.pages import SITE_META, article, cn_page, column, footer, home
from tests.identity.servers import Certs, DualServer, audit, make_certs
from tests.support.server import Reply, page, redirect, serving

INTL = ("us-federal", "eu-wad", "uk-psbar")
BOTH = {"families": ["us", "eu"]}  # one site scored on the US and the EU profiles lists both kinds of findings
STATEMENT = """<h1>Accessibility statement</h1><p>This website is partially compliant with the Web Content
Accessibility Guidelines version 2.1 AA standard.</p><h2>Feedback and contact information</h2>
<p>Email <a href="mailto:web@agency.gov">web@agency.gov</a>.</p><h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the regulations.</p>
<p>This statement was last reviewed on {date}.</p>"""
US_LINKS = ('<a href="https://www.usa.gov/">USA.gov</a><a href="/privacy/">Privacy Policy</a>'
            '<a href="/foia/">FOIA</a><a href="/accessibility">Accessibility statement</a>'
            '<a href="/no-fear/">No FEAR Act</a><a href="/about/">About Us</a>')


def v6(host: str) -> list[str]:
    return ["2001:db8::7"]


def no_v6(host: str) -> list[str]:
    return []


def echo(req: BaseHTTPRequestHandler) -> Reply:
    q = parse_qs(urlsplit(req.path).query).get("q", [""])[0]
    return page(f"<html lang='en'><title>Search</title><body><p>Results for {q}</p></body></html>")


def en_page(title: str, body: str, *, good: bool) -> str:
    head = ('<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<script src="https://dap.digitalgov.gov/Universal-Federated-Analytics-Min.js"></script>') if good else ""
    banner = '<section class="usa-banner"><p>An official website of the United States government</p></section>'
    search = '<form role="search" action="/search"><input name="q" type="search"><button>Search</button></form>'
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body>{banner if good else ''}"
            f"{search if good else ''}<main>{body}</main><footer>{US_LINKS if good else ''}</footer></body></html>")


# ---- the sites and the check results ----------------------------------------------------------


@pytest.fixture(scope="module")
def certs() -> Certs:
    return make_certs()


@pytest.fixture(scope="module")
def intl_good(certs: Certs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, CheckResult]]:
    tmp: Path = tmp_path_factory.mktemp("tls")

    def secure(html: str) -> Callable[[BaseHTTPRequestHandler], Reply]:
        def handler(req: BaseHTTPRequestHandler) -> Reply:
            if not req.secure:  # type: ignore[attr-defined]
                return redirect(f"https://127.0.0.1:{req.server.server_address[1]}{req.path}", 301)
            return page(html, **{"Strict-Transport-Security": "max-age=63072000"})
        return handler

    routes = {
        "/": secure(en_page("Agency", "<h1>Agency</h1><a href='/news'>News</a>", good=True)),
        "/news": secure(en_page("News", "<p>News</p>", good=True)),
        "/accessibility": secure(en_page("Accessibility statement", STATEMENT.replace("{date}", "3 October 2026"),
                                         good=True)),
        "/search": echo,
        "/robots.txt": Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/sitemap.xml": Reply(200, "<urlset><url><loc>/</loc></url></urlset>", content_type="application/xml"),
    }
    with DualServer(routes, tls=certs.server_context(tmp)) as srv:
        _, identity = audit(IdentityCheck(resolver=v6), srv.url("/"), dict(BOTH, domain="www.agency.gov"),
                            verify=certs.client_context())
        yield {"identity": identity}


@pytest.fixture(scope="module")
def intl_bad(certs: Certs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, CheckResult]]:
    """HTTPS with a certificate from an unknown CA, no redirect, no HSTS, no marks, a poor statement."""
    tmp: Path = tmp_path_factory.mktemp("badtls")
    statement = STATEMENT.replace("partially compliant with", "about").replace("Feedback and contact information", "")
    statement = statement.replace('Email <a href="mailto:web@agency.gov">web@agency.gov</a>.', "")
    statement = statement.replace("Enforcement procedure", "").replace(
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the regulations.", "")
    routes = {
        "/": page(en_page("Agency", "<a href='/news'>News</a><a href='/accessibility'>Accessibility</a>", good=False)),
        "/news": page(en_page("News", "<p>News</p>", good=False)),
        "/accessibility": page(en_page("Accessibility", statement.replace("{date}", "1 June 2024"), good=False)),
    }
    with DualServer(routes, tls=make_certs().server_context(tmp),
                    fallback=page("<html><title>Home</title><body>catch-all</body></html>")) as srv:
        _, identity = audit(IdentityCheck(resolver=no_v6), srv.url("/"), dict(BOTH, domain="agency.com"),
                            verify=certs.client_context())
        yield {"identity": identity}


@pytest.fixture(scope="module")
def no_statement() -> Iterator[dict[str, CheckResult]]:
    """Plain HTTP, a search box whose page ignores the query, no accessibility statement."""
    box = '<form action="/search" method="get"><input name="q"><button>Search</button></form>'
    static = page("<html><title>Search</title><body><p>Type a query.</p></body></html>")
    with serving({"/": page(en_page("Agency", box, good=False)), "/search": static}) as srv:
        _, identity = audit(IdentityCheck(resolver=no_v6), srv.url("/"), BOTH)
        yield {"identity": identity}


def cn_echo(req: BaseHTTPRequestHandler) -> Reply:
    q = parse_qs(urlsplit(req.path).query).get("q", [""])[0]
    return page(cn_page("搜索结果", {}, f"<p>与“{q}”相关的结果</p>"))


@pytest.fixture(scope="module")
def cn_good() -> Iterator[dict[str, CheckResult]]:
    routes = {"/": page(home()), "/xwdt/index.html": page(column()),
              "/xwdt/202611/t20261118_4341.html": page(article()), "/search": cn_echo,
              "/robots.txt": Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain"),
              "/sitemap.xml": Reply(200, "<urlset><url><loc>/</loc></url></urlset>", content_type="text/xml")}
    with serving(routes) as srv:
        _, identity = audit(IdentityCheck(resolver=v6), srv.url("/"))
        _, content = audit(ContentCheck(), srv.url("/"))
        yield {"identity": identity, "content": content}


@pytest.fixture(scope="module")
def cn_bad() -> Iterator[dict[str, CheckResult]]:
    outside = {"/casino.html": page("<html><title>澳门新葡京娱乐城 百家乐</title><body>注册送彩金 真人视讯</body></html>"),
               "/parked.html": page("<html><title>x</title><body>This domain is for sale. Buy this domain.</body></html>")}
    with serving(outside) as out:
        bad_meta = dict(SITE_META, SiteIDCode="3611230099")
        body = ('<p>根据《中华人名共和国预算法》。北朝鲜代表团来访。</p>'
                '<div style="display:none"><a href="http://www.partner.example/">合作伙伴</a>'
                '<a href="http://yl-casino.example/">百家乐 娱乐城</a></div>'
                f'<a href="http://localhost:{out.port}/casino.html">旅游</a>'
                f'<a href="http://localhost:{out.port}/parked.html">旧站</a>'
                '<a href="/xwdt/202611/t20261118_4341.html">x</a>')
        foot = footer(without=("icp", "conac", "error_report"),
                      replace={"police": "<span>赣公网安备 36112302000101号</span>",
                               "site_id": "<span>网站标识码：36112300</span>"})
        routes = {"/": page(cn_page("青山县人民政府", bad_meta, body, foot=foot, search=False)),
                  "/xwdt/202611/t20261118_4341.html": page(article(meta=dict(SITE_META, ArticleTitle="t")))}
        with serving(routes, fallback=page("<html><title>首页</title><body>catch-all</body></html>")) as srv:
            _, identity = audit(IdentityCheck(resolver=no_v6), srv.url("/"), {"domain": "www.qingshan.com"})
            _, content = audit(ContentCheck(), srv.url("/"))
            yield {"identity": identity, "content": content}


# ---- accessibility results (another check: hand-built) --------------------------------------------


def a11y(level_a: int = 0, level_aa: int = 0) -> CheckResult:
    findings = [Finding("axe:rule", "http://x/", "failure", evidence={"level": lvl}, id=f"f-a{n}")
                for n, lvl in enumerate(["A"] * level_a + ["AA"] * level_aa)]
    return CheckResult(metrics={"wcag_a": level_a, "wcag_aa": level_aa, "violations": level_a + level_aa,
                                "violations_serious": level_a, "incomplete": 0, "pages_tested": 3},
                       findings=findings)


# ---- every indicator, firing and quiet ------------------------------------------------------------

# indicator -> (fixture that passes it, fixture that fails it)
CASES: dict[tuple[str, str], tuple[str, str]] = {}
for _p in INTL:
    _x = {"us-federal": "us", "eu-wad": "eu", "uk-psbar": "uk"}[_p]
    if _p == "us-federal":
        for _i in ("us.https", "us.https.redirect", "us.tls", "us.hsts", "us.search", "us.search.answers", "us.mobile",
                   "us.dap", "us.banner", "us.links", "us.domain", "us.not-found", "us.ipv6", "us.robots",
                   "us.sitemap"):
            CASES[(_p, _i)] = ("intl_good", "intl_bad")
    else:
        CASES[(_p, f"{_x}.statement")] = ("intl_good", "no_statement")
        for _i in ("linked", "compliance", "feedback", "enforcement", "recent"):
            CASES[(_p, f"{_x}.statement.{_i}")] = ("intl_good", "intl_bad")
CN_CASES = ("cn.deduct.identity.domain", "cn.deduct.identity.site-id", "cn.deduct.identity.footer",
            "cn.deduct.identity.error-report", "cn.deduct.identity.metadata", "cn.deduct.identity.siteidcode",
            "cn.deduct.identity.search", "cn.deduct.identity.ipv6", "cn.info.identity.record-links",
            "cn.info.identity.https", "cn.info.identity.robots-sitemap", "cn.info.identity.not-found",
            "cn.veto.security.misstatement", "cn.veto.security.harmful-links", "cn.info.content.review",
            "cn.info.content.hidden-links", "cn.info.content.parked-links")
for _i in CN_CASES:
    CASES[("cn-gov-2019", _i)] = ("cn_good", "cn_bad")
CASES[("cn-gov-2019", "cn.info.identity.https")] = ("intl_good", "cn_bad")  # the TLS site serves HTTPS
CASES[("cn-gov-2019", "cn.deduct.identity.search-answers")] = ("cn_good", "no_statement")  # a static search page
CASES[("us-federal", "us.https")] = ("intl_good", "no_statement")  # plain HTTP
CASES[("us-federal", "us.search.answers")] = ("intl_good", "no_statement")
A11Y = {("us-federal", "us.a11y.a"), ("us-federal", "us.a11y.aa"), ("eu-wad", "eu.wcag.a"), ("eu-wad", "eu.wcag.aa"),
        ("uk-psbar", "uk.wcag.a"), ("uk-psbar", "uk.wcag.aa")}
SPECIAL: set[tuple[str, str]] = set()


def indicator(profile_id: str, indicator_id: str, checks: dict[str, CheckResult]):  # noqa: ANN201
    scored = score(load_profile(profile_id), checks)
    return next(i for i in scored.indicators if i.id == indicator_id)


def test_every_indicator_of_these_profiles_has_a_case() -> None:
    mine = {(p, s.id) for p in INTL for s in load_profile(p).indicators}
    mine |= {("cn-gov-2019", s.id) for s in load_profile("cn-gov-2019").indicators if s.check in ("identity", "content")}
    assert mine == set(CASES) | A11Y | SPECIAL


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: k[1])
def test_indicator_quiet_on_the_good_site(key: tuple[str, str], request: pytest.FixtureRequest) -> None:
    checks = dict(request.getfixturevalue(CASES[key][0]), accessibility=a11y())
    ind = indicator(*key, checks)
    assert (ind.result, ind.points) == ("pass", 0.0), ind.detail
    assert ind.detail and ind.source.get("document")


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: k[1])
def test_indicator_fires_on_the_bad_site(key: tuple[str, str], request: pytest.FixtureRequest) -> None:
    checks = dict(request.getfixturevalue(CASES[key][1]), accessibility=a11y())
    ind = indicator(*key, checks)
    spec = load_profile(key[0]).indicator(key[1])
    assert ind.result == "fail", ind.detail
    if spec.kind == "deduct":
        assert ind.points < 0
    if spec.findings is not None:
        assert ind.findings, "a failing indicator points at its evidence"


@pytest.mark.parametrize("key", sorted(A11Y), ids=lambda k: k[1])
def test_accessibility_indicators(key: tuple[str, str], intl_good: dict[str, CheckResult]) -> None:
    level = key[1].rsplit(".", 1)[-1]
    quiet = indicator(*key, dict(intl_good, accessibility=a11y()))
    assert (quiet.result, quiet.points) == ("pass", 0.0)
    fired = indicator(*key, dict(intl_good, accessibility=a11y(level_a=2 if level == "a" else 0,
                                                               level_aa=3 if level == "aa" else 0)))
    assert fired.result == "fail" and fired.points == (-10.0 if level == "a" else -15.0)
    assert len(fired.findings) == (2 if level == "a" else 3)
    missing = indicator(*key, dict(intl_good))  # no browser: the accessibility check did not run
    assert missing.result == "error" and missing.detail == "check 'accessibility' did not run"


def test_search_answers_is_not_judged_without_a_submittable_box(intl_bad: dict[str, CheckResult]) -> None:
    # intl_bad has no search box at all: us.search counts that, the answers indicator stays out of it
    for key, why in ((("us-federal", "us.search.answers"), "there is no search box to submit"),
                     (("cn-gov-2019", "cn.deduct.identity.search-answers"), "没有可提交的搜索框")):
        ind = indicator(*key, dict(intl_bad, accessibility=a11y()))
        assert (ind.result, ind.points) == ("error", 0.0)
        assert why in ind.detail
    assert indicator("us-federal", "us.search", dict(intl_bad)).points == -10.0


@pytest.mark.parametrize("profile_id", INTL)
def test_good_site_passes_and_bad_site_fails(profile_id: str, intl_good: dict[str, CheckResult],
                                             intl_bad: dict[str, CheckResult],
                                             no_statement: dict[str, CheckResult]) -> None:
    good = score(load_profile(profile_id), dict(intl_good, accessibility=a11y()))
    assert (good.score.value, good.score.passed) == (100.0, True), [i.detail for i in good.indicators if i.points]
    for bad_site in (intl_bad, no_statement):
        bad = score(load_profile(profile_id), dict(bad_site, accessibility=a11y(level_a=4, level_aa=4)))
        assert bad.score.passed is False and bad.score.value < 80
    without = score(load_profile(profile_id), dict(intl_good))
    assert without.score.grade == load_profile(profile_id).grading.grades["incomplete"]


def test_cn_vetoes_fail_the_grade_and_point_at_their_findings(cn_bad: dict[str, CheckResult]) -> None:
    scored = score(load_profile("cn-gov-2019"), cn_bad)
    assert {"cn.veto.security.misstatement", "cn.veto.security.harmful-links"} <= set(scored.score.vetoes)
    assert scored.score.grade == "不合格"
    harmful = next(i for i in scored.indicators if i.id == "cn.veto.security.harmful-links")
    rules = {f.rule for f in cn_bad["content"].findings if f.id in harmful.findings or not f.id}
    assert {"hidden-spam-link", "hijacked-link"} <= rules


def test_every_shipped_profile_of_mine_cites_sources_and_marks_our_numbers() -> None:
    for profile_id in (*INTL, "cn-gov-2019"):
        for spec in load_profile(profile_id).indicators:
            if profile_id == "cn-gov-2019" and spec.check not in ("identity", "content"):
                continue
            assert spec.source["document"], spec.id
            assert spec.verified in ("V", "V2", "unverified")
            if spec.kind in ("deduct", "bonus"):
                assert spec.verified == "unverified" and "our choice" in spec.note, spec.id
