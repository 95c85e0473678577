"""Every metric, finding rule and evidence key a shipped profile names is one its check publishes.

The FIRES / QUIET cases are built by hand from the names in the profiles, so a misspelt metric
there would be matched by an equally misspelt case and still pass. This guard reads the check's
own source instead: a name no check ever writes makes the indicator read "error" (a metric) or
never point at anything (a rule) on every real site.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from govaudit.profiles import IndicatorSpec, Profile, list_profiles

PROFILES: list[Profile] = list_profiles()


@cache
def check_source(check_id: str) -> str:
    """The text of the check's module (or package), with the data files beside it that it reads."""
    (entry,) = [e for e in entry_points(group="govaudit.checks") if e.name == check_id]
    spec = importlib.util.find_spec(entry.value.split(":", 1)[0])
    assert spec is not None and spec.origin is not None, entry.value
    origin = Path(spec.origin)
    paths = sorted(origin.parent.rglob("*.py")) + sorted(origin.parent.rglob("*.yaml")) \
        if origin.name == "__init__.py" else [origin]
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    # data files named by the code (checks/a11y_mapping.yaml for the accessibility check)
    root = Path(importlib.util.find_spec("govaudit.checks").origin).parent  # type: ignore[union-attr, arg-type]
    extra = [p for p in sorted(root.glob("*.yaml")) if p.name in text]
    return text + "\n".join(p.read_text(encoding="utf-8") for p in extra)


def written(name: str, text: str) -> bool:
    """`name` appears as a quoted string, a keyword argument or a YAML key in `text`."""
    return re.search(rf"""["']{re.escape(name)}["']|\b{re.escape(name)}=|^\s*{re.escape(name)}:""", text,
                     re.M) is not None


def names(spec: IndicatorSpec) -> list[tuple[str, str, str]]:
    """(check id, kind of name, name) for every name the indicator reads."""
    out = []
    for metric in [spec.metric] if spec.metric else []:
        check_id, rest = metric.split(".", 1)
        out.append((check_id, "metric", rest.split(".", 1)[0]))
    for req in spec.requires:
        check_id, rest = req.metric.split(".", 1)
        out.append((check_id, "metric", rest.split(".", 1)[0]))
    if spec.findings is not None:
        out += [(spec.findings.check, "rule", rule) for rule in spec.findings.rules]
        out += [(spec.findings.check, "evidence key", key.split(".", 1)[1])
                for key in spec.findings.where if key.startswith("evidence.")]
    return out


CASES = [(p.id, spec.id, *name) for p in PROFILES for spec in p.indicators for name in names(spec)]


@pytest.mark.parametrize("profile_id, indicator_id, check_id, kind, name", CASES,
                         ids=[f"{c[1]}:{c[4]}" for c in CASES])
def test_the_check_publishes_the_name(profile_id: str, indicator_id: str, check_id: str, kind: str,
                                      name: str) -> None:
    assert written(name, check_source(check_id)), (
        f"{profile_id} {indicator_id}: {kind} {name!r} is not published by the {check_id} check")


def test_the_guard_tells_a_real_name_from_a_typo() -> None:
    source = check_source("links")
    assert written("broken_home", source) and written("broken-link", source) and written("on_home", source)
    assert not written("broken_hom", source) and not written("broken-links", source)
