"""Hidden links (暗链): links a visitor cannot see that point off-site.

A link is hidden when it or an ancestor is hidden by an inline style, by a rule of the page's own
<style> blocks, by the `hidden` attribute, by a script that sets `getElementById(id).style.display
= 'none'`, or when its text has the colour of its background. Links written by a script with
`document.write("<div style='display:none'>…")` are read from the script's string literals.
Same-colour text is judged on inline styles only (external stylesheets are not fetched, so a
style rule's white text may sit on a background this page cannot see).
Only off-site targets count: a hidden skip link to `#main` or a hidden in-site menu is not a 暗链.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from govaudit.checks.content.css import (
    background_colour,
    colour,
    hiding_reason,
    parse_declarations,
    parse_stylesheet,
)
from govaudit.checks.identity.html import Anchor, Doc
from selectolax.lexbor import LexborNode

_JS_HIDE = re.compile(
    r"getElementById\(\s*['\"]([\w\-]+)['\"]\s*\)\s*\.style\.(?:display\s*=\s*['\"]none|visibility\s*=\s*['\"]hidden)",
    re.I)
_DOC_WRITE = re.compile(r"document\.write(?:ln)?\s*\(((?:\s*(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*\+?)+)\s*\)", re.S)
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.S)


@dataclass(slots=True)
class HiddenLink:
    anchor: Anchor
    reason: str  # how it is hidden
    source: str = "page"  # page | document.write


class _Styles:
    """Declarations per element from the page's <style> rules (selectors matched by lexbor)."""

    def __init__(self, doc: Doc) -> None:
        self.hidden: dict[int, str] = {}
        self.decls: dict[int, dict[str, str]] = {}
        for css in doc.styles:
            for rule in parse_stylesheet(css):
                if ":" in rule.selector or "@" in rule.selector:
                    continue  # pseudo-classes (:hover) do not apply to a page at rest
                decls = dict(rule.decls)
                try:
                    nodes = doc.tree.css(rule.selector)
                except Exception:  # noqa: BLE001 - a selector lexbor cannot parse is skipped
                    continue
                reason = hiding_reason(decls)
                for node in nodes:
                    key = node.mem_id
                    self.decls.setdefault(key, {}).update(decls)
                    if reason and key not in self.hidden:
                        self.hidden[key] = f"{reason} (style rule {rule.selector})"
        for attrs, text in doc.scripts:
            if attrs.get("src"):
                continue
            for m in _JS_HIDE.finditer(text):
                node = doc.tree.css_first(f"[id='{m.group(1)}']")
                if node is not None:
                    self.hidden.setdefault(node.mem_id, "hidden by a script (style.display = 'none')")

    def declared(self, node: LexborNode) -> dict[str, str]:
        """Rule declarations, then the inline style on top (it wins)."""
        out = dict(self.decls.get(node.mem_id, {}))
        inline = node.attributes.get("style")
        if inline:
            out.update(parse_declarations(inline))
        return out


def hidden_reason(node: LexborNode, styles: _Styles) -> str | None:
    """Why `node` cannot be seen, looking at it and its ancestors; None when it can."""
    text_colour: str | None = None  # the nearest declared text colour
    background: str | None = None  # the nearest declared (opaque) background
    colours_settled = False
    current: LexborNode | None = node
    while current is not None and current.tag not in ("html", "-undef"):
        attrs = current.attributes
        if "hidden" in attrs:
            return f"hidden attribute on <{current.tag}>"
        if current.tag == "marquee":
            for dim in ("height", "width"):
                value = (attrs.get(dim) or "").strip().removesuffix("px")
                if value.isdigit() and int(value) <= 1:
                    return f"<marquee {dim}={value}>"
        if current.mem_id in styles.hidden:
            return styles.hidden[current.mem_id]
        decls = styles.declared(current)
        reason = hiding_reason(decls)
        if reason:
            where = "inline style" if attrs.get("style") else "style"
            return f"{reason} ({where} on <{current.tag}>)"
        if not colours_settled:
            # Colours count only from inline styles: the page's external stylesheets are not read,
            # so a rule-level white text may well sit on a dark background declared there.
            inline = parse_declarations(attrs.get("style") or "")
            if text_colour is None and "color" in inline:
                text_colour = colour(inline["color"])
            bg = background_colour(inline)
            if background is None and bg is not None and bg != "transparent":
                background = bg
            if text_colour is not None and background is not None:
                colours_settled = True
                if text_colour == background:
                    return f"text colour {text_colour} on a background of the same colour"
        current = current.parent
    return None


def find_hidden_links(doc: Doc, is_offsite: Callable[[str], bool]) -> list[HiddenLink]:
    """Hidden links of `doc` whose target `is_offsite(url)`; scripts' document.write output included."""
    styles = _Styles(doc)
    out: list[HiddenLink] = []
    for a in doc.anchors:
        if a.kind != "http" or not is_offsite(a.url):
            continue
        reason = hidden_reason(a.node, styles)
        if reason:
            out.append(HiddenLink(a, reason))
    for attrs, text in doc.scripts:
        if attrs.get("src") or "document.write" not in text:
            continue
        for fragment in written_html(text):
            sub = Doc(fragment, doc.url)
            sub_styles = _Styles(sub)
            for a in sub.anchors:
                if a.kind != "http" or not is_offsite(a.url):
                    continue
                reason = hidden_reason(a.node, sub_styles)
                if reason:
                    out.append(HiddenLink(a, reason, source="document.write"))
    return out


def written_html(script: str) -> list[str]:
    """The HTML that the `document.write('…' + '…')` calls of an inline script emit, joined in
    order (spam blocks are often opened, filled and closed by separate calls)."""
    parts = []
    for call in _DOC_WRITE.finditer(script):
        for m in _LITERAL.finditer(call.group(1)):
            raw = m.group(1) if m.group(1) is not None else m.group(2)
            parts.append(re.sub(r"\\(.)", r"\1", raw))
    html = "".join(parts)
    return [html] if "<a" in html.lower() else []
