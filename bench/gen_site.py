#!/usr/bin/env python3
"""Write a synthetic government portal of N pages and the manifest of its broken links.

    python bench/gen_site.py --pages 5000 --out bench/sites/5000

The site looks like a county portal: a home page, 20 sections with paginated list pages, dated
articles, shared images and attachments, and footer pages. Each page carries about 40 links
(navigation, breadcrumbs, related articles, images, attachments, stylesheet, script). About 1 %
of link occurrences are broken, of kinds every peer tool can see without guessing:

    missing-page        <a> to an HTML page that does not exist             404
    missing-image       <img> whose file does not exist                      404
    missing-attachment  <a> to a .pdf/.doc that does not exist              404
    gone                <a> under /archive/gone/ (nginx answers 410)         410
    server-error        <a> under /svc/err/ (nginx answers 500)              500
    redirect-to-missing <a> under /old/ (nginx 301 -> a missing page)       404
    external-404        <a> to the "other host" server, missing page         404
    refused             <a> to a loopback port nobody listens on            refused
    dns                 <a> to a host under .invalid                         dns

That mix is the "portal" case (--case portal, the default). Two more cases:

    plain      a plain static site on one host: every answer is fast, no 5xx, no other host,
               no refused port, no DNS; the ~1 % broken are 404s, 410s and redirects to a 404
    deadhosts  the plain site, and every page also links to DEAD_LINKS pages of outside hosts
               that do not resolve (h0.example.invalid ... h<N-1>.example.invalid, --dead-hosts),
               each host linked from many pages: every such link is broken, kind dead-host, dns

Some broken targets are linked from several pages (a missing image in a shared block), so
tools are compared on (page, target) pairs. The manifest is JSON: the site's URLs, the page
count, and `broken`: a list of {page, target, kind, element, expect}. The generator is
deterministic for a given --seed. It writes nothing outside --out.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

SECTIONS = [
    ("xwdt", "新闻动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"), ("zcjd", "政策解读"),
    ("rsxx", "人事信息"), ("ghjh", "规划计划"), ("tjsj", "统计数据"), ("czzj", "财政资金"),
    ("zfcg", "政府采购"), ("jyta", "建议提案"), ("bmdt", "部门动态"), ("xzdt", "乡镇动态"),
    ("bszn", "办事指南"), ("ggfw", "公共服务"), ("hdjl", "互动交流"), ("zxft", "在线访谈"),
    ("yjgl", "应急管理"), ("aqsc", "安全生产"), ("hjbh", "环境保护"), ("jyfw", "教育服务"),
]
FOOTER = [("about/wzdt.html", "网站地图"), ("about/lxwm.html", "联系我们"), ("about/wzsm.html", "网站声明"),
          ("about/sybz.html", "使用帮助"), ("about/jbxx.html", "基本信息")]
PER_LIST = 25  # articles per list page
RELATED = 8  # related-article links per article
BROKEN_RATE = 0.01  # broken share of all link occurrences
# kind -> weight; the weights sum to 100
BROKEN_KINDS = {
    "missing-page": 30, "missing-image": 20, "missing-attachment": 15, "gone": 8, "server-error": 7,
    "redirect-to-missing": 10, "external-404": 5, "refused": 3, "dns": 2,
}
# The plain and deadhosts cases: only answers a loopback nginx gives at once, on the site's host.
PLAIN_KINDS = {"missing-page": 35, "missing-image": 25, "missing-attachment": 20, "gone": 10,
               "redirect-to-missing": 10}
CASES = ("portal", "plain", "deadhosts")
DEAD_HOSTS = 500  # outside hosts under .invalid in the deadhosts case
DEAD_PATHS = 8  # distinct pages linked on each dead host
DEAD_LINKS = 3  # dead-host links on every page
EXPECT = {"dead-host": "dns", "missing-page": 404, "missing-image": 404, "missing-attachment": 404, "gone": 410,
          "server-error": 500, "redirect-to-missing": 404, "external-404": 404, "refused": "refused",
          "dns": "dns"}
# A tiny valid JPEG-ish and PDF-ish body: the benchmark measures link checking, not transfer.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Article:
    id: int
    section: str
    day: date
    title: str

    @property
    def path(self) -> str:
        return f"{self.section}/{self.day:%Y%m}/t{self.day:%Y%m%d}_{self.id}.html"


@dataclass
class PageOut:
    path: str
    title: str
    extra: list[str] = field(default_factory=list)  # html snippets with broken links


def plan_counts(n: int) -> tuple[int, int]:
    """(articles, list pages per section) so that home + footer + lists + articles = n."""
    fixed = 1 + len(FOOTER)
    if n < fixed + len(SECTIONS) * 2:
        raise SystemExit(f"--pages must be at least {fixed + len(SECTIONS) * 2}")
    articles = n - fixed - len(SECTIONS)
    while True:
        per_section = -(-articles // len(SECTIONS))
        lists = max(1, -(-per_section // PER_LIST))
        total = fixed + len(SECTIONS) * lists + articles
        if total <= n:
            return articles + (n - total), lists
        articles -= total - n


def nav_html(rel: str) -> str:
    items = [f'<li><a href="{rel or "./"}">首页</a></li>']
    items += [f'<li><a href="{rel}{s}/index.html">{t}</a></li>' for s, t in SECTIONS]
    return '<ul class="nav">' + "".join(items) + "</ul>"


def footer_html(rel: str) -> str:
    return '<div class="footer">' + "".join(f'<a href="{rel}{p}">{t}</a> ' for p, t in FOOTER) + (
        "<p>主办：某某县人民政府办公室 网站标识码：1234000001</p></div>")


def wrap(title: str, rel: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="SiteName" content="某某县人民政府"><meta name="SiteIDCode" content="1234000001">'
        f'<link rel="stylesheet" href="{rel}css/site.css"><script src="{rel}js/site.js"></script>'
        f'</head><body><div class="head"><img src="{rel}images/logo.png" alt="某某县人民政府"></div>'
        f"{nav_html(rel)}<div class=\"main\">{body}</div>{footer_html(rel)}</body></html>"
    )


def rel_prefix(path: str) -> str:
    return "../" * path.count("/")


class Generator:
    def __init__(self, n: int, seed: int, base: str, ext_base: str, dead_base: str, case: str = "portal",
                 dead_hosts: int = DEAD_HOSTS) -> None:
        if case not in CASES:
            raise ValueError(f"unknown case {case!r}")
        self.n = n
        self.case = case
        self.kinds = BROKEN_KINDS if case == "portal" else PLAIN_KINDS
        self.dead_hosts = dead_hosts
        self.rng = random.Random(seed)
        self.base = base.rstrip("/") + "/"
        self.ext_base = ext_base.rstrip("/") + "/"
        self.dead_base = dead_base.rstrip("/") + "/"
        n_articles, self.lists = plan_counts(n)
        start = date(2019, 1, 1)
        self.articles: list[Article] = []
        for i in range(n_articles):
            sec = SECTIONS[i % len(SECTIONS)][0]
            day = start + timedelta(days=(i * 7919) % 2800)
            self.articles.append(Article(10000 + i, sec, day, f"{SECTIONS[i % len(SECTIONS)][1]}第{i}号信息"))
        self.by_section: dict[str, list[Article]] = {s: [] for s, _ in SECTIONS}
        for a in self.articles:
            self.by_section[a.section].append(a)
        self.images = max(20, n // 10)
        self.attachments: list[str] = []
        self.broken: list[dict[str, object]] = []
        self.counter = 0

    # -- pages ------------------------------------------------------------------------------

    def list_path(self, sec: str, k: int) -> str:
        return f"{sec}/index.html" if k == 0 else f"{sec}/index_{k}.html"

    def pages(self) -> list[tuple[str, str]]:
        """(path, html) for every page, home first."""
        out = [("index.html", self.home())]
        for p, t in FOOTER:
            out.append((p, self.footer_page(p, t)))
        for sec, name in SECTIONS:
            for k in range(self.lists):
                out.append((self.list_path(sec, k), self.list_page(sec, name, k)))
        for a in self.articles:
            out.append((a.path, self.article(a)))
        assert len(out) == self.n, (len(out), self.n)
        return out

    def home(self) -> str:
        latest = self.articles[-20:]
        items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a><span>{a.day}</span></li>' for a in latest)
        imgs = "".join(f'<img src="images/img_{i}.jpg" alt="图{i}">' for i in range(4))
        return wrap("某某县人民政府", "", f"<ul class=\"list\">{items}</ul>{imgs}" + self.broken_links("index.html"))

    def footer_page(self, path: str, title: str) -> str:
        rel = rel_prefix(path)
        links = "".join(f'<a href="{rel}{s}/index.html">{t}</a> ' for s, t in SECTIONS)
        return wrap(title, rel, f"<h1>{title}</h1><p>{links}</p>" + self.broken_links(path))

    def list_page(self, sec: str, name: str, k: int) -> str:
        path = self.list_path(sec, k)
        rel = rel_prefix(path)
        arts = self.by_section[sec][k * PER_LIST:(k + 1) * PER_LIST]
        items = "".join(
            f'<li><a href="{a.day:%Y%m}/t{a.day:%Y%m%d}_{a.id}.html">{escape(a.title)}</a><span>{a.day}</span></li>'
            for a in arts)
        pager = "".join(f'<a href="{self.list_path(sec, j).split("/", 1)[1]}">{j + 1}</a> ' for j in range(self.lists))
        return wrap(name, rel, f"<h1>{name}</h1><ul class=\"list\">{items}</ul><div class=\"pager\">{pager}</div>"
                    + self.broken_links(path))

    def article(self, a: Article) -> str:
        rel = rel_prefix(a.path)
        crumbs = f'<a href="{rel}">首页</a> &gt; <a href="{rel}{a.section}/index.html">{a.section}</a>'
        related = self.rng.sample(self.articles, min(RELATED, len(self.articles)))
        rel_html = "".join(f'<li><a href="{rel}{r.path}">{escape(r.title)}</a></li>' for r in related)
        imgs = "".join(f'<img src="{rel}images/img_{self.rng.randrange(self.images)}.jpg" alt="配图">'
                       for _ in range(self.rng.randint(2, 4)))
        files = ""
        for j in range(self.rng.randint(0, 2)):
            ext = "pdf" if j == 0 else "doc"
            fp = f"files/{a.section}/{a.id}_{j}.{ext}"
            self.attachments.append(fp)
            files += f'<a href="{rel}{fp}">附件{j + 1}</a> '
        body = (f"<div class=\"crumbs\">{crumbs}</div><h1>{escape(a.title)}</h1>"
                f"<div class=\"info\">发布时间：{a.day}</div><div class=\"text\"><p>" + "正文内容。" * 40
                + f"</p></div><div class=\"files\">{files}</div>{imgs}<ul class=\"related\">{rel_html}</ul>")
        return wrap(a.title, rel, body + self.broken_links(a.path))

    # -- broken links -----------------------------------------------------------------------

    def broken_links(self, path: str) -> str:
        """About 0.4 broken links per page (1 % of ~40), each recorded in the manifest."""
        html = ""
        # A Poisson-ish draw: each of 40 link slots is broken with probability BROKEN_RATE.
        k = sum(1 for _ in range(40) if self.rng.random() < BROKEN_RATE)
        for _ in range(k):
            html += self.one_broken(path)
        if self.case == "deadhosts":
            html += self.dead_links(path)
        return html

    def dead_links(self, path: str) -> str:
        """DEAD_LINKS links to distinct pages on outside hosts that do not resolve."""
        html = ""
        targets: set[str] = set()
        while len(targets) < DEAD_LINKS:
            targets.add(f"http://h{self.rng.randrange(self.dead_hosts)}.example.invalid/"
                        f"p{self.rng.randrange(DEAD_PATHS)}.html")
        for target in sorted(targets):
            self.broken.append({"page": self.base + path, "target": target, "kind": "dead-host",
                                "element": "a", "expect": EXPECT["dead-host"]})
            html += f'<a href="{target}">友情链接</a>'
        return html

    def one_broken(self, path: str) -> str:
        kinds = list(self.kinds)
        kind = self.rng.choices(kinds, weights=[self.kinds[x] for x in kinds])[0]
        # A fifth of missing images are a shared, already-broken one (same target, many pages).
        shared = [b for b in self.broken if b["kind"] == "missing-image"]
        if kind == "missing-image" and shared and self.rng.random() < 0.2:
            target = str(self.rng.choice(shared)["target"])
            if any(b["page"] == self.base + path and b["target"] == target for b in self.broken[-50:]):
                return ""
        else:
            self.counter += 1
            c = self.counter
            target = {
                "missing-page": f"{self.base}xwdt/nosuch/t{c}.html",
                "missing-image": f"{self.base}images/missing_{c}.jpg",
                "missing-attachment": f"{self.base}files/missing/{c}.pdf",
                "gone": f"{self.base}archive/gone/{c}.html",
                "server-error": f"{self.base}svc/err/{c}.html",
                "redirect-to-missing": f"{self.base}old/{c}.html",
                "external-404": f"{self.ext_base}nosuch/{c}.html",
                "refused": f"{self.dead_base}p{c}.html",
                "dns": f"http://www{c}.dead-portal.invalid/",
            }[kind]
        element = "img" if kind == "missing-image" else "a"
        entry: dict[str, object] = {"page": self.base + path, "target": target, "kind": kind,
                                    "element": element, "expect": EXPECT[kind]}
        if kind == "redirect-to-missing":
            # Some tools name the link as written, others where it led: both are the same finding.
            entry["final"] = target.replace("/old/", "/xwdt/moved-away/")
        self.broken.append(entry)
        if element == "img":
            return f'<img src="{target}" alt="坏图">'
        return f'<a href="{target}">失效链接</a>'

    # -- files ------------------------------------------------------------------------------

    def write(self, out: Path) -> dict[str, object]:
        out.mkdir(parents=True, exist_ok=True)
        pages = self.pages()
        for path, html in pages:
            f = out / path
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(html, encoding="utf-8")
        (out / "images").mkdir(exist_ok=True)
        (out / "images" / "logo.png").write_bytes(JPEG)
        for i in range(self.images):
            (out / "images" / f"img_{i}.jpg").write_bytes(JPEG)
        for fp in self.attachments:
            (out / fp).parent.mkdir(parents=True, exist_ok=True)
            (out / fp).write_bytes(PDF)
        (out / "css").mkdir(exist_ok=True)
        (out / "css" / "site.css").write_text("body{font:14px sans-serif}\n", encoding="utf-8")
        (out / "js").mkdir(exist_ok=True)
        (out / "js" / "site.js").write_text("/* site script */\n", encoding="utf-8")
        (out / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
        ext = out.parent / (out.name + "-ext")
        ext.mkdir(exist_ok=True)
        (ext / "index.html").write_text("<title>other host</title>", encoding="utf-8")
        manifest = {
            "case": self.case, "pages": self.n, "seed": None, "base": self.base, "external_base": self.ext_base,
            "dead_base": self.dead_base, "images": self.images + 1, "attachments": len(self.attachments),
            "broken_kinds": {k: sum(1 for b in self.broken if b["kind"] == k)
                             for k in [*self.kinds, *(["dead-host"] if self.case == "deadhosts" else [])]},
            "dead_hosts": len({urlsplit(str(b["target"])).hostname for b in self.broken if b["kind"] == "dead-host"}),
            "broken_targets": len({b["target"] for b in self.broken}),
            "broken": self.broken,
        }
        return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--out", type=Path, required=True, help="folder for the site (its -ext sibling is the other host)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--case", choices=CASES, default="portal", help="which site (see above)")
    ap.add_argument("--dead-hosts", type=int, default=DEAD_HOSTS, help="outside .invalid hosts (deadhosts case)")
    ap.add_argument("--port", type=int, default=8711, help="port nginx serves the site on")
    ap.add_argument("--ext-port", type=int, default=8712, help="port of the 'other host' server")
    ap.add_argument("--dead-port", type=int, default=8719, help="a loopback port nobody listens on")
    args = ap.parse_args(argv)
    gen = Generator(args.pages, args.seed, f"http://127.0.0.1:{args.port}/", f"http://127.0.0.1:{args.ext_port}/",
                    f"http://127.0.0.1:{args.dead_port}/", case=args.case, dead_hosts=args.dead_hosts)
    manifest = gen.write(args.out)
    manifest["seed"] = args.seed
    (args.out.parent / (args.out.name + ".manifest.json")).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    occ = len(manifest["broken"])  # type: ignore[arg-type]
    print(f"{args.pages} pages in {args.out}; {occ} broken link occurrences, "
          f"{manifest['broken_targets']} broken targets", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
