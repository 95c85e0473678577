"""cn-gov-2019's services part (服务不实用 vetoes, 办事指南 elements, the bonus items)."""

from __future__ import annotations

from tests.scoring.helpers import Checks
from tests.scoring.sites import services

P = "cn-gov-2019"

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    (P, "cn.veto.services.none"): (
        lambda: {"services": services(service_entries=0, guides=0, portal_links=0, online_entries=0)}, "fail", 0.0),
    (P, "cn.veto.services.guides"): (
        lambda: {"services": services(guides_incomplete=1, missing_element_types=2)}, "fail", 0.0),
    (P, "cn.deduct.services.guide-elements"): (
        lambda: {"services": services(guides_incomplete=3, missing_element_types=2)}, "fail", -4.0),
    (P, "cn.bonus.interpretation-linked"): (lambda: {"services": services()}, "pass", 5.0),
    (P, "cn.bonus.response"): (lambda: {"services": services()}, "pass", 5.0),
    (P, "cn.bonus.online-service"): (lambda: {"services": services()}, "pass", 5.0),
    (P, "cn.bonus.data-open"): (lambda: {"services": services()}, "pass", 5.0),
    (P, "cn.bonus.smart-qa"): (lambda: {"services": services()}, "pass", 5.0),
    # a check that could read it would report not_measured = 1; today none can
    (P, "cn.bonus.not-measured"): (lambda: {"services": services(not_measured=1)}, "pass", 5.0),
}

QUIET: dict[tuple[str, str], Checks] = {
    (P, "cn.veto.services.none"): lambda: {"services": services(service_entries=1, guides=0)},
    (P, "cn.veto.services.guides"): lambda: {"services": services(guides=1)},
    (P, "cn.deduct.services.guide-elements"): lambda: {"services": services(guides=3)},
    # a bonus not earned reads fail with 0 points (test_indicator_quiet); not measured: not_applicable
    (P, "cn.bonus.interpretation-linked"): lambda: {"services": services(interpretations_linked=3,
                                                                         interpretations_linked_share=0.75)},
    (P, "cn.bonus.response"): lambda: {"services": services(response_entries=0)},
    (P, "cn.bonus.online-service"): lambda: {"services": services(online_entries=0)},
    (P, "cn.bonus.data-open"): lambda: {"services": services(data_open_entries=0)},
    (P, "cn.bonus.smart-qa"): lambda: {"services": services(smart_qa_entries=0)},
    (P, "cn.bonus.not-measured"): lambda: {"services": services()},
}
