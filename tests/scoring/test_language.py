"""A profile's detail column reads in one language: its templates in `language`, and every word
scoring and coverage add around them from the phrase table in that language (issue 12 item 10)."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from govaudit.coverage import Coverage, coverage_of
from govaudit.errors import UsageError
from govaudit.model import CheckResult, CrawlStats
from govaudit.phrases import LANGUAGES, PHRASES, say
from govaudit.profiles import list_profiles, load_profile
from govaudit.scoring import score
from tests.scoring.cases import FIRES, QUIET
from tests.scoring.helpers import links_result
from tests.scoring.sites import clean_cn_site

PROFILES = {p.id: p for p in list_profiles()}
ZH = sorted(p for p, prof in PROFILES.items() if prof.language == "zh")

# Tokens a Chinese detail may carry in Latin letters: metric and option names, file names, product
# and protocol names. Two English words in a row outside these is an untranslated sentence.
_ALLOWED = re.compile(r"[\w-]+(\.[\w-]+)+|--[\w-]+|\[[\w.]+\]|ipv6_host|no_services|govaudit|SiteIDCode|"
                      r"robots\.txt|sitemap\.xml|HTTPS|IPv6|AAAA|ICP|WCAG|px|axe")
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")


def english_in(text: str) -> list[str]:
    return _ENGLISH.findall(_ALLOWED.sub("·", text))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def test_every_phrase_has_every_language_with_the_same_fields() -> None:
    for key, table in PHRASES.items():
        assert set(table) == set(LANGUAGES), key
        assert len({frozenset(_fields(t)) for t in table.values()}) == 1, key


def test_say_falls_back_to_english_for_a_language_without_the_phrase() -> None:
    assert say("xx", "capped", points="5") == "; capped at 5 points"
    assert say("zh", "capped", points="5") == "；封顶 5 分"


def test_cn_gov_2019_is_chinese_and_the_links_profile_english() -> None:
    assert PROFILES["cn-gov-2019"].language == "zh" and PROFILES["gbt-37668"].language == "zh"
    assert PROFILES["links"].language == PROFILES["wcag21-aa"].language == "en"


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    text = Path(PROFILES["links"].origin).read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("\ngrading:", "\nlanguage: fr\ngrading:", 1), encoding="utf-8")
    with pytest.raises(UsageError, match="language must be one of en, zh, got 'fr'"):
        load_profile(str(bad))


@pytest.mark.parametrize("key", sorted(k for k in FIRES if k[0] in ZH) + sorted(k for k in QUIET if k[0] in ZH),
                         ids=lambda k: f"{k[0]}:{k[1]}")
def test_a_chinese_profile_detail_has_no_english_sentence(key: tuple[str, str]) -> None:
    make = FIRES[key][0] if key in FIRES else QUIET[key]
    scored = score(PROFILES[key[0]], make())
    (ind,) = [i for i in scored.indicators if i.id == key[1]]
    assert english_in(ind.detail) == [], ind.detail


def test_the_detector_sees_an_english_sentence() -> None:
    # the check above can fail: the same scoring words in English are caught
    assert english_in("首页不可用链接 7 个; capped at 5 points") == ["capped at"]
    assert english_in("数据不足：availability.samples = 60，需要 >= 140") == []


@pytest.mark.parametrize("profile_id", ZH)
def test_could_not_judge_reads_in_chinese(profile_id: str) -> None:
    failed = CheckResult(status="error", error="home page timed out")
    checks = {**clean_cn_site(), "links": failed, "accessibility": failed}
    for ind in score(PROFILES[profile_id], checks).indicators:
        if ind.result == "error":
            # the check's own words are quoted as it wrote them; the frame around them is Chinese
            assert english_in(ind.detail.replace("home page timed out", "")) == [], ind.detail


def test_coverage_cuts_are_worded_in_the_profile_language() -> None:
    crawl = CrawlStats(pages=40, cut={"max_pages": 12}, budget_exhausted=True)
    checks = {**clean_cn_site(), "links": links_result()}
    cov = coverage_of(crawl, checks)
    assert cov.cuts == ["12 URLs not crawled because of the page cap (--max-pages)"]  # the JSON stays English
    assert not cov.complete
    zh = score(PROFILES["cn-gov-2019"], checks, coverage=cov)
    other = {i.id: i for i in zh.indicators}["cn.deduct.links.other"]
    assert other.result == "partial"
    assert other.detail.endswith("；仅部分可判：12 个网址因页面上限（--max-pages）未抓取")
    en = score(PROFILES["links"], {"links": links_result()}, coverage=cov)
    assert {i.id: i for i in en.indicators}["links.broken.other"].detail.endswith(
        "; partial: 12 URLs not crawled because of the page cap (--max-pages)")


def test_a_coverage_built_by_hand_keeps_its_words() -> None:
    cov = Coverage(complete=False, cuts=["a cut described by hand"])
    scored = score(PROFILES["cn-gov-2019"], clean_cn_site(), coverage=cov)
    other = {i.id: i for i in scored.indicators}["cn.deduct.links.other"]
    assert other.detail.endswith("；仅部分可判：a cut described by hand")


def test_the_not_measured_reason_drops_the_lead_in_either_language() -> None:
    from govaudit.model import IndicatorResult
    from govaudit.report.grading import not_measured_reason

    def bonus(detail: str) -> IndicatorResult:
        return IndicatorResult("cn.bonus.not-measured", "其他加分项", "bonus", "not_applicable", detail=detail)

    assert not_measured_reason(bonus("不适用：未测量：需人工评定")) == "需人工评定"
    assert not_measured_reason(bonus("not applicable: not measured: judged by hand")) == "judged by hand"
    assert not_measured_reason(bonus("需人工评定")) == "需人工评定"
