"""URL normalisation, link kinds and URL parts: expected values written out by hand."""

from __future__ import annotations

import pytest

from govaudit.crawl.urls import fragment_of, host_of, link_kind, netloc_of, normalize_url, origin_of

PAGE = "http://www.example.gov.cn/xxgk/tzgg/index.html?page=2#top"

NORMALISE = [
    # case, ports, empty path
    ("HTTP://WWW.Example.GOV.cn", None, "http://www.example.gov.cn/"),
    ("http://x.org:80/a", None, "http://x.org/a"),
    ("https://x.org:443/a", None, "https://x.org/a"),
    ("http://x.org:443/a", None, "http://x.org:443/a"),
    ("https://x.org:0080/", None, "https://x.org:80/"),
    ("http://x.org:/a", None, "http://x.org/a"),
    ("http://x.org:65536/", None, None),
    ("http://x.org:8o/", None, None),
    # dot segments
    ("http://x.org/a/./b/../c", None, "http://x.org/a/c"),
    ("http://x.org/a/b/..", None, "http://x.org/a/"),
    ("http://x.org/a/b/.", None, "http://x.org/a/b/"),
    ("http://x.org/../../a", None, "http://x.org/a"),
    ("http://x.org/a/%2e%2E/b", None, "http://x.org/b"),
    ("http://x.org/a/.b/c", None, "http://x.org/a/.b/c"),
    ("http://x.org//a//b", None, "http://x.org//a//b"),
    # resolution against a page
    ("index_1.html", PAGE, "http://www.example.gov.cn/xxgk/tzgg/index_1.html"),
    ("./202411/t20241121_1.html", PAGE, "http://www.example.gov.cn/xxgk/tzgg/202411/t20241121_1.html"),
    ("../../zwgk/", PAGE, "http://www.example.gov.cn/zwgk/"),
    ("/", PAGE, "http://www.example.gov.cn/"),
    ("?page=3", PAGE, "http://www.example.gov.cn/xxgk/tzgg/index.html?page=3"),
    ("#main", PAGE, "http://www.example.gov.cn/xxgk/tzgg/index.html?page=2"),
    ("", PAGE, "http://www.example.gov.cn/xxgk/tzgg/index.html?page=2"),
    ("//www.gov.cn/a", PAGE, "http://www.gov.cn/a"),
    ("\\\\www.gov.cn\\a\\b", PAGE, "http://www.gov.cn/a/b"),
    ("\\xxgk\\a.html", PAGE, "http://www.example.gov.cn/xxgk/a.html"),
    ("http:other.html", PAGE, "http://www.example.gov.cn/xxgk/tzgg/other.html"),
    ("https:other.org", PAGE, "https://other.org/"),
    ("http:///x.org/a", None, "http://x.org/a"),
    ("relative.html", None, None),
    # percent-encoding
    ("http://x.org/%7e%41%62", None, "http://x.org/~Ab"),
    ("http://x.org/a%2fb%3a", None, "http://x.org/a%2Fb%3A"),
    ("http://x.org/a b", None, "http://x.org/a%20b"),
    ("http://x.org/100%", None, "http://x.org/100%25"),
    ("http://x.org/%zz", None, "http://x.org/%25zz"),
    ("http://x.org/a|b^c{d}", None, "http://x.org/a%7Cb%5Ec%7Bd%7D"),
    ("http://x.org/?q=a b&r=c+d", None, "http://x.org/?q=a%20b&r=c+d"),
    ("http://x.org/?q=%e4%b8%ad", None, "http://x.org/?q=%E4%B8%AD"),
    ("http://x.org/p?", None, "http://x.org/p"),
    # Chinese paths (always UTF-8) and queries (page encoding)
    ("/政务公开/通知 公告.html", PAGE,
     "http://www.example.gov.cn/%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80/%E9%80%9A%E7%9F%A5%20%E5%85%AC%E5%91%8A.html"),
    ("/search?q=政府", PAGE, "http://www.example.gov.cn/search?q=%E6%94%BF%E5%BA%9C"),
    # IDN and hosts
    ("http://政府.中国/", None, "http://xn--mxtq1m.xn--fiqs8s/"),
    ("http://BÜCHER.example/", None, "http://xn--bcher-kva.example/"),
    ("http://ＷＷＷ．ｇｏｖ。cn/", None, "http://www.gov.cn/"),
    ("http://ex%61mple.org/", None, "http://example.org/"),
    ("http://.example.org/", None, None),
    ("http://a..b.org/", None, None),
    ("http://example]org/", None, None),
    ("http://exa mple.org/", None, None),
    ("http:///", None, None),
    ("http://" + "a" * 64 + ".org/", None, None),
    ("http://example.org./", None, "http://example.org./"),
    ("http://0x7F.1/", None, "http://127.0.0.1/"),
    ("http://2130706433/", None, "http://127.0.0.1/"),
    ("http://127.0.0.256/", None, None),
    ("http://[::1]:8080/", None, "http://[::1]:8080/"),
    ("http://[0:0::1]/", None, "http://[::1]/"),
    ("http://[::1/", None, None),
    ("http://user:pw@x.org/", None, "http://user:pw@x.org/"),
    ("http://@x.org/", None, "http://x.org/"),
    # fragments dropped; whitespace that browsers strip
    ("http://x.org/a#b#c", None, "http://x.org/a"),
    ("  \t http://x.org/a\n\rb\t  ", None, "http://x.org/ab"),
    ("\x00http://x.org/\x1f", None, "http://x.org/"),
    # not http(s)
    ("ftp://x.org/", None, None),
    ("mailto:a@x.org", PAGE, None),
    ("javascript:void(0)", PAGE, None),
    (":", PAGE, None),
    ("1a:b", PAGE, None),
]


