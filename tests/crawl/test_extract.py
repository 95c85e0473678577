"""Link extraction: every element, base href, refresh, srcset, de-duplication, hostile markup."""

from __future__ import annotations

import pytest

from govaudit.crawl.extract import MAX_DEPTH, ParsedPage, parse_html, parse_srcset, refresh_url
from govaudit.model import LINK_ELEMENTS, Link

PAGE = "http://www.example.gov.cn/xxgk/index.html"
ROOT = "http://www.example.gov.cn"


def triples(page: ParsedPage) -> list[tuple[str, str, str]]:
    return [(link.element, link.attr, link.url) for link in page.links]


def test_every_link_bearing_element() -> None:
    html = """<html><head>
    <link rel="stylesheet" href="/css/main.css"><link rel="preconnect" href="https://cdn.example.com">
    <link rel="DNS-Prefetch" href="//dns.example.com"><link rel="icon" href="favicon.ico">
    <script src="/js/app.js"></script><script>var a = "<a href='/in-script'>";</script>
    <meta http-equiv="refresh" content="10; url=/new.html">
    <meta property="og:image" content="/img/og.png"><meta property="og:title" content="/not-a-link">
    </head><body>
    <a href="a.html">A</a><area href="/map.html" alt="map area">
    <img src="img/1.png" alt="one"><iframe src="/frame1.html"></iframe>
    <frameset><frame src="/frame2.html"></frameset>
    <embed src="/flash.swf"><object data="/obj.swf" codebase="/cb/"></object>
    <video src="/v.mp4" poster="/poster.jpg"><source src="/v.webm"><track src="/subs.vtt"></video>
    <audio src="/a.mp3"></audio><picture><source srcset="/s1.webp 1x, /s2.webp 2x"></picture>
    <form action="/search.do"></form><input type="image" src="/btn.gif" alt="go"><input type="text" src="/no.gif">
    <!-- <a href="/commented-out">x</a> -->
    </body></html>"""
    page = parse_html(html, PAGE)
    assert triples(page) == [
        ("link", "href", f"{ROOT}/css/main.css"),
        ("link", "href", f"{ROOT}/xxgk/favicon.ico"),
        ("script", "src", f"{ROOT}/js/app.js"),
        ("meta", "content", f"{ROOT}/new.html"),
        ("meta", "content", f"{ROOT}/img/og.png"),
        ("a", "href", f"{ROOT}/xxgk/a.html"),
        ("area", "href", f"{ROOT}/map.html"),
        ("img", "src", f"{ROOT}/xxgk/img/1.png"),
        ("iframe", "src", f"{ROOT}/frame1.html"),
        ("embed", "src", f"{ROOT}/flash.swf"),
        ("object", "data", f"{ROOT}/obj.swf"),
        ("object", "codebase", f"{ROOT}/cb/"),
        ("video", "src", f"{ROOT}/v.mp4"),
        ("video", "poster", f"{ROOT}/poster.jpg"),
        ("source", "src", f"{ROOT}/v.webm"),
        ("track", "src", f"{ROOT}/subs.vtt"),
        ("audio", "src", f"{ROOT}/a.mp3"),
        ("source", "srcset", f"{ROOT}/s1.webp"),
        ("source", "srcset", f"{ROOT}/s2.webp"),
        ("form", "action", f"{ROOT}/search.do"),
        ("input", "src", f"{ROOT}/btn.gif"),
    ]
    assert {link.element for link in page.links} <= set(LINK_ELEMENTS)
    assert all(link.kind == "http" for link in page.links)
    texts = {link.url.rsplit("/", 1)[-1]: link.text for link in page.links}
    assert texts["a.html"] == "A" and texts["1.png"] == "one" and texts["map.html"] == "map area"
    assert texts["btn.gif"] == "go"


def test_frames_are_links() -> None:
    html = '<frameset><frame name="top" src="file.html"><frame name="bottom" src="file.txt"></frameset>'
    assert triples(parse_html(html, PAGE)) == [
        ("frame", "src", f"{ROOT}/xxgk/file.html"), ("frame", "src", f"{ROOT}/xxgk/file.txt")]


