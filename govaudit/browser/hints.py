"""When a page must be rendered: its links are probably made by its scripts.

Two kinds of page, each told by a cheap look at the raw HTML (no browser):

- Shells: almost no links but sizeable scripts. Portals built as single-page apps ship
  `<div id="app"></div><script src=...>`, and many county sites answer the home page with a script
  redirect; a crawler reading raw HTML sees nothing to follow on either. Always rendered.
- Ordinary pages whose navigation a script builds (issue 11 item 6): an empty container named as
  navigation (`<ul id="nav"></ul>`, `<div class="menu"></div>`, `daohang`, `lanmu`) that a script
  fills, an inline script that writes anchors (`document.write('<a …')`, `'<a href="' + item.url`,
  a template literal, `createElement('a')`) whose hrefs are not all literals the page's text gives
  (`crawl/scriptlinks.py` reads those without a browser, so a TRS `document.write` box of
  `var str_1 = "…html"` items is not rendered), or a script file named as navigation (`/js/nav.js`,
  `menu.js`, `daohang.js`) that writes the menu where it stands. Each such signal has a key (the
  container's name, the script's file); `RenderPolicy` stops rendering for a key once a few renders
  in a row added no link the crawl had not seen (a site template's menu is found on its first page),
  so a false signal repeated on every page of a site costs a few renders, not thousands.

Rendering every page costs a browser load each, so only these are rendered unless the user asks
for `--render`; a static page (links in its HTML, scripts that only decorate) is taken as fetched.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Iterator

from govaudit.crawl.scriptlinks import script_links
from govaudit.model import Page

FEW_LINKS = 3  # followable links at or below this count look empty
BIG_INLINE_SCRIPT = 1000  # characters of inline script that can build a page
SCAN_CHARS = 1_000_000
BARREN_RENDERS = 3  # renders in a row of one signal that found no new link: that signal is dropped
ALWAYS = frozenset({"shell", "--render"})  # reasons that are never dropped
AT_ONCE = 2  # renders of one script-navigation signal at a time (the others wait for their verdict)

_SRC_RE = re.compile(r"\bsrc\s*=", re.I)
_NAV = frozenset({"a", "area", "frame", "iframe"})
_SCRIPT_OPEN_RE = re.compile(r"<script\b([^<>]{0,1000})>", re.I)
_SCRIPT_CLOSE_RE = re.compile(r"</script\s*>", re.I)

# Every pattern below is bounded (no two unbounded repeats that can overlap): a hostile page of
# unterminated tags costs one pass, not a quadratic search.
# Words that name navigation in ids and classes on portals (English and pinyin: 导航, 栏目, 菜单).
_NAV_WORD_RE = re.compile(r"nav|menu|daohang|lanmu|caidan|(?<![a-z])dh(?![a-z])", re.I)
# An empty element (nothing inside but whitespace or short comments) of a kind that holds a menu.
_EMPTY_RE = re.compile(r"<(div|ul|ol|nav|span|td|dl|section)\b([^<>]{0,500})>(?:\s|<!--[^<>]{0,200}-->)*</\1\s*>",
                       re.I)
_NAMED_RE = re.compile(r"\b(?:id|class)\s*=\s*[\"']?([^\"'<>]{1,200})", re.I)
# Inline script that writes anchors: document.write of <a, an anchor built by concatenation or a
# template literal (from data), or an anchor element created and filled.
_BUILDS_LINKS_RE = re.compile(
    r"document\.write(?:ln)?\s*\(\s*(?:unescape\s*\(\s*)?[\"'`][^\"'`]{0,200}?(?:<|%3C)a[\s%]"
    r"|href\s*=\s*\\?[\"']?\s*[\"'`]\s*\+"
    r"|href\s*=\s*\\?[\"']?\$\{"
    r"|createElement\s*\(\s*[\"']a[\"']\s*\)", re.I)
# A script file named as navigation (/js/nav.js, menu.js, daohang.js): it writes the menu in place.
_SCRIPT_FILE_RE = re.compile(r"\bsrc\s*=\s*[\"']?[^\"'<>\s]{0,300}?([^\"'<>\s/]{1,80}\.js)\b", re.I)


def scripts(html: str) -> Iterator[tuple[str, str]]:
    """(attributes, inline text) of each <script> element, in one pass (an unclosed one ends it)."""
    pos = 0
    while True:
        m = _SCRIPT_OPEN_RE.search(html, pos)
        if m is None:
            return
        close = _SCRIPT_CLOSE_RE.search(html, m.end())
        if close is None:
            return
        yield m.group(1), html[m.end():close.start()]
        pos = close.end()


def followable_links(page: Page) -> int:
    return sum(1 for link in page.links if link.kind == "http" and link.element in _NAV)


def script_weight(html: str) -> tuple[int, int]:
    """(external scripts, characters of inline script) in the first megabyte of `html`."""
    external = inline = 0
    for attrs, text in scripts(html[:SCAN_CHARS]):
        if _SRC_RE.search(attrs):
            external += 1
        else:
            inline += len(text.strip())
    return external, inline


def _is_shell(page: Page, html: str) -> bool:
    if followable_links(page) > FEW_LINKS:
        return False
    external, inline = script_weight(html)
    if external or inline >= BIG_INLINE_SCRIPT:
        return True
    # A short script and no link at all: a script redirect (location.href = ...) or a loader.
    return inline > 0 and followable_links(page) == 0


def script_nav_signal(html: str) -> str | None:
    """The key of the first sign that a script builds this page's navigation, or None."""
    head = html[:SCAN_CHARS]
    if "<script" not in head and "<SCRIPT" not in head and not re.search(r"<script", head, re.I):
        return None  # nothing on the page can build anything
    for empty in _EMPTY_RE.finditer(head):
        tag = empty.group(1).lower()
        for named in _NAMED_RE.finditer(empty.group(2)):
            if _NAV_WORD_RE.search(named.group(1)):
                return f"empty {tag} '{named.group(1).strip()[:60]}'"
        if tag == "nav":
            return "empty <nav>"
    for attrs, text in scripts(head):
        if not _SRC_RE.search(attrs):
            if _BUILDS_LINKS_RE.search(text) and not script_links(text).complete:
                return "inline script writes links"  # links the page's text alone does not give
        elif (src := _SCRIPT_FILE_RE.search(attrs)) is not None and _NAV_WORD_RE.search(src.group(1)):
            return f"navigation script {src.group(1)}"
    return None


