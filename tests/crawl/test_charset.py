"""Charset decisions: which source wins, when a label is distrusted, and what is HTML at all."""

from __future__ import annotations

import codecs
import gzip

import httpx

from govaudit.crawl.charset import (
    charset_from_header,
    decode_html,
    looks_like_html,
    media_type,
    meta_charset,
    resolve_encoding,
)
from tests.support.server import Reply, serving

# 镕 and 喆 are GBK characters outside GB2312: real "gb2312" pages use them all the time.
GBK_TEXT = "<html><head><title>朱镕基 王喆 政府信息公开</title></head><body><p>通知公告</p></body></html>"
UTF8_TEXT = "<html><head><title>县人民政府 – Startseite äöü</title></head><body>政务公开</body></html>"


def test_media_type_and_header_charset() -> None:
    assert media_type("Text/HTML; Charset=GBK") == "text/html"
    assert media_type("application/xhtml+xml") == "application/xhtml+xml"
    assert media_type("text/html, text/html; charset=utf-8") == "text/html"  # joined duplicate headers
    assert media_type("") == ""
    assert media_type(None) == ""
    assert media_type("html") == ""
    assert charset_from_header("text/html; charset=GB2312") == "gb2312"
    assert charset_from_header('text/html; charset="utf-8"') == "utf-8"
    assert charset_from_header("text/html;charset = 'gbk' ; foo=bar") == "gbk"
    assert charset_from_header("text/html") is None
    assert charset_from_header(None) is None


def test_label_resolution() -> None:
    assert resolve_encoding("GB2312") == "gb18030"
    assert resolve_encoding("x-gbk") == "gb18030"
    assert resolve_encoding("GBK") == "gb18030"
    assert resolve_encoding("gb18030") == "gb18030"
    assert resolve_encoding("UTF8") == "utf-8"
    assert resolve_encoding("iso-8859-1") == "cp1252"  # WHATWG: latin1 means windows-1252
    assert resolve_encoding("big5") == "big5hkscs"
    assert resolve_encoding("windows-1250") == "cp1250"
    assert resolve_encoding("utf-7") is None  # refused: a known XSS vector, not an HTML encoding
    assert resolve_encoding("rot13") is None
    assert resolve_encoding("zlib") is None
    assert resolve_encoding("no-such-charset") is None
    assert resolve_encoding("") is None


def test_utf8_with_header() -> None:
    text, enc = decode_html(UTF8_TEXT.encode("utf-8"), "text/html; charset=utf-8")
    assert (text, enc) == (UTF8_TEXT, "utf-8")


def test_gbk_with_header() -> None:
    text, enc = decode_html(GBK_TEXT.encode("gbk"), "text/html; charset=GBK")
    assert (text, enc) == (GBK_TEXT, "gb18030")


def test_gb2312_label_with_gbk_only_characters() -> None:
    body = GBK_TEXT.encode("gbk")
    try:
        body.decode("gb2312")
        raise AssertionError("test text should not be valid GB2312")
    except UnicodeDecodeError:
        pass
    text, enc = decode_html(body, "text/html; charset=gb2312")
    assert (text, enc) == (GBK_TEXT, "gb18030")


def test_gb18030_four_byte_characters() -> None:
    page = "<title>㐀𠀀 扩展字</title>"
    body = page.encode("gb18030")
    assert decode_html(body, "text/html; charset=GB18030") == (page, "gb18030")


def test_bom_beats_header_and_meta() -> None:
    # WHATWG puts the byte-order mark first: it cannot be an accident, a header can.
    page = '<meta charset="gbk"><title>政府</title>'
    assert decode_html(codecs.BOM_UTF8 + page.encode("utf-8"), "text/html; charset=gbk") == (page, "utf-8")
    assert decode_html(codecs.BOM_UTF16_LE + page.encode("utf-16-le"), "text/html; charset=gbk") == (page, "utf-16-le")
    assert decode_html(codecs.BOM_UTF16_BE + page.encode("utf-16-be"), None) == (page, "utf-16-be")


def test_meta_only() -> None:
    page = '<html><head><meta charset="gb2312"><title>朱镕基</title></head></html>'
    assert decode_html(page.encode("gbk"), "text/html") == (page, "gb18030")
    page2 = ('<html><head><!-- long CMS comment ' + "x" * 1500 + ' -->'
             '<meta http-equiv="Content-Type" content="text/html; charset=GBK"><title>王喆</title></head></html>')
    assert decode_html(page2.encode("gbk"), None) == (page2, "gb18030")
    assert meta_charset(b'<!-- <meta charset="big5"> --><meta charset=utf-8>') == "utf-8"
    assert meta_charset(b'<?xml version="1.0" encoding="GB2312"?><html>') == "gb2312"
    assert meta_charset(b"<html><head></head>") is None


def test_header_wrong_meta_right() -> None:
    page = '<html><head><meta charset="gbk"><title>朱镕基 政府网站</title></head></html>'
    assert decode_html(page.encode("gbk"), "text/html; charset=utf-8") == (page, "gb18030")


def test_legacy_label_on_utf8_bytes_loses() -> None:
    # Pages re-saved as UTF-8 keep their old meta: valid multi-byte UTF-8 is no accident.
    page = '<html><head><meta charset="gbk"><title>朱镕基 政府网站</title></head></html>'
    assert decode_html(page.encode("utf-8"), "text/html; charset=gbk") == (page, "utf-8")


