"""Find the citizen channels: links on the home page and on 互动交流-style hub pages, by name and URL.

A channel is classified as 政务咨询 (consultation: mailboxes and message boards, which the veto
reads), 调查征集 (survey), 在线访谈 (interview), or excluded (网上信访, 纪检举报: the standard
says they do not count). Every page searched is recorded, so "no channel" comes with evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from checks.interaction import words as W
from checks.interaction.pages import PageSource
from govaudit.model import Link

_GENERIC_TEXT = frozenset({"", "更多", "更多>>", "更多>", "more", "more>>", "进入", "点击进入", "详情", ">>", "》",
                           "查看更多", "+", "more+", "更多+"})
_WS = re.compile(r"\s+")


@dataclass(slots=True)
class Channel:
    name: str
    url: str
    kind: str  # consultation | survey | interview | excluded
    found_on: str  # the page whose link named it
    via: str = "text"  # text | url | config
    form: bool = False  # a "write a letter" form, not a list of messages
    duplicate_of: str | None = None  # the same board reached under another URL: read once


@dataclass(slots=True)
class Discovery:
    channels: list[Channel] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)  # pages whose links were examined
    unreachable: list[str] = field(default_factory=list)  # hub pages that could not be opened


def classify(text: str, url: str) -> tuple[str | None, str]:
    """(kind, how) for one link: its text decides; the URL only speaks for links without real text."""
    clean = _WS.sub("", text or "")
    if len(clean) > W.MAX_LINK_TEXT:
        return None, ""  # an article title that mentions 留言 is not a channel
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


async def discover(source: PageSource, start_urls: list[str], max_hubs: int = 6, hub_depth: int = 2) -> Discovery:
    """Channels linked from the start pages (the home page) and from hub pages they link, hubs of
    hubs up to `hub_depth`, at most `max_hubs` hub pages."""
    out = Discovery()
    by_url: dict[str, Channel] = {}
    frontier = [(u, 0) for u in start_urls]
    seen: set[str] = set(start_urls)
    hubs_read = 0
    while frontier:
        url, depth = frontier.pop(0)
        links, got = await source.links(url)
        if not got.ok:
            out.unreachable.append(url)
            continue
        out.searched.append(url)
        found, hubs = channels_in(links, got.final_url)
        for ch in found:
            known = by_url.get(ch.url)
            if known is None:
                by_url[ch.url] = ch
                out.channels.append(ch)
            elif known.via == "url" and ch.via == "text":
                known.name, known.kind, known.via, known.form = ch.name, ch.kind, ch.via, ch.form
        if depth >= hub_depth:
            continue
        for hub in hubs:
            if hub not in seen and hubs_read < max_hubs:
                seen.add(hub)
                hubs_read += 1
                frontier.append((hub, depth + 1))
    return out
