"""Lists on a page and the date each list item carries.

A list item is the element that repeats. For every link with text we walk up a few ancestors and
keep the level where it has the most siblings of the same tag that also carry links: an `li` among
`li`s, a `tr` among `tr`s, a `table` per item in old layouts, or bare `a`s side by side. An element
holding many links, or a list of its own (a whole home-page block), is a container, never an item.

An item's date is read from the item's text with its title link's text taken out, so a date inside
a title ("关于做好2026年12月31日前…") never counts; a date styled inside the link in its own element
(`<a>标题<span>2026-11-19</span></a>`) does. Header dates ("今天是…") and copyright years are not
in list items, so they are never read. Year-less dates (`[11-19]`) count only when they stand
alone in the item (bracketed, or the item's only text besides its title): elsewhere `3.5` or `1/2`
would pass for dates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from selectolax.lexbor import LexborNode

from govaudit.crawl.urls import classify, normalize_url
from govaudit.dates import FoundDate, find_dates, find_split_date, infer_year, normalise, year_reference

MAX_LEVELS = 6  # ancestors examined above a link when looking for the repeating element
MAX_ITEM_LINKS = 4  # an element with more links than this is a container, not an item
LIST_TAGS = frozenset({"ul", "ol", "tbody", "table", "dl"})  # a single item is a list only inside these
_DATE_TAGS = frozenset({"span", "em", "i", "font", "b", "small", "time", "div", "p", "strong", "label", "td"})
_BRACKETS = "[]()（）【】〔〕<>《》"
_STRIP = re.compile(r"[\s\[\]()（）【】〔〕<>《》]+")
_WS = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_BARE_TEXT_CAP = 200  # characters read after a bare-link item when looking for its date
TITLE_MIN = 6  # characters of an item title; shorter script links are buttons (展开, 打印)
_DATE_LABEL = re.compile(r"^[\u4e00-\u9fff]{1,4}[:：]?$")
_NO_TARGET = re.compile(r"^\s*(?:javascript:|#|$)", re.I)
# `标题(2020-12-30)`: a CMS printing the date in brackets at the end of the title's own element.
_TRAILING_DATE = re.compile(r"[(（\[【]\s*([^()（）\[\]【】]{6,24}?)\s*[)）\]】]\s*$")
_CARD_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "em")


@dataclass(slots=True)
class ListItem:
    title: str
    url: str  # absolute and normalised
    date: date | None = None
    date_text: str = ""  # the date as written on the page
    has_year: bool = True


@dataclass(slots=True)
class HtmlList:
    items: list[ListItem]
    container: LexborNode  # the element whose children are the items
    item_nodes: list[LexborNode] = field(default_factory=list)

    @property
    def dated(self) -> list[ListItem]:
        return [i for i in self.items if i.date is not None]

    @property
    def yearless(self) -> list[ListItem]:
        """Items that show a date without its year (`[11-30]`) and that nothing on the page dates."""
        return [i for i in self.items if i.date is None and i.date_text and not i.has_year]

    @property
    def describe(self) -> str:
        """`ul.list`-style label of the container, for reports and debugging."""
        cls = (self.container.attributes.get("class") or "").split()
        return self.container.tag + ("." + ".".join(cls[:2]) if cls else "")


def collapse(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def node_text(node: LexborNode) -> str:
    return collapse(node.text(deep=True, separator=" "))


def link_url(node: LexborNode, base: str) -> str | None:
    """The absolute http(s) URL of an `a`, or None for javascript:, #, mailto: and bad hrefs."""
    raw = node.attributes.get("href")
    if raw is None:
        return None
    kind, cleaned = classify(raw)
    if kind != "http":
        return None
    return normalize_url(cleaned, base)


def find_lists(root: LexborNode, base: str, as_of: date, year_ref: date | None = None) -> list[HtmlList]:
    """Every list under `root`, in document order, with each item's title, URL and date. Year-less
    dates get their year from the list's dated neighbours, else the page's own dated items, else
    `year_ref` (the page's Last-Modified); with none of them they stay undated (see _years)."""
    lists = _find_lists(root, base, as_of)
    lists += _linkless_lists(root, base, as_of, {n.mem_id for lst in lists for n in lst.item_nodes})
    _years(lists, as_of, year_ref)
    return lists


ROW_TAGS = {"tbody": "tr", "table": "tr", "ul": "li", "ol": "li"}
MIN_ROWS = 2


