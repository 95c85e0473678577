"""Firewall block pages and anti-bot challenges: a firewall answering in place of the site.

Such an answer is neither the page (its text and links belong to the firewall) nor proof that the
link is broken (a person's browser passes it, or another visitor is let through): the fetcher
reports it as error `blocked` with the product's name, and the audit says so instead of scoring
challenge HTML as content or a block page as a dead link.

The products and their markers are data (`walls.yaml` beside this module, every marker with its
source). A site's own 403 or 404 page is never taken for a wall: a response is one only when a
marker of a product proves it — a block-page or challenge-page marker with one of the product's
statuses, or a "this site sits behind X" marker (Server header, cookie) with a status no ordinary
server sends (521, 493, 418). The second is how a HEAD answer, which has no body, is recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

SCAN_BYTES = 32 * 1024  # block and challenge pages are small; their markers sit near the top
SCAN_BYTES_OK = 8 * 1024  # of a 200 answer
SITE_LINKS = 12  # links in a 200 answer's first 8 KiB that make it the site's page, not a wall's
ANY = "any"
WHERES = ("body", "cookie")  # besides "header NAME"


@dataclass(slots=True, frozen=True)
class Marker:
    where: str  # "body", "cookie" or a lower-case header name
    pattern: re.Pattern[str]
    proves: str  # "wall" | "product"
    source: str
    statuses: frozenset[int] | None = None  # None: the product's; empty never happens
    any_status: bool = False
    max_body: int | None = None
    id: str = ""
    requires: str = ""  # the id of a product marker that must match too


@dataclass(slots=True, frozen=True)
class Wall:
    name: str
    vendor: str
    statuses: frozenset[int]
    bare_statuses: frozenset[int]
    markers: tuple[Marker, ...] = field(default_factory=tuple)


def _statuses(value: Any, where: str) -> frozenset[int]:
    if not isinstance(value, list) or not all(isinstance(s, int) and 100 <= s <= 999 for s in value):
        raise ValueError(f"walls.yaml: {where}: statuses must be a list of HTTP statuses, got {value!r}")
    return frozenset(value)


def _marker(raw: Any, wall: str) -> Marker:
    if not isinstance(raw, dict):
        raise ValueError(f"walls.yaml: {wall}: a marker must be a mapping, got {raw!r}")
    where = str(raw.get("in", "")).strip()
    if where.startswith("header "):
        where = where[len("header "):].strip().lower()
    elif where not in WHERES:
        raise ValueError(f"walls.yaml: {wall}: marker `in` must be body, cookie or 'header NAME', got {where!r}")
    proves = raw.get("proves")
    if proves not in ("wall", "product"):
        raise ValueError(f"walls.yaml: {wall}: marker `proves` must be wall or product, got {proves!r}")
    source = str(raw.get("source") or "").strip()
    if not source:
        raise ValueError(f"walls.yaml: {wall}: every marker names its source ({raw.get('match')!r} does not)")
    st = raw.get("statuses")
    max_body = raw.get("max_body")
    if max_body is not None and (not isinstance(max_body, int) or max_body < 1):
        raise ValueError(f"walls.yaml: {wall}: max_body must be a positive whole number, got {max_body!r}")
    return Marker(where=where, pattern=re.compile(str(raw["match"]), re.I), proves=proves, source=source,
                  statuses=None if st is None or st == ANY else _statuses(st, wall), any_status=st == ANY,
                  max_body=max_body, id=str(raw.get("id") or ""), requires=str(raw.get("requires") or ""))


def parse_walls(doc: Any) -> tuple[Wall, ...]:
    """The products of a walls document (the shape of walls.yaml); ValueError names what is wrong."""
    if not isinstance(doc, dict) or not isinstance(doc.get("walls"), list):
        raise ValueError("walls.yaml: expected a mapping with a `walls` list")
    out = []
    for raw in doc["walls"]:
        name = str(raw.get("name") or "").strip() if isinstance(raw, dict) else ""
        if not name:
            raise ValueError(f"walls.yaml: every entry needs a name, got {raw!r}")
        markers = tuple(_marker(m, name) for m in raw.get("markers") or [])
        ids = {m.id for m in markers if m.id}
        if any(m.requires and m.requires not in ids for m in markers):
            raise ValueError(f"walls.yaml: {name}: a marker requires an id no marker of the entry has")
        if not any(m.proves == "wall" for m in markers) and not raw.get("bare_statuses"):
            raise ValueError(f"walls.yaml: {name}: nothing proves a wall (no wall marker, no bare_statuses)")
        out.append(Wall(name=name, vendor=str(raw.get("vendor") or name),
                        statuses=_statuses(raw.get("statuses", []), name),
                        bare_statuses=_statuses(raw.get("bare_statuses", []), name), markers=markers))
    return tuple(out)


@lru_cache(maxsize=1)
def walls() -> tuple[Wall, ...]:
    """The shipped products (walls.yaml), read once."""
    text = files("govaudit.crawl").joinpath("walls.yaml").read_text(encoding="utf-8")
    return parse_walls(yaml.safe_load(text))


def _found(m: Marker, headers: dict[str, str], text: str | None) -> bool:
    if m.where == "body":
        return text is not None and m.pattern.search(text) is not None
    value = headers.get("set-cookie" if m.where == "cookie" else m.where)
    return value is not None and m.pattern.search(value) is not None


def _could_answer(wall: Wall, status: int) -> bool:
    """Whether any rule of `wall` can prove a wall for this status (most answers rule out most walls)."""
    if status in wall.bare_statuses:
        return True
    return any(m.proves == "wall" and (m.any_status or status in (m.statuses if m.statuses is not None
                                                                   else wall.statuses))
               for m in wall.markers)


@lru_cache(maxsize=256)
def _candidates(status: int) -> tuple[Wall, ...]:
    return tuple(w for w in walls() if _could_answer(w, status))


@lru_cache(maxsize=256)
def _prefilter(status: int) -> tuple[re.Pattern[str] | None, tuple[Marker, ...]]:
    """One regex for every body marker of the candidate walls, and their header and cookie markers:
    a page none of them can match is ruled out in one pass instead of a search per marker."""
    markers = [m for w in _candidates(status) for m in w.markers]
    others = tuple(m for m in markers if m.where != "body")
    bodies = [m.pattern.pattern for m in markers if m.where == "body"]
    try:
        combined = re.compile("|".join(f"(?:{b})" for b in bodies), re.I) if bodies else None
    except re.error:  # a pattern that cannot be combined (backreferences): no shortcut
        return re.compile(""), others
    return combined, others


def identify(status: int | None, headers: dict[str, str], body: bytes | None,
             table: tuple[Wall, ...] | None = None) -> tuple[Wall, Marker] | None:
    """The product whose wall answered and the marker that proved it, or None."""
    if status is None:
        return None
    # Every page passes through here: only the walls that can answer this status are looked at.
    candidates = tuple(w for w in table if _could_answer(w, status)) if table is not None else _candidates(status)
    if not candidates:
        return None
    # A 200 answer is nearly always the page itself: a challenge served with 200 puts its script at
    # the top, so a shorter look keeps the cost off every crawled page.
    head = (body or b"")[:SCAN_BYTES if status != 200 else SCAN_BYTES_OK]
    if status == 200 and table is None and head.count(b"<a ") + head.count(b"<A ") >= SITE_LINKS:
        # A page of links is the site's own page: block and challenge pages carry one or two.
        return None
    # Markers are ASCII or UTF-8 text; a GBK page's Chinese markers would not match, its ASCII ones do.
    text = head.decode("utf-8", "replace") if head else None
    if table is None:
        combined, others = _prefilter(status)
        if not any(_found(m, headers, None) for m in others) and (
                text is None or combined is None or combined.search(text) is None):
            return None
    size = len(body or b"")
    for wall in candidates:
        matched = {m.id for m in wall.markers if m.id and _found(m, headers, text)}
        product = None
        for m in wall.markers:
            if m.requires and m.requires not in matched:
                continue
            if m.proves == "product":
                if product is None and _found(m, headers, text):
                    product = m
                continue
            if m.max_body is not None and size >= m.max_body:
                continue
            ok_status = m.any_status or status in (m.statuses if m.statuses is not None else wall.statuses)
            if ok_status and _found(m, headers, text):
                return wall, m
        if product is not None and status in wall.bare_statuses:
            return wall, product
    return None


def challenge(status: int | None, headers: dict[str, str], body: bytes | None) -> str | None:
    """Which firewall answered (its name, as the fetcher's error detail), or None for the site's answer.

    `headers` has lower-case keys (as FetchResult.headers); `body` may be None (HEAD).
    """
    found = identify(status, headers, body)
    return None if found is None else found[0].name
