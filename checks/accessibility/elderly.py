"""适老化 (elderly-friendly) probes, run in the page the axe test already loaded.

Each probe returns plain data; checks/accessibility/check.py turns it into findings. The rules and
the parts that are our own operational choices are listed in checks/a11y_mapping.yaml (elderly).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

ENTRY_WORDS = ("无障碍", "长者", "关怀", "适老", "老年", "大字", "读屏", "辅助浏览", "accessib", "elder", "senior")
ZOOM_VIEWPORT = {"width": 640, "height": 400}  # the 1280x800 window at 200 % zoom
TAB_LIMIT = 80

# Shared helper: a short CSS path an inspector can paste into the browser's devtools.
_SELECTOR_JS = """
const cssPath = (el) => {
  const parts = [];
  while (el && el.nodeType === 1 && parts.length < 4) {
    if (el.id) { parts.unshift(el.tagName.toLowerCase() + '#' + CSS.escape(el.id)); break; }
    let part = el.tagName.toLowerCase();
    const cls = [...el.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
    part += cls;
    const parent = el.parentElement;
    if (parent) {
      const same = [...parent.children].filter((c) => c.tagName === el.tagName);
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(el) + 1})`;
    }
    parts.unshift(part);
    el = parent;
  }
  return parts.join(' > ');
};
"""

ENTRY_JS = "(words) => {" + _SELECTOR_JS + """
  const out = [];
  const nodes = document.querySelectorAll('a, button, [role=button], [onclick], input[type=button], input[type=image]');
  for (const el of nodes) {
    const img = el.querySelector ? el.querySelector('img[alt]') : null;
    const text = [el.innerText, el.value, el.title, el.getAttribute('aria-label'), el.getAttribute('alt'),
                  img && img.alt].filter(Boolean).join(' ').replace(/\\s+/g, ' ').trim();
    const low = text.toLowerCase();
    if (words.some((w) => low.includes(w))) {
      out.push({text: text.slice(0, 40), selector: cssPath(el), visible: el.getClientRects().length > 0});
      if (out.length >= 5) break;
    }
  }
  return out;
}"""

# Body text = the size carrying most visible characters outside the header, navigation and footer
# (their small print is not what a reader reads); the whole page counts when little is left.
FONT_JS = """(minPx) => {
  const chrome = 'header, footer, nav, [role=banner], [role=contentinfo], [role=navigation], [class*=header i],' +
    '[id*=header i], [class*=footer i], [id*=footer i], [class*=nav i], [id*=nav i], [class*=menu i],' +
    '[id*=menu i], [class*=topbar i], [class*=copyright i], [class*=bottom i], [class*=crumb i]';
  const tally = () => ({sizes: new Map(), total: 0, below: 0});
  const main = tally(), all = tally();
  const add = (t, px, n) => { t.total += n; if (px < minPx) t.below += n; t.sizes.set(px, (t.sizes.get(px) || 0) + n); };
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION']);
  const cache = new Map();
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || skip.has(el.tagName)) continue;
    const chars = node.nodeValue.replace(/\\s+/g, '').length;
    if (!chars) continue;
    let info = cache.get(el);
    if (!info) {
      const cs = getComputedStyle(el);
      const shown = el.getClientRects().length > 0 && cs.visibility !== 'hidden' && parseFloat(cs.opacity) > 0.05;
      info = {px: Math.round(parseFloat(cs.fontSize) * 2) / 2, shown, chrome: !!el.closest(chrome)};
      cache.set(el, info);
    }
    if (!info.shown) continue;
    add(all, info.px, chars);
    if (!info.chrome) add(main, info.px, chars);
  }
  const use = main.total >= 20 ? main : all;
  const ranked = [...use.sizes.entries()].sort((a, b) => b[1] - a[1]);
  return {body_px: ranked.length ? ranked[0][0] : null, chars: use.total, chars_below: use.below,
          scope: use === main ? 'content' : 'page', sizes: ranked.slice(0, 5).map(([px, n]) => ({px, chars: n}))};
}"""

WIDTH_JS = """() => {
  const d = document.documentElement, b = document.body || d;
  return {scroll_width: Math.max(d.scrollWidth, b.scrollWidth), client_width: d.clientWidth};
}"""

OVERLAY_JS = "() => {" + _SELECTOR_JS + """
  const vw = innerWidth, vh = innerHeight, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const dialog = el.matches('dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]');
    const cs = getComputedStyle(el);
    if (!dialog && cs.position !== 'fixed' && cs.position !== 'absolute') continue;
    if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) < 0.1) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 20 || r.height < 20) continue;
    const w = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0));
    const h = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    if (!w || !h) continue;
    const parent = el.offsetParent;
    const docLevel = cs.position === 'fixed' || !parent || parent === document.body || parent === document.documentElement;
    const z = parseInt(cs.zIndex, 10);
    out.push({selector: cssPath(el), position: cs.position, dialog, doc_level: docLevel,
              z: isNaN(z) ? 0 : z, cover: (w * h) / (vw * vh),
              x: Math.round(r.left), y: Math.round(r.top), w: Math.round(r.width), h: Math.round(r.height),
              text: (el.innerText || el.getAttribute('alt') || '').replace(/\\s+/g, ' ').trim().slice(0, 60)});
    if (out.length > 300) break;
  }
  return {items: out, scroll: [scrollX, scrollY]};
}"""

SEARCH_JS = "() => {" + _SELECTOR_JS + """
  const sel = 'input[type=search], [role=search] input, form[role=search] input, input[name*=search i],' +
              'input[id*=search i], input[name=q], input[name*=keyword i], input[id*=keyword i],' +
              'input[placeholder*=搜索], input[placeholder*=检索], input[title*=搜索]';
  const found = [...document.querySelectorAll(sel)].filter((el) => el.type !== 'hidden' && el.getClientRects().length);
  return found.slice(0, 3).map(cssPath);
}"""

NAV_JS = """() => {
  const navs = [...document.querySelectorAll('nav, [role=navigation], [class*=nav i], [id*=nav i], [class*=menu i], [id*=menu i]')]
    .filter((el) => el.querySelectorAll('a[href]').length >= 3 && el.getClientRects().length);
  return navs.length;
}"""

# After a Tab: what has focus, is it in the navigation or the search box, and does focus show?
FOCUS_JS = "() => {" + _SELECTOR_JS + """
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const look = (e) => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderTopColor, s.borderBottomColor,
            s.borderBottomWidth, s.backgroundColor, s.color, s.textDecorationLine].join('|'); };
  const focused = look(el);
  el.blur();
  const plain = look(el);
  el.focus({preventScroll: true});
  const r = el.getBoundingClientRect();
  return {
    selector: cssPath(el), tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim().slice(0, 40),
    in_nav: !!el.closest('nav, [role=navigation], [class*=nav i], [id*=nav i], [class*=menu i], [id*=menu i]'),
    is_search: el.matches('input[type=search], [role=search] input, form[role=search] input, input[name*=search i],' +
      'input[id*=search i], input[name=q], input[name*=keyword i], input[id*=keyword i], input[placeholder*=搜索],' +
      'input[placeholder*=检索], input[title*=搜索]'),
    visible: focused !== plain, on_screen: r.width > 0 && r.height > 0,
  };
}"""


@dataclass(slots=True)
class KeyboardResult:
    steps: int = 0
    nav_present: bool = False
    reached_nav: bool = False
    search_boxes: list[str] = field(default_factory=list)
    reached_search: bool = False
    focused: list[dict[str, Any]] = field(default_factory=list)  # distinct elements, in Tab order
    trapped_at: str | None = None

    @property
    def visible_share(self) -> float | None:
        shown = [f for f in self.focused if f["on_screen"]]
        return sum(1 for f in shown if f["visible"]) / len(shown) if shown else None


async def entry_links(pg: Any) -> list[dict[str, Any]]:
    return await pg.evaluate(ENTRY_JS, list(ENTRY_WORDS))


async def font_sizes(pg: Any, min_px: float) -> dict[str, Any]:
    return await pg.evaluate(FONT_JS, min_px)


async def zoom_overflow(pg: Any) -> dict[str, Any]:
    """Page width at 200 % zoom: the viewport shrinks to 640 CSS px as a zoomed window's does."""
    before = pg.viewport_size
    await pg.set_viewport_size(dict(ZOOM_VIEWPORT))
    try:
        await pg.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        widths = await pg.evaluate(WIDTH_JS)
    finally:
        if before:
            await pg.set_viewport_size(before)
    widths["overflow"] = widths["scroll_width"] > widths["client_width"] + 2
    return widths


async def overlays(pg: Any, loaded_at: float, wait_s: float) -> dict[str, Any]:
    """Pop-ups within `wait_s` of load: dialogs and big overlays, and document-level elements that
    move on their own (floating ads, 飘窗), seen in two looks half a second apart."""
    delay = loaded_at + max(0.0, wait_s - 0.5) - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)
    first = await pg.evaluate(OVERLAY_JS)
    await asyncio.sleep(0.5 if wait_s > 0 else 0)
    second = await pg.evaluate(OVERLAY_JS) if wait_s > 0 else first
    return classify_overlays(first, second)


def classify_overlays(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    found: list[dict[str, Any]] = []
    before = {i["selector"]: i for i in first["items"]}
    scrolled = first["scroll"] != second["scroll"]
    for item in second["items"]:
        kind = None
        if item["dialog"]:
            kind = "dialog"
        elif item["cover"] >= 0.3 and (item["position"] == "fixed" or item["z"] >= 100):
            kind = "overlay"
        else:
            old = before.get(item["selector"])
            moved = old is not None and (old["x"], old["y"]) != (item["x"], item["y"]) \
                and (old["w"], old["h"]) == (item["w"], item["h"])
            if moved and item["doc_level"] and not scrolled and item["w"] * item["h"] >= 2000 and item["cover"] < 0.4:
                kind = "floating"
        if kind:
            found.append({"kind": kind, "selector": item["selector"], "text": item["text"],
                          "cover": round(item["cover"], 2), "box": [item["x"], item["y"], item["w"], item["h"]]})
    return {"popups": found[:10]}


async def keyboard(pg: Any) -> KeyboardResult:
    """Press Tab from the top of the page until the navigation and the search box are reached."""
    out = KeyboardResult()
    out.nav_present = bool(await pg.evaluate(NAV_JS))
    out.search_boxes = await pg.evaluate(SEARCH_JS)
    seen: dict[str, dict[str, Any]] = {}
    last, same = None, 0
    for step in range(TAB_LIMIT):
        await pg.keyboard.press("Tab")
        info = await pg.evaluate(FOCUS_JS)
        out.steps = step + 1
        if info is None:
            continue
        key = info["selector"]
        same = same + 1 if key == last else 0
        last = key
        if same >= 3:
            out.trapped_at = key
            break
        if key in seen:
            if len(seen) > 3 and key == next(iter(seen)):
                break  # focus went round the whole page
            continue
        seen[key] = info
        out.reached_nav |= info["in_nav"] and info["tag"] in ("a", "button")
        out.reached_search |= info["is_search"]
        if out.reached_nav and (out.reached_search or not out.search_boxes) and len(seen) >= 12:
            break
    out.focused = list(seen.values())
    if not out.nav_present:
        # No recognisable navigation container: the keyboard must at least reach several links.
        out.reached_nav = sum(1 for f in out.focused if f["tag"] == "a") >= 3
    return out
