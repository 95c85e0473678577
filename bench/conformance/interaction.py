"""Conformance: the interaction check against 2,816 real 问政 messages (taidi2020 附件4.xlsx).

The rows are rendered into a message board (list pages + one page per message, paged like real
portals) served on 127.0.0.1; the check finds the board from the home page, reads it through the
fetcher and measures it. Ground truth, computed here without the check's code:
- every lag: `derived/fj4_reply_times.csv` (lag_days_computed), to the minute;
- overdue at three calendar months, median and p90: from the raw time strings with strptime.
The contestants' own whole-day lags (code/第三问/及时性/回复时间.xlsx) are compared for information.

    .venv/bin/python bench/conformance/interaction.py [--corpus DIR] [--layout table|items|full]

Reads the corpus at run time (never copied into the repo); needs openpyxl.
"""

from __future__ import annotations

import argparse
import asyncio
import calendar
import csv
import html
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govaudit.checks.interaction import InteractionCheck  # noqa: E402

from govaudit.checkapi import CheckContext  # noqa: E402
from govaudit.config import AuditConfig, loopback_fast  # noqa: E402
from govaudit.crawl.crawler import crawl  # noqa: E402
from govaudit.crawl.fetcher import Fetcher  # noqa: E402
from govaudit.model import CheckResult  # noqa: E402
from tests.support.server import Reply, page, serving  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "taidi2020-zhihuizhengwu"
AS_OF = date(2020, 1, 10)  # the day after the newest reply in the data
MINUTE = 1 / 1440
PER_PAGE = 50
LAYOUTS = ("table", "items", "full")


@dataclass(slots=True)
class Record:
    id: str
    user: str
    topic: str
    asked_raw: str  # as the cell holds it (one cell is an Excel datetime: shown as 2019-04-08 08:37:20)
    replied_raw: str  # "" for a message without a reply (附件3)
    detail: str
    reply: str
    lag_csv: float | None = None  # derived/fj4_reply_times.csv
    lag_contestants: int | None = None  # 回复时间.xlsx 回复速度 (whole days)


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value or "").strip()


