"""Identity conformance on real gov.cn pages from ../shared/corpus: metadata fields against
simonxinw's EXPECTED_meta.csv, and hand-labelled page kinds, footer marks, SiteIDCode-footer
agreement and missing-metadata verdicts on the gne and mic1on pages. The work is done by
bench/conformance/metadata.py; this test holds it to the accuracy reached, and
bench/conformance/METADATA.md describes what the pages show."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpus.bench import BENCH, load_bench

SCRIPT = BENCH / "metadata.py"


def _load() -> ModuleType:
    return load_bench("metadata")


conformance = _load()

# part -> (cases that must match, cases in all)
REACHED = {
    "meta-fields": (45, 45),  # 9 pages x SiteName, SiteIDCode, ColumnName, ArticleTitle, PubDate
    "page-kind": (9, 9),
    "footer-marks": (63, 63),  # 9 pages x 7 marks
    "siteidcode-footer": (5, 5),  # pages whose SiteIDCode meta is non-empty
    "meta-verdicts": (6, 6),
}


def test_accuracy_per_part(corpus: Path) -> None:
    results = conformance.run_all(corpus)
    reached = {part: (sum(1 for c in cases if c.ok), len(cases)) for part, cases in results.items()}
    assert reached == REACHED


def test_expected_csv_is_reproduced_exactly(corpus: Path) -> None:
    cases = [c for c in conformance.run_all(corpus)["meta-fields"] if c.name.startswith("统计局/")]
    assert len(cases) == 4 * 5 and all(c.ok for c in cases)
    pubdates = sorted(c.got for c in cases if c.name.endswith(":PubDate"))
    assert pubdates == ["2022-04-24 10:00:43", "2023-05-16 12:34:05", "2023-05-16 12:34:10", "2023-08-16 10:33:59"]


def test_real_defects_on_the_pages_are_reported(corpus: Path) -> None:
    results = conformance.run_all(corpus)
    missing = {c.name: c.got for c in results["meta-verdicts"] if c.got}
    assert missing == {"统计局/2015/万载县2015年国民经济和社会发展统计公报.html": ["ContentSource"],
                       "gne/tests/gzggw/1.html": ["SiteIDCode"]}
    absent = sorted(c.name for c in results["footer-marks"] if c.got == "")
    assert absent == ["gne/tests/cmse/1.html:conac", "gne/tests/cmse/1.html:error_report",
                      "gne/tests/cmse/1.html:police", "gne/tests/cmse/1.html:site_id",
                      "gne/tests/gzggw/1.html:sponsor"]
    notes = (SCRIPT.parent / "METADATA.md").read_text(encoding="utf-8")
    assert "cmse" in notes and "gzggw" in notes and "ContentSource" in notes
