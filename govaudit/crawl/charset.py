"""Turn a response body into text: which encoding, and is it HTML at all.

Chinese government portals are the hard case: many still serve GBK, often labelled `gb2312`
(whose real repertoire is smaller than what the pages use), sometimes with a header that
contradicts the page's own <meta>. A label is therefore only trusted when the bytes agree with it.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from charset_normalizer import from_bytes

# WHATWG labels Python does not know, or maps differently (GB2312/GBK are decoded as GB18030,
# their superset: pages labelled gb2312 routinely contain GBK-only characters).
_LABELS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312": "gb18030",
    "gb_2312-80": "gb18030", "csgb2312": "gb18030", "chinese": "gb18030", "iso-ir-58": "gb18030",
    "csiso58gb231280": "gb18030", "x-euc-cn": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030",
    "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs", "csbig5": "big5hkscs",
    "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8", "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8", "utf8": "utf-8",
    "unicode": "utf-16-le", "ucs-2": "utf-16-le", "csunicode": "utf-16-le",
    "iso-10646-ucs-2": "utf-16-le", "unicodefeff": "utf-16-le", "unicodefffe": "utf-16-be",
    "x-mac-cyrillic": "mac-cyrillic", "x-mac-ukrainian": "mac-cyrillic", "windows-874": "cp874",
    "iso-8859-8-i": "iso8859-8", "csiso88598i": "iso8859-8", "logical": "iso8859-8",
    "x-sjis": "cp932", "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932",
    **{f"x-cp125{i}": f"cp125{i}" for i in range(9)},
}
# Python codec name -> the decoder we use. Anything else (utf-7, rot13, zlib...) is refused.
_CANON = {
    "utf-8": "utf-8", "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030",
    "big5": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs",
    "ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "cp874": "cp874", "koi8-r": "koi8-r", "koi8-u": "koi8-u", "cp866": "cp866",
    "mac-roman": "mac-roman", "mac-cyrillic": "mac-cyrillic",
    "shift_jis": "cp932", "cp932": "cp932", "euc_jp": "euc_jp", "iso2022_jp": "iso2022_jp",
    "euc_kr": "cp949", "cp949": "cp949",
    "utf-16": "utf-16-le", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be",
    **{f"cp125{i}": f"cp125{i}" for i in range(9)},
    **{f"iso8859-{i}": f"iso8859-{i}" for i in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
}

_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?\s*([^\"';,\s]+)", re.I)
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.S)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.+\-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_:.+\-]+)", re.I)
_PRESCAN_BYTES = 4096  # WHATWG scans 1024; Chinese CMS pages often put the meta after long comments
_DETECT_BYTES = 64 * 1024
_ASCII = bytes(range(128))
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# Bytes that never occur in text (WHATWG "binary data bytes") and common binary signatures.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"Rar!",
          b"\x1f\x8b", b"\xd0\xcf\x11\xe0", b"OggS", b"RIFF", b"7z\xbc\xaf")
_HTML_START = re.compile(
    rb"\s*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s>]",
    re.I,
)
# A tag of an HTML document anywhere in the first bytes (a page may start with junk bytes).
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|title|meta|body|script|link|style|div|p|a|table)[\s>/]", re.I)
# Share of binary bytes a declared HTML document may carry and still be read as a page: broken CMS
# output leaves a few control bytes or NULs in real pages (browsers render them), a binary file has
# them everywhere (bytes(range(256)) is 11 %).
_MAX_BINARY_SHARE = 0.05


def media_type(content_type: str | None) -> str:
    """Lower-case `type/subtype` of a Content-Type header, "" when absent or malformed."""
    if not content_type or not isinstance(content_type, str):
        return ""
    value = content_type.split(";", 1)[0].split(",", 1)[0].strip().lower()
    return value if value.count("/") == 1 and " " not in value else ""


def charset_from_header(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, lower-case, or None."""
    if not content_type or not isinstance(content_type, str):
        return None
    m = _CHARSET_PARAM.search(content_type)
    return m.group(1).lower() if m else None


@lru_cache(maxsize=128)
def resolve_encoding(label: str | None) -> str | None:
    """Python codec for an encoding label (WHATWG aliases honoured), or None if unknown/unsafe."""
    if not label or not isinstance(label, str):
        return None
    key = label.strip().strip("\"'").strip().lower()
    if key in _LABELS:
        return _LABELS[key]
    try:
        name = codecs.lookup(key).name
    except (LookupError, ValueError):
        return None
    return _CANON.get(name)


