"""A deliberately simple, independent crawler for checking the demo's manifest against the live site.

It shares no code with govaudit's crawler: the point is to measure the manifest, not the product.
Sync httpx against the real DemoServer; HTML parsed with selectolax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser as HTMLParser

# element -> attributes that carry a URL the browser would fetch or follow
LINK_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
    "iframe": ("src",), "frame": ("src",), "form": ("action",), "embed": ("src",), "source": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "object": ("data",),
}

META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk"}


@dataclass(frozen=True)
class FoundLink:
    page: str  # path of the page it was seen on
    raw: str  # as written in the HTML
    target: str  # same-site: path (+ query) as resolved; otherwise the absolute URL; or the raw value
    element: str
    kind: str  # site | external | placeholder | mailto | tel


@dataclass
class SitePage:
    path: str
    status: int
    content_type: str
    html: str
    links: list[FoundLink] = field(default_factory=list)

    @property
    def tree(self) -> HTMLParser:
        return HTMLParser(self.html)


def charset_of(resp: httpx.Response) -> str:
    """Header charset, else a meta charset in the first 2 KB, else UTF-8; the GB family as GB18030."""
    m = re.search(r"charset=([A-Za-z0-9_-]+)", resp.headers.get("content-type", ""), re.I)
    name = m.group(1) if m else None
    if name is None:
        mm = META_CHARSET.search(resp.content[:2048])
        name = mm.group(1).decode("ascii") if mm else "utf-8"
    return "gb18030" if name.lower() in GB_FAMILY else name.lower()


def decode(resp: httpx.Response) -> str:
    return resp.content.decode(charset_of(resp))


def extract_links(page_path: str, base_url: str, html: str) -> list[FoundLink]:
    origin = urlsplit(base_url)
    page_url = urljoin(base_url, page_path)
    out: list[FoundLink] = []
    for node in HTMLParser(html).css(",".join(LINK_ATTRS)):
        for attr in LINK_ATTRS[node.tag]:
            if attr not in node.attributes:
                continue
            raw = (node.attributes.get(attr) or "").strip()
            low = raw.lower()
            if raw == "" or raw.startswith("#") or low.startswith("javascript:"):
                out.append(FoundLink(page_path, raw, raw, node.tag, "placeholder"))
                continue
            if low.startswith("mailto:") or low.startswith("tel:"):
                out.append(FoundLink(page_path, raw, raw, node.tag, low.split(":", 1)[0]))
                continue
            absolute = urljoin(page_url, raw).split("#", 1)[0]
            parts = urlsplit(absolute)
            if (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc):
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                out.append(FoundLink(page_path, raw, target, node.tag, "site"))
            else:
                out.append(FoundLink(page_path, raw, absolute, node.tag, "external"))
    return out


def is_soft_404(resp: httpx.Response) -> bool:
    if resp.status_code != 200 or not resp.headers.get("content-type", "").startswith("text/html"):
        return False
    title = HTMLParser(decode(resp)).css_first("title")
    return title is not None and ("页面不存在" in title.text() or "已被删除" in title.text())


def walk(client: httpx.Client, base_url: str, seeds: list[str], never: tuple[str, ...] = ()) -> dict[str, SitePage]:
    """Every same-site HTML page reachable through a/area links and form actions from `seeds`, skipping
    paths under `never` (robots-disallowed), broken pages and soft 404s."""
    pages: dict[str, SitePage] = {}
    queue = list(seeds)
    seen = set(queue)
    while queue:
        path = queue.pop(0)
        resp = client.get(urljoin(base_url, path), follow_redirects=False)
        ctype = resp.headers.get("content-type", "")
        if resp.status_code != 200 or not ctype.startswith("text/html") or is_soft_404(resp):
            continue
        html = decode(resp)
        page = SitePage(path, resp.status_code, ctype, html, extract_links(path, base_url, html))
        pages[path] = page
        for link in page.links:
            if link.kind != "site" or link.element not in ("a", "area", "form"):
                continue
            if link.target in seen or link.target.startswith(never):
                continue
            seen.add(link.target)
            queue.append(link.target)
    return pages


DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def parse_date(text: str) -> str | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"
