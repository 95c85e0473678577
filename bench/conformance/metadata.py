"""Identity conformance on real gov.cn pages: page metadata, page kind, footer marks, SiteIDCode.

    .venv/bin/python bench/conformance/metadata.py [CORPUS]      # default: ../shared/corpus

Reads the shared corpus in place (never copied):
- simonxinw-job-govcn-saved: four 统计公报 article pages of wanzai.gov.cn and yichun.gov.cn saved
  whole in a browser, with EXPECTED_meta.csv (SiteName, SiteIDCode, ColumnName, ArticleTitle,
  PubDate per page) — the ground truth this script reproduces field by field;
- gne (fgw.zj.gov.cn, www.gov.cn, www.shanxi.gov.cn, www.cmse.gov.cn) and mic1on (kaili.gov.cn):
  real article pages whose metadata and footers were labelled by hand here (HAND_* below), by
  reading each page's HTML; the labels are facts about those pages, not outputs of this code.
Prints the accuracy per part and every miss; tests/corpus/test_metadata_corpus.py asserts the
numbers, and METADATA.md explains what the pages show.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from govaudit.checks.identity.footer import find_marks, site_id_code
from govaudit.checks.identity.html import Doc
from govaudit.checks.identity.metadata import DEFAULT_REQUIRED, judge_meta
from govaudit.checks.identity.pagekind import page_kind

from govaudit.crawl.charset import decode_html
from govaudit.dates import parse_datetime

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SIMON = "simonxinw-job-govcn-saved"
META_FIELDS = ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate")
MARKS = ("site_id", "icp", "police", "conac", "sponsor", "contact", "error_report")

# The pages without an EXPECTED file, with the address each is judged under. Where the page names
# its own address (gzggw's `url` meta, shanxi's relative `Url` meta) that is used; the others were
# saved without one, so a neutral address makes the page kind rest on the page's content alone.
HAND_PAGES = {
    "gne/tests/gzggw/1.html": "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.htm",
    "gne/tests/other/1.html": "https://www.gov.cn/saved/page.html",
    "gne/tests/shanxi/1.html": "http://www.shanxi.gov.cn/t20190918_693227.shtml",
    "gne/tests/cmse/1.html": "http://www.cmse.gov.cn/saved/page.html",
    "mic1on-gerapy-govnews/samples/detail/gov_news.html": "https://www.kaili.gov.cn/saved/page.html",
}
# Metadata as each page declares it ("" = the meta is absent or empty).
HAND_META = {
    "gne/tests/gzggw/1.html": {"SiteName": "浙江省发展和改革委员会", "SiteIDCode": "", "ColumnName": "投资运行",
                               "ArticleTitle": "1-10月德清县固定资产投资结构趋稳趋优", "PubDate": "2016-11-22 09:53"},
    "gne/tests/shanxi/1.html": {"SiteName": "山西省人民政府门户网站", "SiteIDCode": "1400000045", "ColumnName": "山西要闻",
                                "ArticleTitle": "山西品牌丝路行（南美站）正式启动", "PubDate": "2019-09-18 06:23"},
    "gne/tests/other/1.html": dict.fromkeys(META_FIELDS, ""),
    "gne/tests/cmse/1.html": dict.fromkeys(META_FIELDS, ""),
    "mic1on-gerapy-govnews/samples/detail/gov_news.html": dict.fromkeys(META_FIELDS, ""),
}
# Footer marks each page shows: the value, or "" when the page lacks the mark. True = shown,
# value not compared (a link, a widget). ICP/police "+link" = the number links to its system.
HAND_MARKS: dict[str, dict[str, str | bool]] = {
    "yichun": {"site_id": "3609000002", "icp": "赣ICP备06000141号+link", "police": "赣公网安备 36090202000004号+link",
               "conac": True, "sponsor": "宜春市人民政府", "contact": True, "error_report": True},
    "wanzai": {"site_id": "3609220011", "icp": "赣ICP备11002306号-1+link", "police": "赣公网安备 36092202000105号+link",
               "conac": True, "sponsor": "万载县人民政府", "contact": True, "error_report": True},
    "gne/tests/gzggw/1.html": {"site_id": "3300000020", "icp": "浙ICP备05018911号+link",
                               "police": "浙公网安备 33010602009328号+link", "conac": True, "sponsor": "",
                               "contact": True, "error_report": True},
    "gne/tests/other/1.html": {"site_id": "bm01000001", "icp": "京ICP备05070218号+link",
                               "police": "京公网安备11010202000001号+link", "conac": True, "sponsor": "国务院办公厅",
                               "contact": True, "error_report": True},
    "gne/tests/shanxi/1.html": {"site_id": "1400000045", "icp": "晋ICP备12000773号",  # shown in an <a> without href
                                "police": "晋公网安备 14010502050691号+link", "conac": True,
                                "sponsor": "山西省人民政府办公厅", "contact": True, "error_report": True},
    "gne/tests/cmse/1.html": {"site_id": "", "icp": "京ICP备20027467号-1+link", "police": "", "conac": "",
                              "sponsor": "中国载人航天工程办公室", "contact": True, "error_report": ""},  # 纠错 only in a comment
    "mic1on-gerapy-govnews/samples/detail/gov_news.html": {
        "site_id": "5226010001", "icp": "黔ICP备16008583号+link", "police": "贵公网安备：52260102556121号+link",
        "conac": True, "sponsor": "凯里市人民政府办公室", "contact": True, "error_report": True},
}
# Required metadata each article page lacks (the home/column/article lists of the guideline).
HAND_MISSING = {
    "统计局/2015/万载县2015年国民经济和社会发展统计公报.html": ["ContentSource"],  # content=""
    "gne/tests/gzggw/1.html": ["SiteIDCode"],  # content=""
    "gne/tests/shanxi/1.html": [],
}


@dataclass(slots=True)
class Case:
    name: str
    expected: object
    got: object

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def load(path: Path) -> str:
    text, _ = decode_html(path.read_bytes(), None)
    return text


def _meta_value(doc: Doc, field: str) -> str:
    value = doc.meta.get(field.lower(), "").strip()
    if field == "PubDate" and value:
        parsed = parse_datetime(value)
        return parsed.isoformat(sep=" ") if parsed else value
    return value


def _norm_date(value: str) -> str:
    parsed = parse_datetime(value) if value else None
    return parsed.isoformat(sep=" ") if parsed else value


def _mark_value(doc: Doc, name: str, expected: str | bool) -> str | bool:
    mark = dict(find_marks(doc).items())[name]
    if not mark.present:
        return ""
    if expected is True:
        return True
    if name in ("icp", "police"):
        return mark.value + ("+link" if mark.linked else "")
    return mark.value


def pages(corpus: Path) -> list[tuple[str, str, Path]]:
    """(name, saved-from URL, file) of every page this script reads."""
    out = []
    with (corpus / SIMON / "EXPECTED_meta.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append((row["file"], row["saved_from_url"], corpus / SIMON / row["file"]))
    out += [(name, url, corpus / name) for name, url in HAND_PAGES.items()]
    return out


def run_all(corpus: Path) -> dict[str, list[Case]]:
    results: dict[str, list[Case]] = {"meta-fields": [], "page-kind": [], "footer-marks": [],
                                      "siteidcode-footer": [], "meta-verdicts": []}
    expected_meta: dict[str, dict[str, str]] = {}
    with (corpus / SIMON / "EXPECTED_meta.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            expected_meta[row["file"]] = {f: row["PubDate_meta" if f == "PubDate" else f] for f in META_FIELDS}
    expected_meta.update(HAND_META)
    for name, url, path in pages(corpus):
        doc = Doc(load(path), url)
        for field in META_FIELDS:
            want = expected_meta[name][field]
            want = _norm_date(want) if field == "PubDate" else want
            results["meta-fields"].append(Case(f"{name}:{field}", want, _meta_value(doc, field)))
        home = "/".join(url.split("/", 3)[:3]) + "/"
        results["page-kind"].append(Case(name, "article", page_kind(doc, url, {home})))
        key = "yichun" if "yichun" in url else "wanzai" if "wanzai" in url else name
        for mark in MARKS:
            want = HAND_MARKS[key][mark]
            results["footer-marks"].append(Case(f"{name}:{mark}", want, _mark_value(doc, mark, want)))
        meta_code = doc.meta.get("siteidcode", "").strip()
        if meta_code:
            results["siteidcode-footer"].append(Case(name, meta_code, site_id_code(doc)))
        if name in HAND_MISSING or name.startswith("统计局"):
            verdict = judge_meta("article", doc.meta, DEFAULT_REQUIRED)
            results["meta-verdicts"].append(Case(name, HAND_MISSING.get(name, []), verdict.missing))
    return results


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    if not (corpus / SIMON / "EXPECTED_meta.csv").is_file():
        print(f"corpus not found at {corpus}", file=sys.stderr)
        return 2
    for part, cases in run_all(corpus).items():
        good = sum(1 for c in cases if c.ok)
        print(f"{part:18} {good:3}/{len(cases):<3} {100 * good / max(1, len(cases)):5.1f}%")
        for c in cases:
            if not c.ok:
                print(f"    miss {c.name}: expected {c.expected!r}, got {c.got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