def render_reason(page: Page) -> str | None:
    """Why this HTML page should be rendered ("shell" or a script-navigation signal's key), or None."""
    if not page.is_html:
        return None
    html = page.text
    if _is_shell(page, html):
        return "shell"
    return script_nav_signal(html)


def needs_render(page: Page) -> bool:
    """True for an HTML page whose links are probably made by its scripts."""
    return render_reason(page) is not None


class RenderPolicy:
    """The crawl's automatic rendering: which pages, and when a signal has stopped paying.

    Shells are always rendered (every page of a single-page app is one). A script-navigation
    signal is dropped after `BARREN_RENDERS` renders in a row that found no link the crawl had not
    seen; one that keeps finding links (menus that differ from page to page) keeps its renders.
    At most `AT_ONCE` pages of one signal are rendered at a time (`slot`): the others wait and ask
    `reason` again, so a crawl of 16 workers does not render 16 copies of one template's menu
    before the first verdict is in.
    """

    def __init__(self, barren: int = BARREN_RENDERS) -> None:
        self.barren = barren
        self._streak: dict[str, int] = {}  # signal -> renders in a row that found nothing new
        self._slots: dict[str, asyncio.Semaphore] = {}
        self.dropped: list[str] = []
        self.by_reason: dict[str, int] = {}

    def slot(self, why: str) -> asyncio.Semaphore:
        """Held while a page is rendered for `why` (shells and --render: one semaphore per page)."""
        if why in ALWAYS:
            return asyncio.Semaphore(1)
        sem = self._slots.get(why)
        if sem is None:
            sem = self._slots[why] = asyncio.Semaphore(AT_ONCE)
        return sem

    def reason(self, page: Page) -> str | None:
        why = render_reason(page)
        if why is None or why in ALWAYS:
            return why
        return None if self._streak.get(why, 0) >= self.barren else why

    def rendered(self, why: str, before: Iterable[str], after: Iterable[str], known: set[str]) -> int:
        """Record a render for `why`: the links it added that the crawl had not seen; returns their count."""
        had = set(before)
        new = sum(1 for url in set(after) if url not in had and url not in known)
        self.by_reason[why] = self.by_reason.get(why, 0) + 1
        if why not in ALWAYS:
            self._streak[why] = 0 if new else self._streak.get(why, 0) + 1
            if self._streak[why] == self.barren:
                self.dropped.append(why)
        return new
