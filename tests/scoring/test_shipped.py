"""Every indicator of every shipped profile, firing and not firing, on hand-built check results.

The cases live in tests/scoring/cases/ (one module per part). `test_every_indicator_has_cases`
fails as soon as a shipped profile gains an indicator without cases there, whatever the profile.
Clean sites (every check ok) pass every profile, and taking away any one check they read leaves
its indicators "error", never "pass".
"""

from __future__ import annotations

from collections.abc import Callable
from string import Formatter

import pytest

from govaudit.model import CheckResult, IndicatorResult, ScoredResult
from govaudit.phrases import say
from govaudit.profiles import IndicatorSpec, Profile, list_profiles, load_profile
from govaudit.scoring import score
from tests.freshness.test_profile import freshness, stale
from tests.scoring.cases import FIRES, QUIET
from tests.scoring.helpers import availability, links_result
from tests.scoring.sites import clean_cn_site, clean_uk_site, clean_us_site, content, identity, interaction

PROFILES: dict[str, Profile] = {p.id: p for p in list_profiles()}

# A site that every indicator of the profile passes.
CLEAN_SITES: dict[str, Callable[..., dict[str, CheckResult]]] = {
    "cn-gov-2019": clean_cn_site, "links": clean_cn_site, "gbt-37668": clean_cn_site, "wcag21-aa": clean_us_site,
    "us-federal": clean_us_site, "eu-wad": clean_uk_site, "uk-psbar": clean_uk_site,
}


def _result(profile_id: str, indicator_id: str, checks: dict[str, CheckResult]) -> tuple[ScoredResult, IndicatorResult]:
    scored = score(PROFILES[profile_id], checks)
    (found,) = [i for i in scored.indicators if i.id == indicator_id]
    return scored, found


def _fired_outcome(spec: IndicatorSpec) -> str:
    """The result word of an indicator whose condition holds."""
    if spec.kind == "bonus":
        return "pass"
    if spec.kind == "info" and spec.when is None:
        return "pass"  # an info line without a condition only reports its number
    return "fail"


def _template_rendered(spec: IndicatorSpec, ind: IndicatorResult) -> bool:
    """The profile's detail template was used (scoring falls back to a generic sentence when a
    template cannot format the value, which would hide a broken template)."""
    template = spec.detail.get(ind.result)
    if not template:
        return True
    literals = [text for text, *_ in Formatter().parse(template) if text.strip()]
    return all(text in ind.detail for text in literals)


def test_every_indicator_has_cases() -> None:
    shipped = {(p.id, spec.id) for p in PROFILES.values() for spec in p.indicators}
    assert not shipped - set(FIRES), "indicators without a firing case in tests/scoring/cases/"
    assert not shipped - set(QUIET), "indicators without a quiet case in tests/scoring/cases/"
    assert not set(FIRES) - shipped and not set(QUIET) - shipped, "cases for indicators no profile has"


@pytest.mark.parametrize("key", sorted(FIRES), ids=lambda k: f"{k[0]}:{k[1]}")
def test_indicator_fires(key: tuple[str, str]) -> None:
    make, expected, points = FIRES[key]
    spec = PROFILES[key[0]].indicator(key[1])
    _, ind = _result(*key, make())
    assert (ind.result, ind.points) == (expected, points), ind.detail
    assert expected == _fired_outcome(spec), "a firing case must make the indicator fire"
    if spec.kind == "deduct":
        assert -spec.points <= points < 0
    if spec.findings is not None and expected == "fail":
        assert ind.findings, "a firing case lists the findings the indicator points at"
    assert ind.detail and _template_rendered(spec, ind), ind.detail


@pytest.mark.parametrize("key", sorted(QUIET), ids=lambda k: f"{k[0]}:{k[1]}")
def test_indicator_quiet(key: tuple[str, str]) -> None:
    spec = PROFILES[key[0]].indicator(key[1])
    _, ind = _result(*key, QUIET[key]())
    if spec.kind == "bonus":  # a bonus not earned (fail), or one a crawl cannot measure (not_applicable)
        assert (ind.result in ("fail", "not_applicable"), ind.points) == (True, 0.0), ind.detail
        return
    assert (ind.result, ind.points) == ("pass", 0.0), ind.detail
    assert _template_rendered(spec, ind), ind.detail


# ---- clean sites, and a check that did not run ---------------------------------------------------


def test_every_profile_has_a_clean_site() -> None:
    assert set(CLEAN_SITES) == set(PROFILES)


