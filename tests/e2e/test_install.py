"""A plain, non-editable `pip install .` in a fresh venv finds its profiles, checks and demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_install_in_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                          "--disable-pip-version-check", str(REPO)],
                         capture_output=True, text=True, timeout=600)
    assert pip.returncode == 0, pip.stderr[-2000:]
    exe = str(venv / "bin" / "govaudit")
    run = tmp_path / "elsewhere"  # not the checkout: nothing may be imported from the source tree
    run.mkdir()
    profiles = subprocess.run([exe, "profiles"], cwd=run, capture_output=True, text=True, timeout=60)
    assert profiles.returncode == 0, profiles.stderr
    assert "cn-gov-2019" in profiles.stdout and "links" in profiles.stdout
    checks = subprocess.run([exe, "checks"], cwd=run, capture_output=True, text=True, timeout=60)
    assert "links" in checks.stdout and str(venv) in subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import govaudit, govaudit.builtin_profiles as p, govaudit.checks as c; print(govaudit.__file__, p.__file__, c.__file__)"],
        cwd=run, capture_output=True, text=True, timeout=60).stdout
    # nothing generic in site-packages: another distribution's `profiles/` or `checks/` cannot clobber ours
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert not (site / "checks").exists() and not (site / "profiles").exists()
    demo = subprocess.run([exe, "demo", "--out", "out", "--db", "d.db", "--format", "json"], cwd=run,
                          capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    report = json.loads((run / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["checks"]["links"]["metrics"]["broken"] > 0
    # every check found its packaged data (mapping tables, dictionaries, profiles) in the wheel
    errors = {cid: c["error"] for cid, c in report["checks"].items() if c["status"] == "error"}
    assert errors == {}


def test_package_list_is_whole() -> None:
    """pyproject lists packages by hand (the folders are renamed into govaudit's namespace): none missing."""
    import tomllib

    conf = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(conf["packages"])
    mapped = {v: k for k, v in conf["package-dir"].items()}
    found = set()
    for init in REPO.glob("*/**/__init__.py"):
        rel = init.parent.relative_to(REPO).as_posix()
        top, _, rest = rel.partition("/")
        if top not in ("govaudit", *mapped):
            continue
        name = mapped.get(top, top) + ("." + rest.replace("/", ".") if rest else "")
        found.add(name)
    assert found == listed
