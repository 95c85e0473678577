"""The interaction check on 2,816 real 问政 messages (taidi2020 附件4), rendered into paged boards:
every lag to the minute, the overdue count at three calendar months, median and p90 exactly.
The work is done by bench/conformance/interaction.py; this test holds it to "exact"."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import require_corpus
from tests.corpus.bench import BENCH, load_bench

SCRIPT = BENCH / "interaction.py"


def _load() -> ModuleType:
    return load_bench("interaction")


conformance = _load()


@pytest.fixture(scope="module")
def corpus_dir() -> Path:
    # Module scope (the workbook takes seconds to read): the shared `corpus` fixture's check, once.
    return require_corpus() / "taidi2020-zhihuizhengwu"


@pytest.fixture(scope="module")
def records(corpus_dir: Path) -> list:
    return conformance.load_records(corpus_dir)


def test_the_data_is_what_the_ground_truth_describes(records: list) -> None:
    assert len(records) == 2816
    assert all(r.lag_csv is not None for r in records)
    lags = sorted(r.lag_csv for r in records)
    assert (lags[0], lags[-1]) == (0.0214, 1160.4363)
    assert sum(1 for v in lags if v > 15) == 1084 and sum(1 for v in lags if v > 30) == 461


@pytest.mark.parametrize(("layout", "window_months"), [("table", 120), ("items", 12), ("full", 120)])
def test_every_lag_and_count_is_reproduced(records: list, layout: str, window_months: int) -> None:
    o = conformance.run_conformance(records, layout, conformance.AS_OF, window_months)
    assert o.lag_misses == [] and o.csv_misses == [] and o.missing == [] and o.extra == []
    b, e = o.board, o.expected
    assert (b["messages"], b["answered"], b["unanswered"], b["overdue"]) == (e.messages, e.answered, 0, e.overdue)
    assert abs(b["median_reply_days"] - e.median) <= 1e-4 and abs(b["p90_reply_days"] - e.p90) <= 1e-4
    assert abs(b["max_reply_days"] - e.max) <= 1e-4
    assert o.exact
    if window_months == 120:
        assert (e.messages, e.overdue) == (2816, 81)  # every message; 81 replies beyond 3 calendar months
    if layout == "full":
        assert o.detail_pages_served == 0  # the list had both times: no message page needed
    else:
        assert o.detail_pages_served == e.messages  # one message page per in-window message, no more
    assert o.contestant_agree == o.contestant_total == e.messages  # their whole days = floor of ours


def test_unanswered_messages_old_and_recent(records: list, corpus_dir: Path) -> None:
    mixed = records + conformance.load_unanswered(corpus_dir)
    o = conformance.run_conformance(mixed, "table", conformance.AS_OF, 12, label="mixed")
    assert o.state_misses == [] and o.lag_misses == [] and o.missing == [] and o.extra == []
    b, e = o.board, o.expected
    assert (b["messages"], b["answered"], b["unanswered"], b["overdue"]) == (
        e.messages, e.answered, e.unanswered, e.overdue)
    assert e.unanswered > 0 and 0 < e.overdue < e.messages
    assert o.exact