@pytest.mark.parametrize("profile_id", sorted(CLEAN_SITES))
def test_clean_site_passes_every_indicator(profile_id: str) -> None:
    profile = PROFILES[profile_id]
    scored = score(profile, CLEAN_SITES[profile_id]())
    # a bonus item a crawl cannot measure is not_applicable, never a silent pass or 0
    unmeasured = {s.id for s in profile.indicators if any(r.metric.endswith(".not_measured") for r in s.applies)}
    assert {i.id: i.result for i in scored.indicators if i.result != "pass" and i.id not in unmeasured} == {}
    assert all(i.result == "not_applicable" for i in scored.indicators if i.id in unmeasured)
    assert (scored.score.deduction_score, scored.score.passed) == (profile.grading.max, True)
    assert scored.score.value == profile.grading.max + scored.score.bonus
    assert (scored.score.grade, scored.score.vetoes) == (profile.grading.grades["pass"], [])


def _reads(spec: IndicatorSpec, check_id: str) -> bool:
    return spec.check == check_id or any(r.metric.split(".", 1)[0] == check_id for r in spec.requires)


MISSING = [(p.id, check_id, how) for p in PROFILES.values() for check_id in sorted(p.check_ids())
           for how in ("absent", "error", "skipped")]


@pytest.mark.parametrize("profile_id, check_id, how", MISSING, ids=lambda v: str(v))
def test_a_check_that_did_not_run_is_error_never_pass(profile_id: str, check_id: str, how: str) -> None:
    profile = PROFILES[profile_id]
    make = CLEAN_SITES[profile_id]
    lang = profile.language  # the words scoring adds follow the profile's language
    if how == "absent":
        checks, why = make(without=(check_id,)), say(lang, "check_missing", check=check_id)
    else:
        failed = CheckResult(status=how, error="the home page was not fetched as HTML")
        checks = make(**{check_id: failed})
        why = say(lang, "check_status", check=check_id, status=how,
                  why=say(lang, "status_why", error="the home page was not fetched as HTML"))
    scored = score(profile, checks)
    touched = [s for s in profile.indicators if _reads(s, check_id)]
    by_id = {i.id: i for i in scored.indicators}
    assert {s.id: (by_id[s.id].result, by_id[s.id].detail, by_id[s.id].points) for s in touched} == {
        s.id: ("error", why, 0.0) for s in touched}
    assert all(i.result == "pass" or (i.result == "not_applicable" and i.id.endswith("not-measured"))
               for i in scored.indicators if i.id not in {s.id for s in touched})
    grades = profile.grading.grades
    if any(s.required for s in touched):
        assert (scored.score.grade, scored.score.passed) == (grades["incomplete"], False)
    else:  # e.g. availability and cn-gov-2019's accessibility part: listed, but never hold the grade
        assert (scored.score.grade, scored.score.passed) == (grades["pass"], True)


# ---- cn-gov-2019 in detail ----------------------------------------------------------------------


def test_cn_clean_site_passes_but_availability_is_error_not_pass() -> None:
    scored = score(PROFILES["cn-gov-2019"], clean_cn_site(without=("availability",)))
    by_id = {i.id: i for i in scored.indicators}
    assert by_id["cn.veto.availability"].result == "error"
    assert by_id["cn.veto.availability"].detail == "检查 availability 未运行"
    # the availability veto cannot be judged by one audit, so it does not hold the grade back
    assert (scored.score.deduction_score, scored.score.grade, scored.score.passed) == (100.0, "合格", True)
    assert scored.score.vetoes == []


def test_cn_links_only_run_cannot_be_graded() -> None:
    """Without the other checks their required indicators read "error": the grade is 无法评定."""
    scored = score(PROFILES["cn-gov-2019"], {"links": links_result()})
    assert (scored.score.grade, scored.score.passed) == ("无法评定", False)
    assert scored.score.value == 100.0  # nothing was deducted, yet nothing says the site passes
    errors = {i.id for i in scored.indicators if i.result == "error"}
    assert "cn.veto.home-update" in errors and "cn.deduct.identity.search" in errors
    assert not any(i.id.startswith("cn.deduct.links") for i in scored.indicators if i.id in errors)


def test_cn_availability_needs_a_week_of_samples() -> None:
    profile = PROFILES["cn-gov-2019"]
    # min_per_day lowered to 8: seven "full" days, yet fewer visits than the rule's 140
    few = score(profile, clean_cn_site(availability=availability(30, samples=60, min_per_day=8)))
    ind = few.indicators[0]
    assert ind.result == "error"
    assert ind.detail == "数据不足：availability.samples = 60，需要 >= 140（连续 7 天、每天至少访问 20 次）"
    short = score(profile, clean_cn_site(availability=availability(60, samples=120, days=3)))
    assert short.indicators[0].result == "error"
    assert "availability.days = 3" in short.indicators[0].detail
    assert few.score.vetoes == [] and short.score.vetoes == []
    assert few.score.grade == short.score.grade == "合格"  # not required: it never holds the grade


