"""The list-date and article-date parsers over every HTML page of the three cn-portals sites.

They must never raise; every date they find lies in 1990..2021 (the sites froze in 2020); every span
find_dates reports lies inside the text it was given. Pages are read from ../shared/corpus at run time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from govaudit.checks.freshness.articledate import article_date
from govaudit.checks.freshness.listdates import date_in
from govaudit.checks.freshness.page import analyse
from selectolax.lexbor import LexborHTMLParser

from govaudit.crawl.charset import decode_html
from govaudit.dates import find_dates, normalise

PORTALS = ("gzdzhrss_com", "gxpopss_cn", "lgedu_net")
AS_OF = date(2021, 12, 31)
LOW, HIGH = date(1990, 1, 1), date(2021, 12, 31)


def _pages(corpus: Path) -> list[Path]:
    out: list[Path] = []
    for name in PORTALS:
        site = corpus / "cn-portals" / name / "site"
        assert site.is_dir(), f"corpus portal missing: {site}"
        out += sorted(p for p in site.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())
    return out


def test_date_parsers_over_every_corpus_page(corpus: Path) -> None:
    pages = _pages(corpus)
    assert len(pages) > 700
    bad: list[str] = []
    for path in pages:
        html, _ = decode_html(path.read_bytes(), "text/html")
        url = "http://portal.test/" + path.name
        facts = analyse(html, url, AS_OF)
        for lst in facts.lists:
            for item in lst.items:
                if item.date is not None and not LOW <= item.date <= HIGH:
                    bad.append(f"{path}: list date {item.date} ({item.date_text!r})")
        found = article_date(html)
        if found is not None and not LOW <= found.value <= HIGH:
            bad.append(f"{path}: article date {found.value} ({found.text!r})")
        body = LexborHTMLParser(html).body
        text = body.text(separator=" ") if body is not None else ""
        norm = normalise(text)
        for f in find_dates(text, AS_OF):
            if not (0 <= f.start < f.end <= len(norm)) or f.text.strip() not in norm[f.start:f.end]:
                bad.append(f"{path}: span {f.start}..{f.end} of {f.text!r} outside the text")
        for line in text.splitlines():  # raw (not NFKC) text, as list items give it
            if line.strip():
                date_in(line.strip()[:300], AS_OF)  # item-text reading must never raise
    assert not bad, "\n".join(bad[:20])
