"""cn-gov-2019's interaction part (互动回应差 vetoes, 留言答复 and activity deductions), as_of 2026-11-20."""

from __future__ import annotations

from tests.scoring.helpers import Checks
from tests.scoring.sites import interaction

P = "cn-gov-2019"

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    (P, "cn.veto.interaction.channel"): (lambda: {"interaction": interaction(consultation=0)}, "fail", 0.0),
    (P, "cn.veto.interaction.overdue"): (lambda: {"interaction": interaction(overdue=2)}, "fail", 0.0),
    (P, "cn.deduct.interaction.replies"): (
        lambda: {"interaction": interaction(latest_reply="2026-09-19")}, "fail", -3.0),
    (P, "cn.deduct.interaction.surveys"): (lambda: {"interaction": interaction(surveys=5)}, "fail", -2.0),
    (P, "cn.deduct.interaction.interviews"): (lambda: {"interaction": interaction(interviews=2)}, "fail", -2.0),
}

QUIET: dict[tuple[str, str], Checks] = {
    # a channel whose board cannot be read is still a channel
    (P, "cn.veto.interaction.channel"): lambda: {"interaction": interaction(board_readable=False)},
    # no reply for two months, yet nothing waited beyond three
    (P, "cn.veto.interaction.overdue"): lambda: {"interaction": interaction(latest_reply="2026-09-19")},
    (P, "cn.deduct.interaction.replies"): lambda: {"interaction": interaction(latest_reply="2026-09-20")},
    (P, "cn.deduct.interaction.surveys"): lambda: {"interaction": interaction(surveys=6, interviews=0)},
    (P, "cn.deduct.interaction.interviews"): lambda: {"interaction": interaction(interviews=6, surveys=0)},
}
