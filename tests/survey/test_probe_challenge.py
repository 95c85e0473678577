"""A home page behind an anti-bot challenge is up (issue 11 item 5): `govaudit probe` records it as
`up (challenge)`, not down; the 站点无法访问 veto and 首页可用性 count only real failures, and
首页可用性 reads the probe's week of samples when the store has them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from govaudit.checks.availability import challenged, failed

from govaudit.store import ProbeSample, Store
from govaudit.survey.probe import UP_CHALLENGE, sample_state
from tests.crawl.walls_pages import ORDINARY, WALLS
from tests.support.server import page, serving
from tests.survey.helpers import govaudit
from tests.survey.portals import serve_portals
from tests.survey.test_probe_availability import AS_OF, audit_with, week


def test_probe_records_a_challenge_answer_as_up_challenge_not_down(tmp_path: Path) -> None:
    with serving({"/": WALLS["/ruishu.html"][0]}) as ruishu, serving({"/": WALLS["/jsl.html"][0]}) as jsl, \
            serving({"/": ORDINARY["/nginx403.html"]}) as refused, serving({"/": page("<title>up</title>")}) as up:
        sites = tmp_path / "sites.csv"
        urls = [ruishu.url(), jsl.url(), refused.url(), up.url()]
        sites.write_text("url\n" + "\n".join(urls) + "\n", encoding="utf-8")
        db = tmp_path / "g.db"
        proc = govaudit("probe", str(sites), "--db", str(db), "--timeout", "2", "-v")
    assert proc.returncode == 0, proc.stderr
    assert ": 4 sites, 3 up (2 up (challenge)), 1 down (stored in " in proc.stdout
    assert f"{UP_CHALLENGE} {ruishu.url()} 412 Rivers Security (瑞数) challenge" in proc.stderr
    with Store.open(str(db)) as store:
        today = datetime.now().astimezone().date()
        got = {u: store.samples(u, today - timedelta(days=1), today + timedelta(days=1)) for u in urls}
    rs, js, no, ok = (got[u][0] for u in urls)
    assert (rs.ok, rs.status, rs.error, rs.detail["state"], rs.detail["wall"]) == (
        True, 412, "blocked", UP_CHALLENGE, "Rivers Security (瑞数) challenge")
    assert (js.ok, js.status, js.detail["state"]) == (True, 521, UP_CHALLENGE)
    assert [sample_state(s) for s in (rs, js, no, ok)] == [UP_CHALLENGE, UP_CHALLENGE, "down", "up"]
    assert (no.ok, no.status) == (False, 403)  # a site's own 403 is a real failure


def challenge_week(site: str, real_failures: int, walled: int, old_style: bool = False) -> list[ProbeSample]:
    """A full week of 20 visits a day: the first `real_failures` time out, the next `walled` were
    answered by a challenge (as stored now, or as a probe before `up (challenge)` stored them)."""
    out = week(site, [20] * 7, real_failures)
    for i in range(real_failures, real_failures + walled):
        detail = {} if old_style else {"state": UP_CHALLENGE, "wall": "Jiasule (加速乐) challenge"}
        out[i] = replace(out[i], ok=not old_style, status=521, error="blocked", detail=detail)
    return out


def test_challenge_samples_never_trip_the_veto_old_or_new(tmp_path: Path) -> None:
    with serve_portals(1, first_address=44) as portals:
        url = portals.urls[0]
        new, old = challenge_week(url, 0, 140), challenge_week(url, 0, 140, old_style=True)
        samples = [n if i % 2 else o for i, (n, o) in enumerate(zip(new, old, strict=True))]
        assert sum(1 for s in samples if failed(s)) == 0 and sum(1 for s in samples if challenged(s)) == 140
        result, veto = audit_with(tmp_path / "g.db", url, samples)
    assert veto.result == "pass", veto.detail
    avail = result.checks["availability"]
    assert (avail.metrics["failures"], avail.metrics["challenged"], avail.findings) == (0, 140, [])
    assert all(d["failures"] == 0 for d in avail.data["samples_by_day"])


def test_home_availability_reads_the_probe_week_and_counts_only_real_failures(tmp_path: Path) -> None:
    with serve_portals(1, first_address=45) as portals:
        url = portals.urls[0]
        walled, _ = audit_with(tmp_path / "a.db", url, challenge_week(url, 1, 100))  # 1 real failure in 140
        down, _ = audit_with(tmp_path / "b.db", url, challenge_week(url, 3, 100))  # 3 in 140: over 1 %
        none, _ = audit_with(tmp_path / "c.db", url, [])
    m = walled.checks["links"].metrics
    assert (m["home_ok"], m["home_ok_source"], m["home_samples"]) == (1, "probe", 140)
    assert m["home_failure_rate"] == round(1 / 140, 6)
    ind = next(i for i in walled.scored.indicators if i.id == "cn.deduct.availability.home")
    assert ind.result == "pass"
    m = down.checks["links"].metrics
    assert (m["home_ok"], m["home_ok_source"]) == (0, "probe")  # the home page opened during the audit
    ind = next(i for i in down.scored.indicators if i.id == "cn.deduct.availability.home")
    assert ind.result == "fail"
    m = none.checks["links"].metrics
    assert (m["home_ok"], m["home_ok_source"], m["home_failure_rate"]) == (1, "audit", None)
    assert AS_OF  # the samples' week ends on the audits' as-of date


def test_the_availability_report_block_says_how_many_visits_a_challenge_answered(tmp_path: Path) -> None:
    from govaudit.report import checkdata

    with serve_portals(1, first_address=46) as portals:
        url = portals.urls[0]
        result, _ = audit_with(tmp_path / "g.db", url, challenge_week(url, 0, 30))
    blocks, _ = checkdata._availability(result.checks["availability"], checkdata._Ctx("", {}, {}))
    window = next(b for b in blocks if b.key == "window")
    row = dict(window.items)["Answered by a challenge"]
    assert row[0].text == "30" and "up (challenge)" in row[1].text