def test_cn_availability_veto_fails_the_grade_and_keeps_the_number() -> None:
    checks = clean_cn_site(links=links_result(home=2), availability=availability(10, samples=160))
    scored = score(PROFILES["cn-gov-2019"], checks)
    assert scored.score.vetoes == ["cn.veto.availability"]
    assert (scored.score.grade, scored.score.passed) == ("不合格", False)
    assert scored.score.value == 98.0 and scored.score.deduction_score == 98.0
    assert scored.indicators[0].detail == (
        "监测期内首页无法打开的比例为 6.2%（达到 5% 即否决）"
    )


def test_cn_link_deductions_list_their_findings_and_cap() -> None:
    scored = score(PROFILES["cn-gov-2019"], clean_cn_site(links=links_result(home=7, other=80)))
    by_id = {i.id: i for i in scored.indicators}
    home, other = by_id["cn.deduct.links.home"], by_id["cn.deduct.links.other"]
    assert home.points == -5.0 and home.findings == [f"f-{n}" for n in range(1, 8)]
    # the cap is ours, and the detail says so in every report
    assert home.detail == "首页不可用链接 7 个；封顶 5 分；5 分按 govaudit 自定分值计（未经核实，非官方）"
    assert other.points == -5.0 and len(other.findings) == 80 and other.findings[0] == "f-8"
    assert home.source["document"].startswith("政府网站与政务新媒体检查指标")
    assert home.verified == "unverified" and home.group == "网站可用性"
    assert (scored.score.deduction_score, scored.score.grade, scored.score.passed) == (90.0, "合格", True)


def test_cn_other_page_points_are_tenths() -> None:
    scored = score(PROFILES["cn-gov-2019"], clean_cn_site(links=links_result(other=3)))
    ind = {i.id: i for i in scored.indicators}["cn.deduct.links.other"]
    assert ind.points == -0.3  # not -0.30000000000000004
    assert (scored.score.deduction_score, scored.score.grade) == (99.7, "合格")


def test_cn_deductions_of_every_check_add_up_and_below_60_fail() -> None:
    checks = clean_cn_site(
        links=links_result(home=9, other=80, home_ok=0),  # 5 + 5 + 5
        freshness=freshness(stale(1, "policy") + stale(2, "plan", 5), stale=3, stale_policy=1,  # 5 + 2
                            stale_notice_policy=1, stale_news_plus_notice_policy=1,
                            stale_personnel_plan=2)["freshness"],
        identity=identity(gov_domain=0, site_id_code_valid=0, icp_present=0, police_present=0, conac_present=0,
                          sponsor_present=0, error_report_present=0, meta_pages_missing=25,
                          siteidcode_mismatch=2, search_present=0, ipv6=0),  # 2+1+2+1+2+1+2+2
        interaction=interaction(latest_reply="2026-08-01", surveys=1, interviews=0),  # 3 + 2 + 2
    )
    scored = score(PROFILES["cn-gov-2019"], checks)
    deductions = {i.id: i.points for i in scored.indicators if i.points}
    assert sum(deductions.values()) == -42.0 and len(deductions) == 16
    assert scored.score.vetoes == []
    assert (scored.score.value, scored.score.grade, scored.score.passed) == (58.0, "不合格", False)
    # no search box: 搜索功能 deducts, and whether a search answers cannot be asked (not required)
    assert {i.id: i.result for i in scored.indicators}["cn.deduct.identity.search-answers"] == "error"


def test_cn_a_veto_of_any_check_fails_an_otherwise_clean_site() -> None:
    for replace, veto in (({"content": content(misstatements=1)}, "cn.veto.security.misstatement"),
                          ({"interaction": interaction(consultation=0)}, "cn.veto.interaction.channel"),
                          ({"freshness": freshness(home_updated=0, home_updated_days=30)["freshness"]},
                           "cn.veto.home-update")):
        scored = score(PROFILES["cn-gov-2019"], clean_cn_site(**replace))
        assert scored.score.vetoes == [veto]
        assert (scored.score.value, scored.score.grade, scored.score.passed) == (100.0, "不合格", False)


