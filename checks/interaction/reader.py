"""Read one board: its list pages back to the start of the window, and message pages when the list
does not say enough. A board we cannot read is reported as such, never as a board without messages.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime

from govaudit.checks.interaction.channels import Channel
from govaudit.checks.interaction.listing import ListPage, Row, parse_detail, parse_list
from govaudit.checks.interaction.measure import Message
from govaudit.checks.interaction.pages import PageSource
from govaudit.checks.interaction.siteconfig import BoardConfig

# Board states in boards[].status
OK = "ok"
EMPTY = "empty"  # the board says it has no messages, and nothing suggests scripts fill it
NOT_READABLE = "not-readable"  # the page opened but no list could be read from it
UNREACHABLE = "unreachable"  # the page did not open


@dataclass(slots=True)
class ReadOptions:
    max_list_pages: int = 50
    max_details: int = 500
    details: str = "auto"  # auto | always | never
    concurrency: int = 8


@dataclass(slots=True)
class BoardReading:
    channel: Channel
    messages: list[Message] = field(default_factory=list)
    status: str = OK
    reason: str = ""
    list_pages: list[str] = field(default_factory=list)
    shape: str = ""
    selectors_used: bool = False
    rendered: bool = False
    scripted: bool = False
    details_fetched: int = 0
    details_failed: int = 0
    details_skipped: int = 0  # wanted but over the max_details bound
    reached_window_start: bool = False  # stopped because the list went older than the window
    end_of_list: bool = False  # no further page
    truncated: bool = False  # stopped by the page bound while still inside the window

    @property
    def readable(self) -> bool:
        return self.status in (OK, EMPTY)

    @property
    def complete(self) -> bool:
        return self.readable and not self.truncated and self.details_skipped == 0 and self.details_failed == 0


async def read_list_pages(channel: Channel, source: PageSource, as_of: date, start: date,
                          config: BoardConfig | None, opts: ReadOptions) -> tuple[BoardReading, list[tuple[Row, str]]]:
    """Follow the list from its first page while rows are newer than `start`. Returns the reading
    (status, pages) and every row with the list page it was on."""
    reading = BoardReading(channel)
    selectors = config.selectors if config else None
    reading.selectors_used = selectors is not None
    rows: list[tuple[Row, str]] = []
    seen_rows: set[tuple[str, str]] = set()
    visited: set[str] = set()
    url: str | None = channel.url
    for n in range(opts.max_list_pages):
        assert url is not None
        visited.add(url)
        got = (await source.render(url) if reading.rendered else None) or await source.get(url)
        if not got.ok:
            if n == 0:
                reading.status, reading.reason = UNREACHABLE, f"the board did not open: {got.problem}"
            else:
                reading.truncated = True
                reading.reason = f"list page {url} did not open ({got.problem}); later pages not read"
            break
        page = parse_list(got.html, got.final_url, as_of, selectors)
        reading.scripted = reading.scripted or page.scripted
        if n == 0 and not page.rows and not (page.empty and not page.scripted):
            # Scripts may build the list: try the browser once; if it helps, use it for every page.
            rendered = await source.render(url)
            if rendered is not None and rendered.ok:
                again = parse_list(rendered.html, rendered.final_url, as_of, selectors)
                if again.rows:
                    page, got, reading.rendered = again, rendered, True
            elif rendered is not None:
                reading.reason = f"the renderer failed: {rendered.problem}"
        if not page.rows:
            if n == 0:
                if page.empty and not page.scripted:
                    reading.status, reading.reason = EMPTY, "the board says it has no messages"
                else:
                    reading.status = NOT_READABLE
                    reading.reason = reading.reason or _why_unreadable(page, source, got.content_type)
            else:
                reading.end_of_list = True
            break
        reading.shape = reading.shape or page.shape
        new = 0
        for row in page.rows:
            key = (row.link or "", f"{row.title}|{row.asked}")
            if key in seen_rows:
                continue
            seen_rows.add(key)
            rows.append((row, got.final_url))
            new += 1
        reading.list_pages.append(got.final_url)
        if new == 0:
            reading.end_of_list = True  # a pager that leads back to rows we have
            break
        if _older_than(page.rows, start):
            reading.reached_window_start = True
            break
        url = next((u for u in page.next_urls if u not in visited), None)
        if url is None:
            reading.end_of_list = True
            break
    else:
        reading.truncated = True
        reading.reason = f"stopped after {opts.max_list_pages} list pages (max_list_pages) inside the window"
    return reading, rows


def _why_unreadable(page: ListPage, source: PageSource, content_type: str = "") -> str:
    browser = "no browser renderer is available" if not source.can_render else "the rendered page shows none either"
    if "json" in content_type:
        return f"the board URL answers with JSON data ({content_type}), not a page; name its list page in the " \
               "site config"
    if page.scripted:
        return f"the list is built by scripts or loaded from a data endpoint, and {browser}"
    return f"no message list found on the page (table or item list with dates), and {browser}"


def _older_than(rows: list[Row], start: date) -> bool:
    """All dated rows are before the window, in a list that runs newest first."""
    dated = [r.asked for r in rows if r.asked is not None]
    if not dated:
        return False
    ascending = len(dated) > 1 and dated[0] < dated[-1]
    return not ascending and max(dated).date() < start


def _needs_detail(row: Row, opts: ReadOptions) -> bool:
    if not row.link or opts.details == "never":
        return False
    if opts.details == "always":
        return True
    return row.asked is None or row.answered is None or (row.answered and row.replied is None)


async def read_board(channel: Channel, source: PageSource, as_of: date, start: date,
                     config: BoardConfig | None, opts: ReadOptions) -> BoardReading:
    """The board's messages: list rows, completed from message pages where needed (bounded)."""
    reading, rows = await read_list_pages(channel, source, as_of, start, config, opts)
    detail_sel = config.detail if config else None
    if detail_sel is not None:
        reading.selectors_used = True
    messages = [_message(channel, row, list_url) for row, list_url in rows]
    wanted = [
        (msg, row) for msg, (row, _) in zip(messages, rows, strict=True)
        if _needs_detail(row, opts) and (row.asked is None or row.asked.date() >= start)
    ]
    reading.details_skipped = max(0, len(wanted) - opts.max_details)
    wanted = wanted[: opts.max_details]
    gate = asyncio.Semaphore(max(1, opts.concurrency))

    async def complete(msg: Message, row: Row) -> None:
        async with gate:
            got = await source.get(msg.url)
        if not got.ok or not got.html:
            reading.details_failed += 1
            return
        reading.details_fetched += 1
        d = parse_detail(got.html, got.final_url, as_of, detail_sel)
        msg.from_detail = True
        if d.asked is not None:
            msg.asked = d.asked
        if d.replied is not None:
            msg.replied = d.replied
        if d.status:
            msg.status = d.status
        if d.unit:
            msg.unit = d.unit
        if d.answered is not None:
            msg.answered = d.answered
        if msg.replied is not None:
            msg.answered = True
        msg.title = msg.title or d.title

    await asyncio.gather(*(complete(m, r) for m, r in wanted))
    reading.messages = messages
    if reading.details_failed or reading.details_skipped:
        extra = []
        if reading.details_failed:
            extra.append(f"{reading.details_failed} message pages did not open")
        if reading.details_skipped:
            extra.append(f"{reading.details_skipped} message pages not read (max_details)")
        reading.reason = "; ".join(filter(None, [reading.reason, *extra]))
    return reading


