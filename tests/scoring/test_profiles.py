"""Loading profiles: every shipped one loads under its file's id and cites its sources; broken files
fail with one clear line."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from govaudit.errors import UsageError
from govaudit.profiles import VERIFIED, Profile, list_profiles, load_profile

BASE: dict[str, Any] = {
    "id": "custom",
    "title": "Custom",
    "grading": {"model": "threshold", "pass_mark": 90, "grades": {"pass": "ok", "fail": "bad", "incomplete": "?"}},
    "indicators": [
        {"id": "a", "title": "A", "kind": "deduct", "group": "g", "metric": "links.broken",
         "per_unit": 1, "points": 10, "source": {"document": "doc", "item": "1"}, "verified": "V"},
        {"id": "b", "title": "B", "kind": "veto", "group": "g", "metric": "links.broken_home",
         "when": {"op": ">", "value": 0}, "source": {"document": "doc"}, "verified": "V2"},
    ],
}


def write(tmp_path: Path, data: Any, name: str = "custom.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def broken(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def ind(n: int, **kw: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["indicators"][n].update(kw)


def drop(n: int, key: str) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["indicators"][n].pop(key)


# ---- shipped profiles: properties that hold for every profile, present and future ----------------

PROFILES = list_profiles()
SHIPPED_FILES = sorted(e.name for e in files("govaudit.builtin_profiles").iterdir() if e.name.endswith(".yaml") and e.is_file())
CN_PARTS = files("govaudit.builtin_profiles") / "cn-gov-2019.d"


def test_every_shipped_file_loads_under_its_own_id() -> None:
    assert [p.id for p in PROFILES] == sorted(name.removesuffix(".yaml") for name in SHIPPED_FILES)
    assert {"cn-gov-2019", "links"} <= {p.id for p in PROFILES}
    for p in PROFILES:
        assert p.origin == f"profiles/{p.id}.yaml"
        assert load_profile(p.id) == p


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
def test_every_indicator_cites_its_source(profile: Profile) -> None:
    assert profile.title and profile.grading.grades.keys() == {"pass", "fail", "incomplete"}
    for spec in profile.indicators:
        assert spec.source["document"].strip(), spec.id
        assert spec.verified in VERIFIED, spec.id
        if spec.verified == "unverified":
            assert spec.note.strip(), f"{spec.id}: an unverified indicator says which numbers are our choice"
        if "url" in spec.source:
            assert spec.source["url"].startswith(("http://", "https://")), spec.id


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
def test_every_check_a_profile_reads_is_registered(profile: Profile) -> None:
    registered = {e.name for e in entry_points(group="govaudit.checks")}
    assert profile.check_ids() <= registered


def test_cn_profile_holds_every_part_in_order() -> None:
    """cn-gov-2019 is its own indicators followed by one file per check in cn-gov-2019.d, each part
    holding only indicators fed by the check it is named after."""
    p = load_profile("cn-gov-2019")
    main = yaml.safe_load((files("govaudit.builtin_profiles") / "cn-gov-2019.yaml").read_text(encoding="utf-8"))
    expected = [i["id"] for i in main["indicators"]]
    for rel in main["include"]:
        part = CN_PARTS / rel.removeprefix("cn-gov-2019.d/")
        ids = [i["id"] for i in yaml.safe_load(part.read_text(encoding="utf-8"))["indicators"] or []]
        check_id = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
        assert {p.indicator(i).check for i in ids} <= {check_id}, rel
        expected += ids
    assert [s.id for s in p.indicators] == expected
    parts = sorted(e.name for e in CN_PARTS.iterdir() if e.name.endswith(".yaml"))
    assert sorted(rel.removeprefix("cn-gov-2019.d/") for rel in main["include"]) == parts, "a part left out"


def test_cn_profile_grading() -> None:
    p = load_profile("cn-gov-2019")
    assert p.grading.model == "cn-gov-2019"
    assert (p.grading.max, p.grading.pass_mark, p.grading.bonus_max, p.grading.bonus_threshold) == (100, 60, 30, 80)
    assert p.grading.no_services is not None and p.grading.no_services.max == 75
    assert p.grading.grades == {"pass": "合格", "fail": "不合格", "incomplete": "无法评定"}
    veto = p.indicator("cn.veto.availability")
    assert (veto.metric, veto.when.op, veto.when.value, veto.verified) == (
        "availability.failure_rate", ">=", 0.05, "V")
    assert [(r.metric, r.when.value) for r in veto.requires] == [("availability.days", 7), ("availability.samples", 140)]


def test_load_by_path_and_unknown_id(tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    assert load_profile(str(path)).id == "custom"
    shipped = ", ".join(p.id for p in PROFILES)
    with pytest.raises(UsageError, match=rf"unknown profile 'nope'; shipped: {re.escape(shipped)} "):
        load_profile("nope")
    with pytest.raises(UsageError, match=r"profile file not found: .*missing\.yaml"):
        load_profile(str(tmp_path / "missing.yaml"))
    with pytest.raises(UsageError, match="is a directory"):
        load_profile(str(tmp_path) + "/")


# ---- validation: one line naming the file and the problem -----------------------------------------

CASES: list[tuple[str, Any, str]] = [
    ("empty file", "", "the file is empty"),
    ("bad yaml", "id: [unclosed\n", "invalid YAML: "),
    ("tabs", "id: x\n\tbad: 1\n", "invalid YAML: "),
    ("not a mapping", "- 1\n- 2\n", "top level: must be a mapping, got list"),
    ("unknown top key", broken(lambda d: d.update(extra=1)), "top level: unknown key 'extra'"),
    ("missing id", broken(lambda d: d.pop("id")), "top level: missing 'id'"),
    ("bad id", broken(lambda d: d.update(id="a b")), "may use only letters"),
    ("no indicators", broken(lambda d: d.update(indicators=[])), "'indicators' must be a non-empty list"),
    ("no grading", broken(lambda d: d.pop("grading")), "missing 'grading'"),
    ("bad model", broken(lambda d: d["grading"].update(model="fancy")), "model must be one of cn-gov-2019, threshold"),
    ("grade word missing", broken(lambda d: d["grading"]["grades"].pop("incomplete")),
     "grading.grades: missing 'incomplete'"),
    ("pass mark text", broken(lambda d: d["grading"].update(pass_mark="sixty")), "'pass_mark' must be a number"),
    ("pass mark over max", broken(lambda d: d["grading"].update(pass_mark=120)), "pass_mark 120 is above max 100"),
    ("cn needs bonus", broken(lambda d: d["grading"].update(model="cn-gov-2019", max=100)),
     "grading: missing 'bonus_max'"),
    ("no_services too big", broken(lambda d: d["grading"].update(no_services={"group": "x", "max": 150})),
     "max 150 is above the profile's max 100"),
    ("duplicate id", broken(ind(1, id="a")), "indicator #2: duplicate id 'a'"),
    ("bad kind", broken(ind(0, kind="penalty")), "indicator 'a': kind must be one of veto, deduct, bonus, info"),
    ("bad op", broken(ind(1, when={"op": "=>", "value": 1})), "op must be one of > >= < <= == !="),
    ("text threshold", broken(ind(1, when={"op": ">", "value": "many"})), "op > needs a numeric value"),
    ("negative points", broken(ind(0, points=-5)), "'points' must be at least 0"),
    ("zero points deduct", broken(ind(0, points=0)), "a deduct indicator needs 'points' above 0"),
    ("points as text", broken(ind(0, points="5")), "'points' must be a number, got '5'"),
    ("bool points", broken(ind(0, points=True)), "'points' must be a number, got True"),
    ("no per_unit", broken(drop(0, "per_unit")), "units 'metric' needs 'per_unit'"),
    ("veto with points", broken(ind(1, points=3)), "a veto indicator carries no points"),
    ("veto without when", broken(drop(1, "when")), "a veto needs 'when'"),
    ("no metric nor findings", broken(drop(0, "metric")), "needs a 'metric', a 'findings' selector, or both"),
    ("bad metric", broken(ind(0, metric="broken")), "metric must look like 'check_id.metric_name'"),
    ("bad units", broken(ind(0, units="pages")), "units must be one of metric, findings, over, once"),
    ("over without when", broken(ind(0, units="over")), "units 'over' needs 'when' with op > or >="),
    ("findings units without selector", broken(ind(0, units="findings")), "units 'findings' needs a 'findings' selector"),
    ("selector bad field", broken(ind(0, findings={"rules": ["x"], "where": {"colour": "red"}})),
     "unknown field 'colour'"),
    ("selector other check", broken(ind(0, findings={"check": "other"})), "differs from the metric's check 'links'"),
    ("selector rules type", broken(ind(0, findings={"rules": [1]})), "'rules' must be a list of rule ids"),
    ("bad verified", broken(ind(0, verified="yes")), "verified must be one of V, V2, unverified"),
    ("unverified without note", broken(ind(0, verified="unverified")), "needs a 'note'"),
    ("no source", broken(drop(0, "source")), "missing 'source'"),
    ("source without document", broken(ind(0, source={"item": "3"})), "missing 'document'"),
    ("source bad url", broken(ind(0, source={"document": "d", "url": "ftp://x"})), "url must start with http"),
    ("unknown indicator key", broken(ind(0, weight=3)), "indicator 'a': unknown key 'weight'"),
    ("bad template field", broken(ind(0, detail="{nope} links")), "detail uses unknown field 'nope'"),
    ("bad template", broken(ind(0, detail="{value")), "detail is not a valid template"),
    ("requires bad metric", broken(ind(1, requires=[{"metric": "x", "op": ">=", "value": 1}])),
     "requires[1]: metric must look like"),
    ("required not bool", broken(ind(0, required="yes")), "'required' must be true or false"),
    ("indicator not mapping", broken(lambda d: d["indicators"].append("c")), "indicator #3: must be a mapping"),
]


@pytest.mark.parametrize("data, fragment", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_profile_one_line(tmp_path: Path, data: Any, fragment: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(UsageError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert fragment in message


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("id: 政府\n".encode("gbk"))
    with pytest.raises(UsageError, match=r"is not UTF-8 text"):
        load_profile(str(path))


def test_yaml_error_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id: x\ntitle: [a,\n")
    with pytest.raises(UsageError, match=r"at line \d+, column \d+$"):
        load_profile(str(path))