@pytest.mark.parametrize(("raw", "base", "expected"), NORMALISE)
def test_normalize_table(raw: str, base: str | None, expected: str | None) -> None:
    assert normalize_url(raw, base) == expected
    if expected is not None:
        assert normalize_url(expected) == expected  # idempotent


def test_query_follows_page_encoding_like_a_browser() -> None:
    # A GBK page's form/link query is sent GBK-encoded; the path is always UTF-8.
    assert normalize_url("/政府?q=政府", PAGE, "gbk") == "http://www.example.gov.cn/%E6%94%BF%E5%BA%9C?q=%D5%FE%B8%AE"
    assert normalize_url("/s?q=政府", PAGE, "gb2312") == "http://www.example.gov.cn/s?q=%D5%FE%B8%AE"
    # windows-1252 for an iso-8859-1 label (WHATWG), UTF-8 for UTF-16 pages and unknown labels
    assert normalize_url("/s?q=é€", PAGE, "iso-8859-1") == "http://www.example.gov.cn/s?q=%E9%80"
    assert normalize_url("/s?q=é", PAGE, "utf-16le") == "http://www.example.gov.cn/s?q=%C3%A9"
    assert normalize_url("/s?q=é", PAGE, "no-such-charset") == "http://www.example.gov.cn/s?q=%C3%A9"
    # GBK labels encode as GB18030 (its superset), so even Hangul has bytes (83 36 84 33; the
    # ASCII digits stay literal). Browsers' GBK encoder would send &#54620; instead: a rare case.
    assert normalize_url("/s?q=한", PAGE, "gb2312") == "http://www.example.gov.cn/s?q=%836%843"
    # a character the page encoding cannot hold is sent as an HTML character reference
    assert normalize_url("/s?q=😀", PAGE, "iso-8859-2") == "http://www.example.gov.cn/s?q=%26%23128512%3B"


def test_hostile_urls_never_raise() -> None:
    long_url = "http://x.org/" + "a" * 100_000
    assert normalize_url(long_url) == long_url
    assert normalize_url("http://x.org/\ud800") == "http://x.org/%EF%BF%BD"
    assert normalize_url("http://\ud800.org/") is None
    assert normalize_url(None) is None  # type: ignore[arg-type]
    assert normalize_url("http://x.org/", base="not a url") == "http://x.org/"
    assert normalize_url("a", base="mailto:x@y") is None
    assert normalize_url("http://" + "é" * 300 + ".org/") is None


LINK_KINDS = [
    ("", "placeholder"), ("   ", "placeholder"), ("#", "placeholder"),
    ("javascript:void(0)", "placeholder"), ("JavaScript:;", "placeholder"), ("java\nscript:x()", "placeholder"),
    ("about:blank", "placeholder"),
    ("#top", "http"), ("/a", "http"), ("a.html", "http"), ("http://x.org", "http"), ("HTTPS://x.org/a", "http"),
    ("mailto:info@x.gov.cn", "mailto"), ("MAILTO:info@x.gov.cn", "mailto"), ("tel:+86-10-1234", "tel"),
    ("data:image/png;base64,AAAA", "data"),
    ("ftp://x.org/f", "other"), ("file:///c:/x", "other"), ("weixin://dl", "other"), ("c:\\x\\y.doc", "other"),
    ("http://.example.org/", "invalid"), ("https://example]org/x", "invalid"), (":", "invalid"), ("1a:b", "invalid"),
    ("http://x.org:99999/", "invalid"), ("//.bad/", "invalid"),
]


@pytest.mark.parametrize(("raw", "kind"), LINK_KINDS)
def test_link_kind(raw: str, kind: str) -> None:
    assert link_kind(raw) == kind


def test_fragment_host_origin() -> None:
    assert fragment_of("a.html#sec-2") == "sec-2"
    assert fragment_of(" #%E4%B8%AD ") == "%E4%B8%AD"
    assert fragment_of("a.html#") == ""
    assert fragment_of("a.html") == ""
    assert fragment_of("#a#b") == "a#b"
    assert host_of("http://u:p@WWW.X.org:8080/a") == "www.x.org"
    assert host_of("http://[::1]:80/") == "[::1]"
    assert host_of("not a url") == ""
    assert netloc_of("https://u@X.org:8443/a?b") == "x.org:8443"
    assert origin_of("HTTP://u:p@X.org:80/a/b?c#d") == "http://x.org"
    assert origin_of("https://x.org:8443/a") == "https://x.org:8443"
    assert origin_of("mailto:a@b") == ""
    assert origin_of("") == ""


def test_resolving_through_the_folder_cache_equals_resolving_against_the_page() -> None:
    """normalize_url resolves repeated hrefs once per folder: the same answer as against the page."""
    from govaudit.crawl.urls import _normalize

    pages = ["http://www.x.gov.cn/xxgk/2024/t1.html?id=3", "http://www.x.gov.cn/xxgk/2024/",
             "https://x.gov.cn/a/b/c.shtml", "http://x.gov.cn/index.jsp?a=1&b=2"]
    hrefs = ["../index.html", "./t2.html", "t3.html?x=1", "/root.html", "//other.gov.cn/p", "?page=2",
             "#top", "", "  ?q=1", "..", ".", "a%20b.html", "政策/文件.html", "http://y.gov.cn/Z/../z",
             "javascript:void(0)", "mailto:a@b.c"]
    for base in pages:
        for href in hrefs:
            assert normalize_url(href, base) == _normalize(href, base, "utf-8"), (href, base)
            assert normalize_url(href, base) == normalize_url(href, base)  # cached answer, same again