def _message(channel: Channel, row: Row, list_url: str) -> Message:
    return Message(board=channel.name, url=row.link or list_url, title=row.title, asked=row.asked,
                   replied=row.replied, status=row.status, answered=row.answered, list_url=list_url)


@dataclass(slots=True)
class ActivityReading:
    """A 调查征集 or 在线访谈 list: its dated items."""

    channel: Channel
    items: list[tuple[str, str, datetime]] = field(default_factory=list)  # (title, url, date)
    status: str = OK
    reason: str = ""
    list_pages: list[str] = field(default_factory=list)
    truncated: bool = False
    selectors_used: bool = False
    rendered: bool = False

    @property
    def readable(self) -> bool:
        return self.status in (OK, EMPTY)


async def read_activities(channel: Channel, source: PageSource, as_of: date, start: date,
                          config: BoardConfig | None, opts: ReadOptions) -> ActivityReading:
    """Items of an activity list back to the window start; the item's first date is its date."""
    board, rows = await read_list_pages(channel, source, as_of, start, config, opts)
    out = ActivityReading(channel, status=board.status, reason=board.reason, list_pages=board.list_pages,
                          truncated=board.truncated, selectors_used=board.selectors_used, rendered=board.rendered)
    seen: set[str] = set()
    for row, list_url in rows:
        key = row.link or f"{list_url}#{row.title}"
        if row.asked is None or key in seen:
            continue
        seen.add(key)
        out.items.append((row.title, row.link or list_url, row.asked))
    return out
