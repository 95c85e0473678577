"""Real pages from the shared corpus: charsets, gov.cn metadata, link extraction, big pages."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from govaudit.crawl.charset import decode_html, looks_like_html, meta_charset
from govaudit.crawl.extract import parse_html
from govaudit.crawl.urls import normalize_url
from govaudit.model import LINK_ELEMENTS

KINDS = {"http", "placeholder", "mailto", "tel", "data", "other", "invalid"}


def test_real_gb2312_page(corpus: Path) -> None:
    """A xinhuanet page saved as GB2312 bytes with only a <meta> declaring it."""
    body = (corpus / "htmldate" / "tests" / "eval" / "archive.org.he.xinhuanet.com.25340717.html").read_bytes()
    title = "话剧《约定无期限》河北各市巡演结束"
    for header in ("text/html", "text/html; charset=utf-8", "text/html; charset=x-unknown"):
        text, enc = decode_html(body, header)
        assert enc == "gb18030", header
        assert parse_html(text, "http://he.xinhuanet.com/", enc).title == title
    # without any declaration, detection must still find GB18030
    undeclared = re.sub(rb"<meta[^>]*charset[^>]*>", b"", body, flags=re.I)
    assert meta_charset(undeclared) is None
    text, enc = decode_html(undeclared, "text/html")
    assert enc == "gb18030" and parse_html(text, "http://he.xinhuanet.com/", enc).title == title


def test_pages_resaved_as_utf8_keep_a_gbk_meta(corpus: Path) -> None:
    """The netease list pages say charset=gbk/gb2312 but their bytes are UTF-8."""
    lists = corpus / "gerapy-autoextractor" / "samples" / "list"
    expected = {
        "netease_international_news.html": "国际新闻_网易新闻中心",
        "netease_rolling_news.html": "最新滚动新闻_网易新闻中心",
        "rtfund_xxpl.html": "信息披露_融通基金管理有限公司",
    }
    for name, title in expected.items():
        body = (lists / name).read_bytes()
        assert re.search(rb"charset=(gbk|gb2312)", body[:4096], re.I)
        text, enc = decode_html(body, "text/html")
        assert enc == "utf-8", name
        assert "\ufffd" not in text
        assert parse_html(text, "https://news.163.com/", enc).title == title


def test_gov_cn_article_metadata(corpus: Path) -> None:
    """SiteIDCode, PubDate and friends from real wanzai/yichun pages, against EXPECTED_meta.csv."""
    root = corpus / "simonxinw-job-govcn-saved"
    with (root / "EXPECTED_meta.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4
    for row in rows:
        body = (root / row["file"]).read_bytes()
        text, enc = decode_html(body, "text/html")
        page = parse_html(text, row["saved_from_url"], enc)
        assert page.meta["siteidcode"] == row["SiteIDCode"]
        assert page.meta["pubdate"] == row["PubDate_meta"]
        assert page.meta["sitename"] == row["SiteName"]
        assert page.meta["columnname"] == row["ColumnName"]
        assert page.meta["articletitle"] == row["ArticleTitle"]
        assert row["ArticleTitle"] in page.title
        assert page.base_url == normalize_url(row["saved_from_url"])
        assert all(link.kind in KINDS and link.element in LINK_ELEMENTS for link in page.links)


def test_kaili_notice_page_relative_links(corpus: Path) -> None:
    body = (corpus / "mic1on-gerapy-govnews" / "samples" / "detail" / "gov_news.html").read_bytes()
    text, enc = decode_html(body, "text/html")
    page = parse_html(text, "http://www.kaili.gov.cn/xxgk/tzgg/202406/t20240627_1.html", enc)
    urls = {link.url for link in page.links}
    assert "http://www.kaili.gov.cn/ztzl/klszzb/index.html" in urls  # 长者版
    assert "http://www.kaili.gov.cn/material/wza/index.html" in urls  # 无障碍浏览版


def test_linkchecker_charset_pages(corpus: Path) -> None:
    """cp1250, iso-8859-2 and utf-8 pages: the link text must come out right in each."""
    name = "Žluťoučký kúň úpěl ďábelské ódy ůůůů"  # the `name` in the .result files
    folder = corpus / "linkchecker" / "tests" / "checker" / "data" / "charsets"
    for file, encoding in (("cp1250.html", "cp1250"), ("iso8859-2.html", "iso8859-2"), ("utf8.html", "utf-8")):
        text, enc = decode_html((folder / file).read_bytes(), None)
        assert enc == encoding
        page = parse_html(text, f"http://localhost:8000/charsets/{file}", enc)
        assert [(link.url, link.text) for link in page.links] == [
            ("http://localhost:8000/charsets/file.html", name),
            ("http://localhost:8000/charsets/img.png", name),
        ]


def test_linkchecker_http_html(corpus: Path) -> None:
    """linkchecker's http.html: the links its .result lists that are ours to extract."""
    data = corpus / "linkchecker" / "tests" / "checker" / "data"
    text, enc = decode_html((data / "http.html").read_bytes(), "text/html")
    page = parse_html(text, "http://localhost:8000/tests/checker/data/http.html", enc)
    got = [(link.kind, link.element, link.url) for link in page.links]
    assert got == [
        # dns-prefetch links are skipped (linkchecker checks them as dns: URLs)
        ("http", "a", "http://www.garantiertnixgutt.bla/"),
        ("http", "a", "http://localhost:8000/?d=directory&p=page"),
        ("http", "a", "http://localhost:8000/?d=directory&p=page1"),
        ("http", "a", "http://localhost:8000/?q=%C3%BC"),  # &uuml; -> ü, same cache key as linkchecker
        ("placeholder", "form", ""),  # empty action: the page itself
        ("http", "object", "http://example.org/foo/%20"),  # linkchecker's cache key too
        ("invalid", "a", "http://.example.org/"),  # linkchecker: error
        # <applet archive/src> and CSS url()s in style attributes are not extracted (out of our list)
    ]
    assert page.links[5].fragment == "a=1,2,3"


