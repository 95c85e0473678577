"""A `file:` link on a web page points into its author's computer: no visitor can open it.

Found by linkchecker's http_file.html (expected verdict: error). Pages pasted from a word processor
carry such links (file:///C:/Users/.../附件.doc), so they are reported as broken, not ignored.
"""

from __future__ import annotations

from tests.checks.test_links import audit_links
from tests.support.server import page, serving


def test_file_url_is_a_broken_link_on_every_page_it_appears_on() -> None:
    routes = {
        "/": page('<title>首页</title><a href="file:///C:/Users/admin/Desktop/通知.doc">附件</a>'
                  '<a href="/a.html">a</a><a href="mailto:x@example.gov.cn">mail</a>'),
        "/a.html": page('<title>a</title><img src="FILE:///D:/pics/logo.png" alt="logo">'
                        '<a href="file:///C:/Users/admin/Desktop/通知.doc">again</a>'),
    }
    with serving(routes) as srv:
        _, res = audit_links(srv.url("/"))
    broken = {(f.page, f.target, f.element, f.status) for f in res.findings if f.rule == "broken-link"}
    doc = "file:///C:/Users/admin/Desktop/通知.doc"
    assert broken == {
        (srv.url("/"), doc, "a", "invalid-url"),
        (srv.url("/a.html"), doc, "a", "invalid-url"),
        (srv.url("/a.html"), "FILE:///D:/pics/logo.png", "img", "invalid-url"),
    }
    m = res.metrics
    assert m["broken"] == 3 and m["broken_home"] == 1 and m["broken_other"] == 2
    assert m["broken_targets"] == 2 and m["by_status"] == {"invalid-url": 3}
    assert m["other_schemes"] == 0 and m["mailto"] == 1
    assert all("computer" in f.evidence["detail"] for f in res.findings if f.rule == "broken-link")
