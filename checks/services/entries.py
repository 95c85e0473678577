"""Service and bonus entries found in the crawled pages' links, and 政策解读 pages' links to their policy.

Every entry is a (page, link) pair seen in the crawl, so each verdict shows where it was read.
The vocabularies are ours (extendable by option); the items they stand for are the 2019 bonus part's
as far as secondary copies name them (docs/standards.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from govaudit.model import Link, Page, SiteSnapshot

# kind -> (link-text pattern, URL pattern or None)
ENTRY_WORDS: dict[str, tuple[str, str | None]] = {
    # a link to the unified 政务服务 platform, or a service hall of the site itself
    "service": (r"办事服务|网上办事|政务服务|办事大厅|一网通办|在线服务|便民服务|我要办", r"zwfw|zwdt|banshi|bsfw"),
    # a service that can be applied for online (not only read about)
    "online": (r"在线办理|网上办理|在线申报|网上申报|在线申请|网上申请|立即办理|我要办理|在线预约", None),
    # the unified 政务服务网 (followed when the crawl scope includes it)
    "portal": (r"政务服务网|政务服务平台|网上办事大厅|一网通办", r"zwfw|zwdt"),
    "data_open": (r"数据开放|开放数据|公共数据开放|政务数据开放", r"^https?://(?:data|opendata)\."),
    "response": (r"回应关切|热点回应|回应社会关切|舆情回应", None),
    "smart_qa": (r"智能问答|智能客服|智能咨询|在线客服|智能机器人", None),
}
_INTERPRET_TITLE = re.compile(r"解读|答问|问答|一图读懂|图解")
_POLICY_NAME = re.compile(r"《([^》]{4,80})》")
_ORIGINAL_TEXT = re.compile(r"原文|政策原文|相关文件|文件原文|原件")
_LIST_PATH = re.compile(r"/(?:index|default|list)(?:_\d+)?\.\w+$|/$", re.I)


@dataclass(slots=True)
class Entry:
    kind: str
    page: str
    target: str
    text: str


def find_entries(snapshot: SiteSnapshot, words: dict[str, tuple[str, str | None]] | None = None,
                 limit: int = 20) -> dict[str, list[Entry]]:
    """The first `limit` links of each kind, home page first, then in crawl order."""
    vocab = {k: (re.compile(t), re.compile(u, re.I) if u else None) for k, (t, u) in (words or ENTRY_WORDS).items()}
    out: dict[str, list[Entry]] = {k: [] for k in vocab}
    seen: set[tuple[str, str]] = set()
    home = snapshot.home
    pages = ([home] if home else []) + [p for p in snapshot.pages.values() if p is not home]
    for page in pages:
        for link in page.links:
            if link.element not in ("a", "area") or link.kind != "http":
                continue
            for kind, (text_re, url_re) in vocab.items():
                if len(out[kind]) >= limit or (kind, link.url) in seen:
                    continue
                if text_re.search(link.text or "") or (url_re is not None and url_re.search(link.url)):
                    seen.add((kind, link.url))
                    out[kind].append(Entry(kind, page.url, link.url, (link.text or "")[:80]))
    return out


@dataclass(slots=True)
class Interpretation:
    url: str
    title: str
    policy: str = ""  # the policy's name in 《》 when the title gives one
    linked_to: str = ""  # the link that leads to the policy, when found
    candidates: list[str] = field(default_factory=list)


def interpretations(snapshot: SiteSnapshot) -> list[Interpretation]:
    """政策解读 article pages and whether each links to the policy it interprets.

    A link counts when its text names the policy (its 《name》, or 原文 / 相关文件), or when it
    leads to a crawled page whose title carries the policy's name.
    """
    titles = {p.url: p.title for p in snapshot.pages.values() if p.ok and p.is_html}
    out: list[Interpretation] = []
    for page in snapshot.pages.values():
        if not (page.ok and page.is_html) or page is snapshot.home:
            continue
        title = page.title or ""
        if not _INTERPRET_TITLE.search(title) or _LIST_PATH.search(urlsplit(page.url).path):
            continue
        name_match = _POLICY_NAME.search(title)
        item = Interpretation(page.url, title, name_match.group(1) if name_match else "")
        for link in page.links:
            if _leads_to_policy(link, item, titles):
                item.linked_to = link.url
                break
        out.append(item)
    return sorted(out, key=lambda i: i.url)


def _leads_to_policy(link: Link, item: Interpretation, titles: dict[str, str]) -> bool:
    if link.element != "a" or link.kind != "http" or link.url == item.url:
        return False
    text = link.text or ""
    if item.policy and item.policy in text:
        return True
    if _ORIGINAL_TEXT.search(text):
        return True
    target_title = titles.get(link.url, "")
    return bool(item.policy) and item.policy in target_title and not _INTERPRET_TITLE.search(target_title)


def html_pages(snapshot: SiteSnapshot) -> list[Page]:
    return [p for p in snapshot.pages.values() if p.ok and p.is_html]
