"""Calendar months, the overdue rule at its boundaries, the window and the statistics."""

from __future__ import annotations

import statistics
from datetime import date, datetime

import pytest
from govaudit.checks.interaction.measure import (
    Limit,
    Message,
    add_months,
    judge,
    quantile,
    summarise,
    window_start,
)
from hypothesis import given
from hypothesis import strategies as st

AS_OF = date(2026, 11, 20)
THREE = Limit(months=3)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 5, 31), 3, date(2026, 8, 31)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),  # no 30 February: the month's last day
    (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 10, 15), 3, date(2027, 1, 15)),  # across the year end
    (date(2026, 11, 20), -12, date(2025, 11, 20)),
    (date(2024, 2, 29), -12, date(2023, 2, 28)),
])
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_keeps_the_time() -> None:
    assert add_months(datetime(2019, 4, 25, 9, 32, 9), 3) == datetime(2019, 7, 25, 9, 32, 9)


def msg(asked: datetime | None, replied: datetime | None = None, answered: bool | None = None) -> Message:
    if answered is None and replied is not None:
        answered = True
    return Message(board="b", url="http://x.invalid/m", asked=asked, replied=replied, answered=answered)


def test_late_reply_boundary_is_the_same_clock_time_three_months_on() -> None:
    asked = datetime(2026, 5, 6, 9, 8, 17)
    assert not judge(msg(asked, datetime(2026, 8, 6, 9, 8, 17)), AS_OF, THREE).overdue  # exactly 3 months
    late = judge(msg(asked, datetime(2026, 8, 6, 9, 9, 0)), AS_OF, THREE)  # 43 s later
    assert late.overdue and late.reason == "late-reply"
    assert late.days == pytest.approx(92.0005, abs=1e-3)


def test_unanswered_is_overdue_from_the_day_after_the_deadline() -> None:
    assert not judge(msg(datetime(2026, 8, 20, 23, 0), answered=False), AS_OF, THREE).overdue  # deadline = as_of
    v = judge(msg(datetime(2026, 8, 19, 8, 0), answered=False), AS_OF, THREE)
    assert v.overdue and v.reason == "no-reply" and v.days == pytest.approx(92.667, abs=1e-3)


def test_unknown_state_or_answered_without_date_is_never_called_overdue() -> None:
    old = datetime(2025, 12, 1)
    assert not judge(msg(old, answered=None), AS_OF, THREE).overdue
    assert not judge(msg(old, answered=True), AS_OF, THREE).overdue
    assert not judge(msg(None, answered=False), AS_OF, THREE).overdue


def test_limit_in_days() -> None:
    limit = Limit(months=None, days=90)
    asked = datetime(2026, 5, 6)
    assert judge(msg(asked, datetime(2026, 8, 4, 0, 0, 1)), AS_OF, limit).overdue
    assert not judge(msg(asked, datetime(2026, 8, 4)), AS_OF, limit).overdue
    assert limit.approx_days == 90 and THREE.approx_days == 91.3
    assert str(limit) == "90 days" and str(THREE) == "3 calendar months"


def test_window_is_the_year_before_as_of_inclusive() -> None:
    start = window_start(AS_OF)
    assert start == date(2025, 11, 20)
    messages = [msg(datetime(2025, 11, 20, 0, 1), datetime(2025, 11, 21)),  # first day: in
                msg(datetime(2025, 11, 19, 23, 59), datetime(2025, 11, 21)),  # the day before: out
                msg(datetime(2026, 11, 20, 18, 0), answered=False)]  # as_of itself: in
    s = summarise(messages, AS_OF, start, THREE)
    assert (s.messages, s.answered, s.unanswered) == (2, 1, 1)
    assert s.latest_reply == date(2025, 11, 21)  # replies count for "latest" even outside the window


def test_summary_counts_and_statistics() -> None:
    base = datetime(2026, 6, 1, 12, 0)
    delays = [1, 2, 3, 4, 100]
    messages = [msg(base, add_months(base, 0).replace(day=1 + d) if d < 29 else datetime(2026, 9, 9, 12, 0))
                for d in delays]
    messages.append(msg(datetime(2026, 7, 1), answered=False))  # unanswered, overdue at as_of
    messages.append(msg(datetime(2026, 11, 1), answered=False))  # unanswered, recent
    messages.append(msg(datetime(2026, 10, 1), answered=True))  # answered per status, no reply date
    messages.append(msg(datetime(2026, 10, 2), answered=None))  # state unknown
    messages.append(msg(None, answered=False))  # undated
    s = summarise(messages, AS_OF, window_start(AS_OF), THREE)
    assert (s.messages, s.answered, s.unanswered, s.unknown, s.undated, s.reply_undated) == (9, 6, 2, 1, 1, 1)
    assert s.overdue == 2  # the 100-day reply and the July letter
    assert sorted(s.delays_days) == [1, 2, 3, 4, 100]
    assert (s.median_reply_days, s.max_reply_days) == (3, 100)
    assert s.p90_reply_days == pytest.approx(statistics.quantiles([1, 2, 3, 4, 100], n=10, method="inclusive")[-1])


@given(st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), min_size=2, max_size=60))
def test_quantile_matches_the_standard_library(values: list[float]) -> None:
    assert quantile(values, 0.5) == pytest.approx(statistics.median(values), abs=1e-9)
    assert quantile(values, 0.9) == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[-1],
                                                  abs=1e-9)


def test_quantile_of_nothing_or_one() -> None:
    assert quantile([], 0.5) is None
    assert quantile([7.5], 0.9) == 7.5