@pytest.mark.parametrize("checks, why", [
    ({}, "检查 links 未运行"),
    ({"links": CheckResult(status="error", error="home page timed out")},
     "检查 links 以状态 error 结束：home page timed out"),
    ({"links": CheckResult(status="skipped", error="disabled")}, "检查 links 以状态 skipped 结束：disabled"),
])
def test_cn_missing_links_check_is_error_and_grade_incomplete(checks: dict[str, CheckResult], why: str) -> None:
    site = clean_cn_site(without=("links",))
    scored = score(PROFILES["cn-gov-2019"], {**site, **checks})
    link_inds = [i for i in scored.indicators if i.group == "网站可用性"]
    assert [i.result for i in link_inds] == ["error"] * 3
    assert all(i.detail == why and i.points == 0 for i in link_inds)
    assert (scored.score.grade, scored.score.passed) == ("无法评定", False)


def test_cn_absent_or_null_metric_is_error() -> None:
    metrics = links_result(home=1).metrics
    del metrics["broken_home"]
    absent = score(PROFILES["cn-gov-2019"], clean_cn_site(links=CheckResult(metrics=metrics)))
    ind = {i.id: i for i in absent.indicators}["cn.deduct.links.home"]
    assert (ind.result, ind.detail) == ("error", "检查 links 没有给出指标 links.broken_home")
    assert absent.score.grade == "无法评定"
    null = score(PROFILES["cn-gov-2019"], clean_cn_site(links=links_result(home_ok=None)))
    ind = {i.id: i for i in null.indicators}["cn.deduct.availability.home"]
    assert (ind.result, ind.detail) == ("error", "指标 links.home_ok 没有值")
    assert null.score.grade == "无法评定"


def test_cn_unknown_metric_value_is_error_and_not_required_ones_keep_the_grade() -> None:
    """The checks publish None for what they could not judge (a POST-only search box, IPv6 of a site
    audited by IP address, an unreadable board): a required indicator then holds the grade, a
    not-required one does not."""
    profile = PROFILES["cn-gov-2019"]
    post_box = score(profile, clean_cn_site(identity=identity(search_answers=None)))
    ind = {i.id: i for i in post_box.indicators}["cn.deduct.identity.search-answers"]
    assert (ind.result, ind.detail) == ("error", "指标 identity.search_answers 没有值")
    assert post_box.score.grade == "合格"
    by_address = score(profile, clean_cn_site(identity=identity(ipv6=None)))  # audited at 127.0.0.1
    ind = {i.id: i for i in by_address.indicators}["cn.deduct.identity.ipv6"]
    assert (ind.result, ind.points) == ("error", 0.0) and "identity.ipv6_judged = 0" in ind.detail
    assert by_address.score.grade == "合格"
    unread = score(profile, clean_cn_site(interaction=interaction(board_readable=False)))
    by_id = {i.id: i for i in unread.indicators}
    assert by_id["cn.veto.interaction.overdue"].result == "error"
    assert by_id["cn.deduct.interaction.replies"].result == "error"
    assert unread.score.grade == "无法评定"


def test_cn_no_services_knob_without_services_indicators() -> None:
    # no 办事服务 indicator exists yet: the rest is out of 75, times 4/3
    scored = score(PROFILES["cn-gov-2019"], clean_cn_site(links=links_result(home=3)), {"no_services": True})
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


def test_cn_no_services_from_the_services_check_or_the_profile_scales_75_to_100() -> None:
    """A department without public services: 办事服务 not inspected, (75 - deductions) × 4/3, no bonus."""
    from dataclasses import replace

    from tests.scoring.sites import interaction, services

    profile = PROFILES["cn-gov-2019"]
    dept = clean_cn_site(services=services(no_services=1, portal=0, guides_incomplete=2, missing_element_types=2),
                         interaction=interaction(surveys=5))
    scored = score(profile, dept)
    by_id = {i.id: i for i in scored.indicators}
    assert by_id["cn.deduct.services.guide-elements"].result == "not_applicable"
    assert by_id["cn.veto.services.guides"].result == "not_applicable"
    assert all(i.result == "not_applicable" for i in scored.indicators if i.kind == "bonus")
    assert (scored.score.deduction_score, scored.score.bonus, scored.score.vetoes) == (97.3333, 0.0, [])
    # the same department scored by a profile whose sites are all departments, no metric needed
    dept_profile = replace(profile, grading=replace(profile.grading, no_services=replace(
        profile.grading.no_services, default=True)))
    plain = clean_cn_site(interaction=interaction(surveys=5))
    assert score(dept_profile, plain).score.deduction_score == 97.3333
    assert score(profile, plain).score.deduction_score == 98.0  # a portal: out of 100
