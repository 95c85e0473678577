"""What the freshness check needs from one page, read in one parse.

Lists (with item dates), home-page style blocks (a heading, a list, a 更多 link), navigation menus,
the names a page gives itself (meta ColumnName, breadcrumb, h1, title), an "empty column" marker
(暂无信息 …), the list's total when the pager states it (共23条), and whether the page reads as an
article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from govaudit.checks.freshness.listdates import HtmlList, collapse, find_lists, link_url, node_text
from selectolax.lexbor import LexborHTMLParser, LexborNode

from govaudit.crawl.extract import defuse, is_inside  # the crawler's guard against quadratic markup
from govaudit.crawl.urls import normalize_url

# Phrases a CMS prints on a column page that has nothing in it (有栏目无内容).
EMPTY_MARKERS = (
    "暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无相关信息", "暂无相关内容", "暂无文章", "暂无新闻",
    "暂无公告", "暂无通知", "暂无文件", "没有信息", "没有记录", "没有数据", "无相关信息", "无相关记录",
    "信息正在更新", "栏目建设中", "正在建设中", "内容正在完善", "共0条", "共 0 条", "no records", "no data",
)
_MORE = re.compile(r"^[\s+＋>》»]*(?:更多|more|查看更多|更多信息|更多内容)?[\s+＋>》»]*$", re.I)
_HEADING_CLASS = re.compile(r"(?:^|[\s_-])(?:tit|title|hd|head|header|bt|name|lm|lanmu|column)", re.I)
_CRUMB_LABELS = ("当前位置", "您的位置", "您现在的位置", "您当前的位置", "所在位置", "现在位置", "当前栏目")
_CRUMB_SPLIT = re.compile(r"\s*(?:>|＞|»|›|→|/|＞＞|>>)\s*|\s+[-－—]\s+")  # `首页 - 新闻报道 - 电视报道` too
_CRUMB_LEAD = re.compile(r"^\s*是?\s*[:：]?\s*")
_GENERIC = frozenset({"正文", "列表", "详情", "首页", "内容", "信息", "列表页", "详细"})
_TOTAL = re.compile(r"共\s*有?\s*(\d{1,7})\s*条")
_PAGER_WORDS = re.compile(r"^(?:\d+|下一页|上一页|下页|上页|尾页|末页|首页|第\s*\d+\s*页|next|prev|previous|last|first|»|«|>|<)$", re.I)
ARTICLE_URL = re.compile(
    r"(?:/t?\d{8}_\d+\.\w+$|/20\d{4}/|/(?:19|20)\d{2}[-/]\d{1,2}(?:[-/]\d{1,2})?/|\d{6,}\.\w+$"
    r"|[0-9a-f]{16,}\.\w+$|[?&](?:id|articleid|aid|contentid|docid|newsid|infoid|itemid)=\w"
    r"|/(?:art|article|content|contents|detail|details|show|view|info|news)[/_-]\w*\d)",
    re.I,
)
_INDEX_URL = re.compile(r"(?:/|/(?:index|default|list|main)(?:_\d+)?\.\w+)$", re.I)
_ARTICLE_LABEL = re.compile(r"(?:发布时间|发布日期|发文日期|发稿时间|成文日期)\s*[:：]?\s*\d")
MENU_TEXT_MAX = 16
MAX_BLOCK_LISTS = 200  # lists examined for a heading / 更多 link on one page
_MORE_WORDS = re.compile(r"更多|more|[>》»+＋]", re.I)


@dataclass(slots=True)
class Block:
    """A home-page style block: a heading, a list and usually a 更多 link to the column."""

    name: str
    url: str | None  # the 更多 link, else the heading's own link
    items: HtmlList


@dataclass(slots=True)
class PageFacts:
    url: str
    lists: list[HtmlList]
    blocks: list[Block] = field(default_factory=list)
    menus: list[tuple[str, str]] = field(default_factory=list)  # (url, link text) of menu entries
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased names
    title: str = ""
    h1: str = ""
    crumb: str = ""  # the last breadcrumb entry
    trail: list[str] = field(default_factory=list)  # the breadcrumb's entries above it
    empty_marker: str | None = None
    total: int | None = None  # what the pager says the list holds
    articleish: bool = False  # reads as one article: ArticleTitle / PubDate meta, or a single 发布时间
    text: str = ""  # the body's text, collapsed (for article-date reading)

    def names(self) -> list[str]:
        """The names this page gives itself, most trusted first."""
        out = [self.meta.get("columnname", ""), self.crumb, self.h1]
        title = re.split(r"[_|\-–—－]", self.title, maxsplit=1)[0].strip() if self.title else ""
        out.append(title)
        return [n for n in (collapse(x) for x in out) if n and len(n) <= 30 and n not in _GENERIC]


def analyse(html: str, url: str, as_of: date, year_ref: date | None = None) -> PageFacts:
    """Everything `PageFacts` holds, from one parse. Never raises on odd markup. `year_ref` (the
    page's Last-Modified) dates year-less items when the page itself shows no year."""
    tree = LexborHTMLParser(defuse(html))
    for junk in tree.css("script, style, noscript, template"):
        junk.decompose()
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = normalize_url(base_node.attributes.get("href") or "", url) or url
    root = tree.body or tree.root
    meta = _meta(tree)
    if root is None:
        return PageFacts(url=url, lists=[], meta=meta)
    lists = find_lists(root, base, as_of, year_ref)
    text = node_text(root)
    facts = PageFacts(url=url, lists=lists, meta=meta)
    title_node = tree.css_first("title")
    facts.title = node_text(title_node) if title_node is not None else ""
    h1 = tree.css_first("h1")
    facts.h1 = node_text(h1) if h1 is not None else ""
    facts.crumb, facts.trail = _crumb(root)
    facts.text = text
    facts.empty_marker = next((m for m in EMPTY_MARKERS if m in text), None) or _empty_list(root, facts.crumb)
    facts.total = _total(text, lists)
    # The 2017 guideline puts ArticleTitle and PubDate on article pages and ColumnName alone on
    # column pages; a list page may repeat 发布时间 per item, an article shows it once.
    labels = len(_ARTICLE_LABEL.findall(text))
    facts.articleish = bool(meta.get("articletitle")) or (
        not meta.get("columnname") and not meta.get("columntype") and (bool(meta.get("pubdate")) or labels == 1))
    facts.blocks = _blocks(lists, base)
    facts.menus = _menus(lists, url)
    return facts


_SITEMAP_TEXT = re.compile(r"^\s*(?:网站地图|站点地图|网站导航|Site\s*Map)\s*$", re.I)


def banners_and_sitemap(html: str, page_url: str) -> tuple[list[tuple[str, str]], str | None]:
    """Image links to pages of this site (banners of 专题专栏, picture menus) with their alt text,
    and the link to the site map; neither is a list, so the list finder never sees them. Read for
    the home page alone (one more parse per audit, not one per analysed page)."""
    tree = LexborHTMLParser(defuse(html))
    root = tree.body or tree.root
    if root is None:
        return [], None
    base_node = tree.css_first("base[href]")
    base = (normalize_url(base_node.attributes.get("href") or "", page_url) or page_url) if base_node else page_url
    host = urlsplit(page_url).netloc
    banners: list[tuple[str, str]] = []
    sitemap: str | None = None
    for a in root.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        target = normalize_url(href, base) if href else None
        if target is None or urlsplit(target).netloc != host:
            continue
        if sitemap is None and _SITEMAP_TEXT.match(node_text(a)):
            sitemap = target
            continue
        img = a.css_first("img")
        if img is None or node_text(a) or ARTICLE_URL.search(target):
            continue
        alt = (img.attributes.get("alt") or img.attributes.get("title") or a.attributes.get("title") or "").strip()
        banners.append((target, alt[:60]))
        if len(banners) >= 200:
            break
    return banners, sitemap


EMPTY_LIST = "an empty list under the column's heading"
_LIST_BOXES = frozenset({"ul", "ol", "tbody", "table", "dl"})


def _empty_list(root: LexborNode, name: str) -> str | None:
    """`<h1>政策解读</h1><ul></ul>`: the column's heading (its breadcrumb name) followed by a list
    element with nothing in it — a column that was set up and never filled (有栏目无内容)."""
    if not name:
        return None
    for h in root.css("h1, h2, h3, h4, [class]"):
        if h.tag not in ("h1", "h2", "h3", "h4") and not _HEADING_CLASS.search(h.attributes.get("class") or ""):
            continue
        if node_text(h) != name:
            continue
        sib, seen = h.next, 0
        while sib is not None and seen < 3:
            if sib.tag in ("-text", "_comment", "-comment") or sib.tag is None:
                if (sib.text_content or "").strip():
                    break
                sib = sib.next
                continue
            seen += 1
            if sib.tag in _LIST_BOXES and not node_text(sib) and sib.css_first("img, a, input") is None:
                return EMPTY_LIST
            if node_text(sib):
                break
            sib = sib.next
    return None


def _total(text: str, lists: list[HtmlList]) -> int | None:
    """The list's size as its pager states it (共23条), never read from an item's title (a title
    may say 共10条措施)."""
    titles = [i.title for lst in lists for i in lst.items]
    for found in _TOTAL.finditer(text):
        if not any(found.group(0) in t for t in titles):
            return int(found.group(1))
    return None


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or attrs.get("http-equiv") or "")
        key = key.strip().lower()
        if key and key not in out:
            out[key] = collapse(attrs.get("content"))
    return out


