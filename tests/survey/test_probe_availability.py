"""`govaudit probe` samples real servers (up, refused, slow, 404, redirected), and the week of samples
drives cn-gov-2019's 站点无法访问 veto: fail at >= 5 %, pass below, "not enough samples" otherwise."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from govaudit.audit import AuditPlan, run_audit
from govaudit.config import AuditConfig
from govaudit.profiles import load_profile
from govaudit.store import ProbeSample, Store
from tests.conftest import run
from tests.support.server import Reply, free_port, page, redirect, serving, status
from tests.survey.helpers import govaudit
from tests.survey.portals import serve_portals

AS_OF = date(2026, 11, 22)


def slow_home(req: BaseHTTPRequestHandler) -> Reply:
    time.sleep(2.5)
    return page("<title>late</title>")


def test_probe_records_one_sample_per_site_per_run(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/"
    with serving({"/": page("<title>up</title>")}) as up, serving({"/": slow_home}) as slow, \
            serving({"/": status(404)}) as missing, \
            serving({"/": redirect("/portal/"), "/portal/": page("<title>moved</title>")}) as moved:
        sites = tmp_path / "sites.csv"
        sites.write_text("url,name\n" + "\n".join(f"{u},x" for u in (up.url(), dead, slow.url(), missing.url(),
                                                                         moved.url())) + "\n", encoding="utf-8")
        db = tmp_path / "g.db"
        runs = [govaudit("probe", str(sites), "--db", str(db), "--timeout", "1", "--tz", "Asia/Shanghai", "-v")
                for _ in range(2)]
    for proc in runs:
        assert proc.returncode == 0, proc.stderr
        assert ": 5 sites, 2 up, 3 down (stored in " in proc.stdout
        assert f"down {dead} refused" in proc.stderr
    with Store.open(str(db)) as store:
        today = datetime.now().astimezone().date()
        window = (today - timedelta(days=1), today + timedelta(days=1))
        got = {u: store.samples(u, *window) for u in (up.url(), dead, slow.url(), missing.url(), moved.url())}
    assert all(len(v) == 2 for v in got.values())  # two runs, two samples per site
    for samples in got.values():
        for s in samples:
            at = datetime.fromisoformat(s.at)
            assert at.utcoffset() == timedelta(hours=8) and s.day == at.date().isoformat()
    assert [(s.ok, s.status, s.error) for s in got[up.url()]] == [(True, 200, None)] * 2
    assert [(s.ok, s.error) for s in got[dead]] == [(False, "refused")] * 2
    slow_samples = got[slow.url()]
    assert [(s.ok, s.error) for s in slow_samples] == [(False, "timeout")] * 2
    assert all(900 <= s.elapsed_ms < 2400 for s in slow_samples)  # given up at the limit, not waited out
    assert [(s.ok, s.status, s.detail) for s in got[missing.url()]] == [(False, 404, {"error_detail": "HTTP 404"})] * 2
    assert [(s.ok, s.detail.get("final_url")) for s in got[moved.url()]] == [(True, moved.url("/portal/"))] * 2


def test_probe_bad_time_zone_is_one_line(tmp_path: Path) -> None:
    sites = tmp_path / "s.csv"
    sites.write_text("url\nhttp://127.0.0.1:9/\n", encoding="utf-8")
    proc = govaudit("probe", str(sites), "--db", str(tmp_path / "g.db"), "--tz", "Mars/Olympus")
    assert proc.returncode == 2
    assert proc.stderr == "govaudit: unknown time zone 'Mars/Olympus': use a name like Asia/Shanghai\n"


def week(site: str, per_day: list[int], failures: int, end: date = AS_OF) -> list[ProbeSample]:
    """Samples for the days ending on `end` (per_day[0] is the oldest), the first `failures` failed."""
    out = []
    first = end - timedelta(days=len(per_day) - 1)
    for d, count in enumerate(per_day):
        day = first + timedelta(days=d)
        for k in range(count):
            # Spread over the day at even intervals, like cron would.
            at = datetime(day.year, day.month, day.day).astimezone() + timedelta(minutes=(1440 // count) * k)
            failed = len(out) < failures
            out.append(ProbeSample(site=site, at=at.isoformat(timespec="microseconds"), day=day.isoformat(),
                                   ok=not failed, status=None if failed else 200, error="timeout" if failed else None,
                                   elapsed_ms=15000.0 if failed else 35.0, origin=site.rstrip("/")))
    return out


def audit_with(db: Path, url: str, samples: list[ProbeSample]):
    with Store.open(str(db)) as store:
        store.add_samples(samples)
        cfg = AuditConfig()
        cfg.crawl.delay = 0.0
        plan = AuditPlan(url=url, profile=load_profile("cn-gov-2019"), as_of=AS_OF, config=cfg,
                         check_ids=["links", "availability"])
        result = run(run_audit(plan, store))
    veto = next(i for i in result.scored.indicators if i.id == "cn.veto.availability")
    return result, veto


@pytest.mark.parametrize(("per_day", "failures", "expected", "detail"), [
    ([20] * 7, 7, "fail", "首页无法打开的比例为 5.0%"),  # 5 % (含) vetoes
    ([20] * 7, 6, "pass", "4.3%"),
    ([24] * 7, 0, "pass", "0.0%"),
    ([20] * 6 + [19], 0, "error", "数据不足：availability.days = 6"),  # one day short of 20 visits
    ([30] * 6, 0, "error", "数据不足：availability.days = 6"),  # six days, however many visits
    ([], 0, "error", "数据不足：availability.days = 0"),  # never probed: never a pass
])
def test_week_of_samples_drives_the_veto(tmp_path: Path, per_day: list[int], failures: int, expected: str,
                                          detail: str) -> None:
    with serve_portals(1, first_address=40) as portals:
        url = portals.urls[0]
        result, veto = audit_with(tmp_path / "g.db", url, week(url, per_day, failures))
    assert veto.result == expected, veto.detail
    assert detail in veto.detail
    avail = result.checks["availability"]
    assert avail.status == "ok"
    assert avail.metrics["samples"] == sum(per_day) and avail.metrics["failures"] == failures
    assert len(avail.findings) == failures
    assert ("cn.veto.availability" in result.scored.score.vetoes) == (expected == "fail")


def test_samples_outside_the_week_do_not_count(tmp_path: Path) -> None:
    with serve_portals(1, first_address=41) as portals:
        url = portals.urls[0]
        old = week(url, [20] * 7, 140, end=AS_OF - timedelta(days=7))  # a bad week, the week before
        result, veto = audit_with(tmp_path / "g.db", url, old + week(url, [20] * 7, 0))
    assert veto.result == "pass"
    assert result.checks["availability"].metrics["samples"] == 140
    assert [d["samples"] for d in result.checks["availability"].data["samples_by_day"]] == [20] * 7


def test_real_probe_runs_feed_the_check_and_say_not_enough(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    with serve_portals(1, first_address=42) as portals:
        sites = portals.write_csv(tmp_path / "sites.csv")
        for _ in range(3):
            assert govaudit("probe", str(sites), "--db", str(db)).returncode == 0
        today = datetime.now().astimezone().date().isoformat()
        proc = govaudit("audit", portals.urls[0], "--db", str(db), "--as-of", today, "--checks",
                        "links,availability", "--format", "json", "--out", str(tmp_path / "out"), "--delay", "0")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    veto = next(i for i in report["indicators"] if i["id"] == "cn.veto.availability")
    assert veto["result"] == "error"
    assert veto["detail"].startswith("数据不足：availability.days = 0")
    assert report["checks"]["availability"]["metrics"]["samples"] == 3
    assert report["checks"]["availability"]["metrics"]["days_sampled"] == 1


def test_without_a_store_the_check_errors_never_passes(tmp_path: Path) -> None:
    with serve_portals(1, first_address=43) as portals:
        cfg = AuditConfig()
        cfg.crawl.delay = 0.0
        plan = AuditPlan(url=portals.urls[0], profile=load_profile("cn-gov-2019"), as_of=AS_OF, config=cfg,
                         check_ids=["links", "availability"])
        result = run(run_audit(plan, None))
    avail = result.checks["availability"]
    assert avail.status == "error" and "no store" in (avail.error or "")
    veto = next(i for i in result.scored.indicators if i.id == "cn.veto.availability")
    assert veto.result == "error"
