"""A cheap look at every crawled page's raw HTML for defects an editor makes page by page.

Template sampling finds what a template repeats; it misses what editors add to single pages (an
article image without alt text, a one-off form, a column page saved without `lang`, an inline
grey-on-white notice). These signs are visible in the HTML without a browser, so every crawled
page is screened and the pages that show a sign their template's tested pages do not are moved
up the browser's queue. The browser (axe-core) still makes every judgement: a sign only chooses
which pages to test.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})\b", re.I)
_STYLE_COLOR = re.compile(r"(?:^|;)\s*color\s*:\s*([^;]+)", re.I)
_STYLE_BG = re.compile(r"(?:^|;)\s*background(?:-color)?\s*:\s*([^;]+)", re.I)
_LABELLED = ("aria-label", "aria-labelledby", "title", "placeholder")
_NO_LABEL_TYPES = frozenset({"hidden", "submit", "button", "reset", "image"})
MIN_CONTRAST = 4.5


def signs(html: str) -> set[str]:
    """axe rule ids this page's raw HTML probably violates: html-has-lang, image-alt, label,
    color-contrast (inline colours only)."""
    try:
        tree = LexborHTMLParser(html)
    except Exception:  # noqa: BLE001 - unparsable HTML gives no sign; the browser may still test it
        return set()
    found: set[str] = set()
    root = tree.css_first("html")
    if root is not None and not (root.attributes.get("lang") or root.attributes.get("xml:lang") or "").strip():
        found.add("html-has-lang")
    for img in tree.css("img"):
        attrs = img.attributes
        if "alt" not in attrs and attrs.get("role") not in ("presentation", "none") \
                and not any((attrs.get(a) or "").strip() for a in _LABELLED[:3]):
            found.add("image-alt")
            break
    labelled_ids = {(lab.attributes.get("for") or "").strip() for lab in tree.css("label[for]")}
    for field in tree.css("input, select, textarea"):
        if _unlabelled(field, labelled_ids):
            found.add("label")
            break
    for node in tree.css("[style]"):
        if _low_inline_contrast(node.attributes.get("style") or ""):
            found.add("color-contrast")
            break
    return found


def _unlabelled(field: LexborNode, labelled_ids: set[str]) -> bool:
    attrs = field.attributes
    if field.tag == "input" and (attrs.get("type") or "text").lower() in _NO_LABEL_TYPES:
        return False
    if any((attrs.get(a) or "").strip() for a in _LABELLED):
        return False
    if (attrs.get("id") or "").strip() in labelled_ids - {""}:
        return False
    parent = field.parent
    while parent is not None:
        if parent.tag == "label":
            return False
        parent = parent.parent
    return True


def _low_inline_contrast(style: str) -> bool:
    fg = _STYLE_COLOR.search(style)
    bg = _STYLE_BG.search(style)
    if not fg or not bg:
        return False
    fg_rgb, bg_rgb = _rgb(fg.group(1)), _rgb(bg.group(1))
    return fg_rgb is not None and bg_rgb is not None and contrast(fg_rgb, bg_rgb) < MIN_CONTRAST


def _rgb(value: str) -> tuple[int, int, int] | None:
    m = _HEX.search(value)
    if not m:
        return None
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def lum(rgb: tuple[int, int, int]) -> float:
        chans = []
        for c in rgb:
            s = c / 255
            chans.append(s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4)
        return 0.2126 * chans[0] + 0.7152 * chans[1] + 0.0722 * chans[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