def _crumb(root: LexborNode) -> tuple[str, list[str]]:
    """The last entry of a 当前位置 breadcrumb ("" when none) and the entries above it."""
    for node in root.traverse(include_text=True):
        if node.tag != "-text":
            continue
        raw = node.text_content or ""
        label = next((lab for lab in _CRUMB_LABELS if lab in raw), None)
        if label is None:
            continue
        # Grow from the label's element while the text stays breadcrumb-sized, and stop at the first
        # element that holds the trail's links (a short page's wrapper would add its h1 and body).
        holder, text = node.parent, ""
        while holder is not None and holder.tag not in ("body", "html"):
            candidate = node_text(holder)
            if len(candidate) > 120:
                break
            text = candidate
            if holder.css_first("a") is not None and label in text and text.split(label, 1)[1].strip(":： "):
                break
            holder = holder.parent
        if label not in text:
            continue
        trail = _CRUMB_LEAD.sub("", text.split(label, 1)[1])  # 您现在的位置是：…
        parts = [p for p in _CRUMB_SPLIT.split(trail) if p.strip()]
        if parts:
            last = parts[-1].strip()
            return ("" if last in _GENERIC else last), [p.strip() for p in parts[:-1]]
    return "", []


def is_more_link(node: LexborNode) -> bool:
    text = node_text(node)
    if not text:
        img = node.css_first("img")
        text = collapse((img.attributes.get("alt") if img is not None else "") or node.attributes.get("title"))
    cls = (node.attributes.get("class") or "").lower()
    if "more" in cls.split() or "more" in cls:
        return True
    return bool(text) and len(text) <= 8 and bool(_MORE.match(text)) and any(c not in " \t" for c in text)




