"""The grading models and indicator mechanics, on small profiles written for each rule."""

from __future__ import annotations

import copy
import textwrap

import pytest

from govaudit.model import CheckResult, Finding
from govaudit.profiles import Profile, parse_profile
from govaudit.scoring import score


def _expand(indicators: str) -> str:
    """Dedent, and replace each `SRC` line by the source lines at the same indentation."""
    out = []
    for line in textwrap.dedent(indicators).splitlines():
        if line.strip() == "SRC":
            pad = line[: len(line) - len(line.lstrip())]
            out += [f"{pad}source: {{document: test}}", f"{pad}verified: V2"]
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def cn_profile(indicators: str, extra_grading: str = "") -> Profile:
    text = textwrap.dedent("""\
        id: t
        title: test
        grading:
          model: cn-gov-2019
          max: 100
          pass_mark: 60
          bonus_max: 30
          bonus_threshold: 80
          no_services: {group: 办事服务, max: 75}
          grades: {pass: 合格, fail: 不合格, incomplete: 无法评定}
        """) + extra_grading + "indicators:\n" + _expand(indicators)
    return parse_profile(text, "test.yaml")


def threshold_profile(indicators: str, grading: str = "") -> Profile:
    text = textwrap.dedent("""\
        id: th
        title: test
        grading:
          model: threshold
          pass_mark: 90
          grades: {pass: ok, fail: bad, incomplete: unknown}
        """) + grading + "indicators:\n" + _expand(indicators)
    return parse_profile(text, "test.yaml")


def deduct(ind_id: str, metric: str, points: float, group: str = "g", per_unit: float = 1) -> str:
    return f"""
  - id: {ind_id}
    title: {ind_id}
    kind: deduct
    group: {group}
    metric: {metric}
    per_unit: {per_unit}
    points: {points}
    SRC
"""


def bonus(ind_id: str, metric: str, points: float) -> str:
    return f"""
  - id: {ind_id}
    title: {ind_id}
    kind: bonus
    group: 加分
    metric: {metric}
    when: {{op: ">=", value: 1}}
    points: {points}
    SRC
"""


VETO = """
  - id: v
    title: veto
    kind: veto
    group: 否决
    metric: m.bad
    when: {op: ">", value: 0}
    SRC
"""


def m(**metrics: object) -> dict[str, CheckResult]:
    return {"m": CheckResult(metrics=dict(metrics))}


# ---- cn-gov-2019 ----------------------------------------------------------------------------------

PASS_MARK = cn_profile(deduct("a", "m.a", 40) + deduct("b", "m.b", 40))


@pytest.mark.parametrize("a, b, value, grade", [
    (20, 20, 60.0, "合格"),   # exactly the pass mark passes
    (20, 21, 59.0, "不合格"),
    (0, 0, 100.0, "合格"),
])
def test_cn_pass_mark(a: int, b: int, value: float, grade: str) -> None:
    sc = score(PASS_MARK, m(a=a, b=b)).score
    assert (sc.value, sc.grade, sc.passed) == (value, grade, grade == "合格")


def test_deduction_never_exceeds_the_indicator_cap() -> None:
    scored = score(PASS_MARK, m(a=1000, b=3))
    assert [i.points for i in scored.indicators] == [-40.0, -3.0]
    assert scored.indicators[0].detail.endswith("capped at 40 points")


BONUS = cn_profile(deduct("a", "m.a", 50) + bonus("x", "m.x", 10) + bonus("y", "m.y", 25) + VETO)


def test_bonus_added_only_above_threshold() -> None:
    above = score(BONUS, m(a=15, x=1, y=0, bad=0)).score
    assert (above.deduction_score, above.bonus, above.value, above.grade) == (85.0, 10.0, 95.0, "合格")
    at = score(BONUS, m(a=20, x=1, y=0, bad=0))
    assert (at.score.deduction_score, at.score.bonus, at.score.value) == (80.0, 0.0, 80.0)
    x = {i.id: i for i in at.indicators}["x"]
    assert x.result == "pass" and x.points == 0.0
    assert x.detail.endswith("bonus not added: deduction score 80 is not above 80")


