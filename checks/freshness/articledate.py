"""The publication date of an article page, for columns whose lists show no dates.

Sources, most trusted first: the PubDate meta that the 2017 guideline requires (and its cousins
firstpublishedtime, article:published_time, dcterms…), a visible 发布时间 / 发布日期 label, a
`<time datetime>` or JSON-LD datePublished, an element whose class says date or time, and last
the first date-time written in the page body. Never the URL: a migrated page's URL date and its
PubDate can differ by years (the 万载县 2015 bulletin sits under /201705/ with PubDate 2022-04-24).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from selectolax.lexbor import LexborHTMLParser

from govaudit.crawl.extract import defuse  # the crawler's guard against quadratic markup
from govaudit.dates import FoundDate, find_dates

# Meta names (lower case) that name a publication date, in order of trust.
META_NAMES = (
    "pubdate", "publishdate", "publish_date", "publish-date", "firstpublishedtime", "publishtime",
    "article:published_time", "og:article:published_time", "datepublished", "publication_date",
    "dc.date.issued", "dcterms.issued",
)
# Meta names that may hold a creation or modification date: used only when the page shows none.
WEAK_META_NAMES = (
    "dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "article:modified_time",
    "og:updated_time", "lastmodifiedtime", "date",
)
# Visible labels in two tiers: a publication label anywhere beats a bare 日期 / 时间 earlier on.
LABELS = (
    ("发布时间", "发布日期", "发稿时间", "发表时间", "发文日期", "成文日期", "印发日期", "Veröffentlicht", "Published"),
    ("日期", "时间", "Datum", "Stand", "Date"),
)
_LABEL_RES = tuple(
    re.compile(r"(" + "|".join(re.escape(x) for x in tier) + r")\s*[:：]?\s*", re.I) for tier in LABELS
)
_DATE_CLASS = re.compile(r"date|time|pubdate|publish|riqi|shijian|fbsj|datum|dateline", re.I)
_LD_KEYS = ("datePublished", "dateCreated", "uploadDate")
_NEAR = 24  # characters after a label in which its date must start


@dataclass(frozen=True, slots=True)
class ArticleDate:
    value: date
    source: str  # meta:<name> | label:<label> | time-element | json-ld | date-element | first-date(time)
    text: str  # the date as written


def article_date(html: str, dmy: bool = False) -> ArticleDate | None:
    """The page's publication date, or None when it states none we can read.

    `dmy`: also read day-first dates (`28.01.2022`), for European pages; off for Chinese portals.
    """
    try:
        tree = LexborHTMLParser(defuse(html))
    except Exception:  # noqa: BLE001 - a page we cannot parse has no date; it must not stop the audit
        return None
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
        if key and key not in meta:
            meta[key] = (attrs.get("content") or "").strip()
    for name in META_NAMES:
        found = _first(meta.get(name, ""), dmy)
        if found is not None:
            return ArticleDate(found.value, f"meta:{name}", found.text)

    ld = _json_ld(tree)
    weak = next(((name, f) for name in WEAK_META_NAMES if (f := _first(meta.get(name, ""), dmy)) is not None), None)
    for junk in tree.css("script, style, noscript, template"):
        junk.decompose()
    body = tree.body
    text = re.sub(r"\s+", " ", body.text(deep=True, separator=" ") if body is not None else "")

    for label_re in _LABEL_RES:
        for m in label_re.finditer(text):
            found = _first(text[m.end(): m.end() + _NEAR + 30], dmy)
            if found is not None and found.start <= _NEAR:
                return ArticleDate(found.value, f"label:{m.group(1)}", found.text)

    for node in tree.css("time[datetime], [itemprop=datePublished]"):
        value = node.attributes.get("datetime") or node.attributes.get("content") or node.text()
        found = _first(value or "", dmy)
        if found is not None:
            return ArticleDate(found.value, "time-element", found.text)
    if ld is not None:
        return ld

    for node in tree.css("[class], [id]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if not _DATE_CLASS.search(marks):
            continue
        own = re.sub(r"\s+", " ", node.text(deep=True, separator=" ")).strip()
        if not own or len(own) > 80:
            continue
        found = _first(own, dmy)
        if found is not None:
            return ArticleDate(found.value, "date-element", found.text)
    if weak is not None:
        return ArticleDate(weak[1].value, f"meta:{weak[0]}", weak[1].text)

    # Last resort: the first date-time in the body (a bare date too on European pages, whose
    # dateline is often an unlabelled `<em>10.11.2021</em>` under the heading).
    for found in find_dates(text, dmy=dmy):
        if found.time is not None or dmy:
            return ArticleDate(found.value, "first-datetime" if found.time else "first-date", found.text)
    return None


def _first(text: str, dmy: bool) -> FoundDate | None:
    if not text or not any(c.isdigit() for c in text):
        return None
    found = find_dates(text, dmy=dmy)
    return found[0] if found else None


def _json_ld(tree: LexborHTMLParser) -> ArticleDate | None:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except ValueError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if not isinstance(obj, dict):
                continue
            for key in _LD_KEYS:
                value = obj.get(key)
                found = _first(value, False) if isinstance(value, str) else None
                if found is not None:
                    return ArticleDate(found.value, "json-ld", found.text)
    return None
