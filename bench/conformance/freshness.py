"""Freshness conformance on real pages: publish dates, list items, column dates and verdicts.

    .venv/bin/python bench/conformance/freshness.py [CORPUS]      # default: ../shared/corpus

Reads the shared corpus in place (never copied): gne and mic1on article pages (expected publish
dates), simonxinw saved pages (PubDate meta), htmldate's gold dates for its government and Chinese
pages, the Hebei column dumps (2,514 dated items in 29 columns, "now" 2024-09-29) and the
GerapyAutoExtractor list pages (item counts). Prints the accuracy per source and every miss;
tests/corpus/test_freshness_corpus.py asserts the numbers. FRESHNESS.md explains the misses.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govaudit.checks.freshness.articledate import article_date
from govaudit.checks.freshness.classify import Classifier
from govaudit.checks.freshness.discover import main_list
from govaudit.checks.freshness.page import analyse
from govaudit.checks.freshness.verdict import Column, DatedItem, judge

from govaudit.crawl.charset import decode_html
from govaudit.dates import parse_date

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
HEBEI_NOW = date(2024, 9, 29)  # the scrape date the corpus README gives as "now"

# htmldate's Chinese pages; the others are European government pages (day-first dates).
HTMLDATE_CHINESE = frozenset({"xinhuanet.com.c_1125597921.htm", "archive.org.he.xinhuanet.com.25340717.html"})

# Hand labels (read from each column's name the way an inspector would): the type the column
# should get. 年报 and the 教育领域 subject columns are "other": no threshold of their own.
HEBEI_TYPES = {
    "人力资源和社会保障厅_政策法规+政府信息公开年报": "policy",
    "人民政府_政府规章": "policy",
    "人民政府_省政府办公厅文件": "policy",
    "国家政策文件": "policy",
    "政府信息公开年报": "other",
    "政策解读": "policy",
    "法律法规": "policy",
    "省政府政策文件": "policy",
    "科技厅政策文件_科技政策": "policy",
    "科技厅政策文件_规范性文件汇总表": "policy",
    "中小企业、民营经济发展政策": "policy",
    "产业政策": "policy",
    "工业行业规划": "plan",
    "工业行业计划": "plan",
    "政策文件": "policy",
    "教育领域信息公开_教育法规": "policy",
}
HEBEI_DEFAULT_TYPE = "other"  # the remaining 教育领域信息公开_* subject columns

# Newest item date of each fund-company list, labelled by reading the page (every date on the
# page was listed; the newest sits at the top of the announcement list).
GERAPY_NEWEST = {
    "hrfund_announcement.html": date(2020, 4, 30),
    "dfa66_announcement.html": date(2020, 7, 2),
    "hsqhfunds_announcement.html": date(2020, 7, 2),
    "rtfund_xxpl.html": date(2020, 7, 9),
}
GERAPY_COUNTS = {
    "hrfund_announcement.html": ("http://www.hr-fund.com.cn/news", 10),
    "dfa66_announcement.html": ("https://www.dfa66.com/", 10),
    "hsqhfunds_announcement.html": ("https://www.hsqhfunds.com/", 20),
    "rtfund_xxpl.html": ("http://www.rtfund.com/", 15),
}
# Upstream counts for news portals, where "list" means a whole ranking page or a feed with relative
# times ("26分钟前"): printed for information, not scored (see FRESHNESS.md).
GERAPY_INFO = {"netease_leaderboard_news.html": 700, "netease_international_news.html": 7,
               "netease_rolling_news.html": 40}


@dataclass(slots=True)
class Case:
    name: str
    expected: object
    got: object

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def _html(path: Path) -> str:
    return decode_html(path.read_bytes(), None)[0]


def _article(path: Path, dmy: bool = False) -> date | None:
    found = article_date(_html(path), dmy=dmy)
    return found.value if found else None


def gne(corpus: Path) -> list[Case]:
    out = []
    with (corpus / "gne" / "EXPECTED_publish_dates.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            expected = date.fromisoformat(row["expected_publish_date"][:10])
            out.append(Case(row["file"], expected, _article(corpus / "gne" / row["file"])))
    return out


def mic1on(corpus: Path) -> list[Case]:
    # EXPECTED.md: 发布时间 2024-06-27 16:18 on the kaili.gov.cn 通知公告 page.
    page = corpus / "mic1on-gerapy-govnews" / "samples" / "detail" / "gov_news.html"
    text = (corpus / "mic1on-gerapy-govnews" / "EXPECTED.md").read_text(encoding="utf-8")
    expected = parse_date(text.split("Publish time visible in page:", 1)[1])
    return [Case("gov_news.html", expected, _article(page))]


def simonxinw(corpus: Path) -> list[Case]:
    out = []
    root = corpus / "simonxinw-job-govcn-saved"
    with (root / "EXPECTED_meta.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found = article_date(_html(root / row["file"]))
            # PubDate must win over the URL's /201705/-style date: the source says which was read.
            got = (found.value, found.source) if found else None
            out.append(Case(row["file"], (date.fromisoformat(row["PubDate_meta"][:10]), "meta:pubdate"), got))
    return out


def htmldate(corpus: Path) -> dict[str, list[Case]]:
    root = corpus / "htmldate" / "tests"
    gold = json.loads((root / "eval_subset_copied.json").read_text(encoding="utf-8"))
    out: dict[str, list[Case]] = {"htmldate-chinese": [], "htmldate-gov-europe": []}
    for entry in gold.values():
        name = entry["file"]
        path = root / "cache" / name if (root / "cache" / name).exists() else root / "eval" / name
        chinese = name in HTMLDATE_CHINESE
        got = _article(path, dmy=not chinese)
        out["htmldate-chinese" if chinese else "htmldate-gov-europe"].append(
            Case(name, date.fromisoformat(entry["date"]), got))
    return out


def hebei(corpus: Path) -> dict[str, list[Case]]:
    root = corpus / "gerry0208-hebei-gov-columns" / "derived"
    dates: list[Case] = []
    per_column: dict[str, list[date]] = defaultdict(list)
    items: dict[str, int] = defaultdict(int)
    with (root / "items_slim.csv").open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            got = parse_date(row["date_raw"]) if row["date_raw"] else None
            expected = date.fromisoformat(row["date_iso"]) if row["date_iso"] else None
            dates.append(Case(f"row {n + 2}: {row['date_raw']!r}", expected, got))
            items[row["source_csv"]] += 1
            if got is not None:
                per_column[row["source_csv"]].append(got)
    classifier = Classifier()
    latest_cases, type_cases, verdict_cases = [], [], []
    with (root / "column_summary.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            source = row["source_csv"]
            stem = Path(source).stem
            name = stem.split("_")[-1]
            label = f"{Path(source).parent.name}/{stem}"  # three departments each have a 年报 column
            expected_latest = date.fromisoformat(row["latest_date"]) if row["latest_date"] else None
            got_dates = per_column.get(source, [])
            latest_cases.append(Case(label, expected_latest, max(got_dates, default=None)))
            kind = classifier.classify([name, stem])
            expected_kind = HEBEI_TYPES.get(stem, HEBEI_DEFAULT_TYPE)
            type_cases.append(Case(label, expected_kind, kind))
            col = Column(name=name, url=source, type=kind, threshold_days=classifier.threshold(kind),
                         items=items[source],
                         dates=[DatedItem(name, source, d, d.isoformat(), source, "list") for d in got_dates])
            row_out = judge(col, HEBEI_NOW, 1)
            verdict_cases.append(Case(label, _expected_verdict(expected_kind, expected_latest, classifier),
                                      (row_out["stale"], row_out["long_stale"])))
    return {"hebei-dates": dates, "hebei-latest": latest_cases, "hebei-types": type_cases,
            "hebei-verdicts": verdict_cases}


def _expected_verdict(kind: str, latest: date | None, classifier: Classifier) -> tuple[bool, bool]:
    """(stale, long_stale) from the ground-truth latest date and the hand-labelled type."""
    threshold = classifier.threshold(kind)
    age = (HEBEI_NOW - latest).days if latest else None
    stale = threshold is not None and (age is None or age > threshold)
    # Only a type with an update duty counts toward the long-stale veto (type other is shown only).
    long_stale = threshold is not None and (age is None or age > max(365, threshold))
    return stale, long_stale


def gerapy(corpus: Path) -> dict[str, list[Case]]:
    root = corpus / "gerapy-autoextractor" / "samples" / "list"
    counts, newest = [], []
    for name, (base, expected) in GERAPY_COUNTS.items():
        facts = analyse(_html(root / name), base, date(2020, 12, 31))
        lst, _ = main_list(facts, base)
        counts.append(Case(name, expected, len(lst.items) if lst else 0))
        newest.append(Case(name, GERAPY_NEWEST[name], max((i.date for i in lst.dated), default=None) if lst else None))
    return {"gerapy-counts": counts, "gerapy-newest": newest}


def gerapy_info(corpus: Path) -> list[tuple[str, int, int]]:
    root = corpus / "gerapy-autoextractor" / "samples" / "list"
    out = []
    for name, expected in GERAPY_INFO.items():
        facts = analyse(_html(root / name), "http://news.163.com/", date(2020, 12, 31))
        lst, _ = main_list(facts, "http://news.163.com/")
        out.append((name, expected, len(lst.items) if lst else 0))
    return out


def run_all(corpus: Path) -> dict[str, list[Case]]:
    results: dict[str, list[Case]] = {"gne": gne(corpus), "mic1on": mic1on(corpus), "simonxinw": simonxinw(corpus)}
    results.update(htmldate(corpus))
    results.update(hebei(corpus))
    results.update(gerapy(corpus))
    return results


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}", file=sys.stderr)
        return 2
    results = run_all(corpus)
    for source, cases in results.items():
        ok = sum(1 for c in cases if c.ok)
        print(f"{source:22} {ok:5}/{len(cases):<5} {100.0 * ok / len(cases):6.1f}%")
        for c in cases:
            if not c.ok:
                print(f"    miss {c.name}: expected {c.expected}, got {c.got}")
    print("not scored (news-portal list semantics, see FRESHNESS.md):")
    for name, expected, got in gerapy_info(corpus):
        print(f"    {name}: upstream {expected}, main list {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
