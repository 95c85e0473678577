"""Parse one HTML page: title, meta, headings, anchor ids and every link with its element.

The parser is selectolax's lexbor (C, HTML5 tree building). Its tree builder is quadratic on some
hostile markup (100,000 nested <div>s took 16 s), so big or attribute-heavy documents first go
through `defuse`, which flattens nesting past a depth bound the way Chromium's parser does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from sys import intern as _intern

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govaudit.crawl.scriptlinks import script_links
from govaudit.crawl.urls import classify, normalize_url
from govaudit.model import Link

# element -> attributes that hold a URL. input (type=image) and link rel and meta are filtered below.
_URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "img": ("src", "srcset"), "script": ("src",),
    "link": ("href",), "iframe": ("src",), "frame": ("src",), "embed": ("src",),
    "object": ("data", "codebase"), "video": ("src", "poster"), "audio": ("src",),
    "source": ("src", "srcset"), "track": ("src",), "form": ("action",), "input": ("src",),
    "meta": ("content",),
}
# Selecting by attribute and filtering tags in Python is ~3x faster in lexbor than one
# "tag[attr]" alternative per pair.
_SELECTOR = ", ".join(
    sorted({f"[{attr}]" for tag, attrs in _URL_ATTRS.items() if tag != "meta" for attr in attrs})
) + ", meta"
_HREF_IN = re.compile("href", re.I)
# How a script puts markup in the page; a string that holds markup and is never written is no link.
_WRITES_MARKUP = re.compile(r"document\.write|innerHTML|outerHTML|insertAdjacentHTML|\.(?:html|append|prepend|after|before)\s*\(")
_SKIP_REL = frozenset({"preconnect", "dns-prefetch"})
_OG_IMAGE = frozenset({"og:image", "og:image:url", "og:image:secure_url"})
_REFRESH_URL = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.I | re.S)
_DATA_KEEP = 200  # data: URIs are never fetched; keep only a prefix so pages with inline images stay small
_TEXT_CAP = 300
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TITLE_CAP = 1000
_MAX_HEADINGS = 10


@dataclass(slots=True)
class ParsedPage:
    title: str
    links: list[Link]
    base_url: str
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/http-equiv/property -> content
    headings: list[str] = field(default_factory=list)  # text of the first h1/h2 elements
    ids: set[str] = field(default_factory=set)  # id and a[name] values, for #fragment checks


LinkPool = dict[tuple[str, str, str, str, str, str, str], Link]
"""One crawl's links by value. A portal's menus, footers and breadcrumbs repeat on every page:
pooled, each such link is one object for the whole crawl (436,000 Link objects were 40 MB on a
10,000-page site). Links are never mutated after parsing, so pages may share them."""


def parse_html(html: str, url: str, encoding: str = "utf-8", pool: LinkPool | None = None) -> ParsedPage:
    """Everything the checks need from one page. Never raises: unparsable input gives an empty page.

    With `pool`, a link equal to one already in it is that same object."""
    try:
        return _parse(html if isinstance(html, str) else "", url, encoding, pool)
    except Exception:  # total by contract: a page we cannot read has no links, it does not stop a crawl
        return ParsedPage(title="", links=[], base_url=url if isinstance(url, str) else "")


def parse_tree(html: str) -> LexborHTMLParser:
    """A lexbor tree of `html` behind the guard against quadratic markup: every check that
    parses a page itself uses this, so a hostile page costs them no more than the crawler."""
    return LexborHTMLParser(defuse(html))


def is_inside(node: LexborNode, ancestor: LexborNode) -> bool:
    """True when `node` is `ancestor` or lies somewhere below it in the tree."""
    cur: LexborNode | None = node
    while cur is not None:
        if cur.mem_id == ancestor.mem_id:
            return True
        cur = cur.parent
    return False


def _parse(html: str, url: str, encoding: str, pool: LinkPool | None) -> ParsedPage:
    tree = parse_tree(html)
    page_url = normalize_url(url) or url
    base_url = page_url
    base = tree.css_first("base[href]")
    if base is not None:
        base_url = normalize_url(base.attributes.get("href") or "", page_url, encoding) or page_url

    meta: dict[str, str] = {}
    links: list[Link] = []
    seen: set[tuple[str, str, str]] = set()
    memo: dict[str, tuple[str, str, str]] = {}  # raw value -> (kind, url, fragment)

    def add(raw: str, element: str, attr: str, text: str = "") -> None:
        key = memo.get(raw)
        if key is None:
            key = memo[raw] = _target(raw, base_url, encoding)
        if key in seen:
            return  # a target is reported once per page; the first occurrence wins
        seen.add(key)
        kind, target, fragment = key
        if kind == "data":
            links.append(Link(target, raw[:_DATA_KEEP], element, attr, text, kind, fragment))
            return
        # Most of a portal's links repeat on every page (navigation, footer, breadcrumbs):
        # interned, each URL, raw value and anchor text is held once for the whole crawl.
        target, raw, text, element = _intern(target), _intern(raw), _intern(text), _intern(element)
        if pool is None:
            # positional: Link's field order is part of the model (and 3x faster than keywords)
            links.append(Link(target, raw, element, attr, text, kind, fragment))
            return
        value = (target, raw, element, attr, text, kind, fragment)
        link = pool.get(value)
        if link is None:
            link = pool[value] = Link(*value)
        links.append(link)

    for node in tree.css(_SELECTOR):
        tag = node.tag
        url_attrs = _URL_ATTRS.get(tag)
        if url_attrs is None:
            continue
        attrs = node.attributes
        if tag == "meta":
            _meta_links(attrs, meta, add)
            continue
        if tag == "link" and _SKIP_REL & set((attrs.get("rel") or "").lower().split()):
            continue
        if tag == "input" and (attrs.get("type") or "").strip().lower() != "image":
            continue
        text = _link_text(node, tag, attrs)
        for attr in url_attrs:
            value = attrs.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for candidate in parse_srcset(value):
                    add(candidate, tag, attr, text)
            else:
                add(value, tag, attr, text)
    # Anchors inline scripts write with literal URLs (document.write menus, related-article boxes):
    # a browser shows them as links, so they are the page's links without rendering it.
    for node in tree.css("script"):
        if "src" in node.attributes:
            continue
        code = node.text(deep=True)
        if code and _HREF_IN.search(code) and _WRITES_MARKUP.search(code):
            for raw in script_links(code).urls:
                add(raw, "a", "href")

    return ParsedPage(
        title=_title(tree),
        links=links,
        base_url=base_url,
        meta=meta,
        headings=_headings(tree),
        ids=_ids(tree),
    )


def _target(raw: str, base_url: str, encoding: str) -> tuple[str, str, str]:
    """(kind, url, fragment) of one URL as written in the page."""
    kind, cleaned = classify(raw)
    if kind == "http":
        target = normalize_url(cleaned, base_url, encoding)
        if target is None:
            return "invalid", cleaned, ""
        hash_at = cleaned.find("#")
        return kind, target, cleaned[hash_at + 1:] if hash_at >= 0 else ""
    return kind, cleaned[:_DATA_KEEP] if kind == "data" else cleaned, ""


def _meta_links(attrs: dict[str, str | None], meta: dict[str, str], add: Callable[[str, str, str], None]) -> None:
    if attrs.get("charset"):
        meta.setdefault("charset", (attrs.get("charset") or "").strip())
    content = (attrs.get("content") or "").strip()
    for key_attr in ("name", "http-equiv", "property", "itemprop"):
        key = (attrs.get(key_attr) or "").strip().lower()
        if key:
            meta.setdefault(key, content)
            break
    equiv = (attrs.get("http-equiv") or "").strip().lower()
    prop = ((attrs.get("property") or attrs.get("name")) or "").strip().lower()
    if equiv == "refresh":
        target = refresh_url(content)
        if target:
            add(target, "meta", "content")
    elif prop in _OG_IMAGE and content:
        add(content, "meta", "content")


def refresh_url(content: str) -> str:
    """The URL of a `<meta http-equiv=refresh content="5; url=/x">`, "" if it only reloads."""
    m = _REFRESH_URL.match(content or "")
    if m is None:
        return ""
    value = m.group(1).strip()
    if value[:1] in ("'", '"'):
        quote = value[0]
        value = value[1:]
        end = value.find(quote)
        if end >= 0:
            value = value[:end]
    return value.strip()


def parse_srcset(value: str) -> list[str]:
    """The URLs of a srcset attribute (WHATWG algorithm: descriptors dropped, data: commas kept)."""
    urls: list[str] = []
    pos, n = 0, len(value)
    while pos < n:
        while pos < n and (value[pos] in " \t\n\r\f,"):
            pos += 1
        if pos >= n:
            break
        start = pos
        while pos < n and value[pos] not in " \t\n\r\f":
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            # skip the descriptors up to the next comma outside parentheses
            depth = 0
            while pos < n:
                ch = value[pos]
                if ch == "(":
                    depth += 1
                elif ch == ")" and depth:
                    depth -= 1
                elif ch == "," and not depth:
                    break
                pos += 1
        if url:
            urls.append(url)
    return urls


def _collapse(text: str, cap: int) -> str:
    return " ".join(text[: cap * 4].split())[:cap]


def _link_text(node: LexborNode, tag: str, attrs: dict[str, str | None]) -> str:
    if tag == "a":
        text = _collapse(node.text(deep=True, separator=" "), _TEXT_CAP)
        if text:
            return text
        img = node.css_first("img[alt]")
        if img is not None:
            return _collapse(img.attributes.get("alt") or "", _TEXT_CAP)
        return _collapse(attrs.get("title") or "", _TEXT_CAP)
    if tag in ("img", "area", "input"):
        return _collapse(attrs.get("alt") or attrs.get("title") or "", _TEXT_CAP)
    return _collapse(attrs.get("title") or "", _TEXT_CAP)


def _title(tree: LexborHTMLParser) -> str:
    node = tree.css_first("head > title") or tree.css_first("title")
    # Control bytes a broken CMS left in the title are invisible in a browser's tab: dropped.
    return _collapse(_CONTROLS.sub("", node.text(deep=True)), _TITLE_CAP) if node is not None else ""


def _headings(tree: LexborHTMLParser) -> list[str]:
    out: list[str] = []
    for node in tree.css("h1, h2"):
        text = _collapse(node.text(deep=True, separator=" "), _TEXT_CAP)
        if text:
            out.append(text)
            if len(out) >= _MAX_HEADINGS:
                break
    return out


def _ids(tree: LexborHTMLParser) -> set[str]:
    ids: set[str] = set()
    for node in tree.css("[id], a[name]"):
        attrs = node.attributes
        for key in ("id", "name"):
            value = attrs.get(key)
            if value and (key == "id" or node.tag == "a"):
                ids.add(value)
    return ids


# ---- hostile markup ---------------------------------------------------------------------------
# lexbor is linear on real pages but quadratic on some malformed ones (measured, selectolax 1.0):
# 20,000 nested <div>s take 0.7 s and 100,000 take 16 s; one element with 20,000 attributes 0.8 s;
# 20,000 <option>s 2 s; 200,000 distinct tag names 20 s. `defuse` detects these cheaply and
# `_flatten` rewrites the markup so that every such count stays bounded.

# Chromium stops nesting at 512 open elements (kMaximumHTMLParserDOMTreeDepth); so do we.
MAX_DEPTH = 512
_MAX_ATTRS = 512  # attributes (whitespace-separated tokens) on one element
_MAX_OPTIONS = 2000  # <option>s in a document
_MAX_NAMES = 5000  # distinct unknown tag names in a document
# Below these sizes lexbor's worst case stays near 0.1 s, so the scan (~1 ms per 100 KB of
# markup) is skipped: 32 KB holds at most ~6,500 nested tags or ~8,000 attributes, and 8,000 '<'
# at most 8,000 nested tags.
_SMALL_DOC = 32 * 1024
_SCAN_TAGS = 8000
_WINDOW = 8 * 1024  # an attribute flood worth worrying about spans two windows without a '<'

_TAG_NAME = re.compile(r"<(/?[A-Za-z][^\s/>]*)")
# A start tag with _MAX_ATTRS attributes (a quoted value, spaces and all, is one attribute).
_ATTR_FLOOD = re.compile(
    rf"""<[A-Za-z][^\s<>]*(?:\s+[^\s<>"'=]+(?:=(?:"[^"]*"|'[^']*'|[^\s<>"']*))?){{{_MAX_ATTRS}}}"""
)
_TAG_FULL = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<!--")
_VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr param keygen basefont "
    "bgsound frame image".split()
)
# Elements the tree builder closes implicitly: they never build depth, so they are not counted.
_IMPLIED_END = frozenset(
    "p li dt dd option optgroup tr td th tbody thead tfoot colgroup caption rb rt rtc rp "
    "html head body".split()
)
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
# A start tag of these closes an open sibling of the same family, unless a barrier comes first
# (the tree builder's implied end tags, approximated over the top few open elements).
_SIBLINGS = {
    "li": ({"li"}, {"ul", "ol", "menu"}), "dt": ({"dt", "dd"}, {"dl"}), "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th"}, {"tr", "table"}), "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr"}, {"table"}), "tbody": ({"tbody", "thead", "tfoot"}, {"table"}),
    "thead": ({"tbody", "thead", "tfoot"}, {"table"}), "tfoot": ({"tbody", "thead", "tfoot"}, {"table"}),
    "option": ({"option"}, {"select", "datalist", "optgroup"}), "optgroup": ({"optgroup"}, {"select"}),
    "p": ({"p"}, {"button", "table", "td", "th"}),
}
# Block start tags close an open <p>.
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
    "footer header hgroup main menu nav ol p section summary ul h1 h2 h3 h4 h5 h6 pre listing "
    "form table hr xmp".split()
)
_LOOKBACK = 8
# Element names of HTML, SVG and MathML that the name cap never drops.
_KNOWN = frozenset(
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big "
    "blink blockquote body br button canvas caption center cite code col colgroup data datalist "
    "dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins "
    "isindex kbd keygen label legend li link listing main map mark marquee math menu menuitem "
    "meta meter multicol nav nextid nobr noembed noframes noscript object ol optgroup option "
    "output p param picture plaintext pre progress q rb rp rt rtc ruby s samp script search "
    "section select slot small source spacer span strike strong style sub summary sup svg table "
    "tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp".split()
)


def defuse(html: str) -> str:
    """`html` unchanged, or a rewrite whose nesting, attribute, option and name counts are bounded."""
    size = len(html)
    if size <= _SMALL_DOC:
        return html
    if _attribute_flood(html):
        return _flatten(html)
    if html.count("<") <= _SCAN_TAGS:
        return html
    names = _TAG_NAME.findall(html)
    if len(set(names)) > _MAX_NAMES:  # case variants count twice: a cheap over-estimate
        return _flatten(html)
    depth = deepest = options = 0
    for name in names:
        if name[0] == "/":
            if depth:
                depth -= 1
            continue
        low = name.lower()
        if low == "option":
            options += 1
        elif low not in _VOID and low not in _IMPLIED_END:
            depth += 1
            if depth > deepest:
                deepest = depth
    if deepest <= MAX_DEPTH and options <= _MAX_OPTIONS:
        return html
    return _flatten(html)


def _attribute_flood(html: str) -> bool:
    """Whether a start tag has more than _MAX_ATTRS attributes. Such a tag is long, so it covers
    a whole window without '<'; only the tag opening before each such window is examined."""
    tried: set[int] = set()
    for i in range(0, len(html) - _WINDOW + 1, _WINDOW):
        if html.count("<", i, i + _WINDOW):
            continue
        start = html.rfind("<", 0, i)
        if start >= 0 and start not in tried:
            tried.add(start)
            if _ATTR_FLOOD.match(html, start):
                return True
    return False


def _flatten(html: str) -> str:
    """Rewrite hostile markup: elements past MAX_DEPTH are closed at once (their children become
    siblings, as in Chromium), options past _MAX_OPTIONS and unknown tags past _MAX_NAMES distinct
    names are dropped (their text stays), and attribute floods are cut off."""
    out: list[str] = []
    stack: list[str] = []
    open_count: dict[str, int] = {}  # name -> how many are on the stack (O(1) membership)
    names: set[str] = set()
    options = 0
    pos = 0
    n = len(html)

    def pop_through(index: int) -> None:
        while len(stack) > index:
            open_count[stack.pop()] -= 1

    while pos < n:
        m = _TAG_FULL.search(html, pos)
        if m is None:
            break
        start = m.start()
        if m.group(0) == "<!--":
            end = html.find("-->", start + 4)
            end = n if end < 0 else end + 3
            out.append(html[pos:end])
            pos = end
            continue
        gt = html.find(">", m.end())
        tag_end = n if gt < 0 else gt + 1
        out.append(html[pos:start])
        tag = html[start:tag_end]
        name = m.group(2).lower()
        pos = tag_end
        if name not in names and name not in _KNOWN:
            if len(names) >= _MAX_NAMES:
                continue
            names.add(name)
        if m.group(1):  # end tag: pops like the tree builder, through whatever is above it
            if open_count.get(name):
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            out.append(tag)
            continue
        if len(tag) > _WINDOW and _ATTR_FLOOD.match(tag):
            tag = tag[:_WINDOW].rsplit(None, 1)[0] + ">"
        if name == "option":
            options += 1
            if options > _MAX_OPTIONS:
                continue
        out.append(tag)
        if name in _RAW_TEXT:
            close = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(html, pos) if name != "plaintext" else None
            end = close.end() if close else n
            out.append(html[pos:end])
            pos = end
            continue
        if name in _VOID:
            continue
        if tag.endswith("/>") and (open_count.get("svg") or open_count.get("math")):
            continue  # self-closing is real only in foreign (SVG/MathML) content
        family = _SIBLINGS.get(name)
        if family is not None or name in _CLOSES_P:
            same, barrier = family if family is not None else ({"p"}, {"button", "table", "td", "th"})
            for i in range(len(stack) - 1, max(-1, len(stack) - 1 - _LOOKBACK), -1):
                if stack[i] in same:
                    pop_through(i)
                    break
                if stack[i] in barrier:
                    break
        if len(stack) >= MAX_DEPTH:
            out.append(f"</{name}>")  # flatten: what would nest deeper becomes a sibling
        else:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
    out.append(html[pos:])
    return "".join(out)
