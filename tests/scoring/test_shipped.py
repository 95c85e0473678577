"""Every indicator of every shipped profile, firing and not firing, on hand-built check results.

FIRES / QUIET list one case per indicator; `test_every_indicator_has_cases` fails when someone adds
an indicator to a shipped profile without adding its cases here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from govaudit.model import CheckResult
from govaudit.profiles import list_profiles, load_profile
from govaudit.scoring import score
from tests.scoring.helpers import availability, links_result

Checks = Callable[[], dict[str, CheckResult]]

# indicator id -> (checks that make it fire, expected result, expected points)
FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    ("cn-gov-2019", "cn.veto.availability"): (
        lambda: {"links": links_result(), "availability": availability(0.05)}, "fail", 0.0),
    ("cn-gov-2019", "cn.deduct.availability.home"): (lambda: {"links": links_result(home_ok=0)}, "fail", -5.0),
    ("cn-gov-2019", "cn.deduct.links.home"): (lambda: {"links": links_result(home=3)}, "fail", -3.0),
    ("cn-gov-2019", "cn.deduct.links.other"): (lambda: {"links": links_result(other=30)}, "fail", -3.0),
    ("links", "links.checked"): (lambda: {"links": links_result(links_checked=0)}, "pass", 0.0),
    ("links", "links.excluded"): (lambda: {"links": links_result(excluded=9)}, "pass", 0.0),
    ("links", "links.placeholders"): (lambda: {"links": links_result(placeholders=4)}, "pass", 0.0),
    ("links", "links.broken.home"): (lambda: {"links": links_result(home=2)}, "fail", -2.0),
    ("links", "links.broken.other"): (lambda: {"links": links_result(other=3)}, "fail", -3.0),
    ("links", "links.invalid"): (lambda: {"links": links_result(invalid=2)}, "fail", 0.0),
}

QUIET: dict[tuple[str, str], Checks] = {
    ("cn-gov-2019", "cn.veto.availability"): lambda: {"links": links_result(), "availability": availability(0.049)},
    ("cn-gov-2019", "cn.deduct.availability.home"): lambda: {"links": links_result()},
    ("cn-gov-2019", "cn.deduct.links.home"): lambda: {"links": links_result(other=4)},
    ("cn-gov-2019", "cn.deduct.links.other"): lambda: {"links": links_result(home=2)},
    ("links", "links.checked"): lambda: {"links": links_result()},
    ("links", "links.excluded"): lambda: {"links": links_result()},
    ("links", "links.placeholders"): lambda: {"links": links_result()},
    ("links", "links.broken.home"): lambda: {"links": links_result(other=5)},
    ("links", "links.broken.other"): lambda: {"links": links_result(home=5)},
    ("links", "links.invalid"): lambda: {"links": links_result(home=1)},
}


def _result(profile_id: str, indicator_id: str, checks: dict[str, CheckResult]):  # noqa: ANN202
    scored = score(load_profile(profile_id), checks)
    (found,) = [i for i in scored.indicators if i.id == indicator_id]
    return scored, found


def test_every_indicator_has_cases() -> None:
    shipped = {(p.id, spec.id) for p in list_profiles() for spec in p.indicators}
    assert shipped == set(FIRES) == set(QUIET)


@pytest.mark.parametrize("key", sorted(FIRES), ids=lambda k: k[1])
def test_indicator_fires(key: tuple[str, str]) -> None:
    make, expected, points = FIRES[key]
    _, ind = _result(*key, make())
    assert (ind.result, ind.points) == (expected, points), ind.detail
    assert ind.detail


@pytest.mark.parametrize("key", sorted(QUIET), ids=lambda k: k[1])
def test_indicator_quiet(key: tuple[str, str]) -> None:
    _, ind = _result(*key, QUIET[key]())
    assert ind.result == "pass", ind.detail
    assert ind.points == 0.0


# ---- cn-gov-2019 in detail ----------------------------------------------------------------------


def test_cn_clean_site_passes_but_availability_is_error_not_pass() -> None:
    scored = score(load_profile("cn-gov-2019"), {"links": links_result()})
    by_id = {i.id: i for i in scored.indicators}
    assert by_id["cn.veto.availability"].result == "error"
    assert by_id["cn.veto.availability"].detail == "check 'availability' did not run"
    # the availability veto cannot be judged by one audit, so it does not hold the grade back
    assert (scored.score.value, scored.score.grade, scored.score.passed) == (100.0, "合格", True)
    assert scored.score.vetoes == []


def test_cn_availability_needs_a_week_of_samples() -> None:
    profile = load_profile("cn-gov-2019")
    few = score(profile, {"links": links_result(), "availability": availability(0.5, samples=60)})
    ind = few.indicators[0]
    assert ind.result == "error"
    assert ind.detail.startswith("not enough data: availability.samples = 60, needs >= 140")
    short = score(profile, {"links": links_result(), "availability": availability(0.5, days=3)})
    assert short.indicators[0].result == "error"
    assert "availability.days = 3" in short.indicators[0].detail
    assert few.score.vetoes == [] and short.score.vetoes == []


def test_cn_availability_veto_fails_the_grade_and_keeps_the_number() -> None:
    checks = {"links": links_result(home=2), "availability": availability(0.0625)}
    scored = score(load_profile("cn-gov-2019"), checks)
    assert scored.score.vetoes == ["cn.veto.availability"]
    assert (scored.score.grade, scored.score.passed) == ("不合格", False)
    assert scored.score.value == 98.0 and scored.score.deduction_score == 98.0
    assert scored.indicators[0].detail == (
        "the home page failed to open in 6.2% of monitored visits (veto at 5% or more)"
    )


def test_cn_link_deductions_list_their_findings_and_cap() -> None:
    scored = score(load_profile("cn-gov-2019"), {"links": links_result(home=7, other=80)})
    by_id = {i.id: i for i in scored.indicators}
    home, other = by_id["cn.deduct.links.home"], by_id["cn.deduct.links.other"]
    assert home.points == -5.0 and home.findings == [f"f-{n}" for n in range(1, 8)]
    assert home.detail == "7 unusable links on the home page; capped at 5 points"
    assert other.points == -5.0 and len(other.findings) == 80 and other.findings[0] == "f-8"
    assert home.source["document"].startswith("政府网站与政务新媒体检查指标")
    assert home.verified == "unverified" and home.group == "网站可用性"
    assert (scored.score.value, scored.score.grade) == (90.0, "合格")


def test_cn_other_page_points_are_tenths() -> None:
    scored = score(load_profile("cn-gov-2019"), {"links": links_result(other=3)})
    ind = {i.id: i for i in scored.indicators}["cn.deduct.links.other"]
    assert ind.points == -0.3  # not -0.30000000000000004
    assert scored.score.value == 99.7


@pytest.mark.parametrize("checks, why", [
    ({}, "check 'links' did not run"),
    ({"links": CheckResult(status="error", error="home page timed out")},
     "check 'links' ended with status error: home page timed out"),
    ({"links": CheckResult(status="skipped", error="disabled")}, "check 'links' ended with status skipped: disabled"),
])
def test_cn_missing_links_check_is_error_and_grade_incomplete(checks: dict[str, CheckResult], why: str) -> None:
    scored = score(load_profile("cn-gov-2019"), checks)
    link_inds = [i for i in scored.indicators if i.group == "网站可用性"]
    assert [i.result for i in link_inds] == ["error"] * 3
    assert all(i.detail == why and i.points == 0 for i in link_inds)
    assert (scored.score.grade, scored.score.passed) == ("无法评定", False)


def test_cn_absent_or_null_metric_is_error() -> None:
    metrics = links_result(home=1).metrics
    del metrics["broken_home"]
    absent = score(load_profile("cn-gov-2019"), {"links": CheckResult(metrics=metrics)})
    ind = {i.id: i for i in absent.indicators}["cn.deduct.links.home"]
    assert (ind.result, ind.detail) == ("error", "metric links.broken_home is absent from check 'links'")
    null = score(load_profile("cn-gov-2019"), {"links": links_result(home_ok=None)})
    ind = {i.id: i for i in null.indicators}["cn.deduct.availability.home"]
    assert (ind.result, ind.detail) == ("error", "metric links.home_ok has no value")
    assert null.score.grade == "无法评定"


def test_cn_no_services_knob_without_services_indicators() -> None:
    # no 办事服务 indicator exists yet: the rest is out of 75, times 4/3
    scored = score(load_profile("cn-gov-2019"), {"links": links_result(home=3)}, {"no_services": True})
    assert scored.score.deduction_score == 96.0  # (75 - 3) * 4 / 3


# ---- links profile in detail --------------------------------------------------------------------


def test_links_profile_clean_site_passes() -> None:
    scored = score(load_profile("links"), {"links": links_result()})
    assert (scored.score.value, scored.score.grade, scored.score.passed) == (100.0, "pass", True)
    info = {i.id: i.detail for i in scored.indicators if i.kind == "info"}
    assert info == {"links.checked": "120 links checked", "links.excluded": "3 links excluded from checking",
                    "links.placeholders": "2 placeholder links",
                    "links.invalid": "no link with an unparsable URL"}


def test_links_profile_any_broken_link_fails() -> None:
    scored = score(load_profile("links"), {"links": links_result(other=1)})
    assert (scored.score.value, scored.score.grade, scored.score.passed) == (99.0, "fail", False)


def test_links_profile_caps_and_floor() -> None:
    scored = score(load_profile("links"), {"links": links_result(home=60, other=70)})
    assert [i.points for i in scored.indicators if i.kind == "deduct"] == [-50.0, -50.0]
    assert scored.score.value == 0.0


def test_links_profile_invalid_urls_listed_without_points() -> None:
    scored = score(load_profile("links"), {"links": links_result(home=1, invalid=2)})
    ind = {i.id: i for i in scored.indicators}["links.invalid"]
    assert (ind.result, ind.points, ind.findings) == ("fail", 0.0, ["f-2", "f-3"])
    assert ind.detail == "2 links with an unparsable URL"
    assert scored.score.value == 99.0


def test_links_profile_without_links_check_is_incomplete() -> None:
    scored = score(load_profile("links"), {})
    assert {i.result for i in scored.indicators} == {"error"}
    assert (scored.score.grade, scored.score.passed) == ("incomplete", False)


def test_links_profile_rejects_no_services() -> None:
    from govaudit.errors import UsageError

    with pytest.raises(UsageError, match="no no_services setting"):
        score(load_profile("links"), {"links": links_result()}, {"no_services": True})
