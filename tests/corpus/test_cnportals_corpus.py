"""bench/conformance/cnportals.py: its expected-value tables, and one whole portal audited end to end.

The tables are checked against the corpus pages they were read from (every path exists, every newest
date is on its list page, every listed broken target is really absent). gxpopss_cn, the smallest
portal (~35 s), is served and audited: no veto the pages do not support, and every item that agrees
today keeps agreeing (KNOWN_DIFFS: the differences of CNPORTALS.md's run, none on this site).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote

from tests.corpus.bench import BENCH, load_bench

SCRIPT = BENCH / "cnportals.py"
KNOWN_DIFFS: dict[str, set[str]] = {"gxpopss_cn": set()}  # every item agrees (run of 2026-12-04)


def load() -> ModuleType:
    return load_bench("cnportals")


def site_file(root: Path, path: str) -> Path:
    rel = unquote(path).lstrip("/")
    target = root / rel
    return target / "index.html" if not rel or rel.endswith("/") else target


def test_tables_are_well_formed_and_read_from_the_pages(corpus: Path) -> None:
    cn = load()
    for name, site in cn.SITES.items():
        root = corpus / "cn-portals" / name / "site"
        assert root.is_dir(), root
        paths = [c.path for c in site.columns]
        assert len(paths) == len(set(paths)), f"{name}: a column listed twice"
        assert not set(paths) & set(site.not_columns), f"{name}: a page both a column and not one"
        assert set(site.marks) == set(cn.MARKS)
        for col in site.columns:
            page = site_file(root, col.path)
            assert page.is_file(), f"{name}: {col.path} is not in the corpus"
            assert col.type in cn.THRESHOLDS, col
            text = page.read_text(encoding="utf-8", errors="replace")
            if col.empty:
                assert col.latest is None, col
                body = re.sub(r"<script.*?</script>", "", text, flags=re.S | re.I)
                assert not re.search(r"20\d\d-\d\d-\d\d", body), f"{name}: {col.path} has dates but is listed empty"
            else:
                assert col.latest is not None and col.latest <= site.as_of, col
                assert col.latest.isoformat() in text, f"{name}: {col.latest} is not on {col.path}"
            for alias in col.aliases:
                assert "refresh" in site_file(root, alias).read_text(encoding="utf-8").lower(), alias
        for path in site.not_columns:
            assert site_file(root, path).is_file(), f"{name}: {path} is not in the corpus"
        for board in site.boards:
            assert site_file(root, board.path).is_file(), board
            assert board.answered is None or board.messages is None or board.answered <= board.messages
        assert site.consultation or not site.boards
        assert len(set(site.broken)) == len(site.broken), f"{name}: a broken target listed twice"
        for target in site.broken:
            assert not site_file(root, target).is_file(), f"{name}: {target} exists, it is not broken"
        # the newest item the home page shows is a column's newest (gxpopss_cn's home lists titles
        # without dates, lgedu_net's shows (12-31) without the year): read from that column's list
        assert site.home_latest == max(c.latest for c in site.columns if c.latest), name


def test_lgedu_home_dates_are_year_less(corpus: Path) -> None:
    """lgedu_net's home page shows (12-31) without the year: its home_latest comes from 学校新闻's list."""
    home = (corpus / "cn-portals" / "lgedu_net" / "site" / "index.html").read_text(encoding="utf-8")
    assert "(12-31)" in home and "2020-12-31" not in home


def test_gxpopss_does_not_regress(corpus: Path) -> None:
    cn = load()
    result = cn.run_site(cn.SITES["gxpopss_cn"], corpus / "cn-portals")
    assert not result.error, result.error
    unsupported = [i.key for i in result.of("vetoes") if i.ours == "fires" and i.expected != "fires"]
    assert not unsupported, f"vetoes the pages do not support: {unsupported}"
    regressed = [i.line() for i in result.differences if i.key not in KNOWN_DIFFS["gxpopss_cn"]]
    assert not regressed, "items that agreed now differ:\n" + "\n".join(regressed)
    assert result.of("columns") and result.of("identity")
