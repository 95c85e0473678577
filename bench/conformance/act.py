"""W3C ACT conformance of govaudit's accessibility check, next to axe-core's own EARL report.

Serves ../shared/corpus/wcag-act-rules/ on 127.0.0.1 under its expected path prefix
(/WAI/content-assets/wcag-act-rules/, which the test cases use for their assets), runs govaudit's
AccessibilityCheck in the system Chromium on every test case of every ACT rule that the check's
axe rules implement, and prints agreement per rule beside axe-core's EARL report.

    .venv/bin/python bench/conformance/act.py                 # every rule govaudit reports
    .venv/bin/python bench/conformance/act.py --rules 23a2a8,b5c3f8 --json out.json

A case agrees when govaudit reports a violation of one of the rule's axe procedures exactly when
the case is expected to fail (passed and inapplicable both mean "no violation"). axe's
"incomplete" results are "cantTell": never a violation, counted separately. Cases whose page loads
a script the corpus no longer carries (SOURCES.md: the .js files were removed) are left out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govaudit.checks.accessibility import AccessibilityCheck  # noqa: E402
from govaudit.checks.accessibility.mapping import load_mapping  # noqa: E402

from govaudit.browser import Renderer, find_browser, open_renderer  # noqa: E402
from govaudit.checkapi import CheckContext  # noqa: E402
from govaudit.config import AuditConfig, loopback_fast  # noqa: E402
from govaudit.crawl.crawler import page_from_fetch  # noqa: E402
from govaudit.crawl.fetcher import Fetcher  # noqa: E402
from govaudit.model import CheckResult, SiteSnapshot  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
ACT_DIR = Path("wcag-act-rules") / "content-assets" / "wcag-act-rules"
PREFIX = "/WAI/content-assets/wcag-act-rules/"
_ASSET_RE = re.compile(r"""(?:src|href|data)\s*=\s*["']?(/WAI/content-assets/wcag-act-rules/[^"'\s>]+)""", re.I)
NOT_FAILED = ("passed", "inapplicable")


@dataclass(slots=True)
class Case:
    rule: str
    rule_name: str
    expected: str  # passed | failed | inapplicable
    path: str  # relativePath, e.g. testcases/23a2a8/<sha>.html
    title: str


@dataclass(slots=True)
class RuleScore:
    rule: str
    name: str
    procedures: list[str]
    cases: int = 0
    expected_failed: int = 0
    agree: int = 0
    false_neg: list[str] = field(default_factory=list)  # expected failed, govaudit saw no violation
    false_pos: list[str] = field(default_factory=list)  # expected passed/inapplicable, govaudit failed it
    cant_tell: int = 0
    axe_cases: int = 0  # cases axe-core's EARL report judged (untested ones left out)
    axe_agree: int = 0
    both_agree: int = 0  # govaudit's agreement on exactly the cases axe's EARL report judged
    axe_false_neg: list[str] = field(default_factory=list)
    axe_false_pos: list[str] = field(default_factory=list)
    left_out: int = 0  # cases that load a removed script

    @property
    def rate(self) -> float:
        return self.agree / self.cases if self.cases else 0.0

    @property
    def axe_rate(self) -> float | None:
        return self.axe_agree / self.axe_cases if self.axe_cases else None


# ---- corpus -----------------------------------------------------------------------------------


def act_root(corpus: Path) -> Path:
    root = corpus / ACT_DIR
    if not (root / "testcases.json").is_file():
        raise SystemExit(f"ACT corpus not found at {root}: check out ../shared/corpus beside the project")
    return root


def load_cases(root: Path) -> list[Case]:
    data = json.loads((root / "testcases.json").read_text(encoding="utf-8"))
    return [Case(t["ruleId"], t["ruleName"], t["expected"], t["relativePath"], t["testcaseTitle"])
            for t in data["testcases"]]


def missing_scripts(root: Path, case: Case) -> list[str]:
    """Scripts under the corpus prefix that this case's page loads but the corpus no longer has."""
    text = (root / case.path).read_text(encoding="utf-8", errors="replace")
    out = []
    for m in _ASSET_RE.finditer(text):
        local = m.group(1)[len(PREFIX):].split("#")[0].split("?")[0]
        if local.endswith(".js") and not (root / local).is_file():
            out.append(local)
    return out


def missing_media(root: Path, case: Case) -> list[str]:
    text = (root / case.path).read_text(encoding="utf-8", errors="replace")
    return [m.group(1) for m in _ASSET_RE.finditer(text)
            if m.group(1).endswith((".mp3", ".mp4", ".webm"))
            and not (root / m.group(1)[len(PREFIX):]).is_file()]


def load_earl(root: Path, tool: str = "axe-core") -> dict[str, list[tuple[str, str]]]:
    """relativePath -> [(axe rule, outcome word)] from a tool's EARL report."""
    data = json.loads((root / "earl" / f"{tool}.json").read_text(encoding="utf-8"))
    graph = data.get("@graph") or data.get("assertedThat") or []
    out: dict[str, list[tuple[str, str]]] = {}
    for item in graph:
        source = item.get("subject", {}).get("source", "")
        rel = source.split("/content-assets/wcag-act-rules/")[-1]
        outcome = item.get("result", {}).get("outcome", "").replace("earl:", "")
        out.setdefault(rel, []).append((item.get("test", {}).get("title", ""), outcome))
    return out


def earl_outcome(assertions: list[tuple[str, str]]) -> str | None:
    """Combine a tool's procedures: failed > cantTell > passed/inapplicable; None when untested."""
    words = {o for _, o in assertions if o and o != "untested"}
    if not words:
        return None
    for word in ("failed", "cantTell", "passed", "inapplicable"):
        if word in words:
            return word
    return None


class CorpusServer:
    """The ACT folder on 127.0.0.1, under the path prefix its test cases expect."""

    def __init__(self, root: Path) -> None:
        handler = partial(_Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, case: Case) -> str:
        return self.base + PREFIX + case.path

    def __enter__(self) -> CorpusServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".html": "text/html; charset=utf-8",
                      ".svg": "image/svg+xml", ".xml": "application/xml", ".vtt": "text/vtt"}

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_corpus__")
        return super().translate_path("/" + clean[len(PREFIX):])

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


