"""Which kind of page this is — home, column (栏目页), article (文章页) or other — for the metadata rule.

The heuristic, first match wins:
1. home: the audited start page (or where it redirected).
2. article: the page declares itself one (a non-empty ArticleTitle or PubDate meta, or the publish-time
   meta other schemas use: firstpublishedtime, publishdate, article:published_time), or its URL has an
   article shape of the common CMSs: TRS `t20261119_123.html`, Hanweb `art/2016/11/22/art_1_2.html`,
   `content_123.htm`, `post_123.html`, `info/1012/12345.htm`, a 32-hex id under a yyyymm folder.
3. column: the page declares a ColumnName (and is not an article), or its URL is a list page
   (`index.html`, `index_2.html`, `list_3.html`, `col/col123/index.html`, a folder `/`) and the page
   shows a dated list: at least `LIST_ITEMS` list entries (li or tr, outside nav/menu/footer) that hold
   a link, `DATED_ITEMS` of them with a date. A hub of undated entries (政务公开's index of sections,
   the 关怀版 entry page) is a navigation page, not a column.
4. article again, by structure: a 发布时间/发布日期/来源 label in the first 5000 characters, a block of
   at least `_BODY_CHARS` characters of text, and fewer than `DATED_ITEMS` dated list entries.
5. other: everything else (site maps, contact pages, forms) — not judged for metadata.
"""

from __future__ import annotations

import re

from govaudit.checks.identity.html import Doc

LIST_ITEMS = 5
DATED_ITEMS = 3
_ARTICLE_URL = re.compile(
    r"/t\d{8}_\d+\.s?html?$"                      # TRS WCM
    r"|/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.s?html?$"  # Hanweb
    r"|/content_\d+\.s?html?$|/post_\d+\.s?html?$|/info/\d+/\d+\.s?html?$"
    r"|/\d{6}/[0-9a-f]{32}\.s?html?$"             # yyyymm/<uuid>.shtml
    r"|/art_\d+_\d+\.s?html?$",
    re.I,
)
_LIST_URL = re.compile(r"(?:/|/index(?:_\d+)?\.s?html?|/list(?:_\d+)?\.s?html?|/col/col\d+/index\.s?html?)$", re.I)
_ARTICLE_LABEL = re.compile(r"发布时间|发布日期|发文日期|来源\s*[:：]|信息来源|文章来源")
_BODY_CHARS = 200  # cmse.gov.cn's press releases run to 230 characters a paragraph
# A list item's date: 2026-11-19, 2026/11/19, 2026.11.19, 2026年11月19日, [11-19].
_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\[\d{1,2}-\d{1,2}\]")

KINDS = ("home", "column", "article", "other")
_ARTICLE_META = ("articletitle", "pubdate", "firstpublishedtime", "publishdate", "article:published_time")


def page_kind(doc: Doc, url: str, home_urls: set[str]) -> str:
    if url in home_urls or doc.url in home_urls:
        return "home"
    meta = doc.meta
    if any(meta.get(name) for name in _ARTICLE_META):
        return "article"
    path = url.split("?", 1)[0].split("#", 1)[0]
    if _ARTICLE_URL.search(path):
        return "article"
    if meta.get("columnname"):
        return "column"
    items, dated = _list_items(doc)
    if _LIST_URL.search(path) and items >= LIST_ITEMS and dated >= DATED_ITEMS:
        return "column"
    if _ARTICLE_LABEL.search(doc.text[:5000]) and dated < DATED_ITEMS and _longest_paragraph(doc) >= _BODY_CHARS:
        return "article"
    return "other"


def _list_items(doc: Doc) -> tuple[int, int]:
    """List entries (li, or table rows) that hold a link, outside the navigation and the footer,
    and how many of them carry a date."""
    count = dated = 0
    for node in doc.tree.css("li, tr"):
        if node.css_first("a[href]") is None:
            continue
        parent = node.parent
        inside_nav = False
        while parent is not None and parent.tag not in ("body", "html"):
            label = f"{parent.attributes.get('class') or ''} {parent.attributes.get('id') or ''}".lower()
            if parent.tag in ("nav", "footer", "header") or "nav" in label or "foot" in label or "menu" in label:
                inside_nav = True
                break
            parent = parent.parent
        if not inside_nav:
            count += 1
            if _DATE.search(node.text(deep=True) or ""):
                dated += 1
    return count, dated


def _longest_paragraph(doc: Doc) -> int:
    best = 0
    for node in doc.tree.css("p, div"):
        if any(inner.mem_id != node.mem_id for inner in node.css("div, p, li, table")):
            continue  # a container: its text is its children's
        best = max(best, len((node.text(deep=True) or "").strip()))
    return best