def test_linkchecker_base_pages(corpus: Path) -> None:
    data = corpus / "linkchecker" / "tests" / "checker" / "data"
    base = "http://localhost:8000/data/"
    for name in ("base2.html", "base4.html"):  # base3 only has an <applet>, not extracted
        text, enc = decode_html((data / name).read_bytes(), "text/html")
        page = parse_html(text, base + name, enc)
        assert [link.url for link in page.links if link.element == "a"] == [base + "base/test.txt"], name
    # base1: a <base> without href changes nothing; a refresh in upper case; spaces and a
    # newline around the '=' of href
    text, enc = decode_html((data / "base1.html").read_bytes(), "text/html")
    page = parse_html(text, base + "base1.html", enc)
    assert [(link.element, link.url) for link in page.links] == [("meta", base + "base2.html"), ("a", base + "file.html")]


def test_lychee_malformed_links(corpus: Path) -> None:
    text, enc = decode_html((corpus / "lychee" / "fixtures" / "TEST_HTML5_MALFORMED_LINKS.html").read_bytes(), None)
    page = parse_html(text, "https://example.com/", enc)
    assert [(link.kind, link.url) for link in page.links] == [
        # lychee calls this malformed; to a browser it is a relative path (no ':' before the
        # first '/'), so it resolves on the page's own site and the link check will see its status
        ("http", "https://example.com/https;//example.com/malformed_one"),
        ("invalid", "https://example]org/malformed_two"),
        ("http", "https://example.com/valid"),
    ]


def test_big_real_pages(corpus: Path) -> None:
    """arch.html (1.4 MB) and elvis.html (0.9 MB): everything extracted is well-formed."""
    for name, url, at_least in (("arch.html", "https://wiki.archlinux.org/title/Arch_Linux", 5000),
                                ("elvis.html", "https://en.wikipedia.org/wiki/Elvis_Presley", 3000)):
        body = (corpus / "lychee" / "fixtures" / "bench" / name).read_bytes()
        assert looks_like_html("text/html", body[:1024])
        text, enc = decode_html(body, "text/html")
        assert enc == "utf-8"
        page = parse_html(text, url, enc)
        assert len(page.links) >= at_least and page.title and page.ids
        keys = set()
        for link in page.links:
            assert link.kind in KINDS and link.element in LINK_ELEMENTS
            if link.kind == "http":
                assert normalize_url(link.url) == link.url
            key = (link.kind, link.url, link.fragment)
            assert key not in keys
            keys.add(key)
