"""`govaudit history URL` over a store with two rounds and probe days, and the organisation columns
of the sites CSV."""

from __future__ import annotations

import json
from pathlib import Path

from govaudit.store import Store
from govaudit.survey.sites import parse_sites
from tests.survey.helpers import govaudit
from tests.survey.test_operator_view import generate


def test_history_prints_rounds_changes_and_days(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    with Store.open(str(db)) as store:
        generate(store)
    proc = govaudit("history", "http://s4.example.gov.cn/", "--db", str(db), "--until", "2026-11-22", "--days", "8")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "history of http://s4.example.gov.cn/"
    assert any("2026-08-22" in ln and "r1" in ln for ln in lines)
    assert any("2026-11-22" in ln and "r2" in ln for ln in lines)
    assert "2026-11-15     - no sample" in proc.stdout  # the 8th day back has no visit
    assert "2026-11-22     4 visits   75.0 %" in proc.stdout
    data = json.loads(govaudit("history", "s4.example.gov.cn", "--db", str(db), "--until", "2026-11-22",
                               "--format", "json").stdout)
    assert [r["survey"] for r in data["rounds"]] == ["r1", "r2"]
    assert all(c["before"] != c["after"] for c in data["rounds"][1]["changes"])
    missing = govaudit("history", "http://nowhere.example/", "--db", str(db))
    assert missing.returncode == 2 and "in no survey" in missing.stderr


def test_org_columns() -> None:
    text = ("url,name,org_path,level,parent_site\n"
            "http://a.gov.cn/,瑞金市,江西省 / 赣州市 / 瑞金市,门户,\n"
            "http://b.gov.cn/,教育局,江西省>赣州市>瑞金市,部门,a.gov.cn\n")
    a, b = parse_sites(text).sites
    assert a.org_path == b.org_path == "江西省/赣州市/瑞金市"
    assert b.parent_site == "http://a.gov.cn/" and b.info()["parent_site"] == "http://a.gov.cn/"
    (c,) = parse_sites("网站地址,省,市,县\nhttp://c.gov.cn/,河北省,保定市,\n").sites
    assert c.org_path == "河北省/保定市" and "省" not in c.extra
    (d,) = parse_sites("url,region\nhttp://d.gov.cn/,四川省/成都市\n").sites
    assert d.org_path == "四川省/成都市" and d.region == "四川省/成都市"
