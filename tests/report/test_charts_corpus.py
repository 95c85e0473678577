"""Charts and tables over real material from the shared corpus: 29 Hebei government column dumps
and 2,816 real citizen-message reply delays (figures checked against the corpus's own README)."""

from __future__ import annotations

import statistics
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from govaudit.report import charts
from govaudit.report.html import render_html
from govaudit.report.jsonreport import to_report, validate_report
from tests.report.builders import build_result, corpus_columns, corpus_delays


def test_reply_delay_histogram_on_real_messages(corpus: Path) -> None:
    delays = corpus_delays(corpus)
    # Ground truth stated in taidi2020-zhihuizhengwu/README_GROUND_TRUTH.md.
    assert len(delays) == 2816
    assert round(statistics.median(delays), 1) == 11.2 and round(max(delays), 1) == 1160.4
    hist = charts.histogram("replies", delays, limit=30)
    assert hist is not None
    assert hist.total == 2816 and sum(b.count for b in hist.bins) == 2816
    assert hist.over_limit == 461  # "461 > 30 d"
    assert charts.histogram("replies", delays, limit=15).over_limit == 1084  # "1084 replies > 15 d"
    assert len(hist.bins) <= 25
    # The long tail (up to 1,160 days) goes into one last bin so the scale stays readable.
    assert hist.bins[-1].tip.startswith(f"{(len(hist.bins) - 1) * hist.bin_days} d or more (longest 1160 d)")
    # The limit line sits at 30 days on the bins' own scale; bins past it are red.
    bin_px = hist.bins[1].x - hist.bins[0].x
    assert hist.limit_x is not None
    assert abs(hist.limit_x - (hist.plot_left + 30 / hist.bin_days * bin_px)) < 0.01
    assert all((b.colour == charts.RED) == (i * hist.bin_days >= 30) for i, b in enumerate(hist.bins))


def test_freshness_of_real_columns(corpus: Path) -> None:
    columns = corpus_columns(corpus)
    assert len(columns) == 29
    by_name = {c["name"]: c for c in columns}
    # The README's examples: stale for years at the 2024-09-29 scrape, versus a fresh 政策解读.
    assert by_name["教育领域信息公开_民生工程"]["latest"] == "2022-03-04"
    chart = charts.freshness_chart("columns", columns)
    assert chart is not None and len(chart.bars) == 29
    bars = {b.full_label: b for b in chart.bars}
    assert bars["教育领域信息公开_民生工程"].colour == charts.RED
    stale = sum(1 for c in columns if c["stale"] and not c["empty"] and c["age_days"] is not None)
    assert sum(1 for b in chart.bars if b.colour == charts.RED) == stale
    for b in chart.bars:
        assert 0 <= b.width <= chart.plot_w and (b.marker_x is None or 0 <= b.marker_x <= chart.plot_w)


def test_full_report_over_corpus_data(corpus: Path) -> None:
    r = build_result("http://www.hebei.gov.cn")
    r.checks["freshness"].data["columns"] = corpus_columns(corpus)
    board = r.checks["interaction"].data["boards"][0]
    board["delays_days"] = corpus_delays(corpus)
    doc = to_report(r)
    validate_report(doc)
    tree = LexborHTMLParser(render_html(r))
    fresh = tree.css_first("#data-freshness")
    assert len(fresh.css("figure.chart text.lbl")) == 29
    assert len(fresh.css("table")[0].css("tbody tr")) == 29
    hist = [f for f in tree.css("figure.chart") if "reply delays" in f.css_first("figcaption").text()][0]
    counts = sum(int(t.text().rsplit(": ", 1)[1]) for t in hist.css("g > title"))
    assert counts == 2816 + 6
    # The 2,816-value list is counted in its table cell, not dumped.
    first = [td.text() for td in tree.css_first("#data-interaction-boards tbody tr").css("td")]
    assert first[0] == "县长信箱" and first[6] == str(len(board["delays_days"]))
    assert max(len(td.text()) for td in tree.css("#data-interaction td")) < 120


def test_chart_helpers() -> None:
    assert charts.short_label("人力资源和社会保障厅_政策法规+政府信息公开年报", 20) == "人力资源和社会保障厅…"
    assert charts.short_label("abc", 20) == "abc"
    c = charts.bar_chart("t", [("b", 1), ("a", 4), ("c", 0)])
    assert [b.label for b in c.bars] == ["a", "b", "c"]
    assert [b.width for b in c.bars] == [charts.PLOT_W, charts.PLOT_W / 4, 0]
    assert charts.bar_chart("t", []).bars == []
    assert charts.histogram("t", [], 90) is None
    assert charts.histogram("t", [float("nan"), -1, True], None) is None
    h = charts.histogram("t", [0, 0, 5, 200], None)
    assert h is not None and h.limit_x is None and sum(b.count for b in h.bins) == 4
    assert charts.freshness_chart("t", [{"name": "x"}]) is None
