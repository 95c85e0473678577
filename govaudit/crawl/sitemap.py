"""Read a sitemap (sitemaps.org 0.9): page URLs from a <urlset>, child sitemaps from a <sitemapindex>.

No XML parser is used on purpose: a tag scanner cannot expand entities (billion laughs), cannot
fetch external DTDs, and keeps going where a real site's sitemap is not well-formed. Gzip bodies
are inflated with a size bound (the protocol's 50 MB limit), so a zip bomb stops there.
"""

from __future__ import annotations

import re
import zlib

from govaudit.crawl.urls import normalize_url

MAX_UNCOMPRESSED = 50 * 1024 * 1024  # sitemaps.org: at most 50 MB uncompressed
MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs per file

_ROOT = re.compile(r"<(?:([\w.\-]+):)?(urlset|sitemapindex)\b", re.I)
# Only the tags we need; the bounded attribute run keeps a '<url' without '>' from scanning far.
_TAG = re.compile(r"<(/?)(?:([\w.\-]+):)?(url|sitemap|loc)\b[^<>]{0,512}>", re.I)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|amp|lt|gt|quot|apos);")
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def parse_sitemap(body: bytes, base: str | None = None) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs), normalised, de-duplicated, in document order. Never raises.

    The protocol wants absolute URLs; relative ones are resolved against `base` (the sitemap's
    own URL) when given, else dropped. A plain-text sitemap (one URL per line) gives page URLs.
    """
    try:
        return _parse(_inflate(bytes(body or b"")), base)
    except Exception:  # total by contract: a broken sitemap only means no seeds from it
        return [], []


def _inflate(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body[:MAX_UNCOMPRESSED]
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        return inflater.decompress(body, MAX_UNCOMPRESSED)
    except zlib.error:
        return b""


def _parse(data: bytes, base: str | None) -> tuple[list[str], list[str]]:
    text = _decode(data)
    root = _ROOT.search(text)
    if root is None:
        return _plain_text(text), []
    prefix = (root.group(1) or "").lower()
    pages: dict[str, None] = {}
    children: dict[str, None] = {}
    container = ""  # "url" or "sitemap" while inside one
    loc_start = -1
    for m in _TAG.finditer(text, root.start()):
        if (m.group(2) or "").lower() != prefix:
            continue  # image:loc, video:loc ... belong to other namespaces
        closing, name = m.group(1), m.group(3).lower()
        if name == "loc":
            if not closing:
                loc_start = m.end()
            elif loc_start >= 0 and container:
                url = normalize_url(_text(text[loc_start: m.start()]), base)
                target = pages if container == "url" else children
                if url is not None and len(target) < MAX_URLS:
                    target[url] = None
                loc_start = -1
        else:
            container = "" if closing else name
            loc_start = -1
    return list(pages), list(children)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace").lstrip("\ufeff")


def _text(raw: str) -> str:
    """Character data of a <loc>: CDATA unwrapped, the five XML entities and char refs decoded.
    Other entity references are left alone, so DTD-defined entities are never expanded."""
    raw = _CDATA.sub(lambda m: m.group(1), raw).strip()
    return _ENTITY.sub(_entity, raw) if "&" in raw else raw


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name[0] != "#":
        return _XML_ENTITIES[name]
    try:
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        return chr(code)
    except (ValueError, OverflowError):
        return m.group(0)


def _plain_text(text: str) -> list[str]:
    out: dict[str, None] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.lower().startswith(("http://", "https://")):
            url = normalize_url(line)
            if url is not None:
                out[url] = None
                if len(out) >= MAX_URLS:
                    break
    return list(out)
