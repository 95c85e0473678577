"""Read message lists and message pages: tables, item lists, labelled detail pages, pagers.

Heuristics first, CSS selectors from the site config when given. Everything here is pure (HTML
text in, dataclasses out) so each page shape can be tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from govaudit.checks.interaction import words as W
from govaudit.checks.interaction.siteconfig import DetailSelectors, ListSelectors
from selectolax.lexbor import LexborHTMLParser, LexborNode

from govaudit.crawl.urls import normalize_url
from govaudit.dates import FoundDate, find_dates, year_reference

_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"^\d{1,4}$")
_CELL_TAGS = ("td", "th")
_SECTION_TAGS = ("thead", "tbody", "tfoot")
_NO_LINK = ("javascript:", "#", "mailto:", "tel:")
_STATUS_CHARS = 8  # a status is a short piece of text of its own ("状态：已回复"), never a title


@dataclass(slots=True)
class Row:
    """One message (or one activity) as a list shows it."""

    title: str = ""
    link: str | None = None  # absolute URL of its own page
    asked: datetime | None = None
    replied: datetime | None = None
    status: str = ""
    answered: bool | None = None
    asked_has_time: bool = False
    reply_field: bool = False  # the list has a reply-time place for this row (empty means no reply)


@dataclass(slots=True)
class ListPage:
    rows: list[Row] = field(default_factory=list)
    next_urls: list[str] = field(default_factory=list)  # candidate next pages, best first
    empty: bool = False  # the page says there is nothing to list
    scripted: bool = False  # the page loads or builds content with scripts
    shape: str = ""  # table | items | selectors | "" (nothing found)


@dataclass(slots=True)
class Detail:
    """What a message's own page says."""

    asked: datetime | None = None
    replied: datetime | None = None
    status: str = ""
    answered: bool | None = None
    unit: str = ""
    title: str = ""


