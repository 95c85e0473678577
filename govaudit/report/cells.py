"""The cells and blocks that check data is shown in (shared by HTML and Markdown), and the
helpers that make them. Nothing here escapes: every text may be site text until a renderer escapes
it, and a Cell's `href` is only ever a safe_href() URL or a "#" anchor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

from govaudit.report.view import fmt_number, safe_href

MAX_ROWS = 1000  # a table longer than this is cut in the reports; report.json keeps every row
_SHORT_URL = 70  # characters of an address shown in a table cell; the cell's title has all of it

_YES, _NO = "✓", "✗"


@dataclass(slots=True)
class Cell:
    text: str
    href: str | None = None  # a safe http(s) URL or an in-report "#anchor"; never anything else
    cls: str = ""  # n (number) | good | bad | warn | muted | mono | nolink
    title: str = ""  # tooltip, e.g. the whole address when `text` is shortened


@dataclass(slots=True)
class Table:
    kind: ClassVar[str] = "table"
    key: str  # where it came from in the check's data (an HTML id part)
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    row_classes: list[str] = field(default_factory=list)
    caption: str = ""  # one line under the title
    collapsed: bool = False  # bookkeeping: behind a closed <details> in HTML
    markdown: list[int] | None = None  # the columns report.md shows; None leaves the table out of it
    total: int = 0  # rows before the cut


@dataclass(slots=True)
class Facts:
    kind: ClassVar[str] = "facts"
    key: str
    title: str
    items: list[tuple[str, list[Cell]]]
    markdown: bool = False


Block = Table | Facts



@dataclass(slots=True)
class _Ctx:
    origin: str  # scheme://host[:port] of the audited site, for short same-site addresses
    first_finding: dict[str, str]  # rule -> id of its first finding in this check
    shots: dict[str, str]  # "screenshot:<url>" asset name -> "#anchor" of its embedded image



# ---- cells ----------------------------------------------------------------------------------


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def short_url(url: str, origin: str) -> str:
    """A same-site address as its path ("/xwdt/index.html"), any other cut to a cell's width."""
    if origin and safe_href(url) and (url == origin or url.startswith(origin + "/")):
        url = url[len(origin):] or "/"
    return url if len(url) <= _SHORT_URL else url[: _SHORT_URL - 1] + "…"


def url_cell(url: object, ctx: _Ctx, text: str | None = None) -> Cell:
    """An address as a link when it is http(s); otherwise as marked text, never a link."""
    if url is None or url == "":
        return Cell(text or "–", cls="" if text else "muted")
    raw = str(url)
    href = safe_href(raw)
    shown = text if text else short_url(raw, ctx.origin)
    title = raw if shown != raw else ""
    if href is None:
        return Cell(shown, cls="nolink", title=f"not an http(s) address: {raw}")
    return Cell(shown, href=href, title=title)


def fmt(value: Any) -> str:
    """Any data value as short text for a cell."""
    if value is None or value == "":
        return "–"
    if isinstance(value, (bool, int, float)):
        return fmt_number(value)
    if isinstance(value, list):
        return _list_text(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fmt(v)}" for k, v in value.items()) or "–"
    return str(value)


def _list_text(values: list[Any]) -> str:
    if not values:
        return "–"
    if any(isinstance(v, (list, dict)) for v in values):
        return f"{len(values)} entries"
    joined = ", ".join(fmt(v) for v in values)
    if len(values) <= 3 and len(joined) <= 60:
        return joined
    return f"{len(values)} values"


def value_cell(value: Any) -> Cell:
    """A generic value: numbers right-aligned, long lists as a count with the values as a tooltip."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Cell(fmt(value), cls="n")
    if isinstance(value, list):
        text = _list_text(value)
        whole = ", ".join(fmt(v) for v in value[:50]) + (" …" if len(value) > 50 else "")
        return Cell(text, title=whole if text != whole else "")
    if value is None or value == "":
        return Cell("–", cls="muted")
    return Cell(fmt(value))


def state_cell(value: object, yes: str = "yes", no: str = "no", unknown: str = "not known") -> Cell:
    """True / False / None as a tick, a cross or a dash, with words (never colour alone)."""
    if value is None:
        return Cell(f"– {unknown}" if unknown != "–" else "–", cls="muted")
    return Cell(f"{_YES} {yes}", cls="good") if value else Cell(f"{_NO} {no}", cls="bad")


def _num(value: object) -> Cell:
    return Cell(fmt(value), cls="n")


def _count_cell(value: object, bad_when_positive: bool = True) -> Cell:
    cell = _num(value)
    if bad_when_positive and isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        cell.cls = "n bad"
    return cell


def _rows(items: Any) -> list[dict[str, Any]]:
    return [x for x in items if isinstance(x, dict)] if isinstance(items, list) else []


def _table(key: str, title: str, columns: list[str], rows: list[list[Cell]], **kw: Any) -> Table:
    classes = kw.pop("row_classes", [""] * len(rows))
    return Table(key, title, columns, rows[:MAX_ROWS], classes[:MAX_ROWS], total=len(rows), **kw)
