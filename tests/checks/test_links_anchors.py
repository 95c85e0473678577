"""The link check's optional anchor rule: a #fragment that names no element on a crawled page.

Matching follows the HTML standard's "indicated part of the document": the fragment as written,
then percent-decoded (UTF-8), against element ids and <a name>; "" and "top" mean the top of the
page; a text directive (#:~:text=...) names text, not an element, and is not checked.
"""

from __future__ import annotations

import pytest
from govaudit.checks.links import fragment_found

from tests.checks.test_links import audit_links
from tests.support.server import Reply, page, serving

HOME = (
    '<title>首页</title><h2 id="good">要闻</h2><a name="named">x</a>'
    '<a href="#good">ok</a><a href="#bad">missing</a><a href="#top">top</a><a href="#named">name</a>'
    '<a href="/b.html#sec-1">ok</a><a href="/b.html#SEC-1">wrong case</a>'
    '<a href="/b.html#%C3%84mter">encoded</a><a href="/b.html#tangent%3A-x">literal percent</a>'
    '<a href="/b.html#:~:text=hello">text directive</a><a href="/b.html#sec-1:~:text=hi">both</a>'
    '<a href="/b.html#gone">missing there</a><a href="/b.html">no fragment</a>'
    '<img src="/logo.png#x" alt="logo"><a href="/missing.html#a">dead page</a>'
    '<a href="http://elsewhere.invalid/#x">dead host</a><a href="/c.html#gone">again</a>'
)
B = '<title>b</title><p id="sec-1">1</p><p id="Ämter">2</p><p id="tangent%3A-x">3</p><a href="/c.html#gone">c</a>'
C = '<title>c</title><a href="/b.html#gone">back</a>'


@pytest.fixture(scope="module")
def site():
    routes = {"/": page(HOME), "/b.html": page(B), "/c.html": page(C),
              "/logo.png": Reply(body=b"\x89PNG", content_type="image/png")}
    with serving(routes) as srv:
        _, off = audit_links(srv.url("/"))
        _, on = audit_links(srv.url("/"), {"anchors": True})
        yield srv, off, on


def anchors(res) -> set[tuple[str, str, str]]:
    return {(f.page, f.target or "", f.evidence["fragment"]) for f in res.findings if f.rule == "broken-anchor"}


def test_every_missing_fragment_on_every_page(site) -> None:
    srv, _, on = site
    assert anchors(on) == {
        (srv.url("/"), srv.url("/"), "bad"),
        (srv.url("/"), srv.url("/b.html"), "SEC-1"),  # ids are case-sensitive
        (srv.url("/"), srv.url("/b.html"), "gone"),
        (srv.url("/"), srv.url("/c.html"), "gone"),
        (srv.url("/b.html"), srv.url("/c.html"), "gone"),
        (srv.url("/c.html"), srv.url("/b.html"), "gone"),
    }
    f = next(f for f in on.findings if f.rule == "broken-anchor" and f.evidence["fragment"] == "bad")
    assert f.severity == "warning" and f.status is None and f.element == "a"
    assert f.evidence["on_home"] is True and f.evidence["raw"] == "#bad"
    assert "#bad" in f.message


def test_metrics_count_checked_and_unchecked_fragments(site) -> None:
    _, _, on = site
    m = on.metrics
    assert m["broken_anchors"] == 6
    # checked: on / #good #bad #named, b.html's sec-1 SEC-1 Ämter tangent sec-1:~:text gone and
    # c.html#gone; c.html#gone on b.html; b.html#gone on c.html. #top and a bare text directive
    # name no element; the image, the dead page and the dead host were not read.
    assert m["anchors_checked"] == 12
    assert m["anchors_unchecked"] == 3  # /logo.png#x (not a page), /missing.html#a, elsewhere.invalid#x
    # an anchor warning is not a broken link
    assert m["broken"] == 2 and m["warnings"] == 0


def test_off_by_default(site) -> None:
    _, off, on = site
    assert anchors(off) == set()
    assert "broken_anchors" not in off.metrics
    rest = [(f.rule, f.page, f.target) for f in on.findings if f.rule != "broken-anchor"]
    assert rest == [(f.rule, f.page, f.target) for f in off.findings]


@pytest.mark.parametrize(("fragment", "ids", "expected"), [
    ("a", {"a"}, True),
    ("A", {"a"}, False),
    ("%C3%84", {"Ä"}, True),
    ("Ä", {"Ä"}, True),
    ("x%3Ay", {"x%3Ay"}, True),
    ("x%3Ay", {"x:y"}, True),
    ("top", set(), None),
    ("TOP", set(), None),
    ("top", {"top"}, True),
    ("", set(), None),
    (":~:text=hello", set(), None),
    ("a:~:text=hello", {"b"}, False),
    ("%FF", set(), False),
])
def test_fragment_found(fragment: str, ids: set[str], expected: bool | None) -> None:
    assert fragment_found(fragment, ids) is expected
