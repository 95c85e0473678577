"""Conformance: govaudit's crawl + link check against linkchecker's own test pages and verdicts.

linkchecker/linkchecker tests/checker/data (in the shared corpus) holds input pages and, for each,
a `.result` file: one record per checked URL ending in `valid` or `error`. This script serves the
corpus folder on 127.0.0.1 (stdlib file server, with the two behaviours of linkchecker's own test
server: query strings ignored, `redirect_newhost` answered with a 302 to www.example.com), runs
govaudit on every input and compares per-URL verdicts.

Mapping (stated in LINKS.md): a record's `file://%(curdir)s/%(datadir)s/X` is our
`http://127.0.0.1:PORT/tests/checker/data/X` (a web auditor reads pages over HTTP);
`localhost:%(port)d` is 127.0.0.1:PORT. Upstream runs with recursion level 1 (the input is parsed,
its links checked), so we compare the links of the start page; anchor1.html runs at level 4 and
compares every crawled page's links. An anchor that names no element is a `valid` verdict with a
warning upstream; ours is the link check's optional `broken-anchor` warning (anchors = true).

    .venv/bin/python bench/conformance/linkchecker.py [--corpus DIR] [--verbose]

Every difference must have its reason in DIFFERENCES; a new one is printed as "unexplained".
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.conformance.linkharness import (  # noqa: E402
    ANCHOR,
    ERROR,
    MISSING,
    VALID,
    DirServer,
    LinkRun,
    Tally,
    corpus_dir,
    run_links,
)
from govaudit.crawl.urls import host_of, normalize_url  # noqa: E402

DATADIR = "tests/checker/data"
# Bookmark files are a desktop browser's, not a web site's: a web auditor never reads them.
BOOKMARKS = ("Bookmarks.result", "opera6.adr.result", "places.sqlite.result",
             "plist_binary/Bookmarks.plist.result", "plist_xml/Bookmarks.plist.result")
# Local directory listings: the input is a folder on disk (dir.zip unpacked by the upstream test,
# which is xfail there; udir/ is not in the corpus). No web page to serve.
FILESYSTEM_ONLY = ("dir.result", "udir.result")
# Upstream runs these with a deeper recursion level; we then compare every crawled page's links.
RECURSION = {"anchor1.html.result": 3}
PAGE_SUFFIXES = (".html", ".xhtml", ".php")
# Hosts that exist on the internet: a `valid` verdict for them cannot be reproduced offline.
# (www.garantiertnixgutt.bla, .example.org and url*.example.com do not resolve anywhere.)
PUBLIC_HOSTS = frozenset({"www.example.com", "example.com", "www.example.org", "example.org"})

# Why govaudit's verdict differs from linkchecker's, by (result file, URL as written in the record).
_APPLET = ("applet and object archive= (Java, obsolete since HTML5) are not link attributes for govaudit "
           "(issue #2 section 4's element list)")
_CSS = "a stylesheet is checked for loading, not parsed: url()s inside CSS are not extracted"
_STYLE = "url()s inside a style= attribute are not extracted"
_MARKDOWN = ("a Markdown file is not a web page: served as text/markdown its links are not extracted "
             "(upstream runs its MarkdownCheck plug-in)")
_PHP = ("a link holding unexecuted PHP is what a visitor's browser gets: govaudit resolves and fetches it "
        "(404, broken); linkchecker skips URLs with processing instructions")
_WML = "WML (WAP 1.x markup, text/vnd.wap.wml) is not HTML: not parsed"
_SITEMAP = ("a sitemap given as the start URL is not read as a page: govaudit reads sitemaps only to seed "
            "a crawl (robots.txt Sitemap: lines and /sitemap.xml)")
_URLLIST = "a plain-text URL list is linkchecker's own input format, not a web page"
_PREFETCH = ("dns-prefetch resource hints are not links: skipped by design, as muffet does (upstream checks "
             "that the host resolves, which would need the internet here anyway)")
DIFFERENCES: dict[tuple[str, str], str] = {
    ("archive.html.result", "file.html"): _APPLET,
    ("archive.html.result", "http://www.example.com"): _APPLET,
    ("base3.html.result", "test.txt"): _APPLET,
    ("http.html.result", "file.html"): _APPLET,
    ("http.html.result", "file.css"): _APPLET,
    ("http.html.result", "file.asc"): _STYLE,
    ("http.html.result", "file.txt"): _STYLE,
    ("http.html.result", "clsid:12345-67890"): "object classid= names an ActiveX class, not a URL: not extracted",
    ("http.html.result", "dns://www.example.org"): _PREFETCH,
    ("http.html.result", "dns://www.example.com"): _PREFETCH,
    ("file.css.result", "file.html"): _CSS,
    ("file.css.result", "file.txt"): _CSS,
    ("file.doc.result", "http://www.example.org/"): "Word documents are checked for loading, not parsed for links",
    **{("file.markdown.result", f"http://{h}.example.com"): _MARKDOWN
       for h in ("url", "url2", "urldef1", "urldef2", "urllink", "urllink2", "urlimg")},
    ("file.pdf.result", "http://www.example.com/link1"): "PDF attachments are checked for loading, not parsed",
    ("file.pdf.result", "http://www.example.com/link2"): "PDF attachments are checked for loading, not parsed",
    ("file.php.result", "test_<?php echo $module ?>"): _PHP,
    ("file.php.result", "test_<? echo $module ?>"): _PHP,
    ("file.wml.result", "file.html"): _WML,
    ("file.wml.result", "error.gif"): _WML,
    ("html5.html.result", "file.css"): "button formaction= (a form's submit target) is not a link element here",
    ("html5.html.result", "file.php"): "html manifest= (the removed AppCache manifest) is not a link",
    ("http_slash.html.result", "http:"): (
        "WHATWG URL parsing: 'http:' on an http page is the page itself (browsers reload it), so govaudit "
        "checks the page: valid; linkchecker rejects it as malformed"),
    ("http_slash.html.result", "http:/www.example.com/"): (
        "WHATWG URL parsing: 'http:/www.example.com/' on an http page is http://www.example.com/, where "
        "browsers go; govaudit's error here is only DNS failing offline (online it is the valid "
        "www.example.com record); linkchecker rejects it as malformed"),
    ("misc.html.result", "favicon.ico"): (
        "<meta rel=icon href=...> is not HTML (meta has no href; browsers ignore it); linkchecker reads it"),
    ("sitemap.xml.result", "http://www.example.com/"): _SITEMAP,
    ("sitemap.xml.result", "http://www.example.com/?ascii=nø"): _SITEMAP,
    ("sitemapindex.xml.result", "sitemap.xml"): _SITEMAP,
    ("urllist.txt.result", "javascript:loadthis()"): _URLLIST,
    ("urllist.txt.result", "file.html"): _URLLIST,
}
# Verdicts that agree here only because there is no internet: not counted as reproduced.
OFFLINE_LUCK = frozenset({("http_slash.html.result", "http:/www.example.com/")})


@dataclass(slots=True)
class Record:
    """One record of a .result file, placeholders substituted."""

    source: str  # the .result file, relative to the data folder
    url: str  # as written in the page (or the input URL)
    cache_key: str | None  # normalised absolute URL upstream, None when it could not parse it
    verdict: str  # valid | error
    real_url: str | None = None  # after redirects
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)

    @property
    def anchor_warning(self) -> bool:
        return any(w.startswith("Anchor `") for w in self.warnings)


@dataclass(slots=True)
class Compared:
    record: Record
    ours: str  # valid | error | anchor | missing | offline
    reproduced: bool
    anchor_expected: bool
    anchor_ours: bool
    reason: str = ""  # for a difference, from DIFFERENCES
    public_error: bool = False  # an expected error on a public host: offline we see it as dns


@dataclass(slots=True)
class Report(Tally):
    compared: list[Compared]
    skipped: dict[str, int]  # result file -> verdicts left out (bookmarks, local directories)

    @property
    def error_precision_recall(self) -> tuple[int, int, int]:
        """(true, false, missed) errors over the verdicts compared; a link we never extracted is
        a missed error when upstream says error, and never a false one."""
        tp = sum(c.record.verdict == ERROR and c.ours == ERROR and c.reproduced for c in self.compared)
        fp = sum(c.record.verdict == VALID and c.ours == ERROR for c in self.compared)
        fn = sum(c.record.verdict == ERROR and not c.reproduced for c in self.compared)
        return tp, fp, fn

    def on_pages(self) -> tuple[int, int]:
        """(reproduced, compared) over the inputs that are web pages (.html, .xhtml, .php)."""
        mine = [c for c in self.compared if input_of(c.record.source).endswith(PAGE_SUFFIXES)]
        return sum(c.reproduced for c in mine), len(mine)

    @property
    def anchors_expected(self) -> int:
        return sum(c.anchor_expected for c in self.compared)

    @property
    def anchors_reproduced(self) -> int:
        return sum(c.anchor_expected and c.anchor_ours for c in self.compared)

    @property
    def anchors_extra(self) -> int:
        return sum(c.anchor_ours and not c.anchor_expected for c in self.compared)


def substitute(text: str, port: int) -> str:
    """A .result text with upstream's placeholders filled in for our server."""
    text = text.replace("file://%(curdir)s/%(datadir)s", "http://127.0.0.1:%(port)d/%(datadir)s")
    text = text.replace("localhost:%(port)d", "127.0.0.1:%(port)d")
    return text % {"curdir": "", "datadir": DATADIR, "port": port}


