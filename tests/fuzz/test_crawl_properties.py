"""Property tests: the crawl building blocks are total (never raise) and normalisation is idempotent."""

from __future__ import annotations

import codecs
import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govaudit.crawl.charset import decode_html, looks_like_html, media_type
from govaudit.crawl.extract import parse_html
from govaudit.crawl.sitemap import parse_sitemap
from govaudit.crawl.traps import TrapGuard
from govaudit.crawl.urls import (
    _FAST_ABSOLUTE,
    _normalize_general,
    clean,
    link_kind,
    normalize_url,
)
from govaudit.model import LINK_ELEMENTS

FUZZ = settings(max_examples=int(os.environ.get("GOVAUDIT_FUZZ_EXAMPLES", "200")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = {"http", "placeholder", "mailto", "tel", "data", "other", "invalid"}

# URL-shaped text: pieces that exercise every branch of the parser, joined in random orders.
_PIECES = st.sampled_from([
    "http:", "https:", "HTTP://", "//", "\\", "/", "./", "../", ".", "..", "%2e", "%2E%2e", "?", "#", "&", "=",
    "@", ":", ":80", ":443", ":8080", ":99999", "[", "]", "[::1]", "%", "%4", "%41", "%7e", "%zz", "%E4%B8%AD",
    " ", "\t", "\n", "\x00", "a", "B", "xn--", "-", "_", "~", "政府", "中国", "。", "．", "ＡＢ", "ß", "😀",
    "0x7f", "127", "1", "256", "www", "example", "gov", "cn", ".", "index.html", "a b", "|", "^", "`", "{", "}",
    "'", '"', "<", ">", "javascript:", "mailto:", "data:", "\ud800", "\u200d", "\u3000",
])
url_like = st.one_of(
    st.lists(_PIECES, max_size=14).map("".join),
    st.builds(lambda s, h, p, q: f"{s}://{h}/{p}?{q}", st.sampled_from(["http", "https", "HtTp"]),
              st.text(max_size=20), st.text(max_size=30), st.text(max_size=20)),
    st.text(max_size=60),
)
# Near-canonical URLs: most hit the fast paths, some just miss them (dots, '%', ports, digits).
_LABEL = st.text(alphabet="abcxyz019-_", min_size=1, max_size=6)
_CANON_PATH = st.text(alphabet="ab/._~!$&'()*+,;=:@%9", max_size=16)
_CANON_QUERY = st.one_of(st.just(""), st.text(alphabet="ab?=&/.%", max_size=8).map(lambda q: "?" + q))
near_canonical = st.one_of(
    st.builds(lambda s, host, port, p, q: f"{s}://{host}{port}/{p}{q}",
              st.sampled_from(["http", "https"]),
              st.one_of(st.lists(_LABEL, min_size=1, max_size=4).map(".".join),
                        st.sampled_from(["127.0.0.1", "10.0.0.255", "256.1.1.1", "01.2.3.4", "1.2.3", "0.0.0.0"])),
              st.sampled_from(["", "", ":80", ":443", ":8080", ":8711", ":65535", ":65536", ":0", ":080"]),
              _CANON_PATH, _CANON_QUERY),
    st.builds(lambda p, q: f"/{p}{q}", _CANON_PATH, _CANON_QUERY),
    st.builds(lambda p, q: f"{p}{q}", _CANON_PATH, _CANON_QUERY),  # folder-relative: "../a/b.html"
)


bases = st.one_of(st.none(), st.sampled_from([
    "http://www.example.gov.cn/xxgk/index.html?x=1", "https://[::1]:8443/a/b/", "http://127.0.0.1:8000/",
    "http://政府.中国/目录/", "not a base", "mailto:x@y.org", "http://127.0.0.1:8711/a/b/", "https://x.org/a/./b/",
]), url_like)
encodings = st.sampled_from(["utf-8", "gbk", "gb18030", "gb2312", "big5", "iso-8859-1", "utf-16", "shift_jis", "bogus"])


@FUZZ
@given(st.one_of(near_canonical, url_like), bases, encodings)
@example("http://x.org/%%355", None, "utf-8")
@example("http://-1.0/", None, "utf-8")
@example("http://x.org/a/%2e%2E/%2e/b?%e4", "http://y/", "gbk")
@example("//\ud800.\u3000/", "http://x/", "utf-8")
def test_normalize_url_is_total_and_idempotent(url: str, base: str | None, encoding: str) -> None:
    out = normalize_url(url, base, encoding)
    if out is None:
        return
    assert out.startswith(("http://", "https://"))
    assert out.isascii() and "#" not in out and not any(c.isspace() for c in out)
    assert normalize_url(out) == out
    assert normalize_url(out, base, encoding) == out
    assert link_kind(out) == "http"


@FUZZ
@given(st.one_of(near_canonical, url_like), bases)
@example("http://a.b/./x", None)
@example("http://0x7f/", None)
@example("/a?", "http://x.org:8080/")
@example("http://127.0.0.1:8711/a/b.html", None)
@example("http://127.0.0.1:80/", None)
@example("https://10.0.0.1:443/x", None)
@example("http://1.2.3.4:65536/", None)
@example("http://1.2.3.4:0/", None)
@example("http://01.2.3.4/", None)
@example("http://256.1.1.1/", None)
@example("http://1.2.3/", None)
@example("../c/d.html?x=1", "http://127.0.0.1:8711/a/b/index.html")
def test_fast_paths_agree_with_the_general_parser(url: str, base: str | None) -> None:
    ref = clean(url).split("#", 1)[0]
    assert normalize_url(url, base) == _normalize_general(ref, base, "utf-8")


def test_near_canonical_strategy_reaches_the_fast_path() -> None:
    assert _FAST_ABSOLUTE.fullmatch("https://a-1.x_y.org/a;b=c/~d?e=f&g")
    assert _FAST_ABSOLUTE.fullmatch("http://127.0.0.1:8711/a/b.html")  # a site served on loopback


@FUZZ
@given(url_like)
def test_link_kind_is_total(raw: str) -> None:
    assert link_kind(raw) in KINDS


headers = st.one_of(st.none(), st.text(max_size=40), st.sampled_from([
    "text/html", "text/html; charset=gbk", "text/html; charset=utf-8", "text/html; charset=utf-16",
    "text/html; charset=x-user-defined", "text/html; charset=utf-7", "text/html; charset=\"\"", "charset=",
    "application/xhtml+xml; charset=iso-2022-jp",
]))
bodies = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda t, e: t.encode(e, "replace"), st.text(max_size=300), st.sampled_from(["utf-8", "gbk", "utf-16", "cp1252"])),
    st.builds(lambda b, t: b + t.encode("utf-8", "surrogatepass"),
              st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"<meta charset=gbk>", b"\x1f\x8b"]),
              st.text(max_size=200)),
)


