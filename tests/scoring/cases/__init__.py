"""FIRES / QUIET cases for every indicator of every shipped profile, one module per part.

FIRES: (profile id, indicator id) -> (checks that make it fire, expected result, expected points).
QUIET: (profile id, indicator id) -> checks on which it stays quiet ("pass", 0 points).
A part that already keeps its own cases beside its check's tests (freshness, accessibility) is
imported from there, not copied.
"""

from __future__ import annotations

from tests.scoring.cases import (
    accessibility,
    content,
    freshness,
    identity,
    interaction,
    links,
    services,
    statements,
    us_federal,
)
from tests.scoring.helpers import Checks

PARTS = (links, freshness, identity, content, interaction, services, accessibility, us_federal, statements)

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {}
QUIET: dict[tuple[str, str], Checks] = {}
for _part in PARTS:
    for _key in _part.FIRES:
        assert _key not in FIRES, f"{_key} has cases in two parts"
    FIRES.update(_part.FIRES)
    QUIET.update(_part.QUIET)
