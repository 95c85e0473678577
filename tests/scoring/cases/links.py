"""The links profile, and cn-gov-2019's indicators fed by the links and availability checks."""

from __future__ import annotations

from tests.scoring.helpers import Checks, availability, links_result

FIRES: dict[tuple[str, str], tuple[Checks, str, float]] = {
    # 7 failed visits of 140: exactly 5 %, and the rule says 5 % (含) vetoes
    ("cn-gov-2019", "cn.veto.availability"): (lambda: {"availability": availability(7, samples=140)}, "fail", 0.0),
    ("cn-gov-2019", "cn.deduct.availability.home"): (lambda: {"links": links_result(home_ok=0)}, "fail", -5.0),
    ("cn-gov-2019", "cn.deduct.links.home"): (lambda: {"links": links_result(home=3)}, "fail", -3.0),
    ("cn-gov-2019", "cn.deduct.links.other"): (lambda: {"links": links_result(other=30)}, "fail", -3.0),
    # info without a condition: it only reports a number, "pass" whatever the number
    ("links", "links.checked"): (lambda: {"links": links_result(links_checked=0)}, "pass", 0.0),
    ("links", "links.excluded"): (lambda: {"links": links_result(excluded=9)}, "pass", 0.0),
    ("links", "links.placeholders"): (lambda: {"links": links_result(placeholders=4)}, "pass", 0.0),
    ("links", "links.broken.home"): (lambda: {"links": links_result(home=2)}, "fail", -2.0),
    ("links", "links.broken.other"): (lambda: {"links": links_result(other=3)}, "fail", -3.0),
    ("links", "links.invalid"): (lambda: {"links": links_result(invalid=2)}, "fail", 0.0),
}

QUIET: dict[tuple[str, str], Checks] = {
    ("cn-gov-2019", "cn.veto.availability"): lambda: {"availability": availability(8)},  # 4.8 %
    ("cn-gov-2019", "cn.deduct.availability.home"): lambda: {"links": links_result(home=1)},
    ("cn-gov-2019", "cn.deduct.links.home"): lambda: {"links": links_result(other=4)},
    ("cn-gov-2019", "cn.deduct.links.other"): lambda: {"links": links_result(home=2)},
    ("links", "links.checked"): lambda: {"links": links_result()},
    ("links", "links.excluded"): lambda: {"links": links_result()},
    ("links", "links.placeholders"): lambda: {"links": links_result()},
    ("links", "links.broken.home"): lambda: {"links": links_result(other=5)},
    ("links", "links.broken.other"): lambda: {"links": links_result(home=5)},
    ("links", "links.invalid"): lambda: {"links": links_result(home=1)},
}
