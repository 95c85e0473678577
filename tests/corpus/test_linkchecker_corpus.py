"""linkchecker's own conformance pages, served on 127.0.0.1 and checked by govaudit (issue #2 section 9).

Runs bench/conformance/linkchecker.py and pins what it reaches, so a regression in the crawler or
the link check fails here; bench/conformance/LINKS.md explains every difference.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bench.conformance import linkchecker
from bench.conformance.linkharness import ERROR
from tests.conftest import require_corpus


@pytest.fixture(scope="module")
def corpus() -> Path:
    """conftest's `corpus` at module scope: the whole set is run once for the tests here."""
    return require_corpus()


@pytest.fixture(scope="module")
def report(corpus: Path) -> linkchecker.Report:
    # http_url_quote.html and file_url_quote.html expect nothing to listen on localhost:8001.
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", 8001)) == 0:
            pytest.fail("something listens on 127.0.0.1:8001; linkchecker's pages expect a refused port")
    return linkchecker.run(corpus)


def test_verdicts_reproduced(report: linkchecker.Report) -> None:
    # 174 verdicts in 52 result files; bookmark files and local directory listings are left out.
    assert report.total + sum(report.skipped.values()) == 174
    assert sum(report.skipped.values()) == 17
    assert report.total == 157
    assert report.reproduced == 116
    assert len(report.offline) == 5  # valid upstream on www.example.com etc.: needs the internet
    assert len(report.differences) == 36
    assert report.reproduced + len(report.offline) + len(report.differences) == report.total
    assert report.on_pages() == (105, 127)


def test_every_difference_has_its_reason(report: linkchecker.Report) -> None:
    found = {(c.record.source, c.record.url) for c in report.differences}
    assert [c.record.url for c in report.differences if c.reason == "unexplained"] == []
    assert found == set(linkchecker.DIFFERENCES), "a difference went away: drop its reason too"


def test_errors_found(report: linkchecker.Report) -> None:
    assert report.error_precision_recall == (20, 2, 12)
    found = {(c.record.source, c.record.url) for c in report.compared
             if c.record.verdict == ERROR and c.reproduced}
    assert {
        ("http.html.result", "http://www.garantiertnixgutt.bla/"),
        ("http.html.result", "http://.example.org/"),
        ("http.html.result", "http://example.org/foo/ #a=1,2,3"),
        ("http_invalid_host.html.result", "http://localhost]"),
        ("http_file.html.result", "file:///example/file"),
        ("http_quotes.html.result", "/stalter&sohn"),
        ("charsets/cp1250.html.result", "img.png"),
        ("http_url_quote.html.result", "http://localhost:8001/?quoted=%FF"),
    } <= found
    assert len(found) == 20


def test_anchor_warnings(report: linkchecker.Report) -> None:
    assert report.anchors_expected == 5
    assert report.anchors_reproduced == 5
    assert report.anchors_extra == 0