def test_pure_ascii_keeps_declared_encoding() -> None:
    # No non-ASCII bytes: the label is kept, so the page's links encode queries as the site expects.
    page = "<html><head><meta charset=gbk><title>&#25919;&#24220;</title></head></html>"
    assert decode_html(page.encode("ascii"), "text/html") == (page, "gb18030")


def test_unknown_label_falls_through() -> None:
    page = '<meta charset="gbk"><title>朱镕基</title>'
    assert decode_html(page.encode("gbk"), "text/html; charset=x-no-such") == (page, "gb18030")
    assert decode_html(page.encode("gbk"), "text/html; charset=utf-7") == (page, "gb18030")
    # neither label known: detection (GB18030 wins ties on short Chinese text)
    assert decode_html("<p>政府网站</p>".encode("gbk"), "text/html; charset=bogus") == ("<p>政府网站</p>", "gb18030")


def test_utf16_header_without_nuls_is_wrong() -> None:
    page = "<title>plain ascii</title>"
    assert decode_html(page.encode("ascii"), "text/html; charset=utf-16") == (page, "utf-8")


def test_detection_when_nothing_is_declared() -> None:
    korean = "<p>한국 정부 웹사이트 공지사항</p>"
    assert decode_html(korean.encode("cp949"), "text/html") == (korean, "cp949")
    czech = "<p>Žluťoučký kůň úpěl ďábelské ódy, Žluťoučký kůň úpěl ďábelské ódy</p>"
    text, enc = decode_html(czech.encode("cp1250"), None)
    assert text == czech and enc in ("cp1250", "iso8859-2")


def test_truncated_and_damaged_bodies() -> None:
    body = UTF8_TEXT.encode("utf-8")
    cut = body[: body.index("政".encode()) + 1]  # ends inside a 3-byte character
    text, enc = decode_html(cut, "text/html; charset=utf-8")
    assert enc == "utf-8" and text == "<html><head><title>县人民\ufffd"
    # a CMS cut one title by bytes: a lone lead byte before ASCII, in an otherwise fine GBK page
    damaged = ("<p>" + "政府信息公开" * 50).encode("gbk") + b"\xd5</p>"
    text, enc = decode_html(damaged, "text/html; charset=gbk")
    assert (text, enc) == ("<p>" + "政府信息公开" * 50 + "\ufffd</p>", "gb18030")


def test_nul_bytes_removed() -> None:
    text, enc = decode_html(b"<title>a\x00b</title>\x00", "text/html; charset=utf-8")
    assert (text, enc) == ("<title>ab</title>", "utf-8")
    text, _ = decode_html("<p>政\x00府</p>".encode("gbk"), "text/html; charset=gbk")
    assert text == "<p>政府</p>"


def test_arbitrary_bytes_never_raise() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    text, enc = decode_html(png, "text/html")
    assert "\x00" not in text and isinstance(enc, str)
    assert decode_html(b"", "text/html; charset=gbk") == ("", "gb18030")
    assert decode_html(b"", None) == ("", "utf-8")
    # gzip bytes labelled UTF-8: too broken for the label, decoded anyway, no NULs left
    text, enc = decode_html(gzip.compress(b"<html>" * 100), "text/html; charset=utf-8")
    assert "\x00" not in text
    assert enc != "utf-8" or "\ufffd" in text


def test_looks_like_html() -> None:
    assert looks_like_html("text/html", b"<!DOCTYPE html><html>")
    assert looks_like_html("application/xhtml+xml", b"<?xml version='1.0'?><html>")
    assert looks_like_html("text/html", "<html><body>政府</body>".encode("gbk"))
    assert looks_like_html("text/html", codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le"))
    assert looks_like_html("", b"  \n<!doctype html><title>x</title>")
    assert looks_like_html("", b"<HTML><BODY>")
    assert not looks_like_html("", b"just some text")
    assert not looks_like_html("text/plain", b"<html>")
    assert not looks_like_html("application/pdf", b"%PDF-1.4")
    # binary served as text/html
    assert not looks_like_html("text/html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert not looks_like_html("text/html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not looks_like_html("text/html", b"PK\x03\x04\x14\x00\x06\x00")
    assert not looks_like_html("text/html", b"\x1f\x8b\x08\x00")
    assert not looks_like_html("text/html", b"<html>\x00\x01\x02garbage")


def test_decoding_a_real_response_from_a_local_server() -> None:
    # The header says gb2312, the bytes are GBK with characters GB2312 lacks.
    gbk_page = Reply(body=GBK_TEXT.encode("gbk"), content_type="text/html; charset=gb2312")
    wrong_header = Reply(body=('<meta charset="gbk">' + GBK_TEXT).encode("gbk"),
                         content_type="text/html; charset=utf-8")
    with serving({"/gbk": gbk_page, "/wrong": wrong_header}) as srv:
        with httpx.Client() as client:
            r1 = client.get(srv.url("/gbk"))
            r2 = client.get(srv.url("/wrong"))
    text, enc = decode_html(r1.content, r1.headers["content-type"])
    assert (text, enc) == (GBK_TEXT, "gb18030")
    assert looks_like_html(media_type(r1.headers["content-type"]), r1.content[:1024])
    text, enc = decode_html(r2.content, r2.headers["content-type"])
    assert enc == "gb18030" and "朱镕基" in text
