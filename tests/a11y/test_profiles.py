"""wcag21-aa, gbt-37668 and cn-gov-2019's accessibility part: each indicator firing and quiet,
the grades, and a skipped check that can never read as a pass."""

from __future__ import annotations

import pytest

from govaudit.model import CheckResult
from govaudit.profiles import load_profile
from govaudit.scoring import score
from tests.a11y.profile_cases import FIRES, QUIET, a11y

A11Y_PROFILES = ("wcag21-aa", "gbt-37668")


def indicator(profile_id: str, indicator_id: str, checks: dict[str, CheckResult]):  # noqa: ANN201
    scored = score(load_profile(profile_id), checks)
    (found,) = [i for i in scored.indicators if i.id == indicator_id]
    return scored, found


def test_every_accessibility_indicator_has_both_cases() -> None:
    shipped = {(pid, spec.id) for pid in (*A11Y_PROFILES, "cn-gov-2019") for spec in load_profile(pid).indicators
               if spec.check == "accessibility"}
    assert shipped == set(FIRES) == set(QUIET)


@pytest.mark.parametrize("key", sorted(FIRES), ids=lambda k: k[1])
def test_fires(key: tuple[str, str]) -> None:
    make, expected, points = FIRES[key]
    _, ind = indicator(*key, make())
    assert (ind.result, ind.points) == (expected, points), ind.detail
    assert ind.detail


@pytest.mark.parametrize("key", sorted(QUIET), ids=lambda k: k[1])
def test_quiet(key: tuple[str, str]) -> None:
    _, ind = indicator(*key, QUIET[key]())
    assert (ind.result, ind.points) == ("pass", 0.0), ind.detail


def test_indicators_cite_the_violations_they_count() -> None:
    _, ind = indicator("wcag21-aa", "wcag.a", a11y(a=2, aa=1))
    assert ind.findings == ["f-aA0", "f-aA1"]
    _, ind = indicator("gbt-37668", "gbt.level2", a11y(a=2, aa=1))
    assert ind.findings == ["f-aAA0"]


@pytest.mark.parametrize("profile_id", A11Y_PROFILES)
def test_grades(profile_id: str) -> None:
    profile = load_profile(profile_id)
    clean = score(profile, a11y()).score
    assert (clean.value, clean.passed) == (100.0, True)
    one = score(profile, a11y(aa=1)).score
    assert (one.value, one.passed, one.grade) == (95.0, False, profile.grading.grades["fail"])
    worst = score(profile, a11y(a=40, aa=40)).score
    assert worst.value == 0.0


@pytest.mark.parametrize("profile_id", A11Y_PROFILES)
def test_a_skipped_check_is_never_a_pass(profile_id: str) -> None:
    skipped = {"accessibility": CheckResult(status="skipped", error="no browser: --browser /x: no such file")}
    scored = score(load_profile(profile_id), skipped)
    assert {i.result for i in scored.indicators} == {"error"}
    assert not scored.score.passed and scored.score.grade == load_profile(profile_id).grading.grades["incomplete"]
    assert "no browser" in scored.indicators[0].detail


def test_cn_gov_2019_accessibility_part_never_moves_the_grade() -> None:
    profile = load_profile("cn-gov-2019")
    ids = [s.id for s in profile.indicators if s.check == "accessibility"]
    assert ids and all(not s.required and s.kind == "info" for s in profile.indicators if s.id in ids)
    skipped = {"accessibility": CheckResult(status="skipped", error="no browser")}
    by_id = {i.id: i for i in score(profile, skipped).indicators}
    assert all(by_id[i].result == "error" and by_id[i].points == 0 for i in ids)
