"""Conformance: govaudit's crawl + link check against lychee's fixtures (lychee/EXPECTED.md).

lychee checks files and Markdown as much as web pages; the cases here are the ones that apply to a
web crawler: an HTML page served over HTTP (this script serves the fixture folder as-is on
127.0.0.1 with the stdlib file server) whose links are checked the way a visitor's browser would
resolve them. Each case is transcribed from EXPECTED.md (the lychee options it assumes are kept),
one expectation per link:
- "ok" / "error": lychee's verdict. A #fragment that names no element is an error for lychee; ours
  is the link check's optional broken-anchor warning (anchors = true), counted as that error.
- "extracted" / "not-extracted": an extraction expectation (lychee --dump).

Cases left out (file-system only, policy, Markdown or no expectation) are listed in SKIPPED with
the reason. Every difference must have its reason in DIFFERENCES.

    .venv/bin/python bench/conformance/lychee.py [--corpus DIR] [--verbose]
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
    DirServer,
    Tally,
    corpus_dir,
    run_links,
)
from govaudit.crawl.urls import host_of, normalize_url  # noqa: E402

OK, ERR, EXTRACTED, NOT_EXTRACTED = "ok", "error", "extracted", "not-extracted"
# Hosts that exist on the internet: an "ok" for them cannot be reproduced offline.
PUBLIC_HOSTS = frozenset({"github.com", "example.com", "www.example.com"})


@dataclass(frozen=True, slots=True)
class Case:
    fixture: str  # the start page, relative to the web root
    root: str  # folder served as the web root, relative to lychee/fixtures
    options: str  # the lychee options EXPECTED.md gives for this expectation
    expected: dict[str, str]  # link as written (or absolute URL) -> ok | error | extracted | not-extracted


CASES: tuple[Case, ...] = (
    Case("index.html", "resolve_paths", "--offline --base-url <dir>",
         {"/": OK, "/about": OK, "/another page": OK}),
    Case("nested/index.html", "resolve_paths_from_root_dir",
         "--offline --include-fragments --root-dir <fixture root>",
         {"/nested": OK, "/nested/about": OK, "/nested/another page": OK,
          "/nested/about/index.html#fragment": OK, "/nested/about/index.html#missing": ERR,
          "#good": OK, "#bad": ERR}),
    # fragments/: the HTML file's links. EXPECTED.md lists every error of the folder; the rest of
    # file.html's links are its successes.
    Case("file.html", "fragments", "--include-fragments",
         {"file1.md#fragment-1": OK, "#in-the-beginning": OK, "#in-THE-begiNNing": ERR,
          "#tangent%3A-kustomize": OK, "#Upper-ÄÖö": OK, "#Upper-%C3%84%C3%96%C3%B6": OK,
          "#in-the-end": ERR, "#": OK, "#top": OK,
          "https://github.com/lycheeverse/lychee#table-of-contents": OK}),
    Case("should-match.html", "text_fragments", "--include-fragments=full --root-dir fixtures/text_fragments",
         {"/index.html#:~:text=rutrum": OK,
          "/index.html#:~:text=Pellentesque%20accumsan%20blandit%20ex%20iaculis%20pretium": OK,
          "/index.html#:~:text=malesuada.,Duis": OK,
          "/index.html#:~:text=consectetur%20adipiscing%20elit.-,Sed%20porta,-nisl%20sit%20amet": OK,
          "/index.html#:~:text=a-,b%20cd": OK}),
    Case("should-not-match.html", "text_fragments", "--include-fragments=full --root-dir fixtures/text_fragments",
         {"/index.html#:~:text=non-existent": ERR, "/index.html#:~:text=my-style": ERR,
          "/index.html#:~:text=my-element": ERR, "/index.html#:~:text=my-script": ERR}),
    # "malformed" = not a usable URL: an error for a site's visitors (lychee does not extract them).
    Case("TEST_HTML5_MALFORMED_LINKS.html", ".", "default (network)",
         {"https;//example.com/malformed_one": ERR, "https://example]org/malformed_two": ERR,
          "https://example.com/valid": OK}),
    Case("TEST_VERBATIM.html", ".", "--dump",
         {f"http://www.example.com/{p}": NOT_EXTRACTED
          for p in ("pre", "pre/a", "code", "samp", "kbd", "var", "script")}),
    Case("LINK_PERIOD.html", ".", "--dump", {"https://www.example.com/smth.": EXTRACTED}),
)

_MD_FRAGMENTS = ("Markdown, not a web page: the other 10 errors and the remaining successes of fragments/ are "
                 "links and headings in .md files (and local directories sub_dir/, empty_dir/ read as folders)")
_FALLBACK = ("file-system only: --fallback-extensions makes lychee try other.htm / index.html for a path "
             "without one; a web server answers the URL it is asked")
_BENCH = "no expected verdicts (extractor throughput only; tests/crawl reads them)"
# Fixtures with expectations in EXPECTED.md that are not compared, by path under lychee/fixtures.
SKIPPED: dict[str, str] = {
    "offline/index.html": (
        "file-system only: its 5 errors say a root-relative link cannot be resolved in a file read without "
        "a base URL; a page fetched over HTTP always has one"),
    "fragments/file1.md": _MD_FRAGMENTS,
    "fragments/file2.md": _MD_FRAGMENTS,
    "fragments-fallback-extensions/index.html": _FALLBACK,
    "fallback-extensions/index.html": _FALLBACK,
    "filechecker/dir_links.md": "Markdown links to local directories and their index files",
    "TEST_HTTP.html": "--require-https is a policy option, not a link verdict; govaudit has no such rule",
    "bench/arch.html": _BENCH,
    "bench/elvis.html": _BENCH,
}

# Why govaudit differs from lychee, by (fixture, link as written).
_TEXT = ("text fragments (#:~:text=...) are not checked: the anchor rule looks for elements, and a text "
         "directive names no element")
DIFFERENCES: dict[tuple[str, str], str] = {
    ("should-not-match.html", "/index.html#:~:text=non-existent"): _TEXT,
    ("should-not-match.html", "/index.html#:~:text=my-style"): _TEXT,
    ("should-not-match.html", "/index.html#:~:text=my-element"): _TEXT,
    ("should-not-match.html", "/index.html#:~:text=my-script"): _TEXT,
    ("TEST_VERBATIM.html", "http://www.example.com/pre/a"): (
        "an <a href> inside <pre> is a working link for a visitor, so govaudit checks it; lychee skips "
        "verbatim blocks (bare-text URLs there are not links in HTML and neither tool extracts them)"),
}


@dataclass(slots=True)
class Compared:
    fixture: str
    link: str
    expected: str
    ours: str  # ok | error | extracted | not-extracted | offline
    reproduced: bool
    reason: str = ""
    fragment_examined: bool = True  # false: agreement only because the #fragment was not looked at


@dataclass(slots=True)
class Report(Tally):
    compared: list[Compared] = field(default_factory=list)

    @property
    def unexamined(self) -> list[Compared]:
        """Reproduced "ok"s whose fragment govaudit did not look at (text directives, Markdown)."""
        return [c for c in self.compared if c.reproduced and not c.fragment_examined]

    def errors(self, fixture: str, side: str = "ours") -> set[str]:
        """The links of one fixture that are errors, by lychee ("expected") or by govaudit."""
        return {c.link for c in self.compared if c.fixture == fixture
                and (c.expected if side == "expected" else c.ours) == ERR}


def run_case(case: Case, fixtures: Path) -> list[Compared]:
    root = (fixtures / case.root).resolve()
    with DirServer(root, types={".md": "text/markdown"}) as srv:
        link_run = run_links(srv.url("/" + case.fixture), max_depth=1)
        out: list[Compared] = []
        for written, expected in case.expected.items():
            absolute = written if written.startswith(("http:", "https:")) else None
            fragment = written.partition("#")[2] if "#" in written else None
            link = link_run.find(absolute.split("#")[0] if absolute else None, written, fragment)
            verdict = link_run.verdict(link)
            if expected in (EXTRACTED, NOT_EXTRACTED):
                ours = NOT_EXTRACTED if verdict == MISSING else EXTRACTED
            else:
                ours = {ERROR: ERR, ANCHOR: ERR, MISSING: "missing"}.get(verdict, OK)
                target = link.url if link is not None else (normalize_url(written) or "")
                if expected == OK and host_of(target) in PUBLIC_HOSTS:
                    ours = "offline"  # answering 200 needs the internet
            c = Compared(case.fixture, written, expected, ours, reproduced=ours == expected,
                         fragment_examined=link is None or link_run.fragment_examined(link))
            if not c.reproduced and ours != "offline":
                c.reason = DIFFERENCES.get((case.fixture, written), "unexplained")
            out.append(c)
    return out


def run(corpus: Path) -> Report:
    fixtures = corpus / "lychee" / "fixtures"
    report = Report()
    for case in CASES:
        report.compared.extend(run_case(case, fixtures))
    return report


def summary(report: Report, verbose: bool = False) -> str:
    lines = [
        f"lychee conformance: {report.reproduced} of {report.total} expectations reproduced",
        f"  of them {len(report.unexamined)} ok fragments agree without being examined "
        f"(text directives, a Markdown target)",
        f"  needs the internet (ok upstream, a public host): {len(report.offline)}",
        f"  differences: {len(report.differences)}",
        f"  left out: {len(SKIPPED)} fixtures ({'; '.join(SKIPPED)})",
    ]
    for c in report.differences:
        lines.append(f"  DIFF {c.fixture}: {c.link!r} expected {c.expected}, govaudit {c.ours} - {c.reason}")
    if verbose:
        for c in report.compared:
            if c.reproduced or c.ours == "offline":
                lines.append(f"  {'OK' if c.reproduced else 'OFFLINE'} {c.fixture}: {c.link!r} {c.expected}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="the shared corpus folder (default: ../shared/corpus)")
    parser.add_argument("--verbose", action="store_true", help="list every expectation")
    args = parser.parse_args(argv)
    print(summary(run(corpus_dir(args.corpus)), args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