def test_base_href_applies_to_the_whole_document() -> None:
    # WHATWG: the first <base> with an href sets the base for every URL, even ones before it.
    html = '<a href="early.html">e</a><base target="_top"><base href="/sub/dir/"><base href="/ignored/"><a href="x.html">x</a>'
    page = parse_html(html, PAGE)
    assert page.base_url == f"{ROOT}/sub/dir/"
    assert [link.url for link in page.links] == [f"{ROOT}/sub/dir/early.html", f"{ROOT}/sub/dir/x.html"]
    # an absolute base on another host, and a base that is not http fall back correctly
    assert parse_html('<base href="https://cdn.example.org/s/"><img src="a.png">', PAGE).links[0].url == \
        "https://cdn.example.org/s/a.png"
    page = parse_html('<base href="javascript:alert(1)"><a href="b.html">b</a>', PAGE)
    assert page.base_url == PAGE and page.links[0].url == f"{ROOT}/xxgk/b.html"


@pytest.mark.parametrize(("content", "url"), [
    ("5; url=/next.html", "/next.html"),
    ("0;URL='/quoted.html'", "/quoted.html"),
    ('3, url="http://x.org/a b"', "http://x.org/a b"),
    ("0; /bare.html", "/bare.html"),
    ("1.5;url = target.html ", "target.html"),
    ("30", ""),
    ("", ""),
])
def test_refresh_url(content: str, url: str) -> None:
    assert refresh_url(content) == url


def test_meta_refresh_link_and_reload_only() -> None:
    page = parse_html('<meta http-equiv="Refresh" content="0; URL=../moved/">', PAGE)
    assert triples(page) == [("meta", "content", f"{ROOT}/moved/")]
    assert parse_html('<meta http-equiv="refresh" content="300">', PAGE).links == []


@pytest.mark.parametrize(("value", "urls"), [
    ("a.png", ["a.png"]),
    ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
    ("a.png 100w,\n   b.png 200w", ["a.png", "b.png"]),
    ("a.png,b.png", ["a.png,b.png"]),  # WHATWG: a URL runs to whitespace; commas inside are its own
    ("a.png, b.png", ["a.png", "b.png"]),
    ("data:image/svg+xml,%3Csvg%3E%3C%2Fsvg%3E, c.png 2x", ["data:image/svg+xml,%3Csvg%3E%3C%2Fsvg%3E", "c.png"]),
    ("a.png (max-width: 10px, 2x), b.png", ["a.png", "b.png"]),
    (" , ,", []),
    ("", []),
])
def test_srcset(value: str, urls: list[str]) -> None:
    assert parse_srcset(value) == urls


def test_link_kinds_text_and_fragments() -> None:
    html = """
    <a href="#">top</a><a href="javascript:void(0)">js</a><a href="">empty</a>
    <a href="mailto:xxgk@example.gov.cn">mail</a><a href="tel:0791-1234567">tel</a>
    <a href="ftp://ftp.example.gov.cn/f.zip">ftp</a><img src="data:image/png;base64,AAAA" alt="inline">
    <a href="http://.example.org/">bad host</a><a href=":">colon</a>
    <a href="notice.html#sec2">  Section
      two </a><a href="#local">local</a>
    <a href="/q?kw=通知">cn</a><a href="/doc"><img src="/i.png" alt="Image alt"></a>
    """
    page = parse_html(html, PAGE, "gbk")
    kinds = [(link.kind, link.url, link.text, link.fragment) for link in page.links]
    assert kinds == [
        ("placeholder", "#", "top", ""),
        ("placeholder", "javascript:void(0)", "js", ""),
        ("placeholder", "", "empty", ""),
        ("mailto", "mailto:xxgk@example.gov.cn", "mail", ""),
        ("tel", "tel:0791-1234567", "tel", ""),
        ("other", "ftp://ftp.example.gov.cn/f.zip", "ftp", ""),
        ("data", "data:image/png;base64,AAAA", "inline", ""),
        ("invalid", "http://.example.org/", "bad host", ""),
        ("invalid", ":", "colon", ""),
        ("http", f"{ROOT}/xxgk/notice.html", "Section two", "sec2"),
        ("http", PAGE, "local", "local"),
        ("http", f"{ROOT}/q?kw=%CD%A8%D6%AA", "cn", ""),  # GBK page: query in GBK
        ("http", f"{ROOT}/doc", "Image alt", ""),
        ("http", f"{ROOT}/i.png", "Image alt", ""),
    ]
    assert page.links[9].raw == "notice.html#sec2"


