"""Soft 404s: a page that answers 200 but says it does not exist, by its wording or by matching
what the site answers for a path that cannot exist (its fingerprint)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from govaudit.crawl.urls import origin_of

# Titles and main headings that say "this page does not exist" (Chinese portals and English).
SOFT_404_PHRASES = (
    "页面不存在", "您访问的页面不存在", "访问的页面不存在", "页面已被删除", "页面已删除", "找不到页面",
    "页面找不到", "页面未找到", "未找到页面", "该页面不存在", "网页不存在", "页面无法访问", "信息不存在",
    "文章不存在", "内容不存在", "您要访问的页面", "出错了", "404错误", "错误404",
    "404 not found", "page not found", "not found", "page does not exist", "page cannot be found",
    "no longer available", "404 error", "error 404",
)
_HEADING_RE = re.compile(r"<h([12])\b[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")
HEADING_SCAN_BYTES = 65_536


def says_missing(title: str, html: str) -> str | None:
    """The phrase that marks a 200 page as a soft 404, found in its title or h1/h2."""
    texts = [title]
    for m in _HEADING_RE.finditer(html[:HEADING_SCAN_BYTES]):
        texts.append(_TAG_RE.sub(" ", m.group(2)))
        if len(texts) > 6:
            break
    for t in texts:
        low = _WS_RE.sub(" ", t).strip().lower()
        if not low or len(low) > 120:  # a long title that mentions "not found" is an article
            continue
        for phrase in SOFT_404_PHRASES:
            if phrase in low:
                return phrase
    return None


@dataclass(slots=True)
class Fingerprint:
    """What the site answers for a path that cannot exist, when it answers 200."""

    title: str
    length: int  # characters of the decoded page, the asked path removed

    def matches(self, title: str, length: int) -> bool:
        if _WS_RE.sub(" ", title).strip() != self.title or self.length == 0:
            return False
        return abs(length - self.length) <= max(64, self.length * 0.05)


def length_without(text: str, url: str) -> int:
    """Page length with the URL's path taken out: catch-all pages often echo what was asked."""
    path = "/" + url.split("/", 3)[-1] if url.count("/") >= 3 else "/"
    return len(text) - len(path) * text.count(path)


def soft_404_reason(title: str, html: str, url: str, fingerprints: dict[str, Fingerprint]) -> str | None:
    phrase = says_missing(title, html)
    if phrase:
        return f"answers 200 but says {phrase!r}"
    fp = fingerprints.get(origin_of(url))
    if fp is not None and fp.matches(title, length_without(html, url)):
        return "answers 200 with the same page the site gives for a path that cannot exist"
    return None


_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)


def title_of_text(text: str) -> str:
    m = _TITLE_RE.search(text[:HEADING_SCAN_BYTES])
    return _WS_RE.sub(" ", m.group(1)).strip() if m else ""
