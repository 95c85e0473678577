"""Sitemaps: urlset, index, gzip, namespaces, entities, hostile bodies; corpus files from linkchecker."""

from __future__ import annotations

import gzip
from pathlib import Path

from govaudit.crawl.sitemap import MAX_UNCOMPRESSED, MAX_URLS, _inflate, parse_sitemap

URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://www.example.gov.cn/</loc><lastmod>2026-11-01</lastmod></url>
  <url>
    <loc>
      https://www.example.gov.cn/xxgk/index.html?a=1&amp;b=2
    </loc>
    <image:image><image:loc>https://www.example.gov.cn/img/photo.jpg</image:loc></image:image>
  </url>
  <url><loc><![CDATA[https://www.example.gov.cn/zwgk/通知.html]]></loc></url>
  <url><loc>https://WWW.example.gov.cn:443/</loc></url>
  <url><loc>ftp://www.example.gov.cn/file</loc></url>
  <url><loc>https://www.example.gov.cn/&#x4E2D;</loc></url>
</urlset>""".encode()


def test_urlset() -> None:
    pages, children = parse_sitemap(URLSET)
    assert pages == [
        "https://www.example.gov.cn/",
        "https://www.example.gov.cn/xxgk/index.html?a=1&b=2",
        "https://www.example.gov.cn/zwgk/%E9%80%9A%E7%9F%A5.html",
        "https://www.example.gov.cn/%E4%B8%AD",
    ]
    assert children == []


def test_sitemap_index_with_prefix_and_relative_locs() -> None:
    body = b"""<?xml version="1.0"?>
    <sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sm:sitemap><sm:loc>https://x.gov.cn/sitemap-1.xml</sm:loc></sm:sitemap>
      <sm:sitemap><sm:loc>sitemap-2.xml.gz</sm:loc></sm:sitemap>
      <loc>https://x.gov.cn/outside-any-entry.xml</loc>
    </sm:sitemapindex>"""
    assert parse_sitemap(body) == ([], ["https://x.gov.cn/sitemap-1.xml"])
    assert parse_sitemap(body, "https://x.gov.cn/sitemap_index.xml") == (
        [], ["https://x.gov.cn/sitemap-1.xml", "https://x.gov.cn/sitemap-2.xml.gz"])


def test_gzip_and_plain_text() -> None:
    assert parse_sitemap(gzip.compress(URLSET)) == parse_sitemap(URLSET)
    text = b"https://x.gov.cn/a\r\n  https://x.gov.cn/b  \n# comment\nnot a url\nhttps://x.gov.cn/a\n"
    assert parse_sitemap(text) == (["https://x.gov.cn/a", "https://x.gov.cn/b"], [])


def test_billion_laughs_is_not_expanded() -> None:
    lol = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY ext SYSTEM "file:///etc/passwd">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://x.gov.cn/&lol9;</loc></url>
  <url><loc>https://x.gov.cn/&ext;</loc></url>
  <url><loc>https://x.gov.cn/ok</loc></url>
</urlset>"""
    pages, _ = parse_sitemap(lol)
    assert pages == ["https://x.gov.cn/&lol9;", "https://x.gov.cn/&ext;", "https://x.gov.cn/ok"]


def test_zip_bomb_and_limits() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024), 1)  # 60 MB of spaces, ~270 KB gzipped
    assert len(_inflate(bomb)) == MAX_UNCOMPRESSED  # inflation stops at the protocol's cap
    assert parse_sitemap(bomb) == ([], [])
    many = b"<urlset>" + b"".join(b"<url><loc>https://x.gov.cn/p%d</loc></url>" % i for i in range(MAX_URLS + 10)) + b"</urlset>"
    pages, _ = parse_sitemap(many)
    assert len(pages) == MAX_URLS and pages[-1] == f"https://x.gov.cn/p{MAX_URLS - 1}"


def test_broken_bodies_never_raise() -> None:
    for body in (b"", b"\x1f\x8bnot really gzip", b"<urlset><url><loc>https://x.gov.cn/a",
                 b"<urlset>" + b"<url " * 100_000, b"\xff\xfe\x00\x01", bytes(range(256)) * 100, None):
        pages, children = parse_sitemap(body)  # type: ignore[arg-type]
        assert pages == [] and children == []
    # unclosed trailing entry: the complete ones survive
    body = b"<urlset><url><loc>https://x.gov.cn/a</loc></url><url><loc>https://x.gov.cn/b"
    assert parse_sitemap(body) == (["https://x.gov.cn/a"], [])


def test_linkchecker_corpus_sitemaps(corpus: Path) -> None:
    data = corpus / "linkchecker" / "tests" / "checker" / "data"
    expected = ["http://www.example.com/", "http://www.example.com/?ascii=n%C3%B8"]  # cache keys in .result
    assert parse_sitemap((data / "sitemap.xml").read_bytes()) == (expected, [])
    assert parse_sitemap((data / "no_decl_sitemap.xml").read_bytes()) == (expected, [])
    base = "http://localhost:8000/tests/checker/data/sitemapindex.xml"
    assert parse_sitemap((data / "sitemapindex.xml").read_bytes(), base) == (
        [], ["http://localhost:8000/tests/checker/data/sitemap.xml"])
