"""When a page must be rendered: its raw HTML has almost no links but sizeable scripts.

Portals built as single-page apps ship `<div id="app"></div><script src=...>`, and many county
sites answer the home page with a script redirect; a crawler reading raw HTML sees nothing to
follow on either. Rendering every page costs a browser load each, so only these are rendered
unless the user asks for `--render`.
"""

from __future__ import annotations

import re

from govaudit.model import Page

FEW_LINKS = 3  # followable links at or below this count look empty
BIG_INLINE_SCRIPT = 1000  # characters of inline script that can build a page
SCAN_CHARS = 1_000_000

_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_SRC_RE = re.compile(r"\bsrc\s*=", re.I)
_NAV = frozenset({"a", "area", "frame", "iframe"})


def followable_links(page: Page) -> int:
    return sum(1 for link in page.links if link.kind == "http" and link.element in _NAV)


def script_weight(html: str) -> tuple[int, int]:
    """(external scripts, characters of inline script) in the first megabyte of `html`."""
    external = inline = 0
    for m in _SCRIPT_RE.finditer(html[:SCAN_CHARS]):
        if _SRC_RE.search(m.group(1)):
            external += 1
        else:
            inline += len(m.group(2).strip())
    return external, inline


def needs_render(page: Page) -> bool:
    """True for an HTML page whose links are probably made by its scripts."""
    if not page.is_html or followable_links(page) > FEW_LINKS:
        return False
    external, inline = script_weight(page.text)
    if external or inline >= BIG_INLINE_SCRIPT:
        return True
    # A short script and no link at all: a script redirect (location.href = ...) or a loader.
    return inline > 0 and followable_links(page) == 0
