"""W3C ACT test cases through govaudit's accessibility check, against axe-core's own EARL report.

Runs bench/conformance/act.py on the rules behind the demo's planted defects (image name, form
field name, page language, contrast), the page title, and one rule with cases left out for a
removed script. The full run (654 cases, about 3.5 minutes) is `bench/conformance/act.py`; its
numbers and the reason for every difference are in bench/conformance/ACT.md.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpus.bench import BENCH, load_bench

ACT_SCRIPT = BENCH / "act.py"
RULES = ["23a2a8", "e086e5", "b5c3f8", "afw4f7", "2779a5", "cf77f2", "09o5cg"]


def load_act() -> ModuleType:
    return load_bench("act")


def test_agreement_is_at_least_axe_cores_own(corpus: Path) -> None:
    act = load_act()
    report = act.evaluate(corpus, RULES, pool=4)
    by_rule = {s.rule: s for s in report["rules"]}
    assert set(by_rule) == set(RULES) - {"09o5cg"}
    # 09o5cg (enhanced contrast, AAA) needs color-contrast-enhanced, which axe runs only on request.
    assert report["partial"] == {"09o5cg": ["color-contrast", "color-contrast-enhanced"]}
    for rule in ("23a2a8", "e086e5", "b5c3f8", "2779a5"):
        s = by_rule[rule]
        assert s.agree == s.cases and s.cases >= 7, (rule, s.false_neg, s.false_pos)
    for s in by_rule.values():
        assert s.both_agree >= s.axe_agree, (s.rule, s.both_agree, s.axe_agree)
    assert report["both_agree"] >= report["axe_agree"] and report["axe_cases"] >= 90
    # Contrast: the three misses are text over gradients or images, which axe leaves for review.
    contrast = by_rule["afw4f7"]
    assert len(contrast.false_neg) == 3 and not contrast.false_pos and contrast.cant_tell >= 3
    # cf77f2: two cases load a script the corpus no longer carries and are left out.
    assert by_rule["cf77f2"].left_out == 2 and by_rule["cf77f2"].cases == 12
    table = act.markdown(report)
    assert "| 23a2a8 | Image has non-empty accessible name | image-alt, role-img-alt | 18 | 18/18 (100%)" in table
