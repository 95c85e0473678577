"""cn-gov-2019's freshness part: the cases kept by the freshness tests (tests/freshness/test_profile.py),
keyed by indicator id only and holding ready check results; adapted to (profile, indicator) keys."""

from __future__ import annotations

from tests.freshness import test_profile as cases
from tests.scoring.helpers import Checks

PROFILE = "cn-gov-2019"

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    (PROFILE, ind): (lambda checks=checks: checks, result, points)
    for ind, (checks, result, points, _n_findings) in cases.FIRES.items()
}
QUIET: dict[tuple[str, str], Checks] = {(PROFILE, ind): (lambda checks=checks: checks)
                                        for ind, checks in cases.QUIET.items()}
