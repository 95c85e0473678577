"""cn-gov-2019's content part (安全、泄密事故: misstatements, hidden and hijacked links)."""

from __future__ import annotations

from tests.scoring.helpers import Checks
from tests.scoring.sites import content

P = "cn-gov-2019"

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    (P, "cn.veto.security.misstatement"): (lambda: {"content": content(misstatements=1)}, "fail", 0.0),
    (P, "cn.veto.security.harmful-links"): (lambda: {"content": content(hijacked=1)}, "fail", 0.0),
    (P, "cn.info.content.review"): (lambda: {"content": content(review=3)}, "fail", 0.0),
    (P, "cn.info.content.hidden-links"): (lambda: {"content": content(hidden=2)}, "fail", 0.0),
    (P, "cn.info.content.parked-links"): (lambda: {"content": content(parked=1)}, "fail", 0.0),
}

QUIET: dict[tuple[str, str], Checks] = {
    # wordings for a human to review never veto
    (P, "cn.veto.security.misstatement"): lambda: {"content": content(review=3)},
    # a hidden link whose text is not spam, and a parked domain, are listed, not vetoed
    (P, "cn.veto.security.harmful-links"): lambda: {"content": content(hidden=2, parked=1)},
    (P, "cn.info.content.review"): lambda: {"content": content(misstatements=1)},
    (P, "cn.info.content.hidden-links"): lambda: {"content": content(hidden_spam=1)},
    (P, "cn.info.content.parked-links"): lambda: {"content": content(hijacked=1)},
}
