"""The standards mapping (checks/a11y_mapping.yaml): axe rule -> WCAG criterion -> GB/T 37668-2019."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

WCAG_LEVELS = ("A", "AA")  # what "a violation" means for the standards govaudit serves
_TAG_SC = re.compile(r"^wcag(\d)(\d)(\d+)$")
_TAG_LEVEL = (
    ("wcag2a", "A"), ("wcag21a", "A"), ("wcag22a", "A"), ("wcag2aa", "AA"), ("wcag21aa", "AA"),
    ("wcag22aa", "AA"), ("wcag2aaa", "AAA"), ("wcag2a-obsolete", "obsolete"), ("best-practice", "best-practice"),
)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    rule: str  # axe rule id
    level: str  # A | AA | AAA | best-practice | obsolete | other
    wcag: tuple[str, ...]  # success criteria, e.g. ("1.1.1",)

    @property
    def is_wcag(self) -> bool:
        """A WCAG A/AA requirement (what the standards score), not advice or AAA."""
        return self.level in WCAG_LEVELS


def sc_from_tags(tags: list[str]) -> tuple[str, ...]:
    out = []
    for tag in tags:
        m = _TAG_SC.match(tag)
        if m:
            out.append(f"{m.group(1)}.{m.group(2)}.{m.group(3)}")
    return tuple(out)


def level_from_tags(tags: list[str]) -> str:
    for tag, level in _TAG_LEVEL:
        if tag in tags:
            return level
    return "other"


class Mapping:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.rules: dict[str, dict[str, Any]] = data["rules"]
        self.wcag: dict[str, dict[str, Any]] = data["wcag"]
        self.gbt_data: dict[str, Any] = data["gbt"]
        self.elderly: dict[str, dict[str, Any]] = data["elderly"]
        self.sources: dict[str, dict[str, Any]] = data["sources"]

    def rule(self, rule_id: str, tags: list[str] | None = None) -> RuleInfo:
        """Our table's entry; for a rule it lacks (a newer axe), what the rule's own tags say."""
        entry = self.rules.get(rule_id)
        if entry is not None:
            return RuleInfo(rule_id, str(entry["level"]), tuple(entry["wcag"]))
        tags = tags or []
        return RuleInfo(rule_id, level_from_tags(tags), sc_from_tags(tags))

    def sc_label(self, sc: str) -> str:
        """ "1.1.1 Non-text Content (A)" """
        info = self.wcag.get(sc)
        return f"{sc} {info['title']} ({info['level']})" if info else sc

    def gbt(self, sc: str) -> dict[str, str]:
        """Where GB/T 37668-2019 covers this WCAG criterion: principle, guideline, level (see the YAML)."""
        principle = self.gbt_data["principles"].get(sc.split(".")[0], "")
        guideline = self.gbt_data["guidelines"].get(".".join(sc.split(".")[:2]), "")
        level = self.gbt_data["levels"].get(self.wcag.get(sc, {}).get("level", ""), "")
        clause = f"{self.gbt_data['standard']} {principle} › {guideline} (WCAG {sc})"
        return {"clause": clause, "principle": principle, "guideline": guideline, "level": level,
                "verified": str(self.gbt_data["verified"])}

    def clauses(self, scs: tuple[str, ...] | list[str]) -> list[str]:
        return [self.gbt(sc)["clause"] for sc in scs]

    def gbt_level(self, scs: tuple[str, ...] | list[str]) -> str:
        """The lowest GB/T level among the criteria (一级 before 二级), our unverified guess."""
        order = list(self.gbt_data["levels"].values())
        levels = [self.gbt(sc)["level"] for sc in scs if self.gbt(sc)["level"]]
        return min(levels, key=order.index) if levels else ""


@cache
def load_mapping() -> Mapping:
    text = files("govaudit.checks").joinpath("a11y_mapping.yaml").read_text(encoding="utf-8")
    return Mapping(yaml.safe_load(text))