def meta_charset(head: bytes) -> str | None:
    """The charset a <meta charset> / http-equiv Content-Type declares in the document head."""
    head = _COMMENT.sub(b"", head[:_PRESCAN_BYTES])
    m = _META_CHARSET.search(head) or _XML_DECL.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding used). Never raises; NUL characters are removed from the text.

    Order: byte-order mark, HTTP charset, <meta> in the first 4 KB, detection, UTF-8. A declared
    label is used only if the bytes decode under it (at most 1 % of the non-ASCII bytes broken);
    a label whose bytes are in fact valid multi-byte UTF-8 loses to UTF-8 (saved-as-UTF-8 pages
    keep their old `charset=gbk` meta).
    """
    try:
        return _decode(bytes(body or b""), content_type)
    except Exception:  # total by contract; the bytes are still worth something as UTF-8
        try:
            return bytes(body or b"").decode("utf-8", "replace").replace("\x00", ""), "utf-8"
        except Exception:
            return "", "utf-8"


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    # A BOM is unambiguous and WHATWG gives it precedence over the HTTP header and <meta>.
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _clean(body[len(bom):].decode(codec, "replace")), codec
    nonascii = len(body.translate(None, _ASCII))
    utf8 = _try_utf8(body)
    candidates = (("header", charset_from_header(content_type)), ("meta", meta_charset(body)))
    for source, label in candidates:
        enc = resolve_encoding(label)
        if enc is None:
            continue  # unknown label: fall through to the next source
        if enc.startswith("utf-16"):
            if source == "meta":
                enc = "utf-8"  # WHATWG: a meta read as ASCII cannot mean UTF-16
            elif b"\x00" not in body[:1024]:
                continue  # no NULs: these bytes are not UTF-16, the header is wrong
        if enc != "utf-8" and nonascii and utf8 is not None:
            return _clean(utf8), "utf-8"  # valid multi-byte UTF-8 is no accident
        text = utf8 if enc == "utf-8" and utf8 is not None else _decode_if_fits(body, enc, nonascii)
        if text is not None:
            return _clean(text), enc
    if utf8 is not None:
        return _clean(utf8), "utf-8"
    detected = _detect(body)
    if detected is not None:
        return _clean(body.decode(detected, "replace")), detected
    return _clean(body.decode("utf-8", "replace")), "utf-8"


def _try_utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        # A body cut at the size cap may end inside a character; that alone does not make it
        # non-UTF-8 (decoding stops at the first error, so everything before it is valid).
        if err.reason == "unexpected end of data" and err.end == len(body):
            return body[: err.start].decode("utf-8") + "\ufffd"
        return None


def _decode_if_fits(body: bytes, enc: str, nonascii: int) -> str | None:
    try:
        return body.decode(enc)
    except UnicodeDecodeError:
        pass
    except LookupError:
        return None
    text = body.decode(enc, "replace")
    if enc == "utf-8" and _mostly_utf8(body):
        return text  # declared UTF-8, mostly valid UTF-8 with some broken bytes: they become U+FFFD
    bad = text.count("\ufffd")
    return text if bad * 100 <= nonascii else None  # a stray bad byte, not a wrong label


# A well-formed multi-byte UTF-8 character (lead byte and its continuation bytes).
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(body: bytes) -> bool:
    """At least half the non-ASCII bytes (of the first 64 KiB) form well-formed UTF-8 characters."""
    sample = body[:_DETECT_BYTES]
    nonascii = len(sample.translate(None, _ASCII))
    return nonascii > 0 and sum(len(m) for m in _UTF8_SEQ.findall(sample)) * 2 >= nonascii


def _detect(body: bytes) -> str | None:
    matches = from_bytes(body[:_DETECT_BYTES])
    best = matches.best()
    if best is None:
        return None
    # Short CJK texts decode cleanly under several codecs; on ties prefer GB18030, by far the
    # most common undeclared legacy encoding on the portals this tool audits.
    for match in matches:
        if match.encoding == "gb18030" and match.chaos <= best.chaos:
            return "gb18030"
    return resolve_encoding(best.encoding)


def _clean(text: str) -> str:
    return text.replace("\x00", "") if "\x00" in text else text


def looks_like_html(media_type: str, head: bytes) -> bool:
    """Is a response with this media type and first bytes an HTML document worth parsing?

    text/html and application/xhtml+xml are, unless the bytes are binary (a PDF or image served
    as text/html); with no media type at all the bytes must look like HTML.
    """
    try:
        head = bytes(head or b"")[:1024]
        mtype = (media_type or "").split(";", 1)[0].strip().lower()
        if mtype not in ("text/html", "application/xhtml+xml", ""):
            return False
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return mtype != "" or _HTML_START.match(head[2:].replace(b"\x00", b"")) is not None
        if head.startswith(_MAGIC):
            return False
        binary = len(_BINARY_BYTES.findall(head))
        if binary and (not mtype or _BINARY_BYTES.search(head.replace(b"\x00", b""))):
            # NUL and control bytes come from broken CMS output and browsers show such pages
            # (WHATWG drops or replaces them): a declared HTML document with HTML tags whose bytes
            # are nearly all text stays HTML; bytes that are binary throughout are not a page.
            if not mtype or binary > len(head) * _MAX_BINARY_SHARE or not _HTML_TAG.search(head):
                return False
        if mtype:
            return True
        return _HTML_START.match(head.removeprefix(codecs.BOM_UTF8)) is not None
    except Exception:  # total by contract
        return False
