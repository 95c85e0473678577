"""Reply-time arithmetic: calendar months, the overdue rule, the one-year window and the statistics.

Pure functions over plain data, so the rules can be tested without a server. Times are naive
local times as the portal writes them; a date written without a time counts as its midnight.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

SECONDS_PER_DAY = 86_400
DAYS_PER_MONTH = 365.25 / 12  # only for drawing a month limit on a day axis


def add_months(value: date | datetime, months: int) -> date | datetime:
    """`value` moved by whole calendar months; a day past the target month's end becomes its last day
    (31 May + 3 months = 31 August, 30 November + 3 months = 28/29 February)."""
    total = value.month - 1 + months
    year, month = value.year + total // 12, total % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


@dataclass(slots=True, frozen=True)
class Limit:
    """How long a reply may take: whole calendar months (the standard's wording), or days."""

    months: int | None = 3
    days: float | None = None

    def deadline(self, asked: datetime) -> datetime:
        if self.days is not None:
            return asked + timedelta(days=self.days)
        return add_months(asked, self.months or 0)  # type: ignore[return-value]

    @property
    def approx_days(self) -> float:
        """The limit on a day axis (a month limit is drawn at its average length)."""
        if self.days is not None:
            return float(self.days)
        return round((self.months or 0) * DAYS_PER_MONTH, 1)

    def __str__(self) -> str:
        if self.days is not None:
            return f"{self.days:g} days"
        return f"{self.months} calendar month{'s' if self.months != 1 else ''}"


@dataclass(slots=True)
class Message:
    """One citizen message as read from a board (list row, completed by its detail page)."""

    board: str
    url: str  # detail page, or the list page when the row has no link
    title: str = ""
    asked: datetime | None = None
    replied: datetime | None = None
    status: str = ""  # the status text as the site shows it
    answered: bool | None = None  # None: neither a reply time nor a status says
    unit: str = ""
    list_url: str = ""
    from_detail: bool = False

    @property
    def reply_days(self) -> float | None:
        if self.asked is None or self.replied is None:
            return None
        return (self.replied - self.asked).total_seconds() / SECONDS_PER_DAY


@dataclass(slots=True)
class Verdict:
    overdue: bool
    reason: str = ""  # late-reply | no-reply
    days: float | None = None  # reply delay, or age at as_of when unanswered


def judge(msg: Message, as_of: date, limit: Limit) -> Verdict:
    """Overdue = replied later than the limit after asking, or unanswered and older than the limit at
    `as_of`. A reply dated before its message (a data error) is not overdue."""
    if msg.asked is None:
        return Verdict(False)
    deadline = limit.deadline(msg.asked)
    if msg.replied is not None:
        days = msg.reply_days
        return Verdict(msg.replied > deadline, "late-reply" if msg.replied > deadline else "", days)
    if msg.answered is not False:
        # answered without a reply date, or state unknown: cannot be judged late (counted apart)
        return Verdict(False)
    # Unanswered: overdue once as_of's day has passed the deadline's day.
    age = (datetime.combine(as_of, time(0)) - msg.asked).total_seconds() / SECONDS_PER_DAY
    late = as_of > deadline.date()
    return Verdict(late, "no-reply" if late else "", max(0.0, age))


def window_start(as_of: date, months: int = 12) -> date:
    """The first day of the look-back window: the year before the check is [as_of - 12 months, as_of]."""
    return add_months(as_of, -months)  # type: ignore[return-value]


def in_window(msg: Message, start: date, as_of: date) -> bool:
    return msg.asked is not None and start <= msg.asked.date() <= as_of


def quantile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (NumPy's default, `statistics.quantiles(...,
    method="inclusive")`): the median is quantile 0.5."""
    if not values:
        return None
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def rounded(value: float | None, digits: int = 4) -> float | None:
    """Days with 4 decimals (8.6 s): fine enough to compare lags to the minute, short in reports."""
    if value is None:
        return None
    r = round(value, digits)
    return int(r) if r == int(r) else r


@dataclass(slots=True)
class Summary:
    """A board's numbers over the window, in the report contract's names."""

    messages: int = 0
    answered: int = 0
    unanswered: int = 0
    overdue: int = 0
    median_reply_days: float | None = None
    p90_reply_days: float | None = None
    max_reply_days: float | None = None
    latest_reply: date | None = None  # newest reply on the board (any message read, not after as_of)
    delays_days: list[float] = field(default_factory=list)
    undated: int = 0  # rows without a readable message time (not counted in messages)
    unknown: int = 0  # in-window messages whose answer state could not be read (in messages only)
    reply_undated: int = 0  # answered per status, but no reply time shown
    overdue_messages: list[tuple[Message, Verdict]] = field(default_factory=list)


def summarise(messages: list[Message], as_of: date, start: date, limit: Limit) -> Summary:
    out = Summary()
    delays: list[float] = []
    for msg in messages:
        if msg.replied is not None and msg.replied.date() <= as_of:
            day = msg.replied.date()
            if out.latest_reply is None or day > out.latest_reply:
                out.latest_reply = day
        if msg.asked is None:
            out.undated += 1
            continue
        if not in_window(msg, start, as_of):
            continue
        out.messages += 1
        answered = msg.replied is not None or msg.answered is True
        if answered:
            out.answered += 1
            d = msg.reply_days
            if d is not None and d >= 0:
                delays.append(d)
            elif d is None:
                out.reply_undated += 1
        elif msg.answered is None:
            out.unknown += 1  # neither answered nor unanswered: the check reports it as incomplete
        else:
            out.unanswered += 1
        verdict = judge(msg, as_of, limit)
        if verdict.overdue:
            out.overdue += 1
            out.overdue_messages.append((msg, verdict))
    out.delays_days = [rounded(d) for d in delays]  # type: ignore[misc]
    out.median_reply_days = rounded(quantile(delays, 0.5))
    out.p90_reply_days = rounded(quantile(delays, 0.9))
    out.max_reply_days = rounded(max(delays)) if delays else None
    return out
