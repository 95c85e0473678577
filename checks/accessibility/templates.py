"""Which pages to test: the home page plus representatives of each page template.

A portal of 2,000 pages is built from a handful of CMS templates (home, column list, article,
service guide, message board). A defect in a template repeats on every page made from it, so
testing one page per template finds most of them at a fraction of the cost. Pages are grouped by
their skeleton (the tag/class paths of the top of the body: list length and text do not matter)
and named by their most common URL pattern; the budget left after one page per template goes to
second and third pages of the biggest templates, shallow pages first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govaudit.model import Page, SiteSnapshot

SKELETON_DEPTH = 5  # levels under <body> that make a template's shape
MAX_NODES = 4000  # nodes visited per page: enough for any header/column/footer layout
SIMILAR = 0.8  # Jaccard similarity of skeletons that counts as the same template
_DIGITS = re.compile(r"\d+")
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "br", "wbr"})


@dataclass(slots=True)
class Template:
    key: str  # "home", "t1", "t2", …
    features: frozenset[str]
    urls: list[str] = field(default_factory=list)  # member pages (final URLs), shallow first
    patterns: Counter[str] = field(default_factory=Counter)

    @property
    def pattern(self) -> str:
        """The most common URL pattern of the members, e.g. /xwdt/{n}/t{n}_{n}.html."""
        return self.patterns.most_common(1)[0][0] if self.patterns else ""


def url_pattern(url: str) -> str:
    """Path with digit runs as {n}, query as its sorted keys: the same for every page of a list."""
    parts = urlsplit(url)
    path = _DIGITS.sub("{n}", parts.path or "/")
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(f"{k}=" for k in keys) if keys else "")


def skeleton(html: str) -> frozenset[str]:
    """The set of tag.class paths down to SKELETON_DEPTH under <body> (digits in classes ignored)."""
    try:
        body = LexborHTMLParser(html).body
    except Exception:  # noqa: BLE001 - unparsable HTML has no skeleton; it groups by URL alone
        return frozenset()
    if body is None:
        return frozenset()
    out: set[str] = set()
    stack: list[tuple[LexborNode, str, int]] = [(body, "body", 0)]
    visited = 0
    while stack and visited < MAX_NODES:
        node, path, depth = stack.pop()
        visited += 1
        if depth >= SKELETON_DEPTH:
            continue
        for child in node.iter(include_text=False):
            tag = child.tag or ""
            if tag in _SKIP or tag.startswith("-"):
                continue
            classes = sorted(_DIGITS.sub("", c) for c in (child.attributes.get("class") or "").split()[:3])
            label = tag + "".join("." + c for c in classes if c)
            child_path = f"{path}>{label}"
            out.add(child_path)
            stack.append((child, child_path, depth + 1))
    return frozenset(out)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def testable(page: Page, home_host: str) -> bool:
    return page.ok and page.is_html and urlsplit(page.final_url).hostname == home_host


def discovery_order(snapshot: SiteSnapshot) -> list[Page]:
    """Pages in the order a reader meets them: breadth-first from the home page, following links in
    page order (the navigation bar, then the first news items), then pages reached otherwise.
    Unlike the crawl's fetch order this does not depend on which request finished first."""
    by_url: dict[str, Page] = {}
    for page in snapshot.pages.values():
        by_url.setdefault(page.url, page)
        by_url.setdefault(page.final_url, page)
    order: dict[int, Page] = {}
    queue = [snapshot.home] if snapshot.home is not None else []
    while queue:
        page = queue.pop(0)
        if id(page) in order:
            continue
        order[id(page)] = page
        for link in page.links:
            target = by_url.get(link.url) if link.kind == "http" else None
            if target is not None and id(target) not in order:
                queue.append(target)
    rest = sorted((p for p in snapshot.pages.values() if id(p) not in order), key=lambda p: (p.depth, p.final_url))
    return list(order.values()) + rest


def group_pages(snapshot: SiteSnapshot) -> list[Template]:
    """Templates of the site's HTML pages; the home page is always a template of its own."""
    home = snapshot.home
    home_url = home.final_url if home is not None else snapshot.home_url
    home_host = urlsplit(home_url).hostname
    pages: dict[str, Page] = {}
    for page in discovery_order(snapshot):
        if testable(page, home_host) and page.final_url not in pages:
            pages[page.final_url] = page
    templates: list[Template] = []
    if home is not None and home.final_url in pages:
        page = pages.pop(home.final_url)
        templates.append(Template("home", frozenset(), [page.final_url], Counter([url_pattern(page.final_url)])))
    by_pattern: dict[str, Template] = {}
    for url, page in pages.items():
        features = skeleton(page.text)
        pattern = url_pattern(url)
        chosen = None
        if not features:
            chosen = by_pattern.get(pattern)
        else:
            best = 0.0
            for tpl in templates[1:] if templates and templates[0].key == "home" else templates:
                score = similarity(features, tpl.features)
                if score >= SIMILAR and score > best:
                    chosen, best = tpl, score
        if chosen is None:
            chosen = Template(f"t{sum(1 for t in templates if t.key != 'home') + 1}", features)
            templates.append(chosen)
        chosen.urls.append(url)
        chosen.patterns[pattern] += 1
        by_pattern.setdefault(pattern, chosen)
    return templates


@dataclass(slots=True)
class Pick:
    url: str
    template: Template
    reason: str  # home | template | "sign: image-alt, label" | more


WHOLE_SITE_BOUND = 200  # pages at most when no cap is asked: one per template and per new sign
WHOLE_SITE_FILL = 20  # and second pages of templates up to this many (a template's defect then names its pages)


def select_pages(templates: list[Template], limit: int | None,
                 signs: dict[str, set[str]] | None = None) -> list[Pick]:
    """The pages to test.

    `limit` None (the default): the whole site, by what it is made of — the home page, one page per
    template (biggest first) and every page whose raw HTML shows a defect sign its template's tested
    pages do not (see triage.py), up to WHOLE_SITE_BOUND; then more pages of the templates up to
    WHOLE_SITE_FILL in all. A number: at most that many, the same pages first, then second and later
    pages of each template in turn, pages with signs first."""
    signs = signs or {}
    whole_site = limit is None
    limit = WHOLE_SITE_BOUND if limit is None else limit
    ordered = sorted(templates, key=lambda t: (t.key != "home", -len(t.urls), t.pattern))
    picks: list[Pick] = []
    taken: set[str] = set()
    covered: dict[str, set[str]] = {}

    def take(url: str, tpl: Template, reason: str) -> None:
        picks.append(Pick(url, tpl, reason))
        taken.add(url)
        covered.setdefault(tpl.key, set()).update(signs.get(url, ()))

    for tpl in ordered:
        if len(picks) < limit and tpl.urls:
            take(tpl.urls[0], tpl, "home" if tpl.key == "home" else "template")
    for tpl in ordered:
        for url in tpl.urls[1:]:
            new = signs.get(url, set()) - covered.get(tpl.key, set())
            if new and len(picks) < limit:
                take(url, tpl, "sign: " + ", ".join(sorted(new)))
    if whole_site:
        limit = max(len(picks), min(WHOLE_SITE_FILL, WHOLE_SITE_BOUND))
    queues = {t.key: sorted((u for u in t.urls if u not in taken), key=lambda u: not signs.get(u)) for t in ordered}
    while len(picks) < limit and any(queues.values()):
        for tpl in ordered:
            if queues[tpl.key] and len(picks) < limit:
                take(queues[tpl.key].pop(0), tpl, "more")
    return picks
