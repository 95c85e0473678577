"""The 健康指数 definition: the shipped YAML, the formula on hand-computed cases, and a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.errors import UsageError
from govaudit.survey.health import load_health, site_health, unit_health


def test_shipped_definition_says_it_is_not_official() -> None:
    spec = load_health()
    assert spec.total_weight == 100
    assert "not an official score" in spec.notice
    assert [c.id for c in spec.components] == ["availability", "links", "freshness", "interaction", "identity",
                                               "accessibility"]


def test_formula_by_hand() -> None:
    spec = load_health()
    metrics = {"links.broken_home": 1, "links.broken_other": 3,  # links 100 - 10 - 6 = 84
               "freshness.home_updated": 0,  # freshness 100 - 30 = 70
               "identity.https": True, "identity.search_present": 0}  # identity 100 - 15 = 85
    h = site_health(spec, metrics, (140, 133))  # availability 95
    assert h["components"] == {"availability": 95.0, "links": 84.0, "freshness": 70.0, "interaction": None,
                               "identity": 85.0, "accessibility": None}
    assert h["coverage"] == 0.75
    assert h["value"] == round((25 * 95 + 20 * 84 + 20 * 70 + 10 * 85) / 75, 1)
    # too few probe visits: availability absent, never 100
    assert site_health(spec, metrics, (19, 19))["components"]["availability"] is None
    # a site not audited has its probes only: 25 of 100 is below min_coverage
    assert site_health(spec, None, (140, 140))["value"] is None
    assert site_health(spec, {"links.broken_other": 80}, None)["components"]["links"] == 0.0  # floored
    assert unit_health([80.0, None, 90.0]) == 85.0 and unit_health([None]) is None


def test_another_definition_and_bad_ones(tmp_path: Path) -> None:
    own = tmp_path / "h.yaml"
    own.write_text("id: mine\nmin_coverage: 0\ncomponents:\n  - id: links\n    weight: 1\n"
                   "    deduct: {links.broken_home: 50}\n", encoding="utf-8")
    spec = load_health(own)
    assert site_health(spec, {"links.broken_home": 1}, None)["value"] == 50.0
    own.write_text("components:\n  - id: x\n    weight: 0\n", encoding="utf-8")
    with pytest.raises(UsageError, match="weight must be a positive number"):
        load_health(own)
    own.write_text("components:\n  - id: x\n    weight: 1\n    reads: dns\n", encoding="utf-8")
    with pytest.raises(UsageError, match="reads must be probes or metrics"):
        load_health(own)