@FUZZ
@given(bodies, headers)
def test_decode_html_is_total(body: bytes, header: str | None) -> None:
    text, encoding = decode_html(body, header)
    assert isinstance(text, str) and "\x00" not in text
    codecs.lookup(encoding)
    assert isinstance(looks_like_html(media_type(header), body[:1024]), bool)


_TAGS = st.sampled_from(["a", "img", "div", "base", "meta", "script", "link", "source", "form", "select",
                         "option", "svg", "table", "td", "li", "ul", "iframe", "object", "p", "x-y", "title"])
_ATTRS = st.sampled_from(["href", "src", "srcset", "content", "http-equiv", "property", "rel", "id", "name",
                          "action", "data", "codebase", "poster", "type", "charset"])
_VALUES = st.one_of(url_like, st.sampled_from(["refresh", "og:image", "0;url=/x", "preconnect", "image",
                                               "a.png 1x, b.png 2x", "data:,x", ""]))
tag_soup = st.lists(
    st.one_of(
        st.builds(lambda t, a, v: f'<{t} {a}="{v}">', _TAGS, _ATTRS, _VALUES),
        st.builds(lambda t, a, v: f"<{t} {a}={v}/>", _TAGS, _ATTRS, _VALUES),
        st.builds(lambda t: f"</{t}>", _TAGS),
        st.sampled_from(["<!--", "-->", "<", ">", "&amp;", "&#0;", "\x00", "<![CDATA[", "text", "政府"]),
    ),
    max_size=40,
).map("".join)


@FUZZ
@given(st.one_of(tag_soup, st.text(max_size=500)), bases, encodings)
def test_parse_html_is_total(html: str, url: str | None, encoding: str) -> None:
    page = parse_html(html, url or "http://www.example.gov.cn/", encoding)
    seen = set()
    for link in page.links:
        assert link.kind in KINDS and link.element in LINK_ELEMENTS
        if link.kind == "http":
            assert normalize_url(link.url) == link.url
        key = (link.kind, link.url, link.fragment)
        assert key not in seen
        seen.add(key)
    assert isinstance(page.title, str) and isinstance(page.ids, set)


@FUZZ
@given(st.lists(st.one_of(url_like, st.builds(lambda p, q: f"http://h.gov.cn/{p}?{q}", st.text(max_size=12),
                                              st.text(max_size=8))), max_size=60))
def test_trap_guard_is_total(urls: list[str]) -> None:
    guard = TrapGuard(max_query_variants=3, max_repeated_segment=2, max_url_length=80,
                      max_shape_variants=5, max_date_variants=2)
    for url in urls:
        result = guard.check(url)
        assert result is None or isinstance(result, str)


@FUZZ
@given(st.one_of(st.binary(max_size=1000), tag_soup.map(lambda s: ("<urlset><url><loc>" + s).encode("utf-8", "replace"))))
def test_parse_sitemap_is_total(body: bytes) -> None:
    pages, children = parse_sitemap(body)
    for url in pages + children:
        assert normalize_url(url) == url
