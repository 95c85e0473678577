"""Dates and date-times as Chinese government pages write them.

One parser serves the freshness check (list-item dates), the interaction check (message and reply
times) and the metadata rules (PubDate): `2026-11-19`, `2026/11/19`, `2026.11.19`,
`2026年11月19日`, digit-width variants (`2019/4/25 9:32:09`, full-width digits), optional times,
and year-less `[11-19]` items whose year comes from the audit's as-of date. Two extras are opt-in
because they misread Chinese text when always on: day-first `28.01.2022` (`dmy=True`, European
article pages) and a date split over two elements, `19` + `2026-11` (`find_split_date`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MIN_YEAR, MAX_YEAR = 1990, 2100

_TIME = r"(?:[T\s]*(?P<H>\d{1,2})[:：时](?P<M>\d{1,2})(?:[:：分](?P<S>\d{1,2})(?:\.\d+)?秒?)?)?"
_FULL = re.compile(
    r"(?<![\d])(?P<y>\d{4})\s*(?:(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\d])"
    # after 日 a time may follow with no space ("2019年04月25日09:32:09", seen on message pages)
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*(?:日|(?![\d])))" + _TIME
)
# Year-less list dates: "[11-19]", "11-19", "11/19", "11月19日" — only used with an as-of date.
_SHORT = re.compile(r"(?<![\d\-/.年])(?P<m>\d{1,2})(?:[-/.]|月)(?P<d>\d{1,2})日?(?![\d\-/.])")
# Day-first with dots, as German and Austrian pages write it: "28.01.2022" (opt-in, see find_dates).
# A full stop right after the year ends a sentence ("Stand: 28.01.2022."); one before a digit is a version.
_DMY = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})(?!\d|\.\d)" + _TIME)
# English month names, day-first or month-first: "3 October 2026", "October 3rd, 2026", "3 Oct. 2026"
# (opt-in, see find_dates: accessibility statements and other English pages write them).
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_NAMED = (
    re.compile(r"(?<![\w])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r",?\s+(?P<y>\d{4})(?!\d)", re.I),
    re.compile(r"(?<![\w])" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)", re.I),
)
# A date whose day and year-month sit in separate elements, joined here by white space:
# "19 2026-11", "2026-11 19", "11-19 2026", "2026 11-19" (and 年/月/日 forms of each).
_YM = r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*月?"
_MD = r"(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
_SPLIT = (
    re.compile(r"(?<![\d\-/.:])" + _YM + r"\s+(?P<d>\d{1,2})\s*日?(?![\d\-/.:])"),
    re.compile(r"(?<![\d\-/.:])(?P<d>\d{1,2})\s*日?\s+" + _YM + r"(?![\d\-/.:])"),
    re.compile(r"(?<![\d\-/.:])" + _MD + r"\s+(?P<y>\d{4})\s*年?(?![\d\-/.:])"),
    re.compile(r"(?<![\d\-/.:])(?P<y>\d{4})\s*年?\s+" + _MD + r"(?![\d\-/.:])"),
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date
    text: str  # the matched text as it appears (after width normalisation)
    start: int
    end: int
    has_year: bool
    time: time | None = None

    @property
    def datetime(self) -> datetime:
        return datetime.combine(self.value, self.time or time(0, 0))


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC keeps the string's length for CJK digits)."""
    return unicodedata.normalize("NFKC", text)


def _make(y: int, m: int, d: int) -> date | None:
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _time(match: re.Match[str]) -> time | None:
    if match.group("H") is None:
        return None
    h, mi, s = int(match.group("H")), int(match.group("M")), int(match.group("S") or 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    return time(h, mi, s)


def infer_year(month: int, day: int, as_of: date) -> date | None:
    """A year-less list date is the latest such day not after the as-of date."""
    for year in (as_of.year, as_of.year - 1):
        d = _make(year, month, day)
        if d is not None and d <= as_of:
            return d
    return None


def year_reference(near: date, as_of: date) -> date:
    """The reference that dates a year-less `month-day` written beside `near` (a dated neighbour, the
    page's newest dated item): with infer_year it gives the such day closest to `near` (within half a
    year either side), never after as-of."""
    return min(as_of, near + timedelta(days=182))


def find_dates(text: str, as_of: date | None = None, *, dmy: bool = False, names: bool = False) -> list[FoundDate]:
    """Every date in `text`, in order. Year-less dates are read only when `as_of` is given;
    day-first `28.01.2022` only with `dmy=True` (Chinese pages never write it, version numbers do);
    English month names (`3 October 2026`, `Oct 3, 2026`) only with `names=True`."""
    s = normalise(text)
    out: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for m in _FULL.finditer(s):
        y = int(m.group("y"))
        month = int(m.group("m") or m.group("m2"))
        day = int(m.group("d") or m.group("d2"))
        d = _make(y, month, day)
        if d is None:
            continue
        out.append(FoundDate(d, m.group(0).strip(), m.start(), m.end(), True, _time(m)))
        taken.append((m.start(), m.end()))
    if dmy:
        for m in _DMY.finditer(s):
            if any(a <= m.start() < b for a, b in taken):
                continue
            d = _make(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if d is not None:
                out.append(FoundDate(d, m.group(0).strip(), m.start(), m.end(), True, _time(m)))
                taken.append((m.start(), m.end()))
    if names:
        for pattern in _NAMED:
            for m in pattern.finditer(s):
                if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
                    continue
                d = _make(int(m.group("y")), _MONTHS[m.group("mon").lower()], int(m.group("d")))
                if d is not None:
                    out.append(FoundDate(d, m.group(0).strip(), m.start(), m.end(), True))
                    taken.append((m.start(), m.end()))
    if as_of is not None:
        for m in _SHORT.finditer(s):
            if any(a <= m.start() < b for a, b in taken):
                continue
            d = infer_year(int(m.group("m")), int(m.group("d")), as_of)
            if d is not None:
                out.append(FoundDate(d, m.group(0), m.start(), m.end(), False))
    out.sort(key=lambda f: f.start)
    return out


def parse_date(text: str, as_of: date | None = None) -> date | None:
    """The first date in `text`, or None."""
    found = find_dates(text, as_of)
    return found[0].value if found else None


def parse_datetime(text: str) -> datetime | None:
    """A date with its time when written (`2019/4/25 9:32:09`); date-only gives midnight."""
    found = find_dates(text)
    return found[0].datetime if found else None


def find_split_date(text: str) -> FoundDate | None:
    """A date written in two pieces that white space joins (`19 2026-11`, `2026-11 19`, `11-19 2026`).

    List templates often style the day apart from the year and month; the caller passes the text of
    one list item (its pieces joined by spaces), never free prose, and only after `find_dates` found
    nothing. A split date after the audit's as-of date is still returned: the caller judges it.
    """
    s = normalise(text)
    for pattern in _SPLIT:
        m = pattern.search(s)
        if m is None:
            continue
        d = _make(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d is not None:
            return FoundDate(d, m.group(0).strip(), m.start(), m.end(), True)
    return None