def test_bonus_total_capped_at_bonus_max() -> None:
    sc = score(BONUS, m(a=0, x=1, y=1, bad=0)).score
    assert (sc.bonus, sc.value) == (30.0, 130.0)  # 10 + 25 earned, 30 allowed


def test_bonus_not_earned_is_fail_without_points() -> None:
    scored = score(BONUS, m(a=0, x=0, y=0, bad=0))
    assert [(i.id, i.result, i.points) for i in scored.indicators if i.kind == "bonus"] == [
        ("x", "fail", 0.0), ("y", "fail", 0.0)]


def test_veto_grades_fail_and_blocks_bonus() -> None:
    scored = score(BONUS, m(a=5, x=1, y=1, bad=2))
    sc = scored.score
    assert sc.vetoes == ["v"]
    assert (sc.grade, sc.passed, sc.value, sc.deduction_score, sc.bonus) == ("不合格", False, 95.0, 95.0, 0.0)
    assert all(i.points == 0.0 for i in scored.indicators if i.kind == "bonus")
    not_fired = score(BONUS, m(a=5, x=0, y=0, bad=0)).score
    assert not_fired.vetoes == [] and not_fired.grade == "合格"


def test_veto_error_is_incomplete_not_pass() -> None:
    sc = score(BONUS, m(a=5, x=0, y=0)).score  # m.bad absent
    assert (sc.grade, sc.passed, sc.vetoes) == ("无法评定", False, [])


SERVICES = cn_profile(deduct("svc", "m.svc", 25, group="办事服务") + deduct("a", "m.a", 40))


def test_no_services_scales_by_four_thirds() -> None:
    normal = score(SERVICES, m(svc=10, a=15))
    assert normal.score.value == 75.0
    dept = score(SERVICES, m(svc=10, a=15), {"no_services": True})
    svc = dept.indicators[0]
    assert (svc.result, svc.points) == ("not_applicable", 0.0)
    assert "not inspected" in svc.detail
    assert dept.score.deduction_score == 80.0  # (75 - 15) * 4 / 3
    assert dept.score.value == 80.0
    # the skipped group's check need not even have run
    missing = score(SERVICES, {"m": CheckResult(metrics={"a": 0})}, {"no_services": True})
    assert missing.score.value == 100.0 and missing.score.grade == "合格"


def test_score_floor_is_zero() -> None:
    prof = cn_profile(deduct("a", "m.a", 60) + deduct("b", "m.b", 60))
    assert score(prof, m(a=60, b=60)).score.value == 0.0


# ---- threshold model ------------------------------------------------------------------------------


def test_threshold_model_adds_bonus_and_passes_at_mark() -> None:
    prof = threshold_profile(deduct("a", "m.a", 20) + bonus("x", "m.x", 5))
    sc = score(prof, m(a=15, x=1)).score
    assert (sc.value, sc.grade, sc.passed, sc.bonus) == (90.0, "ok", True, 5.0)
    sc = score(prof, m(a=16, x=1)).score
    assert (sc.value, sc.grade, sc.passed) == (89.0, "bad", False)


def test_threshold_model_bonus_max() -> None:
    prof = threshold_profile(deduct("a", "m.a", 20) + bonus("x", "m.x", 5), "  bonus_max: 2\n")
    assert score(prof, m(a=0, x=1)).score.value == 102.0


# ---- indicator mechanics ----------------------------------------------------------------------------


def test_units_over_threshold() -> None:
    prof = threshold_profile("""
      - id: slow
        title: slow pages
        kind: deduct
        group: g
        metric: m.slow
        when: {op: ">", value: 4}
        units: over
        per_unit: 2
        points: 10
        SRC
    """)
    assert score(prof, m(slow=4)).indicators[0].points == 0.0
    assert score(prof, m(slow=6)).indicators[0].points == -4.0
    assert score(prof, m(slow=40)).indicators[0].points == -10.0