def parse_result(text: str, source: str) -> list[Record]:
    """Records of a substituted .result file (blank-line separated, `url` first)."""
    records: list[Record] = []
    current: Record | None = None
    for line in text.splitlines():
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        if key == "url":
            current = Record(source=source, url=value, cache_key=None, verdict="")
            records.append(current)
        elif current is None:
            continue
        elif line.startswith("cache key "):
            ck = line[len("cache key "):]
            current.cache_key = None if ck == "None" else ck
        elif line.startswith("real url "):
            current.real_url = line[len("real url "):]
        elif key in ("valid", "error"):
            current.verdict = key
        elif key == "warning":
            current.warnings.append(value)
        elif key == "info":
            current.infos.append(value)
    return [r for r in records if r.verdict]


def input_of(result_file: str) -> str:
    """The input a result file belongs to: X.result -> X; X.file.result (file:// run) -> X."""
    name = result_file[: -len(".result")]
    return name[: -len(".file")] if name.endswith(".file") else name


def _split_fragment(key: str | None) -> tuple[str | None, str | None]:
    if key is None or "#" not in key:
        return key, None
    base, _, frag = key.partition("#")
    return base, frag


def compare_records(records: list[Record], run: LinkRun) -> list[Compared]:
    out: list[Compared] = []
    for rec in records:
        url, fragment = _split_fragment(rec.cache_key)
        is_start = fragment is None and url is not None and normalize_url(url) == run.start_url
        hosts = {host_of(u) for u in (url, rec.real_url) if u and u.startswith("http")}
        public = bool(hosts & PUBLIC_HOSTS)
        if is_start:
            ours = run.start_verdict()
        else:
            ours = run.verdict(run.find(url, rec.url, fragment))
        anchor_ours = ours == ANCHOR
        mapped = VALID if ours == ANCHOR else ours  # upstream: a missing anchor is a warning
        if public and rec.verdict == VALID and mapped != MISSING:
            ours = mapped = "offline"  # needs the internet to answer 200
        reproduced = mapped == rec.verdict and (rec.source, rec.url) not in OFFLINE_LUCK
        c = Compared(record=rec, ours=ours, reproduced=reproduced, anchor_expected=rec.anchor_warning,
                     anchor_ours=anchor_ours, public_error=public and reproduced and rec.verdict == ERROR)
        if not reproduced and ours != "offline":
            c.reason = DIFFERENCES.get((rec.source, rec.url), "unexplained")
        out.append(c)
    return out