def _linkless_lists(root: LexborNode, base: str, as_of: date, taken: set[int]) -> list[HtmlList]:
    """Lists whose items are no links at all: rows of a title and a date in table cells or list
    items (`<tr><td>关于…的通知</td><td>2020-11-02</td></tr>`). Without them the page's footer links
    would pass for the column's items. A row counts when it holds no usable link, a date, and a
    title of its own; most rows of the container must."""
    out: list[HtmlList] = []
    for container in root.css("tbody, table, ul, ol"):
        row_tag = ROW_TAGS[container.tag or ""]
        rows = [c for c in _children(container) if c.tag == row_tag]
        if len(rows) < MIN_ROWS or any(r.mem_id in taken for r in rows):
            continue
        items: list[ListItem] = []
        nodes: list[LexborNode] = []
        for row in rows:
            if any(link_url(a, base) is not None for a in row.css("a[href]")) or row.css_first("table, ul, ol"):
                continue
            text = normalise(node_text(row))
            found = next((f for f in find_dates(text, as_of) if f.has_year), None)
            if found is None:
                continue
            title = collapse((text[:found.start] + " " + text[found.end:]).strip(" []()（）【】|-—:："))
            if len(title) < TITLE_MIN or _DIGIT.sub("", title) == "":
                continue
            item = ListItem(title=title[:200], url=base, date=found.value, date_text=found.text)
            items.append(item)
            nodes.append(row)
        if len(items) >= MIN_ROWS and len(items) >= 0.6 * len(rows):
            out.append(HtmlList(items=items, container=container, item_nodes=nodes))
    return out


def _children(node: LexborNode) -> list[LexborNode]:
    out: list[LexborNode] = []
    child = node.child
    while child is not None:
        if child.tag not in ("-text", "-comment", None):
            out.append(child)
        child = child.next
    return out


def _years(lists: list[HtmlList], as_of: date, year_ref: date | None) -> None:
    """Give each year-less item (`[11-30]`) a year it can be shown to have. The parser read it as the
    latest such day up to as-of; that guess is kept only when evidence on the page supports a year:
    the nearest item of the same list that writes its year (the closest such day to it, so `12-31`
    beside `2021-01-02` is 2020), else the closest such day to the newest dated item on the page, else
    the latest such day not after the page's Last-Modified date. Without evidence the date is unknown, never "this year": a
    site frozen since 2020 must not pass 首页不更新 on `11-30`."""
    page_dates = [i.date for lst in lists for i in lst.items if i.date is not None and i.has_year and i.date <= as_of]
    page_ref = max(page_dates, default=None)
    for lst in lists:
        full = [(n, i.date) for n, i in enumerate(lst.items) if i.date is not None and i.has_year]
        for n, item in enumerate(lst.items):
            if item.date is None or item.has_year:
                continue
            month, day = item.date.month, item.date.day
            if full:
                near = min(full, key=lambda t: abs(t[0] - n))[1]
                item.date = infer_year(month, day, year_reference(near, as_of))
            elif page_ref is not None:
                item.date = infer_year(month, day, year_reference(page_ref, as_of))
            elif year_ref is not None:
                item.date = infer_year(month, day, min(year_ref, as_of))  # nothing after the last change
            else:
                item.date = None


