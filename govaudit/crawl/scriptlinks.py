"""Links an inline script writes with literal values, read without running it.

CMS templates (TRS WCM above all) write their related-article boxes and sub-column menus with
`document.write`: each item is a block of literal assignments and one write,

    var str_1 = "../201705/t20170520_20926175.html";
    document.write('<a href="'+str_1+'" title="'+str_4+'">'+str_4+'</a>');

or the URL is in the written string itself (`document.write('<li><a href="../zyzc/">'+name)`).
Every such href is known from the page's text; rendering the page in Chromium to learn it costs a
browser load per article (issue 11 item 6: 192 renders on one county portal, 28 s -> 155 s).

`script_links(text)` gives the URLs and whether they are all of them: `complete` is False as soon
as an anchor's href comes from anything that is not a literal (a function argument, `item.url`, a
template literal, a partial URL with a value concatenated on, `createElement('a')`, escaped
markup). A complete script needs no render; an incomplete one keeps its render signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Every pattern is bounded: a hostile script costs one linear pass.
# A literal assignment: `var x = "…"`, `x = '…'` (one per item block, so a name collects many values).
_ASSIGN_RE = re.compile(r"""(?<![\w$.])([A-Za-z_$][\w$]{0,60})\s*=\s*(["'])((?:\\.|(?!\2)[^\\\n]){0,2000})\2""")
# href= in written markup (not `location.href =`, a script redirect), then the attribute's quote (maybe JS-escaped) and what follows it.
_HREF_RE = re.compile(r"""(?<![\w$.])href\s*=\s*(\\?["']?)""", re.I)
# The written string ends and a value is concatenated on: `'+name+'` (name, member or call).
_BREAKOUT_RE = re.compile(r"""\s*["'`]\s*\+\s*([A-Za-z_$][\w$]{0,60})(\s*[.\[(])?\s*\+?\s*(["'`]?)""")
# A URL written out in the markup; `${`, `;` and braces mean script code, not a literal.
_LITERAL_RE = re.compile(r"""[^"'`\s<>\\+${};]{0,2000}""")
_ANCHOR_RE = re.compile(r"<a[\s>]", re.I)
_OPAQUE_RE = re.compile(r"""createElement\s*\(\s*["']a["']\s*\)|\$\{|unescape\s*\(|\\x3c|\\u003c|%3Ca""", re.I)
_ATTR_END = frozenset("\"'> \\")


@dataclass(slots=True)
class ScriptLinks:
    urls: list[str] = field(default_factory=list)  # as written (relative to the page), in order
    complete: bool = True  # every anchor the script writes has its href here


def _bindings(text: str) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for m in _ASSIGN_RE.finditer(text):
        names.setdefault(m.group(1), []).append(m.group(3))
    return names


def script_links(text: str) -> ScriptLinks:
    """The hrefs of the anchors an inline script's text writes, and whether they are all known."""
    out = ScriptLinks()
    if "href" not in text and "HREF" not in text and not _HREF_RE.search(text):
        out.complete = _ANCHOR_RE.search(text) is None and _OPAQUE_RE.search(text) is None
        return out
    if _OPAQUE_RE.search(text):
        out.complete = False
    names: dict[str, list[str]] | None = None
    hrefs = 0
    seen: set[str] = set()

    def keep(url: str) -> None:
        if url and url not in seen:
            seen.add(url)
            out.urls.append(url)

    for m in _HREF_RE.finditer(text):
        hrefs += 1
        pos = m.end()
        quote = m.group(1)
        breakout = _BREAKOUT_RE.match(text, pos)
        if breakout is not None:
            # href="'+name+'" : the whole value is one variable's literal values.
            name, member, closing = breakout.group(1), breakout.group(2), breakout.group(3)
            after = text[breakout.end():breakout.end() + 1]
            if member or not closing or after not in _ATTR_END:
                out.complete = False  # item.url, f(x), or more URL text after the value
                continue
            if names is None:
                names = _bindings(text)
            values = names.get(name)
            if not values:
                out.complete = False  # a parameter or a value from elsewhere
                continue
            for value in values:
                keep(value.strip())
            continue
        literal = _LITERAL_RE.match(text, pos)
        value = literal.group(0) if literal else ""
        end = pos + len(value)
        # The value must end where the attribute does: at its quote, or (unquoted) at '>' or a space.
        # '<a href="/show.asp?id=' + id + '">' ends at the script's quote instead: a partial URL.
        closed = text.startswith(quote, end) if quote else text[end:end + 1] in ("", ">", " ")
        if not closed:
            out.complete = False
            continue
        keep(value)
    if len(_ANCHOR_RE.findall(text)) > hrefs:
        out.complete = False  # an anchor whose href is built out of sight ('<a ' + attrs + '>')
    return out
