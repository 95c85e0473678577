"""Offsets of dates found in NFKC-normalised text must be read on that same text."""

from __future__ import annotations

from datetime import date

from govaudit.checks.freshness.listdates import date_in

AS_OF = date(2020, 12, 31)


def test_year_less_date_after_an_ellipsis_does_not_crash() -> None:
    # "…" is one character raw and three ("...") after NFKC: offsets used on the raw text overran it.
    text = "关于…" * 5 + " 11-30"
    date_in(text, AS_OF)  # must not raise IndexError


def test_bracketed_year_less_date_behind_width_changing_characters_is_read() -> None:
    found = date_in("…… ㈠ [11-30]", AS_OF)
    assert found is not None and found.value == date(2020, 11, 30)
    assert not found.has_year


def test_lone_year_less_date_with_ellipsis_at_end() -> None:
    # Raw length shorter than normalised: end offset past the raw string.
    date_in("11-30 …", AS_OF)
    date_in("…11-30", AS_OF)
