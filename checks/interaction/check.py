"""Interaction response (政民互动): find the citizen channels, read the boards, measure the replies.

Feeds the cn-gov-2019 互动回应差 veto (no effective consultation channel; a message in the year
before the check left unanswered beyond three months), the 留言答复 two-month deduction and the
调查征集 / 在线访谈 activity deductions. A board that cannot be read makes the numbers that depend
on it unknown (None), so the profile reports "error" instead of a clean pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from govaudit.checks.interaction import words as W
from govaudit.checks.interaction.channels import (
    Channel,
    Discovery,
    activity_sections,
    channels_in,
    discover,
    has_letter_form,
)
from govaudit.checks.interaction.measure import (
    Limit,
    Message,
    Summary,
    add_months,
    in_window,
    judge,
    quantile,
    rounded,
    summarise,
    window_start,
)
from govaudit.checks.interaction.pages import PageSource
from govaudit.checks.interaction.reader import (
    ActivityReading,
    BoardReading,
    ReadOptions,
    read_activities,
    read_board,
)
from govaudit.checks.interaction.siteconfig import InteractionSiteConfig, parse_site_config

from govaudit.checkapi import CheckContext
from govaudit.crawl.urls import normalize_url
from govaudit.errors import UsageError
from govaudit.model import CheckResult, Finding, SiteSnapshot

_KIND_TITLES = {W.CONSULTATION: "政务咨询", W.SURVEY: "调查征集", W.INTERVIEW: "在线访谈", W.EXCLUDED: "excluded"}


@dataclass(slots=True)
class Options:
    """`[checks.interaction]` in govaudit.toml:

        limit_months = 3         # reply limit in calendar months (the standard's "3 个月")
        limit_days = 90          # or a limit in days instead (overrides limit_months)
        window_months = 12       # look-back window: messages asked in [as_of - 12 months, as_of]
        recent_reply_months = 2  # 留言答复 deduction: a reply within this many months before as_of
        max_list_pages = 50      # list pages read per board at most
        max_details = 500        # message pages fetched per board at most
        details = "auto"         # auto: only when the list lacks a reply time or state | always | never
        keep_messages = false    # add every message read to the check's data (large)
        max_hubs = 6             # 互动交流-style pages the crawl did not fetch, opened to search for channels
    """

    limit: Limit
    window_months: int = 12
    recent_reply_months: int = 2
    read: ReadOptions | None = None
    keep_messages: bool = False
    max_hubs: int = 6

    @classmethod
    def parse(cls, raw: dict[str, Any], concurrency: int) -> Options:
        known = ("limit_months", "limit_days", "window_months", "recent_reply_months", "max_list_pages",
                 "max_details", "details", "keep_messages", "max_hubs")
        for key in raw:
            if key not in known:
                raise UsageError(f"[checks.interaction]: unknown option {key!r}; known: {', '.join(known)}")

        def whole(key: str, default: int, least: int = 1) -> int:
            value = raw.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise UsageError(f"[checks.interaction]: {key} must be a whole number of at least {least}, got {value!r}")
            return value

        if "limit_days" in raw:
            days = raw["limit_days"]
            if isinstance(days, bool) or not isinstance(days, int | float) or days <= 0:
                raise UsageError(f"[checks.interaction]: limit_days must be a number above 0, got {days!r}")
            limit = Limit(months=None, days=float(days))
        else:
            limit = Limit(months=whole("limit_months", 3))
        details = raw.get("details", "auto")
        if details not in ("auto", "always", "never"):
            raise UsageError(f"[checks.interaction]: details must be auto, always or never, got {details!r}")
        keep = raw.get("keep_messages", False)
        if not isinstance(keep, bool):
            raise UsageError(f"[checks.interaction]: keep_messages must be true or false, got {keep!r}")
        return cls(
            limit=limit,
            window_months=whole("window_months", 12),
            recent_reply_months=whole("recent_reply_months", 2),
            read=ReadOptions(max_list_pages=whole("max_list_pages", 50), max_details=whole("max_details", 500, 0),
                             details=details, concurrency=max(1, concurrency)),
            keep_messages=keep,
            max_hubs=whole("max_hubs", 6, 0),
        )


class InteractionCheck:
    id = "interaction"
    title = "政民互动 — interaction response"

    async def run(self, snapshot: SiteSnapshot, ctx: CheckContext) -> CheckResult:
        opts = Options.parse(ctx.options, ctx.config.crawl.concurrency)
        assert opts.read is not None
        site = parse_site_config(ctx.config.site, normalize_url)
        as_of = ctx.as_of
        start = window_start(as_of, opts.window_months)
        source = PageSource(snapshot, ctx.fetcher, ctx.renderer)

        home = snapshot.home_url or snapshot.start_url
        found = (await discover(source, [snapshot.start_url], max_hubs=opts.max_hubs, snapshot=snapshot)
                 if site.discover else Discovery())
        channels = _with_configured(found.channels, site, home)

        boards: list[BoardReading] = []
        activities: list[ActivityReading] = []
        done: set[str] = set()
        queue = [c for c in channels if c.kind != W.EXCLUDED and not c.form]
        while queue:
            ch = queue.pop(0)
            if ch.url in done:
                continue
            done.add(ch.url)
            cfg = site.for_url(ch.url)
            if ch.kind == W.CONSULTATION:
                reading = await read_board(ch, source, as_of, start, cfg, opts.read)
                if not reading.readable and ch.via != "config" and await self._is_form(ch, source):
                    # A write-a-letter page (often script-driven) proves the channel; it is no list to read.
                    ch.form = True
                    found.rejected.append({"url": ch.url, "name": ch.name, "found_on": ch.found_on,
                                           "why": "a write-a-letter form, not a list of letters: counted as a "
                                                  "channel, not read as a board"})
                    continue
                more = await self._hub_fallback(reading, source, channels)
                if more:
                    # A 领导信箱 page that only lists the mailboxes: read those instead.
                    channels.extend(more)
                    queue.extend(more)
                    channels.remove(ch)
                    continue
                twin = _same_board(reading.list_pages, {m.url for m in reading.messages},
                                   [(b.list_pages, {m.url for m in b.messages}) for b in boards])
                if twin is not None:
                    ch.duplicate_of = boards[twin].channel.url  # one board linked under two URLs
                    continue
                boards.append(reading)
            else:
                act = await read_activities(ch, source, as_of, start, cfg, opts.read)
                twin = _same_board(act.list_pages, {u for _, u, _ in act.items},
                                   [(a.list_pages, {u for _, u, _ in a.items}) for a in activities])
                if twin is not None:
                    ch.duplicate_of = activities[twin].channel.url
                    continue
                activities.append(act)

        boards = self._settle_candidates(boards, found)
        sections = await self._sections(found, channels, source, as_of)
        items = {url: a.channel.url for a in sections for _, url, _ in a.items}
        for a in activities:
            if a.channel.url in items:  # an item of a hub block whose title names the kind is no channel
                a.channel.duplicate_of = items[a.channel.url]
        activities = [a for a in activities if a.channel.duplicate_of is None] + sections
        summaries = [summarise(b.messages, as_of, start, opts.limit) for b in boards]
        findings = self._findings(snapshot, found, channels, boards, summaries, activities, opts, as_of, start)
        metrics = self._metrics(channels, boards, summaries, activities, opts, as_of, start, source)
        data: dict[str, Any] = {
            "window_start": start.isoformat(),
            "limit": str(opts.limit),
            "limit_days": opts.limit.approx_days,
            "channels": [_channel_row(c) for c in channels],
            "searched": found.searched,
            "rejected": found.rejected,
            "boards": [_board_row(b, s, opts.limit) for b, s in zip(boards, summaries, strict=True)],
            "activities": [_activity_row(a, as_of, start) for a in activities],
        }
        if opts.keep_messages:
            data["messages"] = [_message_row(m, as_of, start, opts.limit) for b in boards for m in b.messages]
        return CheckResult(status="ok", metrics=metrics, findings=findings, data=data)

    @staticmethod
    async def _sections(found: Discovery, channels: list[Channel], source: PageSource,
                        as_of: date) -> list[ActivityReading]:
        """调查征集 / 在线访谈 blocks that the home and hub pages list themselves (the block may have no
        link to a list page, or one to a page that reads nothing): each is read as an activity list."""
        out: list[ActivityReading] = []
        for url in found.hubs:
            got = await source.get(url)
            if not got.ok or not got.html:
                continue
            for sec in activity_sections(got.html, got.final_url, as_of):
                ch = Channel(sec.name, f"{got.final_url}#{sec.name}", sec.kind, got.final_url, via="section")
                if any(c.url == ch.url for c in channels):
                    continue
                channels.append(ch)
                reading = ActivityReading(ch, list_pages=[got.final_url])
                seen: set[str] = set()
                for row in sec.rows:
                    if row.asked is not None and row.link and row.link not in seen:
                        seen.add(row.link)
                        reading.items.append((row.title, row.link, row.asked))
                out.append(reading)
        return out

    @staticmethod
    async def _is_form(ch: Channel, source: PageSource) -> bool:
        got = await source.get(ch.url)
        return got.ok and has_letter_form(got.html)

    @staticmethod
    def _settle_candidates(boards: list[BoardReading], found: Discovery) -> list[BoardReading]:
        """Every candidate board was tried; when one reads, a page that was only guessed to be a board (by
        its URL or its content, not named as a channel) and cannot be read is a rejected candidate, not an
        unreadable board."""
        if not any(b.readable for b in boards):
            return boards
        kept: list[BoardReading] = []
        for b in boards:
            if not b.readable and b.channel.via in ("url", "content"):
                found.rejected.append({"url": b.channel.url, "name": b.channel.name, "found_on": b.channel.found_on,
                                       "why": f"guessed by its {b.channel.via}, and no list read from it "
                                              f"({b.status}: {b.reason}); another board reads"})
                continue
            kept.append(b)
        return kept

    async def _hub_fallback(self, reading: BoardReading, source: PageSource, known: list[Channel]) -> list[Channel]:
        """Consultation channels linked from a static page that held no messages itself (a mailbox
        index). A scripted page stays an unreadable board: its links must not hide it."""
        if reading.status != "not-readable" or reading.scripted:
            return []
        links, got = await source.links(reading.channel.url)
        if not got.ok:
            return []
        have = {c.url for c in known}
        found, _ = channels_in(links, got.final_url)
        return [c for c in found if c.kind == W.CONSULTATION and not c.form and c.url not in have
                and c.url != reading.channel.url]

    # ---- findings ----

    def _findings(self, snapshot: SiteSnapshot, found: Discovery, channels: list[Channel], boards: list[BoardReading],
                  summaries: list[Summary], activities: list[ActivityReading], opts: Options, as_of: date,
                  start: date) -> list[Finding]:
        out: list[Finding] = []
        home = snapshot.start_url
        consult = [c for c in channels if c.kind == W.CONSULTATION]
        if not consult:
            out.append(Finding(
                rule="interaction-no-channel", page=home, severity="error",
                message=f"no online consultation channel (信箱, 留言, 咨询 …) linked from or held by any of the "
                        f"{len(found.searched)} pages searched (the whole crawl and its 互动交流 pages); 信访 and "
                        "纪检举报 channels do not count",
                evidence={"searched": list(found.searched), "unreachable": list(found.unreachable),
                          "excluded": [c.url for c in channels if c.kind == W.EXCLUDED],
                          "rejected": list(found.rejected),
                          "looked_for": [w for _, ws in W.TEXT_WORDS for w in ws][:40]},
            ))
        elif not boards:
            out.append(Finding(
                rule="interaction-no-board", page=consult[0].found_on, target=consult[0].url, severity="warning",
                message="consultation channels are only forms; no published list of messages and replies to measure",
                evidence={"channels": [c.url for c in consult]},
            ))
        for b, s in zip(boards, summaries, strict=True):
            name = b.channel.name
            if not b.readable:
                out.append(Finding(
                    rule="interaction-board-unreadable", page=b.channel.url, severity="error",
                    message=f"{name}: board could not be read ({b.status}): {b.reason}",
                    evidence={"board": name, "status": b.status, "reason": b.reason, "scripted": b.scripted,
                              "renderer": b.rendered},
                ))
                continue
            if not b.complete or s.unknown:
                why = b.reason or f"{s.unknown} messages with no readable answer state"
                out.append(Finding(
                    rule="interaction-board-incomplete", page=b.channel.url, severity="warning",
                    message=f"{name}: the year before the check was not read completely: {why}",
                    evidence={"board": name, "reason": why, "unknown": s.unknown, "pages_read": len(b.list_pages)},
                ))
            for msg, verdict in s.overdue_messages:
                assert msg.asked is not None
                asked = _when(msg.asked)
                deadline = opts.limit.deadline(msg.asked)
                if verdict.reason == "late-reply":
                    text = f"{name}: message of {asked} answered {_when(msg.replied)}, {verdict.days:.1f} days later " \
                           f"(limit {opts.limit})"
                else:
                    text = f"{name}: message of {asked} still unanswered at {as_of.isoformat()}, " \
                           f"{verdict.days:.0f} days (limit {opts.limit})"
                out.append(Finding(
                    rule="interaction-overdue", page=msg.url, severity="error", message=text,
                    evidence={"board": name, "board_url": b.channel.url, "list_page": msg.list_url, "title": msg.title,
                              "asked": asked, "replied": _when(msg.replied), "status": msg.status,
                              "reason": verdict.reason, "days": rounded(verdict.days),
                              "deadline": _when(deadline), "unit": msg.unit},
                ))
            if s.reply_undated:
                out.append(Finding(
                    rule="interaction-reply-undated", page=b.channel.url, severity="info",
                    message=f"{name}: {s.reply_undated} answered messages show no reply date",
                    evidence={"board": name, "count": s.reply_undated},
                ))
            cutoff = add_months(as_of, -opts.recent_reply_months)
            if s.latest_reply is None or s.latest_reply < cutoff:
                latest = s.latest_reply.isoformat() if s.latest_reply else None
                out.append(Finding(
                    rule="interaction-no-recent-reply", page=b.channel.url, severity="warning",
                    message=f"{name}: no reply in the {opts.recent_reply_months} months before {as_of.isoformat()} "
                            f"(latest reply: {latest or 'none'})",
                    evidence={"board": name, "latest_reply": latest, "since": cutoff.isoformat()},
                ))
        for a in activities:
            kind_title = _KIND_TITLES[a.channel.kind]
            name = a.channel.name if kind_title in a.channel.name else f"{a.channel.name} ({kind_title})"
            if not a.readable:
                out.append(Finding(
                    rule="interaction-activity-unreadable", page=a.channel.url, severity="error",
                    message=f"{name}: list could not be read ({a.status}): {a.reason}",
                    evidence={"kind": a.channel.kind, "status": a.status, "reason": a.reason},
                ))
                continue
            dates = [d.date() for _, _, d in a.items if start <= d.date() <= as_of]
            out.append(Finding(
                rule="interaction-activity-count", page=a.channel.url, severity="info",
                message=f"{name}: {len(dates)} items in the 12 months before {as_of.isoformat()}",
                evidence={"kind": a.channel.kind, "in_window": len(dates),
                          "latest": max(dates).isoformat() if dates else None},
            ))
        return out

    # ---- metrics ----

    def _metrics(self, channels: list[Channel], boards: list[BoardReading], summaries: list[Summary],
                 activities: list[ActivityReading], opts: Options, as_of: date, start: date,
                 source: PageSource) -> dict[str, Any]:
        channels = [c for c in channels if c.duplicate_of is None]
        consult = [c for c in channels if c.kind == W.CONSULTATION]
        readable = [(b, s) for b, s in zip(boards, summaries, strict=True) if b.readable]
        incomplete = [b for b, s in zip(boards, summaries, strict=True) if not b.complete or s.unknown]
        overdue_found = sum(s.overdue for _, s in readable)
        # Overdue is known only when every consultation board was read through the window (or one
        # overdue message is already proven); with no readable board it cannot be judged at all.
        overdue: int | None = overdue_found
        if overdue_found == 0 and (incomplete or not boards):
            overdue = None
        delays = [d for _, s in readable for d in s.delays_days]
        latest = max((s.latest_reply for _, s in readable if s.latest_reply), default=None)
        cutoff = add_months(as_of, -opts.recent_reply_months)
        if latest is not None and latest >= cutoff:
            no_recent: int | None = 0
        elif boards and not any(not b.readable for b in boards):
            no_recent = 1
        else:
            no_recent = None  # nothing readable, or an unreadable board may hold the recent reply

        def activities_in_window(kind: str) -> int | None:
            """Distinct items of the kind in the window over every list that reads (a hub block and the
            list page it leads to hold the same items); unknown only when nothing read has one and a
            list could not be read through."""
            lists = [a for a in activities if a.channel.kind == kind and a.channel.duplicate_of is None]
            items = {url for a in lists if a.readable for _, url, d in a.items if start <= d.date() <= as_of}
            if not items and any(not a.readable or a.truncated for a in lists):
                return None
            return len(items)

        return {
            "channels": sum(1 for c in channels if c.kind != W.EXCLUDED),
            "consultation_channels": len(consult),
            "survey_channels": sum(1 for c in channels if c.kind == W.SURVEY),
            "interview_channels": sum(1 for c in channels if c.kind == W.INTERVIEW),
            "excluded_channels": sum(1 for c in channels if c.kind == W.EXCLUDED),
            "form_channels": sum(1 for c in consult if c.form),
            "boards": len(boards),
            "boards_readable": len(readable),
            "boards_unreadable": len(boards) - len(readable),
            "boards_incomplete": len(incomplete),
            "messages": sum(s.messages for _, s in readable),
            "answered": sum(s.answered for _, s in readable),
            "unanswered": sum(s.unanswered for _, s in readable),
            "unknown": sum(s.unknown for _, s in readable),
            "overdue": overdue,
            "overdue_found": overdue_found,
            "median_reply_days": rounded(quantile(delays, 0.5)),
            "p90_reply_days": rounded(quantile(delays, 0.9)),
            "max_reply_days": rounded(max(delays)) if delays else None,
            "latest_reply": latest.isoformat() if latest else None,
            "latest_reply_age_days": (as_of - latest).days if latest else None,
            "no_reply_2_months": no_recent,
            "surveys_in_window": activities_in_window(W.SURVEY),
            "interviews_in_window": activities_in_window(W.INTERVIEW),
            "selectors_used": sum(1 for b in boards if b.selectors_used),
            "list_pages_read": sum(len(b.list_pages) for b in boards) + sum(len(a.list_pages) for a in activities),
            "details_fetched": sum(b.details_fetched for b in boards),
            "requests": source.requests,
            "renders": source.renders,
            "limit_days": opts.limit.approx_days,
        }


def _same_board(pages: list[str], items: set[str], others: list[tuple[list[str], set[str]]]) -> int | None:
    """Index of an already-read board with the same first list page or exactly the same messages."""
    for n, (other_pages, other_items) in enumerate(others):
        if (pages and other_pages and pages[0] == other_pages[0]) or (items and items == other_items):
            return n
    return None


def _with_configured(found: list[Channel], site: InteractionSiteConfig, home: str) -> list[Channel]:
    """Discovered channels plus the boards the site config names by URL (config wins on kind)."""
    out = list(found)
    by_url = {c.url: c for c in out}
    for cfg in site.boards:
        if not cfg.url:
            continue
        ch = by_url.get(cfg.url)
        if ch is None:
            ch = Channel(cfg.name or cfg.url, cfg.url, cfg.kind, home, via="config")
            out.append(ch)
            by_url[cfg.url] = ch
        else:
            ch.kind, ch.form = cfg.kind, False
            ch.name = cfg.name or ch.name
    return out


def _when(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return text[:-9] if text.endswith(" 00:00:00") else text


def _channel_row(c: Channel) -> dict[str, Any]:
    return {"name": c.name, "url": c.url, "kind": c.kind, "type": _KIND_TITLES[c.kind], "found_on": c.found_on,
            "via": c.via, "form": c.form, "duplicate_of": c.duplicate_of, "seen_on": c.seen_on}


def _board_row(b: BoardReading, s: Summary, limit: Limit) -> dict[str, Any]:
    return {
        "name": b.channel.name, "url": b.channel.url,
        "messages": s.messages, "answered": s.answered, "unanswered": s.unanswered, "overdue": s.overdue,
        "median_reply_days": s.median_reply_days, "max_reply_days": s.max_reply_days,
        "p90_reply_days": s.p90_reply_days,
        "latest_reply": s.latest_reply.isoformat() if s.latest_reply else None,
        "readable": b.readable, "status": b.status, "reason": b.reason, "complete": b.complete,
        "unknown": s.unknown, "undated": s.undated,
        "selectors_used": b.selectors_used, "rendered": b.rendered, "shape": b.shape,
        "pages_read": len(b.list_pages), "details_fetched": b.details_fetched,
        "limit_days": limit.approx_days, "delays_days": s.delays_days,
    }


def _activity_row(a: ActivityReading, as_of: date, start: date) -> dict[str, Any]:
    dates = sorted((d.date() for _, _, d in a.items), reverse=True)
    recent = [d for d in dates if start <= d <= as_of]
    return {"name": a.channel.name, "url": a.channel.url, "kind": a.channel.kind,
            "type": _KIND_TITLES[a.channel.kind], "items": len(dates), "in_window": len(recent),
            "latest": recent[0].isoformat() if recent else (dates[0].isoformat() if dates else None),
            "readable": a.readable, "status": a.status, "reason": a.reason, "complete": not a.truncated,
            "selectors_used": a.selectors_used}


def _message_row(m: Message, as_of: date, start: date, limit: Limit) -> dict[str, Any]:
    v = judge(m, as_of, limit)
    return {"board": m.board, "url": m.url, "title": m.title, "asked": _when(m.asked), "replied": _when(m.replied),
            "status": m.status, "answered": m.answered, "reply_days": rounded(m.reply_days),
            "in_window": in_window(m, start, as_of), "overdue": v.overdue, "reason": v.reason}