def run(corpus: Path) -> Report:
    root = corpus / "linkchecker"
    data = root / DATADIR
    results = sorted(p.relative_to(data).as_posix() for p in data.rglob("*.result"))
    compared: list[Compared] = []
    skipped: dict[str, int] = {}
    redirects = [("redirect_newhost", lambda path: "http://www.example.com/"),
                 ("redirect", lambda path: path.replace("redirect", "newurl"))]
    # A PHP site answers its .php pages as HTML; the stdlib server would call them a download.
    with DirServer(root, ignore_query=True, redirects=redirects, types={".php": "text/html"}) as srv:
        for name in results:
            text = (data / name).read_text("utf-8")
            records = parse_result(substitute(text, srv.port), name)
            if name in BOOKMARKS or name in FILESYSTEM_ONLY:
                skipped[name] = len(records)
                continue
            depth = RECURSION.get(name, 1)
            link_run = run_links(srv.url(f"/{DATADIR}/{input_of(name)}"), max_depth=depth,
                                 all_pages=name in RECURSION)
            compared.extend(compare_records(records, link_run))
    return Report(compared=compared, skipped=skipped)


def summary(report: Report, verbose: bool = False) -> str:
    lines = [
        f"linkchecker conformance: {report.reproduced} of {report.total} verdicts reproduced "
        f"({sum(c.public_error for c in report.compared)} of them errors on public hosts, seen offline as dns)",
        "  on web pages (.html, .xhtml, .php inputs): {} of {}".format(*report.on_pages()),
        "  errors: {} found, {} false, {} missed".format(*report.error_precision_recall),
        f"  needs the internet (valid upstream, a public host): {len(report.offline)}",
        f"  differences: {len(report.differences)}",
        f"  anchor warnings: {report.anchors_reproduced} of {report.anchors_expected} reproduced, "
        f"{report.anchors_extra} extra",
        f"  left out: {sum(report.skipped.values())} verdicts in {len(report.skipped)} files "
        f"({', '.join(sorted(report.skipped))})",
    ]
    for c in report.differences:
        lines.append(f"  DIFF {c.record.source}: {c.record.url!r} expected {c.record.verdict}, "
                     f"govaudit {c.ours} - {c.reason}")
    if verbose:
        for c in report.offline:
            lines.append(f"  OFFLINE {c.record.source}: {c.record.url!r}")
        for c in report.compared:
            if c.reproduced:
                lines.append(f"  OK {c.record.source}: {c.record.url!r} {c.record.verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="the shared corpus folder (default: ../shared/corpus)")
    parser.add_argument("--verbose", action="store_true", help="list every verdict")
    args = parser.parse_args(argv)
    report = run(corpus_dir(args.corpus))
    print(summary(report, args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
