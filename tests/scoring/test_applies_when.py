"""`applies_when`: an indicator that does not apply is not_applicable, with no points.

The EU/UK statement parts (linked, compliance, feedback, enforcement, date) apply only when a
statement exists; its absence is one indicator, not six.
"""

from __future__ import annotations

import pytest

from govaudit.profiles import load_profile
from govaudit.scoring import score
from tests.scoring.sites import IDENTITY_UK, clean_uk_site, identity


@pytest.mark.parametrize("profile_id", ["eu-wad", "uk-psbar"])
def test_missing_statement_is_one_deduction_not_six(profile_id: str) -> None:
    prefix = profile_id.split("-")[0]
    checks = clean_uk_site(identity=identity(IDENTITY_UK, a11y_statement_found=0))
    scored = score(load_profile(profile_id), checks)
    by_id = {i.id: i for i in scored.indicators}
    assert by_id[f"{prefix}.statement"].result == "fail" and by_id[f"{prefix}.statement"].points < 0
    parts = [i for i in scored.indicators if i.id.startswith(f"{prefix}.statement.")]
    assert len(parts) == 5
    for part in parts:
        assert part.result == "not_applicable" and part.points == 0
        assert part.detail == "not applicable: no accessibility statement was found"
    assert scored.score.value == 100 + by_id[f"{prefix}.statement"].points


@pytest.mark.parametrize("profile_id", ["eu-wad", "uk-psbar"])
def test_statement_parts_apply_when_a_statement_exists(profile_id: str) -> None:
    prefix = profile_id.split("-")[0]
    checks = clean_uk_site(identity=identity(IDENTITY_UK, a11y_statement_feedback=0))
    by_id = {i.id: i for i in score(load_profile(profile_id), checks).indicators}
    assert by_id[f"{prefix}.statement.feedback"].result == "fail"
    assert by_id[f"{prefix}.statement.compliance"].result == "pass"