def _find_lists(root: LexborNode, base: str, as_of: date) -> list[HtmlList]:
    anchors: list[tuple[LexborNode, str, str]] = []
    for a in root.css("a[href]"):
        text = node_text(a)
        url = link_url(a, base)
        if url is None and len(text) >= TITLE_MIN and _NO_TARGET.match(a.attributes.get("href") or ""):
            # A list whose items open by script (`href="javascript:;"`) is still the column's list;
            # without its items the page's footer links would pass for them. They stand for the page.
            url = base
        if url is not None and len(text) >= 2:
            anchors.append((a, text, url))

    # Pass 1: for every level above every link, which distinct elements repeat under one parent.
    members: dict[tuple[int, str], dict[int, LexborNode]] = defaultdict(dict)
    parents: dict[tuple[int, str], LexborNode] = {}
    link_count: dict[int, int] = defaultdict(int)
    chains: list[list[tuple[tuple[int, str], LexborNode]]] = []
    for a, _, _ in anchors:
        chain: list[tuple[tuple[int, str], LexborNode]] = []
        node: LexborNode | None = a
        for _ in range(MAX_LEVELS):
            if node is None:
                break
            parent = node.parent
            if parent is None or parent.tag in ("html", "-document", None):
                break
            key = (parent.mem_id, node.tag or "")
            members[key][node.mem_id] = node
            parents[key] = parent
            link_count[node.mem_id] += 1
            chain.append((key, node))
            if parent.tag == "body":
                break
            node = parent
        chains.append(chain)

    def size(key: tuple[int, str], containers: set[int]) -> int:
        group = members[key]
        small = sum(1 for m in group if link_count[m] <= MAX_ITEM_LINKS and m not in containers)
        if len(group) >= 2 and small >= 0.8 * len(group):
            return len(group)
        if len(group) == 1 and small == 1 and (parents[key].tag or "") in LIST_TAGS:
            return 1
        return 0

    # An element that holds a list of its own (a block with its `ul`) is never an item, however
    # few links it has; links side by side inside one item (title + download) do not count.
    containers: set[int] = set()
    for key in members:
        if key[1] != "a" and len(members[key]) >= 2 and size(key, set()):
            node = parents[key]
            for _ in range(MAX_LEVELS + 1):
                if node is None or node.mem_id in containers:
                    break
                containers.add(node.mem_id)
                node = node.parent

    # Pass 2: each link belongs to the level with the most items (ties: the outer level).
    sizes: dict[tuple[int, str], int] = {}
    chosen: dict[tuple[int, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    order: list[tuple[int, str]] = []
    for idx, chain in enumerate(chains):
        best: tuple[int, int] = (0, -1)
        for level, (key, _) in enumerate(chain):
            if key not in sizes:
                sizes[key] = size(key, containers)
            if sizes[key] and (sizes[key], level) >= best:
                best = (sizes[key], level)
        if best[1] < 0:
            continue
        key, item = chain[best[1]]
        if key not in chosen:
            order.append(key)
        chosen[key][item.mem_id].append(idx)

    out: list[HtmlList] = []
    for key in order:
        group = members[key]
        item_ids = [m for m in group if m in chosen[key]]  # dict order = document order
        is_bare = key[1] == "a"
        items: list[ListItem] = []
        nodes: list[LexborNode] = []
        for mem in item_ids:
            node = group[mem]
            links = [anchors[i] for i in chosen[key][mem]]
            title_node, title, url = max(links, key=lambda t: len(t[1]))
            if is_bare:
                found = _bare_item_date(node, set(item_ids), as_of)
            else:
                found = item_date(node, title_node, title, as_of)
            if found is None:
                found = _trailing_date(title_node, as_of)
            item = ListItem(title=title, url=url)
            if found is not None:
                item.date, item.date_text, item.has_year = found.value, found.text, found.has_year
            items.append(item)
            nodes.append(node)
        out.append(HtmlList(items=items, container=parents[key], item_nodes=nodes))
    return out


def item_date(item: LexborNode, title_node: LexborNode, title: str, as_of: date) -> FoundDate | None:
    """The date of one list item: outside its title, or in a date element inside the title link."""
    full = node_text(item)
    outside = full.replace(title, " ", 1) if title else full
    found = date_in(outside, as_of)
    if found is not None:
        return found
    for el in title_node.css("*"):
        if el.tag in _DATE_TAGS:
            text = node_text(el)
            if 0 < len(text) <= 30:
                inner = date_in(text, as_of)
                if inner is not None and _only_date(normalise(text), inner):
                    return inner
    return None


def date_in(text: str, as_of: date) -> FoundDate | None:
    """The first date of an item's text (title removed): full dates anywhere, year-less ones only
    when they stand alone, and last a date split over two elements."""
    if not text or _DIGIT.search(text) is None:
        return None
    # find_dates reports offsets in the NFKC form; read them on that same string ("…" is 3 chars there).
    text = normalise(text)
    for found in find_dates(text, as_of):
        if found.has_year or _stands_alone(text, found):
            return found
    return find_split_date(text)


def _stands_alone(text: str, found: FoundDate) -> bool:
    before = text[found.start - 1] if found.start > 0 else ""
    after = text[found.end] if found.end < len(text) else ""
    if before and before in _BRACKETS and after and after in _BRACKETS:
        return True
    return _STRIP.sub("", text) == _STRIP.sub("", found.text)


def _only_date(text: str, found: FoundDate) -> bool:
    """The element holds the date and at most a short label (发布时间：, 日期：, a CMS's 日间：)."""
    rest = _STRIP.sub("", text.replace(found.text, "", 1))
    return not rest or bool(_DATE_LABEL.match(rest))


def _bare_item_date(node: LexborNode, items: set[int], as_of: date) -> FoundDate | None:
    """Links side by side (`<a>…</a> 2026-11-19<br>`): the date is in the text after the link,
    up to the next item link, or failing that in the text before it."""
    for step in ("next", "prev"):
        pieces: list[str] = []
        sib = getattr(node, step)
        read = 0
        while sib is not None and sib.mem_id not in items and read < _BARE_TEXT_CAP:
            if sib.tag == "a" and len(node_text(sib)) >= TITLE_MIN:
                break  # another item's title (a script link, not one of ours): its date is its own
            text = (sib.text_content or "") if sib.tag == "-text" else node_text(sib)
            pieces.append(text)
            read += len(text)
            sib = getattr(sib, step)
        if step == "prev":
            pieces.reverse()
        found = date_in(collapse(" ".join(pieces)), as_of)
        if found is not None:
            return found
    return None


def _trailing_date(title_node: LexborNode, as_of: date) -> FoundDate | None:
    """A full date in brackets closing the title link's text or one of its own elements
    (`<a><h3>标题(2020-12-30)</h3><p>摘要</p></a>`): the CMS's date of the item, not words of the
    title. Only dates with a year; a year-less `(3-5)` may be a title's numbering."""
    nodes = [title_node, *(el for el in title_node.css(",".join(_CARD_TAGS)))]
    for el in nodes[:12]:
        text = normalise(node_text(el))
        match = _TRAILING_DATE.search(text)
        if match is None:
            continue
        inner = match.group(1)
        for found in find_dates(inner, as_of):
            if found.has_year and _STRIP.sub("", inner) == _STRIP.sub("", found.text):
                return found
    return None