def load_records(corpus: Path = CORPUS) -> list[Record]:
    """附件4.xlsx rows with the CSV's lags and the contestants' whole-day lags attached."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a clear message for a missing test dependency
        raise SystemExit("openpyxl is needed to read the corpus (.venv/bin/pip install openpyxl)") from None
    book = openpyxl.load_workbook(corpus / "data" / "附件4.xlsx", read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    records = [
        Record(id=str(r[0]).strip(), user=str(r[1] or ""), topic=str(r[2] or ""), asked_raw=_cell_text(r[3]),
               replied_raw=_cell_text(r[6]), detail=str(r[4] or "").strip(), reply=str(r[5] or "").strip())
        for r in rows[1:] if r and r[0] is not None
    ]
    by_id = {r.id: r for r in records}
    with open(corpus / "derived" / "fj4_reply_times.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_id[row["留言编号"].strip()].lag_csv = float(row["lag_days_computed"])
    theirs = corpus / "code" / "第三问" / "及时性" / "回复时间.xlsx"
    if theirs.exists():
        book = openpyxl.load_workbook(theirs, read_only=True)
        for r in list(book.active.iter_rows(values_only=True))[1:]:
            rec = by_id.get(str(r[0]).strip()) if r and r[0] is not None else None
            if rec is not None and isinstance(r[7], int | float):
                rec.lag_contestants = int(r[7])
        book.close()
    return records


def load_unanswered(corpus: Path = CORPUS) -> list[Record]:
    """附件3.xlsx: 4,326 real messages the data set gives without replies. Rendered as 未回复, they
    test unanswered messages, old and recent, with real time strings (a synthetic mix: on the real
    platform some of them may have been answered)."""
    import openpyxl

    book = openpyxl.load_workbook(corpus / "data" / "附件3.xlsx", read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    return [
        Record(id=str(r[0]).strip(), user=str(r[1] or ""), topic=str(r[2] or ""), asked_raw=_cell_text(r[3]),
               replied_raw="", detail=str(r[4] or "").strip(), reply="")
        for r in rows[1:] if r and r[0] is not None
    ]


# ---- ground truth, independent of the check's code ------------------------------------------------


def parse_raw(text: str) -> datetime:
    """The corpus's own formats only: 2019/4/25 9:32:09 (any digit widths), a date alone, and the
    2019-04-08 08:37:20 form the one Excel datetime cell is shown in."""
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(f"unexpected time format: {text!r}")


def plus_months(when: datetime, months: int) -> datetime:
    month0 = when.month - 1 + months
    year, month = when.year + month0 // 12, month0 % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


@dataclass(slots=True)
class Expected:
    messages: int
    answered: int
    unanswered: int
    overdue: int
    median: float | None
    p90: float | None
    max: float | None
    lags: dict[str, float]  # answered messages by id: exact lag in days (from the raw strings)
    waiting: dict[str, bool]  # unanswered messages by id: overdue at as_of?
    window_start: date


def expected(records: list[Record], as_of: date, window_months: int, limit_months: int = 3) -> Expected:
    start = plus_months(datetime.combine(as_of, datetime.min.time()), -window_months).date()
    lags: dict[str, float] = {}
    waiting: dict[str, bool] = {}
    overdue = 0
    for r in records:
        asked = parse_raw(r.asked_raw)
        if not (start <= asked.date() <= as_of):
            continue
        deadline = plus_months(asked, limit_months)
        if not r.replied_raw:
            waiting[r.id] = as_of > deadline.date()  # still waiting after the deadline's day
            overdue += waiting[r.id]
            continue
        replied = parse_raw(r.replied_raw)
        lags[r.id] = (replied - asked).total_seconds() / 86400
        overdue += replied > deadline
    values = list(lags.values())
    p90 = statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else None
    return Expected(messages=len(values) + len(waiting), answered=len(values), unanswered=len(waiting), overdue=overdue,
                    median=statistics.median(values) if values else None, p90=p90,
                    max=max(values) if values else None, lags=lags, waiting=waiting, window_start=start)


# ---- the rendered board ---------------------------------------------------------------------------


def _shell(title: str, body: str, extra_head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}_西地省人民政府'
            f'</title>{extra_head}</head><body><div class="nav"><a href="/">首页</a> <a href="/hdjl/index.html">互动交流'
            f'</a></div><div class="main">{body}</div><div class="footer">西地省人民政府 版权所有</div></body></html>')


def detail_path(rec: Record) -> str:
    return f"/wzly/detail_{rec.id}.html"


def _list_page(records: list[Record], n: int, pages: int, layout: str) -> str:
    e = html.escape
    if layout in ("table", "full"):
        head = "<tr><th>编号</th><th>留言主题</th><th>留言时间</th><th>状态</th>"
        head += "<th>答复时间</th></tr>" if layout == "full" else "</tr>"
        rows = "".join(
            f'<tr><td>{e(r.id)}</td><td><a href="{detail_path(r)}">{e(r.topic)}</a></td><td>{e(r.asked_raw)}</td>'
            f'<td>{_state(r)}</td>' + (f"<td>{e(r.replied_raw) or '-'}</td>" if layout == "full" else "") + "</tr>"
            for r in records)
        pager = f'<div class="page">第{n + 1}页/共{pages}页 '
        if n > 0:
            pager += f'<a href="{"index" if n == 1 else f"index_{n - 1}"}.html">上一页</a> '
        if n + 1 < pages:
            pager += f'<a href="index_{n + 1}.html">下一页</a> <a href="index_{pages - 1}.html">尾页</a>'
        return _shell("问政西地省", f'<h1>问政西地省</h1><table class="lylist">{head}{rows}</table>{pager}</div>')
    items = "".join(
        f'<li><a href="{detail_path(r)}" title="{e(r.topic)}">{e(r.topic)}</a>'
        f'<span class="time">留言时间：{e(r.asked_raw)}</span><span class="state">{_state(r)}</span></li>'
        for r in records)
    # TRS/WCM pager: the page links exist only in the script call, as on many provincial portals.
    pager = f'<div class="page"><script>createPageHTML({pages}, {n}, "index", "html");</script></div>'
    return _shell("问政西地省", f'<h1>问政西地省</h1><ul class="msg-list">{items}</ul>{pager}')


def _state(r: Record) -> str:
    return "已回复" if r.replied_raw else "未回复"


def _detail_page(r: Record, layout: str) -> str:
    e = html.escape
    replied, reply = (r.replied_raw, r.reply) if r.replied_raw else ("-", "暂无答复")
    if layout in ("table", "full"):
        body = (f'<h1>{e(r.topic)}</h1><table class="detail"><tr><th>留言编号</th><td>{e(r.id)}</td></tr>'
                f'<tr><th>留言用户</th><td>{e(r.user)}</td></tr><tr><th>留言时间</th><td>{e(r.asked_raw)}</td></tr>'
                f'<tr><th>留言详情</th><td>{e(r.detail)}</td></tr><tr><th>答复意见</th><td>{e(reply)}</td></tr>'
                f'<tr><th>答复时间</th><td>{e(replied)}</td></tr></table>')
    else:
        body = (f'<h1>{e(r.topic)}</h1><div class="info">留言用户：{e(r.user)}　留言时间：{e(r.asked_raw)}</div>'
                f'<div class="content">{e(r.detail)}</div><div class="reply"><p>答复时间：{e(replied)}</p>'
                f'<div>{e(reply)}</div></div>')
    return _shell(r.topic, body)


def build_routes(records: list[Record], layout: str, per_page: int = PER_PAGE) -> dict[str, Reply]:
    """Home -> 互动交流 -> 问政西地省 board, newest message first, `per_page` to a list page."""
    ordered = sorted(records, key=lambda r: parse_raw(r.asked_raw), reverse=True)
    pages = max(1, math.ceil(len(ordered) / per_page))
    routes: dict[str, Reply] = {
        "/": page(_shell("首页", '<ul class="nav2"><li><a href="/hdjl/index.html">互动交流</a></li>'
                                '<li><a href="/zwgk/index.html">政务公开</a></li></ul>')),
        "/hdjl/index.html": page(_shell("互动交流", '<ul><li><a href="/wzly/index.html">问政西地省</a></li>'
                                                    '<li><a href="/xf/index.html">网上信访</a></li></ul>')),
    }
    for n in range(pages):
        chunk = ordered[n * per_page:(n + 1) * per_page]
        path = "/wzly/index.html" if n == 0 else f"/wzly/index_{n}.html"
        routes[path] = page(_list_page(chunk, n, pages, layout))
    for r in ordered:
        routes[detail_path(r)] = page(_detail_page(r, layout))
    return routes


# ---- running and comparing ------------------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    layout: str
    as_of: date
    window_months: int
    expected: Expected
    metrics: dict[str, Any]
    board: dict[str, Any]
    lag_misses: list[tuple[str, float | None, float]] = field(default_factory=list)  # (id, got, truth)
    csv_misses: list[tuple[str, float | None, float]] = field(default_factory=list)
    state_misses: list[str] = field(default_factory=list)  # unanswered ids reported answered, or overdue wrong
    missing: list[str] = field(default_factory=list)  # expected ids the check did not report
    extra: list[str] = field(default_factory=list)  # reported in-window ids not expected
    contestant_agree: int = 0
    contestant_total: int = 0
    seconds: float = 0.0
    requests: int = 0
    list_pages_served: int = 0
    detail_pages_served: int = 0

    @property
    def exact(self) -> bool:
        b = self.board
        return (not self.lag_misses and not self.csv_misses and not self.missing and not self.extra
                and not self.state_misses
                and b["messages"] == self.expected.messages and b["answered"] == self.expected.answered
                and b["unanswered"] == self.expected.unanswered and b["overdue"] == self.expected.overdue
                and _close(b["median_reply_days"], self.expected.median)
                and _close(b["p90_reply_days"], self.expected.p90)
                and _close(b["max_reply_days"], self.expected.max))


def _close(got: float | None, want: float | None, tol: float = 1e-4) -> bool:
    """Equal at the report's precision (4 decimals of a day = 8.6 s)."""
    if got is None or want is None:
        return got is want
    return abs(got - want) <= tol


