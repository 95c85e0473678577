"""The 健康指数 (health index, 0–100) of a site and of a unit, computed from a YAML definition.

The definition (`health.yaml` beside this module, or another file with the same shape) names each
component, its weight and what it reads: probe samples for availability, check metrics for the
rest. docs/health-index.md gives the formula. It is never an official score: every page that shows
it carries the definition's `notice`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govaudit.errors import UsageError

DEFAULT_PATH = Path(__file__).with_name("health.yaml")


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    title: str
    weight: float
    reads: str  # probes | metrics
    deduct: dict[str, float] = field(default_factory=dict)
    require: dict[str, float] = field(default_factory=dict)
    window_days: int = 7
    min_samples: int = 20


@dataclass(frozen=True, slots=True)
class HealthSpec:
    id: str
    title: str
    notice: str
    min_coverage: float
    components: tuple[Component, ...]

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.components)

    @property
    def window_days(self) -> int:
        return max((c.window_days for c in self.components if c.reads == "probes"), default=7)

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "notice": self.notice, "min_coverage": self.min_coverage,
                "components": [{"id": c.id, "title": c.title, "weight": c.weight, "reads": c.reads,
                                "deduct": c.deduct, "require": c.require} for c in self.components]}


def load_health(path: str | Path | None = None) -> HealthSpec:
    """Read and check a health definition (the shipped one by default)."""
    file = Path(path) if path else DEFAULT_PATH
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read the health definition {file}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("components"), list) or not data["components"]:
        raise UsageError(f"{file}: a health definition needs a list of components")
    comps = []
    for raw in data["components"]:
        if not isinstance(raw, dict) or "id" not in raw:
            raise UsageError(f"{file}: every component needs an id")
        reads = str(raw.get("reads", "metrics"))
        if reads not in ("probes", "metrics"):
            raise UsageError(f"{file}: component {raw['id']}: reads must be probes or metrics, not {reads!r}")
        weight = float(raw.get("weight", 0))
        if not math.isfinite(weight) or weight <= 0:
            raise UsageError(f"{file}: component {raw['id']}: weight must be a positive number")
        comps.append(Component(id=str(raw["id"]), title=str(raw.get("title", raw["id"])), weight=weight, reads=reads,
                               deduct={str(k): float(v) for k, v in (raw.get("deduct") or {}).items()},
                               require={str(k): float(v) for k, v in (raw.get("require") or {}).items()},
                               window_days=int(raw.get("window_days", 7)), min_samples=int(raw.get("min_samples", 20))))
    return HealthSpec(id=str(data.get("id", file.stem)), title=str(data.get("title", "健康指数")),
                      notice=str(data.get("notice", "")).strip(), min_coverage=float(data.get("min_coverage", 0.5)),
                      components=tuple(comps))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def component_value(comp: Component, metrics: dict[str, Any], probe: tuple[int, int] | None) -> float | None:
    """0..100, or None when the component has nothing to read on this site.
    `probe` is (visits, visits that opened) over the component's window."""
    if comp.reads == "probes":
        if probe is None or probe[0] < max(comp.min_samples, 1):
            return None
        return round(100.0 * probe[1] / probe[0], 2)
    seen = False
    value = 100.0
    for name, per_unit in comp.deduct.items():
        n = _number(metrics.get(name))
        if n is not None:
            seen = True
            value -= per_unit * max(n, 0.0)
    for name, points in comp.require.items():
        n = _number(metrics.get(name))
        if n is not None:
            seen = True
            if n <= 0:
                value -= points
    return round(max(value, 0.0), 2) if seen else None


def site_health(spec: HealthSpec, metrics: dict[str, Any] | None, probe: tuple[int, int] | None) -> dict[str, Any]:
    """{"value": 0..100 or None, "coverage": share of the weight measured, "components": {id: value}}.
    `metrics` is None for a site that was not audited (only its probes can count then)."""
    parts = {c.id: component_value(c, metrics or {}, probe) for c in spec.components}
    present = [(c.weight, parts[c.id]) for c in spec.components if parts[c.id] is not None]
    weight = sum(w for w, _ in present)
    coverage = weight / spec.total_weight if spec.total_weight else 0.0
    value = None
    if present and coverage + 1e-9 >= spec.min_coverage:
        value = round(sum(w * v for w, v in present if v is not None) / weight, 1)
    return {"value": value, "coverage": round(coverage, 3), "components": parts}


def unit_health(values: list[float | None]) -> float | None:
    """A unit's index: the mean of its sites' indexes (sites without one are left out)."""
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 1) if known else None
