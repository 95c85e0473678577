"""The `interaction` part of a site config: boards to read and CSS selectors for when heuristics fail.

`ctx.config.site` is the site config (the `[site]` table of govaudit.toml, or a YAML file with the
same shape). This check reads its `interaction` key:

    interaction:
      discover: true              # also look for channels on the home page and 互动交流 pages (default)
      boards:                     # boards to read besides (or instead of) the discovered ones
        - name: 县长信箱
          url: http://www.example.gov.cn/hdjl/xzxx/index.html   # a board to read, or
          match: /hdjl/xzxx/      # a regex: the selectors apply to discovered boards whose URL matches
          kind: consultation      # consultation (default) | survey | interview
          selectors:              # list page; each value a CSS selector (row-relative except row, next)
            row: table.xjlist tr  # one element per message
            title: td.title       # optional
            link: td.title a      # the message's own page (default: the row's first link)
            asked: td.asked       # message time
            replied: td.replied   # reply time (a blank cell means no reply)
            status: td.state      # 已回复 / 办理中 ...
            next: div.page a.next # next list page (default: 下一页 links, TRS pagers, page numbers)
          detail:                 # the message's own page; each value a CSS selector
            asked: ...
            replied: ...
            status: ...
            unit: ...             # 答复单位

In govaudit.toml that is `[site.interaction]`, `[[site.interaction.boards]]` and
`[site.interaction.boards.selectors]`. A bad shape is a one-line UsageError naming the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from govaudit.errors import UsageError

_LIST_KEYS = ("row", "title", "link", "asked", "replied", "status", "next")
_DETAIL_KEYS = ("asked", "replied", "status", "unit")
_BOARD_KEYS = ("name", "url", "match", "kind", "selectors", "detail")
_BOARD_KINDS = ("consultation", "survey", "interview")
_PROBE = LexborHTMLParser("<p></p>")  # to reject a selector the parser cannot read, at load time


@dataclass(slots=True, frozen=True)
class ListSelectors:
    row: str = ""
    title: str = ""
    link: str = ""
    asked: str = ""
    replied: str = ""
    status: str = ""
    next: str = ""


@dataclass(slots=True, frozen=True)
class DetailSelectors:
    asked: str = ""
    replied: str = ""
    status: str = ""
    unit: str = ""


@dataclass(slots=True)
class BoardConfig:
    name: str = ""
    url: str = ""
    match: re.Pattern[str] | None = None
    kind: str = "consultation"
    selectors: ListSelectors | None = None
    detail: DetailSelectors | None = None

    def applies_to(self, url: str) -> bool:
        if self.url:
            return url == self.url
        return bool(self.match and self.match.search(url))


@dataclass(slots=True)
class InteractionSiteConfig:
    discover: bool = True
    boards: list[BoardConfig] = field(default_factory=list)

    def for_url(self, url: str) -> BoardConfig | None:
        return next((b for b in self.boards if b.applies_to(url)), None)


def _fail(where: str, problem: str) -> UsageError:
    return UsageError(f"site config: interaction.{where}: {problem}")


def _selectors(value: Any, keys: tuple[str, ...], where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _fail(where, f"must be a mapping of {', '.join(keys)}")
    out: dict[str, str] = {}
    for key, css in value.items():
        if key not in keys:
            raise _fail(where, f"unknown key {key!r}; allowed: {', '.join(keys)}")
        if not isinstance(css, str) or not css.strip():
            raise _fail(f"{where}.{key}", "must be a non-empty CSS selector")
        try:
            _PROBE.css(css.strip())
        except Exception:  # selectolax raises its own error type for a selector it cannot parse
            raise _fail(f"{where}.{key}", f"not a CSS selector the parser understands: {css!r}") from None
        out[key] = css.strip()
    return out


def parse_site_config(site: dict[str, Any] | None, normalize: Any = None) -> InteractionSiteConfig:
    """The check's part of the site config; `normalize` (a URL normaliser) is applied to board URLs."""
    raw = (site or {}).get("interaction")
    if raw is None:
        return InteractionSiteConfig()
    if not isinstance(raw, dict):
        raise UsageError("site config: interaction must be a mapping")
    for key in raw:
        if key not in ("discover", "boards"):
            raise _fail(str(key), "unknown key; allowed: discover, boards")
    discover = raw.get("discover", True)
    if not isinstance(discover, bool):
        raise _fail("discover", "must be true or false")
    boards_raw = raw.get("boards", [])
    if not isinstance(boards_raw, list):
        raise _fail("boards", "must be a list")
    boards: list[BoardConfig] = []
    for n, item in enumerate(boards_raw, 1):
        where = f"boards[{n}]"
        if not isinstance(item, dict):
            raise _fail(where, "must be a mapping")
        for key in item:
            if key not in _BOARD_KEYS:
                raise _fail(where, f"unknown key {key!r}; allowed: {', '.join(_BOARD_KEYS)}")
        board = BoardConfig(name=str(item.get("name") or "").strip())
        url, match = item.get("url"), item.get("match")
        if bool(url) == bool(match):
            raise _fail(where, "give exactly one of 'url' (a board to read) or 'match' (a URL regex)")
        if url:
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise _fail(f"{where}.url", f"must be an http(s) URL, got {url!r}")
            board.url = (normalize(url) if normalize else None) or url
        else:
            if not isinstance(match, str):
                raise _fail(f"{where}.match", "must be a regular expression")
            try:
                board.match = re.compile(match)
            except re.error as exc:
                raise _fail(f"{where}.match", f"invalid regular expression: {exc}") from None
        kind = item.get("kind", "consultation")
        if kind not in _BOARD_KINDS:
            raise _fail(f"{where}.kind", f"must be one of {', '.join(_BOARD_KINDS)}, got {kind!r}")
        board.kind = kind
        if item.get("selectors") is not None:
            sel = _selectors(item["selectors"], _LIST_KEYS, f"{where}.selectors")
            if "row" not in sel:
                raise _fail(f"{where}.selectors", "needs 'row' (one element per message)")
            board.selectors = ListSelectors(**sel)
        if item.get("detail") is not None:
            board.detail = DetailSelectors(**_selectors(item["detail"], _DETAIL_KEYS, f"{where}.detail"))
        boards.append(board)
    return InteractionSiteConfig(discover=discover, boards=boards)