async def _audit(url: str, as_of: date, options: dict[str, Any]) -> CheckResult:
    cfg = AuditConfig()
    loopback_fast(cfg.crawl)
    cfg.crawl.max_depth = 1  # home and its links: the check itself must page through the board
    cfg.crawl.use_sitemap = False
    async with Fetcher(cfg.crawl) as fetcher:
        snapshot = await crawl(url, cfg.crawl, fetcher)
        ctx = CheckContext(fetcher=fetcher, config=cfg, as_of=as_of, options=options)
        return await InteractionCheck().run(snapshot, ctx)


def run_conformance(records: list[Record], layout: str = "table", as_of: date = AS_OF,
                    window_months: int = 12, label: str = "") -> Outcome:
    truth = expected(records, as_of, window_months)
    routes = build_routes(records, layout)
    options = {"window_months": window_months, "keep_messages": True, "max_list_pages": 200, "max_details": 5000}
    started = time.monotonic()
    with serving(routes) as srv:
        result = asyncio.run(_audit(srv.url("/"), as_of, options))
        log = list(srv.log)
    seconds = time.monotonic() - started
    if result.status != "ok" or len(result.data.get("boards", [])) != 1:
        raise RuntimeError(f"check did not read one board: {result.status} {result.error} {result.data.get('boards')}")
    out = Outcome(label or layout, as_of, window_months, truth, result.metrics, result.data["boards"][0], seconds=seconds,
                  requests=result.metrics.get("requests", 0))
    out.list_pages_served = sum(1 for _, p in log if p.startswith("/wzly/index"))
    out.detail_pages_served = sum(1 for _, p in log if p.startswith("/wzly/detail_"))
    by_id = {r.id: r for r in records}
    got: dict[str, dict[str, Any]] = {}
    for m in result.data["messages"]:
        if m["in_window"]:
            got[m["url"].rsplit("detail_", 1)[-1].removesuffix(".html")] = m
    wanted = set(truth.lags) | set(truth.waiting)
    out.missing = sorted(wanted - set(got))
    out.extra = sorted(set(got) - wanted)
    for mid, late in truth.waiting.items():
        m = got.get(mid)
        if m is not None and (m["answered"] is not False or m["overdue"] != late):
            out.state_misses.append(mid)
    for mid, want in truth.lags.items():
        have = got[mid]["reply_days"] if mid in got else None
        if have is None or abs(have - want) > MINUTE:
            out.lag_misses.append((mid, have, want))
        csv_lag = by_id[mid].lag_csv
        if csv_lag is not None and (have is None or abs(have - csv_lag) > MINUTE):
            out.csv_misses.append((mid, have, csv_lag))
        theirs = by_id[mid].lag_contestants
        if theirs is not None and have is not None:
            out.contestant_total += 1
            out.contestant_agree += int(math.floor(have)) == theirs
    return out


