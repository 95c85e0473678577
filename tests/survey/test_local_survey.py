"""`govaudit survey` on one machine, against generated portals on loopback: outputs, per-IP budget,
and kill -9 then restart with the same --id."""

from __future__ import annotations

import csv
import json
import os
import signal
from pathlib import Path

from govaudit.store import Store
from tests.support.server import free_port
from tests.survey.helpers import AS_OF, FAST, RequestClock, govaudit, sqlite_rows, start, wait_for
from tests.survey.portals import serve_portals

REQUIRED = ["url", "score", "grade", "vetoes"]


def test_survey_writes_one_row_per_site_with_its_real_audit(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/"
    with serve_portals(9, per_address=3) as portals:
        sites = portals.write_csv(tmp_path / "sites.csv")
        with sites.open("a", encoding="utf-8") as fh:
            fh.write(f"{dead},已关停县,江西省,县级,3600000099\n")
            fh.write("ftp://not-a-site/,坏行,,,\n")
            fh.write(f"{portals.urls[0].upper()},重复,,,\n")
        db, out = tmp_path / "g.db", tmp_path / "out"
        proc = govaudit("survey", str(sites), "--id", "round1", "--db", str(db), "--out", str(out),
                        "--as-of", AS_OF, "--checks", "links,availability", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert f"{sites}: line 12: not an http(s) URL: 'ftp://not-a-site/'" in proc.stderr
    assert f"{sites}: line 13: same site as line 2 ({portals.urls[0]}), merged" in proc.stderr
    assert "survey round1: 9 audited, 1 could not be audited, 0 unfinished" in proc.stdout

    with (out / "survey.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    assert [c for c in header if c in REQUIRED] == REQUIRED and header.index("url") < header.index("score")
    assert any(c.startswith("links.") for c in header) and "cn.veto.availability" in header
    assert sorted(r["url"] for r in rows) == sorted(portals.urls + [dead])

    doc = json.loads((out / "survey.json").read_text(encoding="utf-8"))
    assert doc["counts"] == {"sites": 10, "done": 9, "failed": 1, "pending": 0, "running": 0}
    by_url = {r["url"]: r for r in doc["sites"]}
    gone = by_url[dead]
    assert (gone["status"], gone["score"], gone["name"]) == ("failed", None, "已关停县")
    assert "refused" in gone["error"]
    with Store.open(str(db)) as store:
        for p in portals.items:
            row = by_url[p.url]
            result = store.load_result(row["run_id"])  # the row is that run's audit, not a copy of a guess
            assert result.site_url == p.url
            assert (row["score"], row["grade"]) == (result.scored.score.value, result.scored.score.grade)
            assert row["metrics"]["links.broken_home"] == (1 if p.broken else 0)
            assert (out / row["report"]).is_file() and (out / row["report"]).with_name("report.json").is_file()
        assert len(store.runs(limit=100)) == 10  # one run per site, the dead one included
    broken = [by_url[p.url]["score"] for p in portals.items if p.broken]
    fine = [by_url[p.url]["score"] for p in portals.items if not p.broken]
    assert max(broken) < min(fine)  # the planted dead link costs points
    html = (out / "survey.html").read_text(encoding="utf-8")
    for needle in ("Score distribution", "Indicators failing most", "By region", "By level", "Ranking",
                   "江西省", "已关停县"):
        assert needle in html
    assert html.count('<a href="sites/') == 9


def test_per_ip_budget_and_one_audit_per_origin(tmp_path: Path) -> None:
    clock = RequestClock()
    # 6 portals share 127.0.0.10, 6 more are on their own addresses; every page takes 30 ms.
    with serve_portals(6, per_address=6, first_address=10, delay=0.03, on_request=clock) as shared, \
            serve_portals(6, per_address=1, first_address=20, delay=0.03, on_request=clock) as alone:
        sites = tmp_path / "sites.csv"
        sites.write_text("url\n" + "\n".join(shared.urls + alone.urls) + "\n", encoding="utf-8")
        proc = govaudit("survey", str(sites), "--id", "ip", "--db", str(tmp_path / "g.db"), "--out",
                        str(tmp_path / "out"), "--as-of", AS_OF, "--per-ip", "2", "--site-concurrency", "8",
                        "--checks", "links", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert len(clock.windows()) == 12
    assert clock.max_overlap("127.0.0.10") == 2  # the shared platform never had more than 2 audits
    assert clock.max_overlap() > 2  # while the survey as a whole ran more at once


def test_kill_9_then_restart_redoes_only_unfinished_sites(tmp_path: Path) -> None:
    n = 10
    with serve_portals(n, per_address=1, first_address=30, delay=0.08) as portals:
        sites = portals.write_csv(tmp_path / "sites.csv")
        db, out = tmp_path / "g.db", tmp_path / "out"
        args = ("survey", str(sites), "--id", "k", "--db", str(db), "--out", str(out), "--as-of", AS_OF,
                "--site-concurrency", "2", "--checks", "links", *FAST)
        first = start(*args)
        try:
            wait_for(lambda: db.exists() and _done(db) >= 3, 120, "three sites done")
            # Wait for a site that is mid-crawl (some pages stored, not finished) and kill then.
            wait_for(lambda: _mid_crawl(db) > 0, 60, "a site mid-crawl")
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.wait(30)
        done_before = {u for (u,) in sqlite_rows(db, "SELECT url FROM survey_sites WHERE status = 'done'")}
        mid = sqlite_rows(db, "SELECT s.url, s.run_id, COUNT(p.url) FROM survey_sites s JOIN pages p "
                              "ON p.run_id = s.run_id WHERE s.status = 'running' GROUP BY s.url, s.run_id")
        assert done_before and mid
        requests_before = {p.url: len(p.log) for p in portals.items}

        again = govaudit(*args)
        assert again.returncode == 0, again.stderr
        assert f"survey k: {n} sites (0 added, resuming; {len(done_before)} finished)" in again.stderr

    rows = sqlite_rows(db, "SELECT url, status, run_id, attempts FROM survey_sites")
    assert len(rows) == n and all(status == "done" for _, status, _, _ in rows)
    runs = sqlite_rows(db, "SELECT site_url, COUNT(*), MIN(status) FROM runs GROUP BY site_url")
    assert sorted(runs) == sorted((p.url, 1, "done") for p in portals.items)  # one run per site, all done
    for p in portals.items:
        if p.url in done_before:
            assert len(p.log) == requests_before[p.url]  # a finished site was not asked again
    for url, run_id, pages_before in mid:
        # The interrupted site kept its run: the restart resumed it instead of starting over.
        assert (url, "done", run_id) in {(u, s, r) for u, s, r, _ in rows}
        portal = portals.by_url(url)
        home_gets = [path for method, path in portal.log if method == "GET" and path == "/"]
        assert len(home_gets) == 1, f"{url} home page fetched {len(home_gets)} times ({pages_before} pages kept)"
    doc = json.loads((out / "survey.json").read_text(encoding="utf-8"))
    assert doc["counts"]["done"] == n
    assert all((out / r["report"]).is_file() for r in doc["sites"])  # reports of the first run's sites too


def _done(db: Path) -> int:
    try:
        return sqlite_rows(db, "SELECT COUNT(*) FROM survey_sites WHERE status = 'done'")[0][0]
    except Exception:  # noqa: BLE001 - the table may not exist yet
        return 0


def _mid_crawl(db: Path) -> int:
    try:
        return sqlite_rows(db, "SELECT COUNT(*) FROM survey_sites s WHERE s.status = 'running' AND "
                               "(SELECT COUNT(*) FROM pages p WHERE p.run_id = s.run_id) >= 2")[0][0]
    except Exception:  # noqa: BLE001
        return 0