def test_duplicates_kept_once_first_wins() -> None:
    html = """<a href="/a.html">first</a><a href="/a.html">second</a><a href="a.html">relative other</a>
    <a href="http://WWW.example.gov.cn:80/a.html">same after normalising</a><img src="/a.html">
    <a href="/a.html#x">fragment x</a><a href="/a.html#x">again</a><a href="/a.html#y">fragment y</a>
    <a href="javascript:;">j1</a><a href="javascript:;">j2</a>"""
    page = parse_html(html, PAGE)
    assert [(link.url, link.fragment, link.text) for link in page.links] == [
        (f"{ROOT}/a.html", "", "first"),
        (f"{ROOT}/xxgk/a.html", "", "relative other"),
        (f"{ROOT}/a.html", "x", "fragment x"),  # anchor checks need every distinct fragment
        (f"{ROOT}/a.html", "y", "fragment y"),
        ("javascript:;", "", "j1"),
    ]


def test_title_meta_headings_ids() -> None:
    html = """<html><head><title>
      某某县人民政府  门户网站 </title>
    <meta name="SiteName" content="某某县人民政府"><meta name="SiteIDCode" content="3609220011">
    <meta name="PubDate" content=" 2024-06-27 16:18 "><meta name="pubdate" content="later duplicate">
    <meta http-equiv="X-UA-Compatible" content="IE=edge"><meta property="og:image" content="/og.png">
    <meta charset="utf-8"></head><body>
    <svg><title>svg title</title></svg>
    <h1> 政务 <em>公开</em> </h1><h2>通知公告</h2><h3>not collected</h3><h2>   </h2>
    <div id="main"><a name="anchor-a"></a><span name="not-an-anchor"></span><p id="政府">x</p></div>
    </body></html>"""
    page = parse_html(html, PAGE)
    assert page.title == "某某县人民政府 门户网站"
    assert page.meta == {
        "sitename": "某某县人民政府", "siteidcode": "3609220011", "pubdate": "2024-06-27 16:18",
        "x-ua-compatible": "IE=edge", "og:image": "/og.png", "charset": "utf-8",
    }
    assert page.headings == ["政务 公开", "通知公告"]
    assert page.ids == {"main", "anchor-a", "政府"}


def test_empty_and_non_html_input() -> None:
    for html in ("", "plain text, no markup", "<", "<<<>>>", "\x00\x00", "<a href='x'"):
        page = parse_html(html, PAGE)
        assert isinstance(page, ParsedPage) and page.base_url == PAGE
    assert parse_html("", PAGE).links == []
    assert parse_html(None, PAGE).links == []  # type: ignore[arg-type]
    # a page URL we cannot normalise still parses (relative links cannot resolve: invalid)
    page = parse_html('<a href="/x">x</a><a href="http://ok.org/">ok</a>', "not a url")
    assert [(link.kind, link.url) for link in page.links] == [("invalid", "/x"), ("http", "http://ok.org/")]


# ---- hostile markup: bounded time, links still found (timings are not asserted) -------------


def test_100k_nested_tags() -> None:
    html = "<div>" * 100_000 + '<a href="/deep.html" id="deep">deep</a>' + "</div>" * 100_000 + '<a href="/after">a</a>'
    page = parse_html(html, PAGE)
    assert [link.url for link in page.links] == [f"{ROOT}/deep.html", f"{ROOT}/after"]
    assert "deep" in page.ids


