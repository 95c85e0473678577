"""Hostile text for the date parser (issue #7, section 5): no input makes it crash or invent dates.

Property tests with hypothesis. The other parsers a hostile page reaches (URL normalisation,
charset decoding, the link extractor) have theirs in tests/fuzz/test_crawl_properties.py; this
file covers govaudit/dates.py, which reads every list item, PubDate and message time.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govaudit.dates import (
    MAX_YEAR,
    MIN_YEAR,
    find_dates,
    find_split_date,
    normalise,
    parse_date,
    parse_datetime,
)

# Text made of the characters dates are built from (ASCII and full-width digits, 年月日, separators,
# month names), mixed with anything at all.
DATEISH = st.lists(st.sampled_from(list("0123456789０１２３４５６７８９年月日号-/.: 　Tt,")
                                   + ["Oct", "March", "of", "th", "\n", "\x00", "\ufffd"]),
                   max_size=60).map("".join)
ANY = st.one_of(st.text(max_size=200), DATEISH, st.from_regex(r"\d{1,9}[-/.年]\d{1,9}[-/.月]\d{1,9}日?"))
AS_OF = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ANY, AS_OF, st.booleans(), st.booleans())
def test_find_dates_is_total_and_points_into_its_input(text: str, as_of: date | None, dmy: bool,
                                                       names: bool) -> None:
    found = find_dates(text, as_of, dmy=dmy, names=names)
    s = normalise(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for f in found:
        assert 0 <= f.start < f.end <= len(s)
        assert f.text.strip() and f.text in s[f.start:f.end]
        assert MIN_YEAR <= f.value.year <= MAX_YEAR  # no version number or id read as year 3021
        if not f.has_year:
            assert as_of is not None and f.value <= as_of  # an inferred year never lands in the future


@SETTINGS
@given(ANY, AS_OF)
def test_parse_date_agrees_with_find_dates(text: str, as_of: date | None) -> None:
    found = find_dates(text, as_of)
    assert parse_date(text, as_of) == (found[0].value if found else None)


@SETTINGS
@given(ANY)
def test_parse_datetime_and_split_dates_are_total(text: str) -> None:
    dt = parse_datetime(text)
    assert dt is None or dt.date() == parse_date(text)
    split = find_split_date(text)
    assert split is None or MIN_YEAR <= split.value.year <= MAX_YEAR


@SETTINGS
@given(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)), st.sampled_from(["-", "/", ".", "年"]))
def test_a_written_date_is_found_whatever_its_separator(d: date, sep: str) -> None:
    text = f"发布时间：{d.year}{sep}{d.month}{sep if sep != '年' else '月'}{d.day}{'日' if sep == '年' else ''} 来源：本站"
    assert parse_date(text) == d
