"""The standards mapping table against the axe-core that actually runs, and its own consistency."""

from __future__ import annotations

from govaudit.checks.accessibility.mapping import level_from_tags, load_mapping, sc_from_tags

from govaudit.browser.axe import load_axe
from govaudit.profiles import VERIFIED
from tests.a11y.conftest import Browser

RULES_JS = """() => axe.getRules().map((r) => ({id: r.ruleId, tags: r.tags,
  enabled: axe._audit.rules.find((x) => x.id === r.ruleId).enabled}))"""


def bundled_rules(browser: Browser) -> list[dict]:
    async def go() -> list[dict]:
        async with browser.renderer.page() as pg:
            await pg.set_content("<title>t</title>")
            await pg.evaluate(load_axe())
            return await pg.evaluate(RULES_JS)

    return browser.run(go())


def test_every_axe_rule_is_in_the_table_exactly_as_its_tags_say(browser: Browser) -> None:
    mapping = load_mapping()
    rules = bundled_rules(browser)
    assert len(rules) == 105
    assert {r["id"] for r in rules} == set(mapping.rules)
    for rule in rules:
        entry = mapping.rules[rule["id"]]
        assert tuple(entry["wcag"]) == sc_from_tags(rule["tags"]), rule["id"]
        assert entry["level"] == level_from_tags(rule["tags"]), rule["id"]
        assert bool(entry.get("experimental")) == ("experimental" in rule["tags"]), rule["id"]
        assert bool(entry.get("default_off")) == (not rule["enabled"]), rule["id"]


def test_the_demo_defects_map_to_their_criteria_and_gbt_principles() -> None:
    m = load_mapping()
    assert m.rule("image-alt").wcag == ("1.1.1",) and m.rule("image-alt").is_wcag
    assert m.rule("label").wcag == ("4.1.2",)
    assert m.rule("html-has-lang").wcag == ("3.1.1",)
    assert m.rule("color-contrast").wcag == ("1.4.3",) and m.rule("color-contrast").level == "AA"
    assert m.gbt("1.4.3") == {"clause": "GB/T 37668-2019 可感知性 › 可辨别 (WCAG 1.4.3)", "principle": "可感知性",
                              "guideline": "可辨别", "level": "二级", "verified": "unverified"}
    assert m.gbt("3.1.1")["principle"] == "可理解性" and m.gbt("4.1.2")["principle"] == "兼容性"
    assert m.sc_label("1.1.1") == "1.1.1 Non-text Content (A)"
    assert not m.rule("region").is_wcag and m.rule("region").wcag == ()


def test_a_rule_the_table_lacks_is_read_from_its_tags() -> None:
    info = load_mapping().rule("some-future-rule", ["cat.text-alternatives", "wcag22aa", "wcag2411"])
    assert (info.level, info.wcag) == ("AA", ("2.4.11",))


def test_every_criterion_cited_is_in_the_wcag_table_and_every_source_is_marked() -> None:
    m = load_mapping()
    cited = {sc for r in m.rules.values() for sc in r["wcag"]} | {sc for e in m.elderly.values() for sc in e["wcag"]}
    assert cited <= set(m.wcag)
    for sc, info in m.wcag.items():
        assert info["level"] in ("A", "AA", "AAA") and sc.split(".")[0] in m.gbt_data["principles"]
        assert ".".join(sc.split(".")[:2]) in m.gbt_data["guidelines"], sc
    for name, src in m.sources.items():
        assert src["verified"] in VERIFIED and src["document"], name
    assert m.gbt_data["verified"] == "unverified"  # clause-level GB/T mapping is our reading
    for rule, spec in m.elderly.items():
        assert rule.startswith("elderly:") and spec["source"]["document"]
        assert spec["verified"] in VERIFIED
        if spec["verified"] == "unverified":
            assert spec.get("note"), rule