# ---- govaudit's side ---------------------------------------------------------------------------


async def procedures(renderer: Renderer) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(reported, partial): ACT rule id -> the axe rules that implement it (axe's own actIds).
    An ACT rule is reported when govaudit's default configuration runs every one of its axe rules;
    it is partial when some are off by default or experimental (e.g. color-contrast-enhanced)."""
    mapping = load_mapping()
    async with renderer.page() as pg:
        await pg.set_content("<title>t</title>")
        await pg.evaluate(renderer.axe_script())
        rules = await pg.evaluate("() => axe.getRules().map((r) => [r.ruleId, r.actIds || []])")
    every: dict[str, list[str]] = {}
    for rule_id, act_ids in rules:
        for act in act_ids:
            every.setdefault(act, []).append(rule_id)
    reported, partial = {}, {}
    for act, procs in every.items():
        off = [r for r in procs if mapping.rules.get(r, {}).get("default_off") or mapping.rules.get(r, {}).get("experimental")]
        (partial if off else reported)[act] = sorted(procs)
    return reported, partial


async def check_case(url: str, fetcher: Fetcher, renderer: Renderer, config: AuditConfig) -> CheckResult:
    """govaudit's AccessibilityCheck on a one-page site made of this test case."""
    res = await fetcher.fetch(url, html_only=True)
    page = page_from_fetch(res, 0)
    snapshot = SiteSnapshot(start_url=res.url, home_url=res.final_url, pages={res.url: page})
    ctx = CheckContext(fetcher=fetcher, config=config, as_of=date.today(), renderer=renderer,
                       options={"elderly": False, "screenshots": False, "max_pages": 1})
    return await AccessibilityCheck().run(snapshot, ctx)


def govaudit_outcome(result: CheckResult, procs: list[str]) -> str:
    failed = {f.rule.split(":", 1)[1] for f in result.findings if f.rule.startswith("axe:")}
    review = {row["rule"] for row in result.data.get("needs_review", [])}
    if failed & set(procs):
        return "failed"
    if review & set(procs):
        return "cantTell"
    return "passed"


async def run_cases(root: Path, all_cases: list[Case], rules: list[str] | None, server: CorpusServer,
                    pool: int, progress: bool
                    ) -> tuple[dict[str, CheckResult], dict[str, RuleScore], list[Case], str, dict[str, list[str]]]:
    """Learn which ACT rules govaudit reports (its axe procedures), then run their cases."""
    config = AuditConfig()
    loopback_fast(config.crawl)
    config.crawl.timeout = 10.0
    config.crawl.use_sitemap = False
    config.browser.pool = pool
    async with Fetcher(config.crawl) as fetcher:
        renderer = open_renderer(config, fetcher)
        if renderer is None:
            find_browser()  # raises BrowserUnavailable with the reason
            raise SystemExit("no browser")
        try:
            procs, partial = await procedures(renderer)
            scores = {r: RuleScore(r, "", procs[r]) for r in procs if rules is None or r in rules}
            cases = []
            for case in all_cases:
                if case.rule not in scores:
                    continue
                scores[case.rule].name = case.rule_name
                if missing_scripts(root, case):
                    scores[case.rule].left_out += 1
                else:
                    cases.append(case)
            limit = asyncio.Semaphore(pool * 2)
            results: dict[str, CheckResult] = {}

            async def one(case: Case) -> None:
                async with limit:
                    results[case.path] = await check_case(server.url(case), fetcher, renderer, config)
                if progress and len(results) % 100 == 0:
                    print(f"  {len(results)}/{len(cases)} cases", file=sys.stderr)

            await asyncio.gather(*(one(c) for c in cases))
            return results, scores, cases, renderer.axe_version, partial
        finally:
            await renderer.close()


# ---- scoring ----------------------------------------------------------------------------------


def evaluate(corpus: Path, rules: list[str] | None = None, pool: int = 4, progress: bool = False) -> dict[str, Any]:
    """Run the comparison; returns per-rule scores and totals (also what --json writes)."""
    root = act_root(corpus)
    all_cases = load_cases(root)
    earl = load_earl(root)
    started = time.monotonic()
    with CorpusServer(root) as server:
        results, scores, cases, axe_ver, partial = asyncio.run(
            run_cases(root, all_cases, rules, server, pool, progress))
    scores = {r: s for r, s in scores.items() if s.name}  # rules no test case exercises any more
    media_gaps = {c.path for c in cases if missing_media(root, c)}
    earl_judged = {c.path for c in cases if earl_outcome(earl.get(c.path, [])) is not None}
    left_out = [c.path for c in all_cases if c.rule in scores and missing_scripts(root, c)]
    for case in cases:
        sc = scores[case.rule]
        sc.cases += 1
        expected_fail = case.expected == "failed"
        sc.expected_failed += expected_fail
        ours = govaudit_outcome(results[case.path], sc.procedures)
        sc.cant_tell += ours == "cantTell"
        if (ours == "failed") == expected_fail:
            sc.agree += 1
        elif expected_fail:
            sc.false_neg.append(case.path)
        else:
            sc.false_pos.append(case.path)
        theirs = earl_outcome(earl.get(case.path, []))
        if theirs is not None:
            sc.axe_cases += 1
            sc.both_agree += (ours == "failed") == expected_fail
            if (theirs == "failed") == expected_fail:
                sc.axe_agree += 1
            elif expected_fail:
                sc.axe_false_neg.append(case.path)
            else:
                sc.axe_false_pos.append(case.path)
    ordered = sorted(scores.values(), key=lambda s: s.rule)
    total = sum(s.cases for s in ordered)
    agree = sum(s.agree for s in ordered)
    axe_total = sum(s.axe_cases for s in ordered)
    axe_agree = sum(s.axe_agree for s in ordered)
    both = sum(s.both_agree for s in ordered)
    return {
        "axe_version": axe_ver,
        "seconds": round(time.monotonic() - started, 1),
        "rules": ordered,
        "cases": total,
        "agree": agree,
        "axe_cases": axe_total,
        "axe_agree": axe_agree,
        "both_agree": both,
        "partial": {r: p for r, p in partial.items() if rules is None or r in rules},
        "left_out": sum(s.left_out for s in ordered),
        "media_gaps": sorted(media_gaps),
        "earl_judged": sorted(earl_judged),
        "left_out_cases": left_out,
        "case_info": {c.path: c for c in cases},
        "status": Counter(r.status for r in results.values()),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"govaudit accessibility check (axe-core {report['axe_version']}) on the W3C ACT test cases, "
        f"beside axe-core's own EARL report. {report['cases']} cases in {len(report['rules'])} ACT rules, "
        f"{report['left_out']} left out (their script asset was removed from the corpus); "
        f"{report['seconds']} s.",
        "",
        "| ACT rule | name | axe procedures | cases | govaudit agree | FN | FP | cantTell "
        "| govaudit on EARL's cases | axe EARL agree |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in report["rules"]:
        if s.axe_rate is not None:
            axe = f"{s.axe_agree}/{s.axe_cases} ({s.axe_rate:.0%})"
            both = f"{s.both_agree}/{s.axe_cases} ({s.both_agree / s.axe_cases:.0%})"
        else:
            axe = both = "–"
        lines.append(f"| {s.rule} | {s.name} | {', '.join(s.procedures)} | {s.cases} | "
                     f"{s.agree}/{s.cases} ({s.rate:.0%}) | {len(s.false_neg)} | {len(s.false_pos)} | "
                     f"{s.cant_tell} | {both} | {axe} |")
    ours = report["agree"] / report["cases"] if report["cases"] else 0
    both = report["both_agree"] / report["axe_cases"] if report["axe_cases"] else 0
    theirs = report["axe_agree"] / report["axe_cases"] if report["axe_cases"] else 0
    lines += ["", f"**Total**: govaudit {report['agree']}/{report['cases']} ({ours:.1%}) on every case; "
                  f"on the {report['axe_cases']} cases axe-core's EARL report judged, govaudit "
                  f"{report['both_agree']}/{report['axe_cases']} ({both:.1%}) and axe-core "
                  f"{report['axe_agree']}/{report['axe_cases']} ({theirs:.1%})."]
    skipped = report["status"].get("skipped", 0)
    if skipped:
        lines += ["", f"{skipped} cases are not HTML pages (SVG or XML documents): the check does not test "
                      "them, so they count as \"no violation\"."]
    if report["partial"]:
        lines += ["", "Not reported (an axe rule they need is off by default or experimental in govaudit's "
                      "configuration): " + "; ".join(f"{r} ({', '.join(p)})" for r, p in sorted(report["partial"].items()))]
    return "\n".join(lines) + "\n"


def disagreements(report: dict[str, Any], cases: dict[str, Case] | None = None) -> str:
    """One line per case where govaudit differs from the expected outcome, with axe EARL's verdict."""
    lines = []
    for s in report["rules"]:
        earl_wrong = set(s.axe_false_neg + s.axe_false_pos)
        for kind, paths in (("FN", s.false_neg), ("FP", s.false_pos)):
            for p in paths:
                if p in earl_wrong:
                    earl = "axe-core's EARL report has the same miss"
                elif p in report["earl_judged"]:
                    earl = "axe-core's EARL report got it right"
                else:
                    earl = "not in axe-core's EARL report"
                title = f" ({cases[p].title})" if cases and p in cases else ""
                media = "; the page needs a media file the corpus dropped" if p in report["media_gaps"] else ""
                lines.append(f"{s.rule} {kind} {p}{title}: {earl}{media}")
    return "\n".join(lines) + ("\n" if lines else "")


def to_json(report: dict[str, Any]) -> dict[str, Any]:
    out = dict(report)
    out["rules"] = [{k: getattr(s, k) for k in s.__slots__} | {"rate": s.rate, "axe_rate": s.axe_rate}
                    for s in report["rules"]]
    out["status"] = dict(report["status"])
    out["case_info"] = {p: {"rule": c.rule, "expected": c.expected, "title": c.title} for p, c in report["case_info"].items()}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--rules", help="comma list of ACT rule ids (default: every rule govaudit reports)")
    ap.add_argument("--pool", type=int, default=4, help="browser pages at once")
    ap.add_argument("--json", type=Path, help="write the full result here")
    ap.add_argument("--details", action="store_true", help="list every disagreement")
    args = ap.parse_args(argv)
    rules = [r.strip() for r in args.rules.split(",")] if args.rules else None
    report = evaluate(args.corpus, rules, args.pool, progress=True)
    print(markdown(report))
    if args.details:
        print(disagreements(report, report["case_info"]))
        print("Left out (script asset removed from the corpus): " + ", ".join(report["left_out_cases"]))
    if args.json:
        args.json.write_text(json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
