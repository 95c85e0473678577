"""Just enough CSS to tell whether a declaration block hides what it styles (暗链 detection).

Not a CSS engine: rules come from inline `style` attributes and the page's own <style> blocks
(@media screen/all blocks flattened, print and other at-rules skipped); selectors are matched by
lexbor. Hiding means: display:none, visibility:hidden|collapse, opacity 0, a font too small to
read, a zero-size box that clips its content, a box moved far off-screen (position or a large
negative text-indent/margin), clip/clip-path that cuts everything, or text coloured like its
background.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh|cm|mm|in)?$")
OFFSCREEN_PX = 500  # a box this far outside the viewport is hidden on any screen
TINY_FONT_PX = 3
_NAMED = {
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
    "yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "navy": "#000080",
    "maroon": "#800000", "transparent": "transparent",
}


@dataclass(slots=True, frozen=True)
class Rule:
    selector: str
    decls: tuple[tuple[str, str], ...]


def parse_declarations(text: str) -> dict[str, str]:
    """`a: b; c: d` -> {"a": "b", "c": "d"} (lower-case, !important dropped, the last one wins)."""
    out: dict[str, str] = {}
    for part in _COMMENT.sub("", text or "").split(";"):
        name, sep, value = part.partition(":")
        if not sep:
            continue
        name = name.strip().lower()
        value = value.replace("!important", "").strip().lower()
        if name and value:
            out[name] = value
    return out


def parse_stylesheet(css: str) -> list[Rule]:
    """Style rules of a <style> block, with @media screen/all blocks flattened."""
    rules: list[Rule] = []
    _parse_block(_COMMENT.sub("", css or ""), rules, 0)
    return rules


def _parse_block(css: str, rules: list[Rule], depth: int) -> None:
    pos, n = 0, len(css)
    while pos < n and depth < 4:
        open_at = css.find("{", pos)
        if open_at < 0:
            return
        prelude = css[pos:open_at].strip()
        close_at = _matching(css, open_at)
        body = css[open_at + 1:close_at]
        pos = close_at + 1
        if prelude.startswith("@"):
            low = prelude.lower()
            if low.startswith("@media") and ("print" not in low or "screen" in low):
                _parse_block(body, rules, depth + 1)
            continue
        decls = parse_declarations(body)
        if not decls:
            continue
        for selector in prelude.split(","):
            selector = selector.strip()
            if selector:
                rules.append(Rule(selector, tuple(decls.items())))


def _matching(css: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(css)):
        if css[i] == "{":
            depth += 1
        elif css[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(css)


def to_px(value: str) -> float | None:
    """A CSS length in px (em/rem as 16px); None when it is not a plain length."""
    m = _LENGTH.match(value.strip())
    if m is None:
        return None
    number, unit = float(m.group(1)), m.group(2) or "px"
    factor = {"px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0, "cm": 37.8, "mm": 3.78, "in": 96.0}.get(unit)
    if factor is None:  # % vw vh: only zero is certain
        return 0.0 if number == 0 else None
    return number * factor


def hiding_reason(decls: dict[str, str]) -> str | None:
    """Why this declaration block hides its element, or None."""
    if decls.get("display", "").startswith("none"):
        return "display:none"
    if decls.get("visibility", "") in ("hidden", "collapse"):
        return "visibility:" + decls["visibility"]
    opacity = decls.get("opacity")
    if opacity is not None:
        try:
            if float(opacity.rstrip("%")) <= 0.01:
                return "opacity:0"
        except ValueError:
            pass
    size = to_px(decls.get("font-size", "x"))
    if size is not None and size < TINY_FONT_PX:
        return f"font-size:{decls['font-size']}"
    clips = decls.get("overflow", "").startswith(("hidden", "clip"))
    for dim in ("width", "height", "max-width", "max-height"):
        px = to_px(decls.get(dim, "x"))
        if px is not None and px <= 1 and clips:
            return f"{dim}:{decls[dim]} with overflow:hidden"
    if decls.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            px = to_px(decls.get(side, "x"))
            if px is not None and px <= -OFFSCREEN_PX:
                return f"off-screen ({side}:{decls[side]})"
        clip = decls.get("clip", "").replace(" ", "").replace("px", "")
        if clip in ("rect(0,0,0,0)", "rect(0000)", "rect(1,1,1,1)", "rect(1111)"):
            return "clip:rect(0 0 0 0)"
    for prop in ("text-indent", "margin-left", "margin-top"):
        px = to_px(decls.get(prop, "x"))
        if px is not None and px <= -OFFSCREEN_PX * 2:
            return f"off-screen ({prop}:{decls[prop]})"
    if decls.get("clip-path", "").replace(" ", "") in ("inset(50%)", "inset(100%)", "circle(0)", "polygon(0000)"):
        return "clip-path"
    return None


def colour(value: str) -> str | None:
    """A colour as #rrggbb (or "transparent"); None when it cannot be read."""
    v = value.strip().lower().split(" !")[0]
    if v in _NAMED:
        return _NAMED[v]
    if re.fullmatch(r"#[0-9a-f]{3}", v):
        return "#" + "".join(c * 2 for c in v[1:])
    if re.fullmatch(r"#[0-9a-f]{6}", v):
        return v
    m = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", v)
    if m:
        if m.group(4) is not None and float(m.group(4)) == 0:
            return "transparent"
        return "#" + "".join(f"{min(255, int(x)):02x}" for x in m.group(1, 2, 3))
    return None


def background_colour(decls: dict[str, str]) -> str | None:
    if "background-color" in decls:
        return colour(decls["background-color"])
    if "background" in decls:
        for token in re.split(r"\s+(?![^(]*\))", decls["background"]):
            c = colour(token)
            if c is not None:
                return c
    return None
