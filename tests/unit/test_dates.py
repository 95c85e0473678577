"""Date and date-time parsing in the forms Chinese portals use."""

from datetime import date, datetime, time

import pytest

from govaudit.dates import find_dates, find_split_date, infer_year, parse_date, parse_datetime

AS_OF = date(2026, 11, 20)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-19", date(2026, 11, 19)),
    ("2026/11/19", date(2026, 11, 19)),
    ("2026.11.19", date(2026, 11, 19)),
    ("2026年11月19日", date(2026, 11, 19)),
    ("２０２６年１１月１９日", date(2026, 11, 19)),
    ("发布日期：2024年08月31日 10:00", date(2024, 8, 31)),
    ("[11-19]", date(2026, 11, 19)),
    ("12-25", date(2025, 12, 25)),  # a year-less date is never in the future
])
def test_parse_date_forms(text: str, expected: date) -> None:
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text", ["©2005-2026 版权所有", "2026-13-01", "20261119", "v1.2.3", "2026-02-30", ""])
def test_not_dates(text: str) -> None:
    assert parse_date(text, AS_OF) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2019/4/25 9:32:09", datetime(2019, 4, 25, 9, 32, 9)),
    ("2019-04-25 09:32", datetime(2019, 4, 25, 9, 32)),
    ("2019年4月25日", datetime(2019, 4, 25)),
    ("2024-01-15 17:29:00", datetime(2024, 1, 15, 17, 29)),
])
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


def test_year_less_dates_need_as_of_and_full_dates_win() -> None:
    assert find_dates("[11-19]") == []
    found = find_dates("2026-11-19 与 [11-18]", AS_OF)
    assert [f.value for f in found] == [date(2026, 11, 19), date(2026, 11, 18)]
    assert [f.has_year for f in found] == [True, False]
    assert found[0].time is None
    assert find_dates("2026-11-19 08:05", AS_OF)[0].time == time(8, 5)


def test_infer_year_rolls_back_over_new_year() -> None:
    assert infer_year(12, 31, date(2027, 1, 2)) == date(2026, 12, 31)
    assert infer_year(2, 29, date(2026, 3, 1)) is None  # no 29 Feb in 2026 or 2025


@pytest.mark.parametrize(("text", "expected"), [
    ("19 2026-11", date(2026, 11, 19)),
    ("2026-11 19", date(2026, 11, 19)),
    ("2026.11 19", date(2026, 11, 19)),
    ("19日 2026年11月", date(2026, 11, 19)),
    ("11-19 2026", date(2026, 11, 19)),
    ("2026 11/19", date(2026, 11, 19)),
    ("２０２６-１１ １９", date(2026, 11, 19)),
])
def test_split_dates(text: str, expected: date) -> None:
    found = find_split_date(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize("text", ["2026-11", "19", "2026-13 01", "12:30 2026-11", "2026-11 32", "第3 2026"])
def test_not_split_dates(text: str) -> None:
    assert find_split_date(text) is None


def test_day_first_dates_only_on_request() -> None:
    assert find_dates("Stand 27.01.2022") == []
    (found,) = find_dates("Stand 27.01.2022", dmy=True)
    assert found.value == date(2022, 1, 27) and found.has_year
    assert find_dates("06.10.2017 11:15", dmy=True)[0].datetime == datetime(2017, 10, 6, 11, 15)
    # A year-first date is never read twice, and a version number is not a date.
    assert [f.value for f in find_dates("2026.11.19", dmy=True)] == [date(2026, 11, 19)]
    assert find_dates("v1.2.3.2019", dmy=True) == []
    assert find_dates("31.02.2022", dmy=True) == []
    # A sentence may end right after the date; a version number goes on with a digit.
    assert [f.value for f in find_dates("Établie le 28.01.2026.", dmy=True)] == [date(2026, 1, 28)]
    assert find_dates("v28.01.2026.4", dmy=True) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("2019年04月25日09:32:09", datetime(2019, 4, 25, 9, 32, 9)),  # no space after 日 (message pages)
    ("答复时间：2019年4月25日 09时32分", datetime(2019, 4, 25, 9, 32)),
    ("２０１９/４/２５ ９:３２:０９", datetime(2019, 4, 25, 9, 32, 9)),
])
def test_parse_datetime_message_times(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


def test_a_day_glued_to_more_digits_is_not_a_date() -> None:
    assert parse_date("2019-04-251") is None and parse_date("2019年4月251") is None


def test_english_month_names_only_on_request() -> None:
    text = "This statement was prepared on 12 March 2025. It was last reviewed on 3rd October 2026."
    assert find_dates(text) == []
    assert [f.value for f in find_dates(text, names=True)] == [date(2025, 3, 12), date(2026, 10, 3)]
    assert [f.value for f in find_dates("Updated Oct. 3, 2026", names=True)] == [date(2026, 10, 3)]
    assert [f.value for f in find_dates("published 1 may 2024", names=True)] == [date(2024, 5, 1)]
    # No day, an impossible day, or a word that merely starts like a month: not a date.
    assert find_dates("in May 2025", names=True) == []
    assert find_dates("31 February 2026", names=True) == []
    assert find_dates("12 Marches 2025", names=True) == []
    # A numeric date next to a named one is read once each.
    assert [f.value for f in find_dates("2026-10-03 (3 October 2026)", names=True)] == [
        date(2026, 10, 3), date(2026, 10, 3)]
