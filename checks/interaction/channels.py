"""Find the citizen channels across the whole crawl: links on every crawled page (navigation, footers,
sidebars) and on 互动交流-style hub pages, by name and URL, and pages recognised by what they hold
(a list of letters whose pages carry 提交/回复 dates, a write-a-letter form).

A channel is classified as 政务咨询 (consultation: mailboxes and message boards, which the veto
reads), 调查征集 (survey), 在线访谈 (interview), or excluded (网上信访, 纪检举报: the standard
says they do not count). Every page searched is recorded, so "no channel" comes with evidence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from govaudit.checks.interaction import words as W
from govaudit.checks.interaction.listing import Row, parse_list
from govaudit.checks.interaction.pages import PageSource
from selectolax.lexbor import LexborHTMLParser, LexborNode

from govaudit.model import Link, SiteSnapshot

_GENERIC_TEXT = frozenset({"", "更多", "更多>>", "更多>", "more", "more>>", "进入", "点击进入", "详情", ">>", "》",
                           "查看更多", "+", "more+", "更多+"})
_WS = re.compile(r"\s+")


@dataclass(slots=True)
class Channel:
    name: str
    url: str
    kind: str  # consultation | survey | interview | excluded
    found_on: str  # the page whose link named it
    via: str = "text"  # text | url | config | content (recognised by what the page holds)
    form: bool = False  # a "write a letter" form, not a list of messages
    duplicate_of: str | None = None  # the same board reached under another URL: read once
    seen_on: int = 1  # crawled pages that link it (or hold it)


@dataclass(slots=True)
class Discovery:
    channels: list[Channel] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)  # pages whose links (and content) were examined
    unreachable: list[str] = field(default_factory=list)  # hub pages that could not be opened
    rejected: list[dict[str, str]] = field(default_factory=list)  # {url, name, why}: candidates not used
    hubs: list[str] = field(default_factory=list)  # the start pages and the 互动交流-style pages opened


def classify(text: str, url: str) -> tuple[str | None, str]:
    """(kind, how) for one link: its text decides; the URL only speaks for links without real text."""
    clean = _WS.sub("", text or "")
    if len(clean) > W.MAX_LINK_TEXT:
        return None, ""  # an article title that mentions 留言 is not a channel
    if W.is_filing_mark(clean, url):
        return None, ""  # 浙ICP备12345678号 → beian.miit.gov.cn is a filing mark, not the 12345 hotline
    for kind, wordlist in W.TEXT_WORDS:
        if any(w in clean for w in wordlist):
            return kind, "text"
    if clean.lower() not in _GENERIC_TEXT:
        return None, ""
    parts = urlsplit(url)
    where = (parts.path + ("?" + parts.query if parts.query else "")).lower()
    host = (parts.hostname or "").lower()
    for kind, pattern in W.URL_WORDS:
        if pattern.search(where) or (kind == W.CONSULTATION and "12345" in host):
            return kind, "url"
    return None, ""


def is_form(text: str, url: str) -> bool:
    clean = _WS.sub("", text or "")
    return bool(W.FORM_TEXT.search(clean)) or bool(W.FORM_URL.search(urlsplit(url).path.lower()))


def _name(text: str, url: str) -> str:
    clean = _WS.sub(" ", text or "").strip()
    if clean and clean.lower() not in _GENERIC_TEXT:
        return clean
    return urlsplit(url).path or url


def channels_in(links: list[Link], page_url: str) -> tuple[list[Channel], list[str]]:
    """Channels named by one page's links, and the hub pages it points at."""
    found: list[Channel] = []
    hubs: list[str] = []
    for link in links:
        if link.kind != "http" or link.element not in ("a", "area"):
            continue
        kind, how = classify(link.text, link.url)
        if kind is None:
            continue
        if kind == W.HUB:
            if link.url not in hubs and link.url != page_url:
                hubs.append(link.url)
            continue
        found.append(Channel(_name(link.text, link.url), link.url, kind, page_url, how,
                             form=kind == W.CONSULTATION and is_form(link.text, link.url)))
    return found, hubs


def _merge(out: Discovery, by_url: dict[str, Channel], ch: Channel) -> None:
    known = by_url.get(ch.url)
    if known is None:
        by_url[ch.url] = ch
        out.channels.append(ch)
        return
    if ch.found_on != known.found_on:
        known.seen_on += 1
    if known.via in ("url", "content") and ch.via == "text":
        known.name, known.kind, known.via, known.form = ch.name, ch.kind, ch.via, ch.form


