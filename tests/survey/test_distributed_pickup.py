"""Issue 13 item 6 on real services: with the default lease and visibility timeout, a site whose
worker is killed mid-audit is taken by another worker within 2 minutes (measured in real time)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

from govaudit.store import Store
from govaudit.survey.distributed import expired_claims
from tests.survey.helpers import AS_OF, start, wait_for
from tests.survey.portals import serve_portals
from tests.survey.test_distributed import children, sql

OPTS = ("--pool", "prefork", "-c", "1", "--loglevel", "info")  # default --visibility-timeout and lease


def test_killed_workers_site_is_picked_up_within_two_minutes(tmp_path: Path, redis_url: str, pg_url: str) -> None:
    Store.open(pg_url).close()
    victim = start("worker", "--queue", redis_url, "--db", pg_url, *OPTS, start_new_session=True)
    procs = [victim]
    try:
        with serve_portals(1, first_address=140, delay=0.4) as portals:
            sites = portals.write_csv(tmp_path / "sites.csv")
            coordinator = start("survey", str(sites), "--id", "pick", "--queue", redis_url, "--db", pg_url,
                                "--out", str(tmp_path / "out"), "--as-of", AS_OF, "--checks", "links",
                                "--delay", "0", start_new_session=True)
            procs.append(coordinator)

            def victim_mid_task() -> bool:
                pids = {str(p) for p in children(victim.pid)}
                rows = sql(pg_url, "SELECT s.worker, (SELECT COUNT(*) FROM pages p WHERE p.run_id = s.run_id) "
                                   "FROM survey_sites s WHERE s.status = 'running'")
                return any(w and w.split(":")[2] in pids and n >= 1 for w, n in rows)

            wait_for(victim_mid_task, 120, "the worker in the middle of the audit", every=0.05)
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait(10)
            killed_at = time.monotonic()
            survivor = start("worker", "--queue", redis_url, "--db", pg_url, *OPTS, start_new_session=True)
            procs.append(survivor)
            wait_for(lambda: sql(pg_url, "SELECT attempts FROM survey_sites")[0][0] >= 2, 150,
                     "another worker to take the site", every=0.5)
            picked = time.monotonic() - killed_at
            assert picked < 120, f"picked up after {picked:.0f} s"
            coordinator.communicate(timeout=240)
            assert coordinator.returncode == 0
            ((status, attempts),) = sql(pg_url, "SELECT status, attempts FROM survey_sites")
            assert status == "done" and attempts >= 2
            ((runs,),) = sql(pg_url, "SELECT COUNT(*) FROM runs")
            assert runs == 1  # the survivor resumed the dead worker's run
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)  # the group of a process we started
            try:
                p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate(timeout=10)


def test_expired_claims_are_the_running_sites_whose_lease_ran_out(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        store.create_survey("s", {"profile": "links", "as_of": AS_OF})
        store.add_survey_sites("s", [("http://a/", {}), ("http://b/", {}), ("http://c/", {})])
        store.claim_site("s", "http://a/", "w1", 60, {}, date.fromisoformat(AS_OF))
        store.claim_site("s", "http://b/", "w2", 60, {}, date.fromisoformat(AS_OF))
        store.renew_site("s", "http://b/", "w2", -1)  # w2 died: its lease is in the past
        assert expired_claims(store, "s") == ["http://b/"]
        assert expired_claims(store, "s", now=time.time() + 120) == ["http://a/", "http://b/"]
