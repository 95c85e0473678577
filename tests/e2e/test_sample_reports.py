"""sample_reports/ must be what the current code writes for the demo (`bash dev.sh samples`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_reports"
# Values that differ between two runs of the same code on the same site.
VOLATILE = {"run_id", "started_at", "finished_at", "duration_s", "elapsed_ms", "requests", "generated_at", "seconds"}


def normalise(doc: Any, base: str) -> Any:
    if isinstance(doc, dict):
        return {k: normalise(v, base) for k, v in doc.items() if k not in VOLATILE}
    if isinstance(doc, list):
        return [normalise(v, base) for v in doc]
    if isinstance(doc, str):
        return doc.replace(base, "http://DEMO")
    return doc


def test_sample_reports_are_current(tmp_path: Path) -> None:
    sample = json.loads((SAMPLES / "report.json").read_text(encoding="utf-8"))
    for name in ("report.html", "report.md"):
        assert (SAMPLES / name).stat().st_size > 1000
    proc = subprocess.run([sys.executable, "-m", "govaudit.cli", "demo", "--format", "json", "--out", "out",
                           "--db", "d.db"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    fresh = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    old = normalise(sample, sample["site"]["url"].rstrip("/"))
    new = normalise(fresh, fresh["site"]["url"].rstrip("/"))
    # the crawl notes name the port-specific robots/sitemap URLs, and the 404 probes ask a random
    # path each run: compare them port-free and probe-free
    def stable(doc: Any) -> str:
        text = re.sub(r":\d+", ":PORT", json.dumps(doc, sort_keys=True))
        return re.sub(r"-[0-9a-f]{12}\.html", "-RANDOM.html", text)

    assert stable(old) == stable(new), "run `bash dev.sh samples` and commit"