async def discover(source: PageSource, start_urls: list[str], max_hubs: int = 6, hub_depth: int = 2,
                   snapshot: SiteSnapshot | None = None) -> Discovery:
    """Channels linked from the start pages (the home page) and the hub pages they link (hubs of hubs up
    to `hub_depth`; at most `max_hubs` hub pages the crawl did not fetch); then from every other page of
    the crawl (navigation, footers, sidebars: a link there counts once two pages carry it, so a list's
    own item titles are not channels), whose hub links are opened the same way; plus crawled pages that
    hold letters or a write-a-letter form."""
    out = Discovery()
    by_url: dict[str, Channel] = {}
    primary: list[tuple[str, int]] = [(u, 0) for u in start_urls]
    # In URL order, not crawl order: two runs of one site search, merge and report alike.
    crawled = sorted(p.url for p in snapshot.pages.values() if p.is_html and p.ok) if snapshot is not None else []
    secondary = [u for u in crawled if u not in start_urls]
    seen: set[str] = set(start_urls)
    elsewhere: dict[str, tuple[Channel, set[str]]] = {}  # links seen only on secondary pages: documents
    hubs_read = 0
    while primary or secondary:
        is_primary = bool(primary)
        if is_primary:
            url, depth = primary.pop(0)
        else:
            url, depth = secondary.pop(0), 0
            if url in seen:
                continue
            seen.add(url)
        if is_primary:
            links, got = await source.links(url)
            if not got.ok:
                out.unreachable.append(url)
                continue
            final, doc = got.final_url, ""
            if final not in out.hubs:
                out.hubs.append(final)
        else:
            # A crawled page: its links and a digest of its stored text, without holding its HTML.
            crawled_page = snapshot.page(url) if snapshot is not None else None
            if crawled_page is None:
                continue
            links, final = list(crawled_page.links), crawled_page.final_url
            doc = hashlib.blake2b(crawled_page.text_z, digest_size=8).hexdigest()
        out.searched.append(url)
        found, hubs = channels_in(links, final)
        for ch in found:
            if is_primary or ch.url in by_url:
                _merge(out, by_url, ch)
            else:
                _, pages = elsewhere.setdefault(ch.url, (ch, set()))
                pages.add(doc)
        _near_misses(out, links, final)
        if depth >= hub_depth:
            continue
        for hub in hubs:
            if hub in seen:
                continue
            in_crawl = snapshot is not None and snapshot.page(hub) is not None
            if in_crawl or hubs_read < max_hubs:
                seen.add(hub)
                hubs_read += 0 if in_crawl else 1
                primary.append((hub, depth + 1))
    for ch, pages in elsewhere.values():
        if ch.url in by_url or len(pages) >= 2:
            ch.seen_on = len(pages)
            _merge(out, by_url, ch)
    if snapshot is not None:
        for ch in by_content(snapshot):
            _merge(out, by_url, ch)
    return out


def _near_misses(out: Discovery, links: list[Link], page_url: str) -> None:
    """Links named like a channel that do not count, once per target, with why."""
    have = {r["url"] for r in out.rejected}
    for link in links:
        if link.kind != "http" or link.element not in ("a", "area") or link.url in have:
            continue
        clean = _WS.sub("", link.text or "")
        if len(clean) > W.MAX_LINK_TEXT or classify(link.text, link.url)[0] is not None:
            continue
        if W.is_filing_mark(clean, link.url):
            why: str | None = W.FILING_WHY
        elif not clean:
            continue
        else:
            why = next((w for word, w in W.NEAR_MISSES if word in clean), None)
        if why is not None:
            out.rejected.append({"url": link.url, "name": clean or link.url, "found_on": page_url, "why": why})
            have.add(link.url)


# ---- channel pages by what they hold ----------------------------------------------------------

_LETTER_ASKED = re.compile(r"(留言|来信|提问|写信|咨询|提交|发信|投诉|诉求|信件)(时间|日期)\s*[:：]")
_LETTER_REPLIED = re.compile(r"(回复|答复|办结|反馈|回信)(时间|日期|内容|单位|部门)\s*[:：]")
_FORM_WORDS = re.compile(r"信箱|写信|留言|咨询|诉求|建言|投诉|来信|问政|献策")
_TITLE_SEP = re.compile(r"[-_|—–]+")


def is_letter_page(text: str) -> bool:
    """A published letter: a labelled asking date and a labelled reply (提交时间： … 回复时间： …)."""
    return bool(_LETTER_ASKED.search(text)) and bool(_LETTER_REPLIED.search(text))


def _heading(tree: LexborHTMLParser) -> str:
    for sel in ("h1", "h2", "h3", "title"):
        node = tree.css_first(sel)
        if node is not None:
            text = _WS.sub("", node.text())
            if text:
                return text
    return ""


def is_letter_form(html: str) -> tuple[bool, str]:
    """(a write-a-letter form, its page's name): a form with a text area on a page whose own title or
    heading names a consultation channel (a 网站纠错 form or a search box is not one)."""
    tree = _form_tree(html)
    if tree is None:
        return False, ""
    names = [_WS.sub("", n.text()) for sel in ("title", "h1", "h2", "h3") for n in tree.css(sel)]
    for name in names:
        for part in _TITLE_SEP.split(name):
            kind, _ = classify(part, "")
            if kind == W.CONSULTATION or (kind is None and _FORM_WORDS.search(part) and len(part) <= W.MAX_LINK_TEXT):
                return True, part
    return False, ""