def test_nested_lists_and_mixed_nesting() -> None:
    html = "<ul><li>" * 50_000 + '<a href="/in-list">x</a>' + "<span><b>" * 30_000 + "<div>" * 30_000 + '<img src="/i.png">'
    page = parse_html(html, PAGE)
    assert [link.url for link in page.links] == [f"{ROOT}/in-list", f"{ROOT}/i.png"]


def test_floods_of_attributes_options_and_names() -> None:
    attrs = " ".join(f"a{i}=1" for i in range(100_000))
    bools = " ".join(f"b{i}" for i in range(100_000))
    html = (f'<div {attrs} id="flooded"><a href="/x1">1</a></div><p {bools}><a href="/x2">2</a></p>'
            "<select>" + "<option>o</option>" * 50_000 + "</select><a href='/x3'>3</a>"
            + "".join(f"<x-{i}>" for i in range(50_000)) + '<a href="/x4">4</a>')
    page = parse_html(html, PAGE)
    assert [link.url for link in page.links] == [f"{ROOT}/x1", f"{ROOT}/x2", f"{ROOT}/x3", f"{ROOT}/x4"]


def test_many_links_long_urls_nul_and_binary() -> None:
    html = "".join(f'<a href="/p{i}.html">p{i}</a>' for i in range(10_000))
    page = parse_html(html, PAGE)
    assert len(page.links) == 10_000 and page.links[-1].url == f"{ROOT}/p9999.html"
    long_path = "/" + "x" * 100_000
    page = parse_html(f'<a href="{long_path}">long</a>', PAGE)
    assert page.links[0].url == ROOT + long_path
    page = parse_html('<title>a\x00b</title><a href="/a\x00b">x\x00y</a>', PAGE)
    assert page.links[0].url == f"{ROOT}/a%EF%BF%BDb" and page.links[0].text == "xy"
    binary = bytes(range(256)).decode("latin-1") * 400
    assert isinstance(parse_html(binary, PAGE), ParsedPage)
    huge_data = "data:image/png;base64," + "A" * 200_000
    link = parse_html(f'<img src="{huge_data}">', PAGE).links[0]
    assert link.kind == "data" and len(link.url) <= 200 and len(link.raw) <= 200


def test_flattening_keeps_structure_below_the_bound() -> None:
    # Nesting under MAX_DEPTH is left alone: the deepest anchor keeps its text.
    depth = MAX_DEPTH - 20
    html = "<div>" * depth + '<a href="/ok">kept text</a>' + "</div>" * depth + "<p>x</p>" * 9000
    page = parse_html(html, PAGE)
    assert page.links == [Link(url=f"{ROOT}/ok", raw="/ok", element="a", attr="href", text="kept text")]


def test_a_pool_shares_equal_links_between_pages_and_keeps_different_ones_apart() -> None:
    pool: dict = {}
    menu = '<a href="/xxgk/">信息公开</a><a href="/zwdt/">政务动态</a>'
    one = parse_html(f"<body>{menu}<a href='a.html'>甲</a></body>", PAGE, pool=pool)
    two = parse_html(f"<body>{menu}<a href='a.html'>乙</a></body>",
                     "http://www.example.gov.cn/zwdt/index.html", pool=pool)
    assert one.links[0] is two.links[0] and one.links[1] is two.links[1]
    # same text, other folder: another target; same target, other text: another link
    assert one.links[2].url == f"{ROOT}/xxgk/a.html" and two.links[2].url == f"{ROOT}/zwdt/a.html"
    assert one.links[2] is not two.links[2]
    three = parse_html("<body><a href='/xxgk/'>公开</a></body>", PAGE, pool=pool)
    assert three.links[0] == Link(f"{ROOT}/xxgk/", "/xxgk/", "a", "href", "公开", "http", "")
    assert three.links[0] is not one.links[0]
    assert len(pool) == 5
    # without a pool the same page parses to equal, unshared links
    alone = parse_html(f"<body>{menu}</body>", PAGE)
    assert alone.links == one.links[:2] and alone.links[0] is not one.links[0]
