"""The CLI's end-of-run summary: worst problems first, capped, one line each, and inert on a real
terminal whatever the site's title says."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from govaudit.cli import gate_exit, summary
from govaudit.model import AuditResult, IndicatorResult
from govaudit.report.terminal import MAX_LISTED, grading_lines, one_line, plain_summary, points_text, problems
from tests.report.builders import build_result

ROOT = Path(__file__).resolve().parents[2]


def many_failures(n: int) -> AuditResult:
    r = build_result()
    r.scored.indicators += [
        IndicatorResult(f"cn.deduct.x{i}", f"扣分项 {i}", "deduct", "fail", -float(i % 4 + 1), f"{i} problems")
        for i in range(n)]
    return r


def test_plain_summary_lists_worst_first() -> None:
    r = build_result()
    lines = plain_summary(r, [Path("out/report.json")])
    assert lines[0] == "site: http://127.0.0.1:8080/  pages: 412  run: r-20261122-0001"
    assert lines[1] == "score: 0/100  grade: 不合格  vetoes: cn.veto.interaction"
    head = next(n for n, line in enumerate(lines) if line.startswith("indicators: "))
    assert lines[2:head] == grading_lines(r)  # the rule under the score
    assert lines[head] == "indicators: 4 fail, 1 error, 2 pass, 1 not applicable"
    lines = lines[:2] + lines[head:]
    listed = [line.split()[2].rstrip(":") for line in lines[3:-1]]
    # the failed veto, then deductions by size, then what could not be judged, then the failed bonus
    assert listed == ["cn.veto.interaction", "cn.deduct.links.home", "cn.deduct.links.other",
                      "cn.info.accessibility", "cn.bonus.interview"]
    assert lines[4] == "  fail      -3  cn.deduct.links.home: 3 unusable links on the home page"
    assert lines[3].startswith("  fail    veto  cn.veto.interaction:")
    assert lines[6].startswith("  error      ?  cn.info.accessibility:")
    assert lines[-1] == "wrote out/report.json"


def test_plain_summary_is_capped() -> None:
    r = many_failures(30)
    lines = plain_summary(r, [])
    rows = [line for line in lines if line.startswith("  ") and not line.startswith("  +")]
    assert len(rows) == MAX_LISTED
    assert lines[-1] == f"  +{5 + 30 - MAX_LISTED} more (every indicator is in the reports)"
    assert max(len(line) for line in lines) < 160


def test_one_line_drops_control_characters() -> None:
    assert one_line("a\nb\x1b[2Jc\u2028 d") == "a b [2Jc d"
    assert one_line("x" * 300, 20) == "x" * 19 + "…"
    assert points_text(IndicatorResult("b", "t", "bonus", "pass", 2.0)) == "+2"
    assert problems([IndicatorResult("p", "t", "deduct", "pass")]) == []


def test_cli_summary_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    r = build_result()
    r.scored.indicators[2].detail = "line one\nline two \x1b[31mred"
    summary(r, [Path("out/report.html")])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("site: ") and out[-1] == "wrote out/report.html"
    assert "  fail      -3  cn.deduct.links.home: line one line two [31mred" in out
    assert "\x1b" not in "\n".join(out)


def test_gate_lists_at_most_five_unjudged(capsys: pytest.CaptureFixture[str]) -> None:
    r = build_result()
    r.scored.indicators += [IndicatorResult(f"cn.x{i}", "t", "info", "error") for i in range(7)]
    assert gate_exit(r, None, ("error",)) == 1
    err = capsys.readouterr().err.strip()
    assert err == "gate: indicators could not be evaluated: cn.info.accessibility, cn.x0, cn.x1, cn.x2, cn.x3 (+3 more)"


def test_summary_on_a_real_terminal_is_inert_and_short() -> None:
    """Run summary() with stdout on a pseudo-terminal, as a person at a shell would see it."""
    script = textwrap.dedent("""
        from pathlib import Path
        from govaudit.cli import summary
        from govaudit.model import IndicatorResult
        from tests.report.builders import build_result
        r = build_result()
        r.site_title = "县政府[bold red]x[/][/]\\x1b[2J\\x1b]0;pwned\\x07"
        r.scored.indicators[2].detail = "[link=http://e.invalid]click[/link] [/]"
        r.scored.indicators += [IndicatorResult(f"cn.deduct.y{i}", "t", "deduct", "fail", -1.0, "d")
                                for i in range(40)]
        summary(r, [Path("out/report.html")])
    """)
    leader, follower = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="160", LINES="50", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=follower, stdout=follower, stderr=subprocess.PIPE,
                            cwd=ROOT, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=30) == 0, proc.stderr.read().decode() if proc.stderr else ""
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "Traceback" not in out
    assert "[bold red]x[/][/]" in out  # the site's markup is shown, not obeyed
    assert "\x1b[2J" not in out and "\x1b]0;pwned" not in out  # no screen clearing, no window title
    assert "[link=http://e.invalid]click[/link]" in out
    assert "(+25 more in the reports)" in out  # 45 problems, 20 rows
    assert "wrote out/report.html" in out