def _form_tree(html: str) -> LexborHTMLParser | None:
    """The parsed page when it holds a form with a text area to write in, else None."""
    low = html.lower()
    if "<form" not in low or "<textarea" not in low:
        return None
    tree = LexborHTMLParser(html)
    return tree if any(f.css_first("textarea") is not None for f in tree.css("form")) else None


def has_letter_form(html: str) -> bool:
    """A form with a text area (for a page already named as a consultation channel)."""
    return _form_tree(html) is not None


def by_content(snapshot: SiteSnapshot) -> list[Channel]:
    """Crawled pages that are consultation channels by what they hold, whatever their links are called:
    a page listing letters (its links lead to pages with 提交/回复 dates), or a write-a-letter form."""
    letters: set[str] = set()
    pages = [p for p in snapshot.pages.values() if p.is_html and p.ok]
    for p in pages:
        text = p.text
        if ("时间" in text or "日期" in text) and is_letter_page(_WS.sub("", _TAGS.sub(" ", text))):
            letters.add(p.url)
            letters.add(p.final_url)
    out: list[Channel] = []
    for p in pages:
        if p.url in letters:
            continue
        links = [lk for lk in p.links if lk.kind == "http" and lk.element in ("a", "area")]
        hits = {lk.url for lk in links if lk.url in letters}
        # A list of letters: the page's own list is mostly letters (a home page's 最新来信 box beside its
        # news list does not make the home page a board).
        if hits and _mostly_letters(p.text, p.final_url, letters):
            name = _page_name(p.title) or (urlsplit(p.final_url).path or p.final_url)
            out.append(Channel(name, p.final_url, W.CONSULTATION, p.final_url, via="content"))
            continue
        form, name = is_letter_form(p.text)
        if form:
            out.append(Channel(name, p.final_url, W.CONSULTATION, p.final_url, via="content", form=True))
    return out


def _mostly_letters(html: str, url: str, letters: set[str]) -> bool:
    linked = [r.link for r in parse_list(html, url).rows if r.link]
    mine = sum(1 for u in linked if u in letters)
    return mine > 0 and 2 * mine >= len(linked)


_TAGS = re.compile(r"(?is)<script.*?</script>|<style.*?</style>|<[^>]+>")


def _page_name(title: str) -> str:
    parts = [t.strip(" []【】") for t in _TITLE_SEP.split(title or "") if t.strip()]
    return parts[0] if parts else ""


# ---- activity sections of a hub page ------------------------------------------------------------

_SECTION_CLIMB = 4  # levels from a section's heading up to the block that holds its list


@dataclass(slots=True)
class Section:
    """A block of a hub page headed 调查征集 or 在线访谈 that lists its items itself."""

    kind: str
    name: str
    page: str
    rows: list[Row]


def _own_text(node: LexborNode) -> str:
    return _WS.sub("", node.text(deep=True))


def activity_sections(html: str, url: str, as_of: date | None = None) -> list[Section]:
    """Survey and interview blocks of a page: a short heading that names the kind, and the dated list
    in the smallest block around it that holds no other channel's heading."""
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return []
    heads: list[tuple[LexborNode, str, str]] = []  # (node, kind, text)
    for node in body.traverse():
        if not node.tag or node.tag.startswith("-") or node.tag in ("script", "style", "option", "select"):
            continue
        text = _own_text(node)
        if not text or len(text) > W.MAX_SECTION_HEAD:
            continue
        kind, how = classify(text, "")
        if kind is None or how != "text":
            continue
        if any(_own_text(c) == text for c in node.iter() if c.tag and not c.tag.startswith("-")):
            continue  # the innermost element that carries the heading
        heads.append((node, kind, text))
    out: list[Section] = []
    for node, kind, text in heads:
        if kind not in (W.SURVEY, W.INTERVIEW):
            continue
        # Headings of other blocks; the heading's own wrapper (div.tit around span) is not one.
        others = [h for h, _, _ in heads if h is not node and not _contains(h, node) and not _contains(node, h)]
        block = node.parent
        for _ in range(_SECTION_CLIMB):
            if block is None or block.tag in ("body", "html"):
                break
            if any(_contains(block, o) for o in others):
                break  # the block has grown into a neighbouring section
            rows = [r for r in parse_list(block.html or "", url, as_of).rows if r.asked is not None and r.link]
            if rows:
                out.append(Section(kind, text, url, rows))
                break
            block = block.parent
    return out


def _contains(block: LexborNode, node: LexborNode) -> bool:
    up = node.parent
    while up is not None:
        if up.mem_id == block.mem_id:
            return True
        up = up.parent
    return False
