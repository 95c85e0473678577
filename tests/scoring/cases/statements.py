"""eu-wad and uk-psbar: WCAG failures and the accessibility statement, on a UK / EU public site.
The two profiles read the same metrics with the same numbers, so one table serves both."""

from __future__ import annotations

from tests.a11y.profile_cases import a11y
from tests.scoring.helpers import Checks
from tests.scoring.sites import IDENTITY_UK, identity


def uk(**changes: object) -> Checks:
    return lambda: {"identity": identity(IDENTITY_UK, **changes)}


# indicator id without the profile's prefix -> (firing checks, points), quiet checks
TABLE: dict[str, tuple[Checks, float, Checks]] = {
    "wcag.a": (lambda: a11y(a=2), -10.0, lambda: a11y(aa=1)),
    "wcag.aa": (lambda: a11y(aa=6), -25.0, lambda: a11y(a=1)),  # 30, capped at 25
    # a poor statement is still a statement
    "statement": (uk(a11y_statement_found=0), -20.0, uk(a11y_statement_compliance=0)),
    "statement.linked": (uk(a11y_statement_pages_unlinked=3), -3.0, uk(a11y_statement_recent=0)),
    "statement.compliance": (uk(a11y_statement_compliance=0), -5.0, uk(a11y_statement_feedback=0)),
    "statement.feedback": (uk(a11y_statement_feedback=0), -5.0, uk(a11y_statement_enforcement=0)),
    "statement.enforcement": (uk(a11y_statement_enforcement=0), -5.0, uk(a11y_statement_compliance=0)),
    "statement.recent": (uk(a11y_statement_recent=0, a11y_statement_age_days=540), -5.0,
                         uk(a11y_statement_pages_unlinked=2)),
}

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    (profile, f"{prefix}.{name}"): (fire, "fail", points)
    for profile, prefix in (("eu-wad", "eu"), ("uk-psbar", "uk")) for name, (fire, points, _) in TABLE.items()
}
QUIET: dict[tuple[str, str], Checks] = {
    (profile, f"{prefix}.{name}"): quiet
    for profile, prefix in (("eu-wad", "eu"), ("uk-psbar", "uk")) for name, (_, _, quiet) in TABLE.items()
}
