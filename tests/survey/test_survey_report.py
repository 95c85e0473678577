"""Survey report and survey-diff over two real rounds, with site text that tries to inject HTML and
spreadsheet formulas."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from tests.survey.helpers import AS_OF, FAST, govaudit
from tests.survey.portals import portal_routes, serve_portals

EVIL_NAME = '<script>alert("name")</script>'
FORMULA = '=HYPERLINK("http://evil.example/","点我")'


def survey_round(tmp_path: Path, name: str, rows: list[tuple[str, str, str, str]]) -> Path:
    sites = tmp_path / f"{name}.csv"
    with sites.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["url", "name", "region", "level"])
        writer.writerows(rows)
    out = tmp_path / name
    proc = govaudit("survey", str(sites), "--id", name, "--db", str(tmp_path / "g.db"), "--out", str(out),
                    "--as-of", AS_OF, "--profile", "links", "--checks", "links", *FAST)
    assert proc.returncode == 0, proc.stderr
    return out


def test_two_rounds_report_and_diff(tmp_path: Path) -> None:
    with serve_portals(5, first_address=90, broken_every=0) as portals:
        p = portals.items
        p[1].server.routes = portal_routes(1, broken=True)
        rows = [(p[0].url, "甲县", "江西省", "县级"), (p[1].url, EVIL_NAME, "江西省", "市级"),
                (p[2].url, FORMULA, "河北省", "县级"), (p[3].url, "丁县", "河北省", "县级")]
        one = survey_round(tmp_path, "r1", rows)
        # Round 2: p0 breaks a link, p1 is fixed, p2 goes down, p3 stays; p4 joins the list.
        p[0].server.routes = portal_routes(0, broken=True)
        p[1].server.routes = portal_routes(1, broken=False)
        p[2].server.shutdown()
        p[2].server.server_close()
        two = survey_round(tmp_path, "r2", rows + [(p[4].url, "戊县", "四川省", "县级")])

    doc = json.loads((one / "survey.json").read_text(encoding="utf-8"))
    assert doc["schema"] == "govaudit.survey/1" and doc["profile"]["id"] == "links"
    ranked = [(r["url"], r["rank"], r["score"], r["grade"]) for r in doc["sites"]]
    assert ranked[-1][0] == p[1].url and ranked[-1][3] == "fail"  # the broken site ranks last
    assert [r[1] for r in ranked] == [1, 1, 1, 4]  # ties share a rank
    assert [r[2] for r in ranked] == sorted((r[2] for r in ranked), reverse=True)

    html = (one / "survey.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(" in html
    assert "links.broken.home" in html  # the failing indicator is listed
    bars = re.findall(r"<title>(\d+)–(\d+): (\d+)</title>", html)
    assert sum(int(n) for *_, n in bars) == 4 and ("90", "100", "4") in bars  # 100, 100, 100 and 99
    assert ">江西省<" in html and ">河北省<" in html

    with (one / "survey.csv").open(encoding="utf-8-sig", newline="") as fh:
        by_url = {r["url"]: r for r in csv.DictReader(fh)}
    assert by_url[p[2].url]["name"] == "'" + FORMULA  # a spreadsheet shows it, never runs it
    assert by_url[p[1].url]["name"] == EVIL_NAME
    assert by_url[p[1].url]["links.broken_home"] == "1" and by_url[p[1].url]["links.broken.home"] == "fail"

    diff_proc = govaudit("survey-diff", str(one), str(two / "survey.json"), "--format", "json")
    assert diff_proc.returncode == 0, diff_proc.stderr
    diff = json.loads(diff_proc.stdout)
    assert [e["url"] for e in diff["newly_failing"]] == [p[0].url, p[2].url]
    assert [e["after"] for e in diff["newly_failing"]] == ["fail (99)", "not reachable"]
    assert [(e["url"], e["before"], e["after"]) for e in diff["newly_passing"]] == [(p[1].url, "fail (99)", "pass (100)")]
    assert diff["added"] == [p[4].url] and diff["removed"] == []
    changes = {(c["url"], c["indicator"], c["before"], c["after"]) for c in diff["indicator_changes"]}
    assert (p[0].url, "links.broken.home", "pass", "fail") in changes
    assert (p[1].url, "links.broken.home", "fail", "pass") in changes
    assert not any(c[0] == p[3].url for c in changes)  # nothing changed on the steady site
    assert {(s["url"], s["delta"]) for s in diff["score_changes"]} == {(p[0].url, -1), (p[1].url, 1)}

    text = govaudit("survey-diff", str(one), str(two)).stdout
    assert "newly failing: 2" in text and "newly passing: 1" in text
    assert "links.broken.home pass -> fail: 1 sites" in text


def test_diff_rejects_what_is_not_a_survey(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"schema": "govaudit.report/1"}', encoding="utf-8")
    proc = govaudit("survey-diff", str(tmp_path / "x.json"), str(tmp_path / "none"))
    assert proc.returncode == 2
    assert proc.stderr == f"govaudit: {tmp_path / 'x.json'} is not a govaudit survey.json (govaudit.survey/1)\n"


def test_resuming_with_another_profile_or_date_is_refused(tmp_path: Path) -> None:
    with serve_portals(1, first_address=99) as portals:
        survey_round(tmp_path, "same", [(portals.urls[0], "甲", "", "")])
        sites = tmp_path / "same.csv"
        other = govaudit("survey", str(sites), "--id", "same", "--db", str(tmp_path / "g.db"), "--out",
                         str(tmp_path / "x"), "--as-of", "2026-12-01")
    assert other.returncode == 2
    assert other.stderr.endswith("govaudit: survey 'same' was started with as_of 2026-11-22; resume it without "
                                 "--as-of or choose another --id\n")