def text_of(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return _WS.sub(" ", node.text(separator=" ")).strip()


def dates_in(text: str, as_of: date | None = None) -> list[FoundDate]:
    """Dates written with their year; only when there are none, year-less ones ([11-19]) dated by
    `as_of` — callers pass the page's own year reference (page_year_reference), not the audit's date —
    so "3.15" in a sentence never beats a real date beside it."""
    return find_dates(text) or (find_dates(text, as_of) if as_of is not None else [])


def page_year_reference(text: str, as_of: date | None) -> date | None:
    """The date that dates a page's year-less entries (`11-19`, see dates.year_reference): from the
    newest date the page writes with its year, never after as-of. None when the page writes no year:
    then a year-less date is unknown, never "this year" (a board frozen in 2020 must not read as
    answered last month)."""
    if as_of is None:
        return None
    newest = max((f.value for f in find_dates(text) if f.value <= as_of), default=None)
    return None if newest is None else year_reference(newest, as_of)


def first_datetime(text: str, as_of: date | None = None) -> tuple[datetime | None, bool]:
    """The first date in `text` with its time (midnight when none), and whether a time was written."""
    for found in dates_in(text, as_of):
        return found.datetime, found.time is not None
    return None, False


def _link(node: LexborNode, base: str) -> tuple[str | None, str]:
    """The first followable link at or under `node`: (absolute URL, its text)."""
    for a in ([node] if node.tag == "a" else []) + list(node.css("a[href]")):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.lower().startswith(_NO_LINK):
            continue
        url = normalize_url(href, base)
        if url:
            return url, text_of(a) or (a.attributes.get("title") or "").strip()
    return None, ""


def _elements(node: LexborNode) -> list[LexborNode]:
    return [c for c in node.iter() if c.tag and not c.tag.startswith("-")]


def _table_rows(table: LexborNode) -> list[LexborNode]:
    """The table's own rows (a nested layout table's rows belong to that table)."""
    rows: list[LexborNode] = []
    for child in _elements(table):
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in _SECTION_TAGS:
            rows.extend(c for c in _elements(child) if c.tag == "tr")
    return rows


def _cells(tr: LexborNode) -> list[LexborNode]:
    return [c for c in _elements(tr) if c.tag in _CELL_TAGS]


# ---- list pages -----------------------------------------------------------------------------


def parse_list(html: str, url: str, as_of: date | None = None, selectors: ListSelectors | None = None) -> ListPage:
    """The message rows of a list page, its next-page candidates, and whether it is empty or scripted."""
    tree = LexborHTMLParser(html)
    body = tree.body
    visible = text_of(body) if body is not None else ""
    as_of = page_year_reference(visible, as_of)
    out = ListPage(
        empty=any(w in visible for w in W.EMPTY_TEXT) or bool(W.ZERO_COUNT.search(visible)),
        scripted=bool(W.SCRIPTED.search(html)),
    )
    if selectors is not None and selectors.row:
        out.rows = _rows_by_selectors(tree, url, as_of, selectors)
        out.shape = "selectors" if out.rows else ""
    else:
        best: tuple[int, str, list[Row]] = (0, "", [])
        for shape, rows in _candidates(tree, url, as_of):
            score = sum(2 if r.asked else 0 for r in rows) + sum(1 for r in rows if r.answered is not None)
            if score > best[0]:
                best = (score, shape, rows)
        out.shape, out.rows = best[1], best[2]
    out.next_urls = next_pages(tree, html, url, selectors.next if selectors else None)
    return out


def _candidates(tree: LexborHTMLParser, url: str, as_of: date | None) -> list[tuple[str, list[Row]]]:
    found: list[tuple[str, list[Row]]] = []
    for table in tree.css("table"):
        rows = _table_message_rows(table, url, as_of)
        if rows:
            found.append(("table", rows))
    for group in _item_groups(tree):
        rows = [r for r in (_item_row(n, url, as_of) for n in group) if r is not None]
        if len(rows) >= 1:
            found.append(("items", rows))
    return found


def _table_message_rows(table: LexborNode, url: str, as_of: date | None) -> list[Row]:
    trs = _table_rows(table)
    columns: dict[str, int] = {}
    start = 0
    for i, tr in enumerate(trs[:3]):
        cells = _cells(tr)
        mapped = {}
        for j, cell in enumerate(cells):
            name = W.field_of_label(text_of(cell))
            if name and name not in mapped:
                mapped[name] = j
        header_like = mapped and not any(find_dates(text_of(c)) for c in cells)
        if header_like:
            columns, start = mapped, i + 1
            break
    rows: list[Row] = []
    for tr in trs[start:]:
        cells = _cells(tr)
        if len(cells) < 2 or any(c.css_first("table") for c in cells):
            continue  # a layout row holding another table is not a message
        row = _table_row(tr, cells, columns, url, as_of)
        if row is not None:
            rows.append(row)
    return rows


def _table_row(tr: LexborNode, cells: list[LexborNode], columns: dict[str, int], url: str,
               as_of: date | None) -> Row | None:
    texts = [text_of(c) for c in cells]
    row = Row()

    def col(name: str) -> str | None:
        j = columns.get(name)
        return texts[j] if j is not None and j < len(texts) else None

    if W.ASKED in columns or W.REPLIED in columns:
        asked_text, replied_text = col(W.ASKED), col(W.REPLIED)
        if asked_text:
            row.asked, row.asked_has_time = first_datetime(asked_text, as_of)
        if replied_text is not None:
            row.reply_field = True
            row.replied, _ = first_datetime(replied_text, as_of)
    title_cell = cells[columns[W.TITLE]] if W.TITLE in columns and columns[W.TITLE] < len(cells) else None
    row.link, link_text = _link(title_cell, url) if title_cell is not None else (None, "")
    if row.link is None:
        row.link, link_text = _link(tr, url)
    row.title = link_text or (texts[columns[W.TITLE]] if title_cell is not None else "")
    if W.ASKED not in columns and W.REPLIED not in columns:
        # No headers: dates in cell order, the title's cell last (a title may mention a date).
        titled = [j for j, c in enumerate(cells) if c.css_first("a[href]") is not None or texts[j] == row.title]
        order = [j for j in range(len(cells)) if j not in titled] + titled
        dated = [d for d in (first_datetime(texts[j], as_of) for j in order) if d[0] is not None]
        if dated:
            row.asked, row.asked_has_time = dated[0]
        if len(dated) > 1:
            row.replied = dated[1][0]
    status_text = col(W.STATUS)
    row.status = status_text if status_text is not None else _status_piece(texts, row.title)
    if row.asked is None and not (row.link and W.status_answer(row.status) is not None):
        return None
    _settle(row)
    return row


def _item_groups(tree: LexborHTMLParser) -> list[list[LexborNode]]:
    """Sibling elements that repeat (li, dl, div/p of one class, block links) and each hold a link; in a
    list container (ul, ol) one such item is a list too (a board with one letter)."""
    groups: list[list[LexborNode]] = []
    body = tree.body
    if body is None:
        return groups
    for parent in body.traverse():
        if not parent.tag or parent.tag in ("table", "tr", "tbody", "thead", "script", "style", "select"):
            continue
        by_key: dict[tuple[str, str], list[LexborNode]] = {}
        for child in _elements(parent):
            if child.tag in ("li", "dl", "div", "p", "article", "section", "dd", "a"):
                key = (child.tag, (child.attributes.get("class") or "").strip())
                by_key.setdefault(key, []).append(child)
        least = 1 if parent.tag in ("ul", "ol") else 2
        for (tag, _), items in by_key.items():
            if tag == "a" and not any(n.css_first("h1,h2,h3,h4,h5,h6,p,div,span") for n in items):
                continue  # a run of plain links (a menu) is not a list of block items
            if len(items) >= least and sum(1 for n in items if _has_link(n)) >= least:
                groups.append(items)
    return groups


def _has_link(node: LexborNode) -> bool:
    return (node.tag == "a" and bool(node.attributes.get("href"))) or node.css_first("a[href]") is not None


def _item_row(node: LexborNode, url: str, as_of: date | None) -> Row | None:
    raw = node.text(separator="\n")
    pieces = [p for p in (_WS.sub(" ", s).strip() for s in raw.split("\n")) if p]
    flat = " \n".join(pieces)
    row = Row()
    for m in W.LABELLED_VALUE.finditer(flat):
        name = W.field_of_label(m.group("label"))
        when, has_time = first_datetime(m.group("value"), as_of)
        if name == W.ASKED and row.asked is None:
            row.asked, row.asked_has_time = when, has_time
        elif name == W.REPLIED and not row.reply_field:
            row.reply_field, row.replied = True, when
    row.link, row.title = _link(node, url)
    if row.link is None:
        return None
    if row.asked is None:
        # Unlabelled: dates outside the title first (a title may mention a date), in order.
        outside = " \n".join(p for p in pieces if p != row.title)
        dated = dates_in(outside, as_of) or dates_in(row.title, as_of)
        if not dated:
            return None
        row.asked, row.asked_has_time = dated[0].datetime, dated[0].time is not None
        if len(dated) > 1 and not row.reply_field:
            row.replied = dated[1].datetime
    row.status = _status_piece(pieces, row.title)
    _settle(row)
    return row


def _status_piece(pieces: list[str], title: str) -> str:
    """The short piece of text that states the answer state; the title never does, whatever it says."""
    return next((p for p in pieces if len(p) <= _STATUS_CHARS and p != title and W.status_answer(p) is not None), "")


def _settle(row: Row) -> None:
    """Decide answered from what the row shows: a reply time, else the status words, else an empty
    reply place (the list has a reply column and this row's is blank)."""
    if row.replied is not None:
        row.answered = True
        return
    said = W.status_answer(row.status)
    if said is not None:
        row.answered = said
    elif row.reply_field:
        row.answered = False


def _rows_by_selectors(tree: LexborHTMLParser, url: str, as_of: date | None, sel: ListSelectors) -> list[Row]:
    rows: list[Row] = []
    for node in tree.css(sel.row):
        row = Row()
        if sel.asked:
            row.asked, row.asked_has_time = first_datetime(text_of(node.css_first(sel.asked)), as_of)
        if sel.replied:
            row.reply_field = True
            row.replied, _ = first_datetime(text_of(node.css_first(sel.replied)), as_of)
        if sel.status:
            row.status = text_of(node.css_first(sel.status))
        link_node = node.css_first(sel.link) if sel.link else node
        if link_node is not None:
            if link_node.tag == "a" and link_node.attributes.get("href"):
                row.link = normalize_url((link_node.attributes.get("href") or "").strip(), url)
                row.title = text_of(link_node)
            else:
                row.link, row.title = _link(link_node, url)
        if sel.title:
            row.title = text_of(node.css_first(sel.title)) or row.title
        if row.asked is None and row.link is None:
            continue  # a header or spacer row
        _settle(row)
        rows.append(row)
    return rows


# ---- pagination -----------------------------------------------------------------------------


def next_pages(tree: LexborHTMLParser, html: str, url: str, next_selector: str | None = None) -> list[str]:
    """Where the next list page may be, best guess first: a configured selector, a 下一页 link, the
    TRS createPageHTML pager, then numbered page links in ascending order."""
    out: list[str] = []

    def add(href: str | None) -> None:
        if not href:
            return
        href = href.strip()
        if not href or href.lower().startswith(_NO_LINK):
            return
        target = normalize_url(href, url)
        if target and target != normalize_url(url) and target not in out:
            out.append(target)

    if next_selector:
        for node in tree.css(next_selector):
            add(node.attributes.get("href"))
    numbered: list[tuple[int, str]] = []
    for a in tree.css("a[href]"):
        label = text_of(a).lower() or (a.attributes.get("title") or "").strip().lower()
        if label in W.NEXT_TEXT:
            add(a.attributes.get("href"))
        elif _NUMBER.match(label):
            numbered.append((int(label), a.attributes.get("href") or ""))
    m = W.CREATE_PAGE.search(html)
    if m:
        total, current = int(m.group("total")), int(m.group("current"))
        if current + 1 < total:
            add(f"{m.group('name')}_{current + 1}.{m.group('ext')}")
    for _, href in sorted(numbered):
        add(href)
    return out


# ---- detail pages ---------------------------------------------------------------------------


def parse_detail(html: str, url: str, as_of: date | None = None, selectors: DetailSelectors | None = None) -> Detail:
    """Message time, reply time, status and replying office from a message's own page."""
    tree = LexborHTMLParser(html)
    as_of = page_year_reference(text_of(tree.body) if tree.body is not None else "", as_of)
    out = Detail()
    reply_field = False
    values: dict[str, str] = {}
    if selectors is not None:
        for name in (W.ASKED, W.REPLIED, W.STATUS, W.UNIT):
            css = getattr(selectors, name)
            if css:
                node = tree.css_first(css)
                values[name] = text_of(node)
                if name == W.REPLIED:
                    reply_field = True
    for name, value in _label_pairs(tree).items():
        values.setdefault(name, value)
        if name == W.REPLIED:
            reply_field = True
    body = tree.body
    flat = "\n".join(p for p in (_WS.sub(" ", s).strip() for s in (body.text(separator="\n") if body else "").split("\n")) if p)
    for m in W.LABELLED_VALUE.finditer(flat):
        name = W.field_of_label(m.group("label"))
        if name and name not in values and first_datetime(m.group("value"))[0] is not None:
            values[name] = m.group("value")
        if name == W.REPLIED:
            reply_field = True
    out.asked, _ = first_datetime(values.get(W.ASKED, ""), as_of)
    out.replied, _ = first_datetime(values.get(W.REPLIED, ""), as_of)
    out.status = values.get(W.STATUS, "")
    out.unit = values.get(W.UNIT, "")
    if out.unit in ("-", "—", "无"):
        out.unit = ""
    h1 = tree.css_first("h1")
    out.title = text_of(h1)
    if out.replied is not None:
        out.answered = True
    elif W.status_answer(out.status) is not None:
        out.answered = W.status_answer(out.status)
    elif reply_field or any(w in flat for w in W.NO_REPLY_TEXT):
        out.answered = False
    return out


def _label_pairs(tree: LexborHTMLParser) -> dict[str, str]:
    """Label cell -> value cell: <th>留言时间</th><td>…</td>, <dt>…</dt><dd>…</dd>, <td>label</td><td>…</td>."""
    out: dict[str, str] = {}
    for node in tree.css("th, td, dt, span, label, strong, b, em"):
        label = text_of(node).rstrip(":：")
        if not label or len(label) > 12:
            continue
        name = W.field_of_label(label)
        if name is None or name in out or name == W.TITLE:
            continue
        sibling = node.next
        while sibling is not None and (not sibling.tag or sibling.tag.startswith("-")):
            sibling = sibling.next
        if sibling is None:
            continue
        value = text_of(sibling)
        if name in (W.ASKED, W.REPLIED):
            if first_datetime(value)[0] is None and value not in ("", "-", "—", "无", "暂无"):
                continue
        out[name] = value
    return out
