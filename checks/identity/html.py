"""One parsed page for the identity and content rules: tree, visible text, footer, anchors, meta.

Parsing is lexbor's (the crawler's parser). Comments never count as content: a 【我要纠错】 entry
left inside `<!-- -->` is not an entry. Every accessor is computed once and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govaudit.crawl.extract import defuse, is_inside
from govaudit.crawl.urls import classify, host_of, normalize_url

_WS = re.compile(r"[\s\u3000\xa0]+")
# Elements whose text a reader never sees.
_INVISIBLE = ("script", "style", "noscript", "template", "head")
# id/class words of the footer area (底部功能区) on Chinese and English templates.
_FOOTER_WORDS = re.compile(r"foot|bottom|copyright|copy_right|banquan|bqxx|dibu|\bft\d*\b|\bbot\b", re.I)
FOOTER_TAIL_CHARS = 1500  # when no footer element is marked, the page's last visible characters


def squash(text: str) -> str:
    """Whitespace (ideographic space and nbsp included) collapsed to one ASCII space."""
    return _WS.sub(" ", text).strip()


@dataclass(slots=True)
class Anchor:
    url: str  # absolute normalised URL, or the raw value for non-http links
    raw: str
    text: str  # anchor text, else the alt of an image inside, else title
    node: LexborNode
    kind: str  # http | placeholder | mailto | tel | data | other | invalid

    @property
    def host(self) -> str:
        return host_of(self.url) if self.kind == "http" else ""


class Doc:
    """A page as the identity and content rules read it."""

    def __init__(self, html: str, url: str) -> None:
        self.html = html or ""
        self.url = url
        self.tree = LexborHTMLParser(defuse(self.html))

    @cached_property
    def base_url(self) -> str:
        base = self.tree.css_first("base[href]")
        if base is not None:
            resolved = normalize_url(base.attributes.get("href") or "", self.url)
            if resolved:
                return resolved
        return self.url

    @cached_property
    def meta(self) -> dict[str, str]:
        """<meta name|property|http-equiv> -> content, names lower-cased, the first one winning."""
        out: dict[str, str] = {}
        for node in self.tree.css("meta"):
            attrs = node.attributes
            for key in ("name", "property", "http-equiv"):
                name = (attrs.get(key) or "").strip().lower()
                if name:
                    out.setdefault(name, (attrs.get("content") or "").strip())
                    break
        return out

    @cached_property
    def title(self) -> str:
        node = self.tree.css_first("title")
        return squash(node.text(deep=True)) if node is not None else ""

    @cached_property
    def scripts(self) -> list[tuple[dict[str, str], str]]:
        """(attributes, inline text) of every <script>."""
        out = []
        for node in self.tree.css("script"):
            attrs = {k.lower(): (v or "") for k, v in node.attributes.items()}
            out.append((attrs, node.text(deep=True) or ""))
        return out

    @cached_property
    def styles(self) -> list[str]:
        return [node.text(deep=True) or "" for node in self.tree.css("style")]

    @cached_property
    def text(self) -> str:
        """Visible text (scripts, styles, comments left out), whitespace collapsed."""
        return squash(visible_text(self.tree.body) if self.tree.body is not None else "")

    @cached_property
    def footer_nodes(self) -> list[LexborNode]:
        """Outermost elements marked as the footer: <footer>, or an id/class naming it."""
        found: list[LexborNode] = []
        body = self.tree.body
        if body is None:
            return found
        for node in body.traverse(include_text=False):
            if node.tag in _INVISIBLE:
                continue
            attrs = node.attributes
            label = f"{attrs.get('id') or ''} {attrs.get('class') or ''}"
            if node.tag == "footer" or (label.strip() and _FOOTER_WORDS.search(label)):
                if not any(is_inside(node, f) for f in found):
                    found.append(node)
        return found

    @cached_property
    def footer_text(self) -> str:
        """The footer's text, plus the page's last characters (footers are not always marked)."""
        parts = [squash(visible_text(n)) for n in self.footer_nodes]
        parts.append(self.text[-FOOTER_TAIL_CHARS:])
        return " ".join(p for p in parts if p)

    @cached_property
    def anchors(self) -> list[Anchor]:
        out = []
        for node in self.tree.css("a[href], area[href]"):
            raw = node.attributes.get("href") or ""
            kind, cleaned = classify(raw)
            url = cleaned
            if kind == "http":
                url = normalize_url(cleaned, self.base_url) or cleaned
                if url == cleaned and not cleaned.startswith(("http://", "https://")):
                    kind = "invalid"
            out.append(Anchor(url=url, raw=raw, text=anchor_text(node), node=node, kind=kind))
        return out

    def footer_anchors(self) -> list[Anchor]:
        return [a for a in self.anchors if any(is_inside(a.node, f) for f in self.footer_nodes)]


def anchor_text(node: LexborNode) -> str:
    text = squash(visible_text(node))
    if text:
        return text[:300]
    img = node.css_first("img[alt]")
    if img is not None and (img.attributes.get("alt") or "").strip():
        return squash(img.attributes.get("alt") or "")[:300]
    for attr in ("title", "aria-label"):
        value = (node.attributes.get(attr) or "").strip()
        if value:
            return squash(value)[:300]
    return ""


def visible_text(node: LexborNode | None) -> str:
    """Text under `node` without script/style/noscript/template content (comments never count)."""
    if node is None:
        return ""
    parts: list[str] = []
    _collect(node, parts)
    return " ".join(parts)


def _collect(node: LexborNode, parts: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            value = child.text_content
            if value and value.strip():
                parts.append(value)
        elif tag not in _INVISIBLE and tag != "_comment" and not tag.startswith("-"):
            _collect(child, parts)
        child = child.next