def report(o: Outcome) -> str:
    e, b = o.expected, o.board
    lines = [
        f"layout={o.layout} as_of={o.as_of} window={o.window_months} months (from {e.window_start})",
        f"  messages   {b['messages']:>6} expected {e.messages}",
        f"  answered   {b['answered']:>6} expected {e.answered}",
        f"  unanswered {b['unanswered']:>6} expected {e.unanswered}",
        f"  overdue    {b['overdue']:>6} expected {e.overdue} (reply, or none by as_of, > 3 calendar months)",
        f"  median     {b['median_reply_days']} expected {round(e.median, 4) if e.median is not None else None}",
        f"  p90        {b['p90_reply_days']} expected {round(e.p90, 4) if e.p90 is not None else None}",
        f"  max        {b['max_reply_days']} expected {round(e.max, 4) if e.max is not None else None}",
        f"  lags off by more than 1 min: vs raw {len(o.lag_misses)}, vs fj4_reply_times.csv {len(o.csv_misses)}; "
        f"missing {len(o.missing)}, extra {len(o.extra)}, unanswered state wrong {len(o.state_misses)}",
        f"  contestants' whole days = floor(lag): {o.contestant_agree}/{o.contestant_total}",
        f"  list pages {o.list_pages_served}, message pages {o.detail_pages_served}, "
        f"check requests {o.requests}, {o.seconds:.1f} s",
        f"  EXACT: {'yes' if o.exact else 'NO'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--layout", choices=LAYOUTS, action="append")
    ap.add_argument("--no-mixed", action="store_true", help="skip the run with 附件3's messages as unanswered")
    args = ap.parse_args(argv)
    if not (args.corpus / "data" / "附件4.xlsx").exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    records = load_records(args.corpus)
    print(f"{len(records)} messages from {args.corpus.name}")
    ok = True
    for layout in args.layout or LAYOUTS:
        for window in (120, 12):  # every message; then the rule's one-year window
            o = run_conformance(records, layout, AS_OF, window)
            print(report(o))
            for mid, have, want in o.lag_misses[:5]:
                print(f"    lag miss {mid}: got {have} want {want:.4f}")
            ok = ok and o.exact
    if not args.no_mixed:
        mixed = records + load_unanswered(args.corpus)
        print(f"mixed board: {len(records)} answered (附件4) + {len(mixed) - len(records)} shown as 未回复 (附件3)")
        for window in (120, 12):
            o = run_conformance(mixed, "table", AS_OF, window, label="table, 附件4+附件3")
            print(report(o))
            ok = ok and o.exact
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