def _blocks(lists: list[HtmlList], base: str) -> list[Block]:
    """For each list, the nearest enclosing element that also holds a heading or a 更多 link."""
    out: list[Block] = []
    # An element enclosing two lists is a region of the page, not one list's block.
    owners: dict[int, set[int]] = {}
    for i, lst in enumerate(lists):
        cur = lst.container.parent
        for _ in range(4):
            if cur is None:
                break
            owners.setdefault(cur.mem_id, set()).add(i)
            cur = cur.parent
    for i, lst in enumerate(lists[:MAX_BLOCK_LISTS]):
        item_ids = {n.mem_id for n in lst.item_nodes}
        node = lst.container
        for _ in range(4):
            parent = node.parent
            if parent is None or parent.tag in ("body", "html") or owners.get(parent.mem_id, {i}) != {i}:
                break
            node = parent
            more = next((a for a in node.css("a[href]")
                         if not _in_items(a, item_ids) and is_more_link(a)), None)
            head = _heading_in(node, item_ids, lst, base)
            if more is None and head is None:
                continue
            name = head[0] if head else ""
            if not name and more is not None:
                name = collapse(_MORE_WORDS.sub("", more.attributes.get("title") or ""))
            url = link_url(more, base) if more is not None else (head[1] if head else None)
            if name or url:
                out.append(Block(name=name, url=url, items=lst))
            break
    return out


def _in_items(node: LexborNode, item_ids: set[int]) -> bool:
    cur: LexborNode | None = node
    while cur is not None:
        if cur.mem_id in item_ids:
            return True
        cur = cur.parent
    return False


def _heading_in(block: LexborNode, item_ids: set[int], lst: HtmlList,
                base: str) -> tuple[str, str | None] | None:
    """(text, link) of the first heading-like element in `block` that is not part of the list."""
    for h in block.css("h1, h2, h3, h4, h5, h6, [class]"):
        is_h = h.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        if not is_h and not _HEADING_CLASS.search(h.attributes.get("class") or ""):
            continue
        if _in_items(h, item_ids) or is_inside(h, lst.container) or is_inside(lst.container, h):
            continue
        anchors = [a for a in h.css("a[href]") if not is_more_link(a)]
        text = node_text(anchors[0]) if anchors else node_text(h)
        text = collapse(_MORE_WORDS.sub(" ", text))
        if not text or len(text) > 20:
            continue
        return text, (link_url(anchors[0], base) if anchors else None)
    return None


def _menus(lists: list[HtmlList], page_url: str) -> list[tuple[str, str]]:
    """Entries of navigation menus: lists of short, undated link texts to pages of this site."""
    host = urlsplit(page_url).netloc
    out: list[tuple[str, str]] = []
    for lst in lists:
        if lst.dated:
            continue
        items = [i for i in lst.items if not _PAGER_WORDS.match(i.title)]  # 首页, 下一页 … are no entries
        if len(items) < 3:
            continue
        short = [i for i in items if 2 <= len(i.title) <= MENU_TEXT_MAX]
        if len(short) < 0.8 * len(items):
            continue
        same = [i for i in short if urlsplit(i.url).netloc == host]
        if len(same) < 0.6 * len(items):
            continue
        if sum(1 for i in same if ARTICLE_URL.search(i.url)) > 0.4 * len(same):
            continue
        out.extend((i.url, i.title) for i in same)
    return out


def is_index_url(url: str) -> bool:
    return bool(_INDEX_URL.search(urlsplit(url).path or "/"))
