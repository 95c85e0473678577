"""lychee's fixtures that apply to a web crawler, served on 127.0.0.1 and checked by govaudit.

Runs bench/conformance/lychee.py and pins what it reaches: exact error sets per fixture, not only
counts. bench/conformance/LINKS.md explains every difference and every fixture left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.conformance import lychee
from tests.conftest import require_corpus


@pytest.fixture(scope="module")
def corpus() -> Path:
    """conftest's `corpus` at module scope: the fixtures are run once for the tests here."""
    return require_corpus()


@pytest.fixture(scope="module")
def report(corpus: Path) -> lychee.Report:
    return lychee.run(corpus)


def test_expectations_reproduced(report: lychee.Report) -> None:
    assert report.total == 40
    assert report.reproduced == 33
    assert len(report.unexamined) == 6  # 5 text directives that should match, file1.md#fragment-1
    assert [c.link for c in report.offline] == [
        "https://github.com/lycheeverse/lychee#table-of-contents", "https://example.com/valid"]
    assert len(report.differences) == 5
    assert {(c.fixture, c.link) for c in report.differences} == set(lychee.DIFFERENCES)
    assert all(c.reason != "unexplained" for c in report.differences)


def test_exact_error_sets(report: lychee.Report) -> None:
    # resolve_paths: every root-relative link resolves over HTTP
    assert report.errors("index.html") == report.errors("index.html", "expected") == set()
    # resolve_paths_from_root_dir: the two missing fragments, one on another page, one on this one
    assert report.errors("nested/index.html") == report.errors("nested/index.html", "expected") == {
        "/nested/about/index.html#missing", "#bad"}
    # fragments/file.html: ids are case-sensitive; percent-encoded and literal-% ids both match
    assert report.errors("file.html") == report.errors("file.html", "expected") == {
        "#in-THE-begiNNing", "#in-the-end"}
    assert report.errors("TEST_HTML5_MALFORMED_LINKS.html") == {
        "https;//example.com/malformed_one", "https://example]org/malformed_two"}
    # text directives are not checked: none of the four expected errors is found
    assert report.errors("should-not-match.html") == set()
    assert len(report.errors("should-not-match.html", "expected")) == 4


def test_fixtures_compared_and_left_out_exist(corpus: Path) -> None:
    fixtures = corpus / "lychee" / "fixtures"
    for case in lychee.CASES:
        assert (fixtures / case.root / case.fixture).is_file(), case.fixture
    for path in lychee.SKIPPED:
        assert (fixtures / path).is_file(), path
    compared = {(fixtures / c.root / c.fixture).resolve() for c in lychee.CASES}
    assert not compared & {(fixtures / p).resolve() for p in lychee.SKIPPED}