def test_units_findings_with_filters() -> None:
    prof = threshold_profile("""
      - id: img
        title: broken images
        kind: deduct
        group: g
        findings:
          check: links
          rules: [broken-link]
          where: {element: [img, source], evidence.external: false}
        per_unit: 0.5
        points: 10
        SRC
    """)
    findings = [
        Finding(rule="broken-link", page="/", message="", element="img", evidence={"external": False}, id="f-1"),
        Finding(rule="broken-link", page="/", message="", element="a", evidence={"external": False}, id="f-2"),
        Finding(rule="broken-link", page="/", message="", element="source", evidence={"external": False}, id="f-3"),
        Finding(rule="broken-link", page="/", message="", element="img", evidence={"external": True}, id="f-4"),
        Finding(rule="broken-link", page="/", message="", element="img", evidence={}, id="f-5"),
        Finding(rule="soft-404", page="/", message="", element="img", evidence={"external": False}, id="f-6"),
    ]
    ind = score(prof, {"links": CheckResult(findings=findings)}).indicators[0]
    assert (ind.result, ind.points, ind.findings) == ("fail", -1.0, ["f-1", "f-3"])
    assert ind.detail == "2 matching findings: -1 points"
    clean = score(prof, {"links": CheckResult(findings=findings[1:2], metrics={"links_checked": 6})}).indicators[0]
    assert (clean.result, clean.points, clean.findings) == ("pass", 0.0, [])
    # the check API's rule: a check that shows nothing of what it looked at cannot give a pass
    blind = score(prof, {"links": CheckResult(findings=findings[1:2])}).indicators[0]
    assert blind.result == "error" and "nothing shows what it looked at" in blind.detail


def test_metric_paths_walk_into_dicts() -> None:
    prof = threshold_profile("""
      - id: s404
        title: 404s
        kind: deduct
        group: g
        metric: links.by_status.404
        per_unit: 1
        points: 10
        SRC
    """)
    as_text = score(prof, {"links": CheckResult(metrics={"by_status": {"404": 3}})}).indicators[0]
    as_int = score(prof, {"links": CheckResult(metrics={"by_status": {404: 2}})}).indicators[0]
    absent = score(prof, {"links": CheckResult(metrics={"by_status": {"200": 9}})}).indicators[0]
    assert (as_text.points, as_int.points) == (-3.0, -2.0)
    assert (absent.result, absent.detail) == ("error", "metric links.by_status.404 is absent from check 'links'")


def test_non_numeric_metric_is_error() -> None:
    prof = threshold_profile(deduct("a", "m.a", 10))
    ind = score(prof, m(a={"x": 1})).indicators[0]
    assert ind.result == "error" and "not a number" in ind.detail
    veto = threshold_profile(VETO)
    ind = score(veto, m(bad="many")).indicators[0]
    assert ind.result == "error" and ind.detail == "m.bad is not a number (many); cannot compare > 0"


def test_info_with_and_without_condition() -> None:
    prof = threshold_profile("""
      - id: count
        title: count
        kind: info
        group: g
        metric: m.n
        SRC
      - id: flag
        title: flag
        kind: info
        group: g
        metric: m.mode
        when: {op: "==", value: legacy}
        detail: "mode {value:.1%}"
        SRC
    """)
    scored = score(prof, m(n=7, mode="legacy"))
    assert [(i.result, i.points, i.detail) for i in scored.indicators] == [
        ("pass", 0.0, "m.n = 7"),
        ("fail", 0.0, "m.mode = legacy"),  # the template's number format met a word: generic sentence
    ]
    assert scored.score.value == 100.0 and scored.score.passed


def test_optional_indicator_error_does_not_block_grade() -> None:
    probe = """
      - id: probe
        title: probe
        kind: veto
        group: g
        metric: probe.rate
        when: {op: ">=", value: 0.05}
        required: false
        SRC
    """
    prof = threshold_profile(deduct("a", "m.a", 10) + textwrap.indent(textwrap.dedent(probe), "  "))
    sc = score(prof, m(a=0)).score
    assert (sc.grade, sc.passed) == ("ok", True)


def test_score_is_pure_and_deterministic() -> None:
    checks = {"m": CheckResult(metrics={"a": 30, "x": 1, "y": 0, "bad": 0},
                               findings=[Finding(rule="r", page="/", message="", id="f-1")])}
    before = copy.deepcopy(checks)
    first = score(BONUS, checks)
    second = score(BONUS, checks)
    assert first == second
    assert checks == before
