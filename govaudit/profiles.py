"""Scoring profiles: YAML data that says which metrics and findings count, and for how much.

A profile never contains code. Every indicator names its source and how well that source was
verified, so a reader can tell an official number from one we chose. The format:

    id: cn-gov-2019                # letters, digits, . _ -; a shipped file is named <id>.yaml
    title: ...
    description: ...               # optional
    language: zh                   # en (default) | zh: the language of the detail templates; the
                                   # words govaudit adds around them follow it (govaudit/phrases.py)
    grading:
      model: cn-gov-2019           # or: threshold
      max: 100                     # deduction part's full marks (threshold: optional, 100)
      pass_mark: 60                # passed when the score is >= this
      bonus_max: 30                # cap on all bonus points (cn-gov-2019: required)
      bonus_threshold: 80          # cn-gov-2019: bonus added only when the deduction score is above
      no_services: {group: 办事服务, max: 75}   # optional: skip a group, rescale max/75; add
                                               # `default: true` for a profile of department sites
      grades: {pass: 合格, fail: 不合格, incomplete: 无法评定}
    include: [cn-gov-2019.d/freshness.yaml]   # optional: files (beside this one) that each hold
                                              # `indicators: [...]`, appended in order — one file per
                                              # check keeps a profile editable by several people
    indicators:
      - id: cn.deduct.links.home
        title: 首页链接可用性
        kind: deduct               # veto | deduct | bonus | info
        group: 网站可用性
        metric: links.broken_home  # check_id.metric_name (deeper: links.by_status.404)
        findings:                  # optional: the findings this indicator points at
          check: links             # defaults to the metric's check
          rules: [broken-link]
          where: {evidence.on_home: true, severity: [error, warning]}   # equality or one-of
        when: {op: ">", value: 0}  # veto: fails when it holds; deduct/bonus: points when it holds
        units: metric              # metric | findings (count) | over (value - threshold) | once
        per_unit: 1                # points per unit
        points: 5                  # the cap: this indicator never moves the score by more
        applies_when:              # optional; unmet -> "not_applicable", no points (e.g. the parts of
          - {metric: identity.a11y_statement_found, op: "==", value: 1}   # a statement that is absent)
        requires:                  # optional guards; unmet -> result "error", never a pass
          - {metric: availability.samples, op: ">=", value: 140, reason: ...}
        required: true             # false: an error here does not leave the grade incomplete
        source: {document: ..., item: ..., url: ...}   # item and url optional
        verified: V2               # V | V2 | unverified (unverified needs a note)
        note: ...
        detail: "{value} unusable links on the home page"   # or {pass: ..., fail: ...}; DETAIL_FIELDS
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from govaudit.errors import UsageError
from govaudit.model import Finding
from govaudit.phrases import LANGUAGES

KINDS = ("veto", "deduct", "bonus", "info")
OPS = (">", ">=", "<", "<=", "==", "!=")
VERIFIED = ("V", "V2", "unverified")
UNITS = ("metric", "findings", "over", "once")
MODELS = ("cn-gov-2019", "threshold")
GRADE_KEYS = ("pass", "fail", "incomplete")
# Finding fields a selector may filter on (besides `evidence.KEY`); `rule` has its own `rules` list.
FINDING_FIELDS = ("page", "severity", "target", "status", "element", "message")

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_METRIC_RE = re.compile(r"^[A-Za-z0-9_-]+\.[^\s.][^\s]*$")
# The names a `detail` template may use; checked at load time so a typo fails early, not mid-audit.
DETAIL_FIELDS = ("value", "count", "units", "points", "threshold", "metric", "op")

Scalar = int | float | bool | str


@dataclass(slots=True, frozen=True)
class Comparison:
    """`value <op> threshold`. Ordering ops need numbers; == and != also take words."""

    op: str
    value: Scalar

    def holds(self, actual: Any) -> bool:
        if self.op == "==":
            return actual == self.value
        if self.op == "!=":
            return actual != self.value
        if not is_number(actual):
            raise TypeError(f"not a number: {actual!r}")
        return {
            ">": actual > self.value,
            ">=": actual >= self.value,
            "<": actual < self.value,
            "<=": actual <= self.value,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.op} {self.value}"


@dataclass(slots=True, frozen=True)
class Requirement:
    """A guard that must hold before the indicator may be judged (e.g. enough probe samples)."""

    metric: str
    when: Comparison
    reason: str = ""


@dataclass(slots=True)
class FindingSelector:
    """Which findings an indicator points at: one check's findings, some rules, simple filters."""

    check: str
    rules: tuple[str, ...] = ()
    where: dict[str, Any] = field(default_factory=dict)  # field or "evidence.KEY" -> value or list

    def matches(self, finding: Finding) -> bool:
        if self.rules and finding.rule not in self.rules:
            return False
        for key, wanted in self.where.items():
            if key.startswith("evidence."):
                name = key[len("evidence."):]
                if name not in finding.evidence:
                    return False
                actual = finding.evidence[name]
            else:
                actual = getattr(finding, key)
            if isinstance(wanted, list):
                if actual not in wanted:
                    return False
            elif actual != wanted:
                return False
        return True


@dataclass(slots=True)
class IndicatorSpec:
    id: str
    title: str
    kind: str  # veto | deduct | bonus | info
    group: str
    source: dict[str, str]  # document, item, url (item and url optional)
    verified: str  # V | V2 | unverified, as STANDARDS.md marks the source
    metric: str | None = None  # "check_id.metric_name"
    findings: FindingSelector | None = None
    when: Comparison | None = None  # veto: fails when it holds; bonus: earned when it holds
    units: str = "metric"  # what one "unit" is for per-unit points: metric | findings | over | once
    per_unit: float = 0.0
    points: float = 0.0  # the indicator's cap: its deductions or bonus never exceed this
    requires: list[Requirement] = field(default_factory=list)
    applies: list[Requirement] = field(default_factory=list)  # unmet -> not_applicable
    required: bool = True  # an error here leaves the grade "incomplete" instead of pass/fail
    note: str = ""
    # str.format templates over DETAIL_FIELDS by result ("pass"/"fail"); none -> a generic sentence
    detail: dict[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def check(self) -> str:
        """The check this indicator depends on."""
        if self.metric:
            return self.metric.split(".", 1)[0]
        assert self.findings is not None  # validation guarantees one of the two
        return self.findings.check


@dataclass(slots=True)
class NoServices:
    """Departments without public services skip `group`; the rest is out of `max`, then rescaled."""

    group: str
    max: float
    default: bool = False  # true: every site this profile scores is such a department


@dataclass(slots=True)
class Grading:
    model: str  # cn-gov-2019 | threshold
    grades: dict[str, str]  # pass / fail / incomplete -> the words shown in reports
    max: float = 100.0
    pass_mark: float = 60.0
    bonus_max: float | None = None  # cap on the sum of bonus points; None: no cap
    bonus_threshold: float | None = None  # cn-gov-2019: bonus only when the deduction score is above
    no_services: NoServices | None = None


@dataclass(slots=True)
class Profile:
    id: str
    title: str
    description: str
    grading: Grading
    indicators: list[IndicatorSpec]
    origin: str = ""  # the file it was loaded from, for messages
    language: str = "en"  # of its detail templates; scoring words its own phrases in it too

    def check_ids(self) -> set[str]:
        """The checks this profile's indicators read (metrics, selectors and guards)."""
        out: set[str] = set()
        for spec in self.indicators:
            out.add(spec.check)
            out.update(req.metric.split(".", 1)[0] for req in [*spec.requires, *spec.applies])
        return out

    def indicator(self, indicator_id: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        raise KeyError(indicator_id)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value))


# ---- loading ---------------------------------------------------------------------------------


def _shipped() -> dict[str, Any]:
    """Shipped profile files by id (the file name without .yaml)."""
    root = files("govaudit.builtin_profiles")
    return {
        entry.name[: -len(".yaml")]: entry
        for entry in root.iterdir()
        if entry.name.endswith(".yaml") and entry.is_file()
    }


def load_profile(name_or_path: str) -> Profile:
    """A shipped profile by id ("cn-gov-2019"), or a profile file by path."""
    if not name_or_path or not name_or_path.strip():
        raise UsageError("empty profile name")
    shipped = _shipped()
    if name_or_path in shipped:
        entry = shipped[name_or_path]
        origin = f"profiles/{entry.name}"
        profile = parse_profile(entry.read_text(encoding="utf-8"), origin, base=files("govaudit.builtin_profiles"))
        if profile.id != name_or_path:
            raise UsageError(f"{origin}: id {profile.id!r} does not match the file name")
        return profile
    looks_like_path = name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path or "\\" in name_or_path
    path = Path(name_or_path)
    if not looks_like_path and not path.exists():
        raise UsageError(
            f"unknown profile {name_or_path!r}; shipped: {', '.join(sorted(shipped)) or 'none'} "
            "(or give a path to a .yaml file)"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"profile file not found: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"profile path is a directory, not a file: {path}") from None
    except UnicodeDecodeError:
        raise UsageError(f"profile file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"cannot read profile file {path}: {exc.strerror or exc}") from None
    return parse_profile(text, str(path), base=path.parent)


def list_profiles() -> list[Profile]:
    """Every shipped profile, sorted by id."""
    return [load_profile(name) for name in sorted(_shipped())]


def parse_profile(text: str, origin: str = "<profile>", base: Any = None) -> Profile:
    """Parse and validate profile YAML; any problem is one UsageError line naming `origin`.

    `base` is the folder (a Path or an importlib Traversable) that `include:` entries are read from.
    """
    data = _load_yaml(text, origin)
    if isinstance(data, dict) and "include" in data:
        data = dict(data)
        data["indicators"] = list(data.get("indicators") or []) + _included(data.pop("include"), origin, base)
    return _Validator(origin).profile(data)


def _load_yaml(text: str, origin: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{origin}: invalid YAML: {_yaml_problem(exc)}") from None


def _included(entries: Any, origin: str, base: Any) -> list[Any]:
    """The indicators of every `include:` file, in order."""
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise UsageError(f"{origin}: 'include' must be a list of file names")
    if base is None:
        raise UsageError(f"{origin}: 'include' needs a profile read from a file")
    out: list[Any] = []
    for rel in entries:
        if rel.startswith("/") or ".." in rel.split("/"):
            raise UsageError(f"{origin}: include {rel!r} must be a path inside the profile's folder")
        target = base
        for part in rel.split("/"):
            target = target / part
        where = f"{origin} -> {rel}"
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{where}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
        data = _load_yaml(text, where)
        if not isinstance(data, dict) or set(data) != {"indicators"} or not isinstance(data["indicators"], list):
            raise UsageError(f"{where}: an included file holds exactly one key, 'indicators', a list")
        out.extend(data["indicators"])
    return out


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"{problem}{where}"


class _Validator:
    """Builds the dataclasses from parsed YAML, failing with one line that says where and what."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> UsageError:
        return UsageError(f"{self.origin}: {where}: {problem}")

    # -- generic field readers --

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a mapping, got {_type_name(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(where, f"keys must be text, got {key!r}")
        return value

    def known_keys(self, data: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(where, f"unknown key {key!r}; allowed: {', '.join(allowed)}")

    def text(self, data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(where, f"missing {key!r}")
            return ""
        value = data[key]
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(where, f"{key!r} must be non-empty text, got {value!r}")
        return value.strip()

    def number(self, data: dict[str, Any], key: str, where: str, *, required: bool = True,
               default: float | None = None, positive: bool = False) -> float | None:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(where, f"missing {key!r}")
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(where, f"{key!r} must be a number, got {value!r}")
        if value < 0 or (positive and value == 0):
            raise self.fail(where, f"{key!r} must be {'above' if positive else 'at least'} 0, got {value!r}")
        return float(value)

    def comparison(self, value: Any, where: str) -> Comparison:
        data = self.mapping(value, where)
        self.known_keys(data, ("op", "value"), where)
        op = data.get("op")
        if op not in OPS:
            raise self.fail(where, f"op must be one of {' '.join(OPS)}, got {op!r}")
        if "value" not in data:
            raise self.fail(where, "missing 'value'")
        threshold = data["value"]
        if op in ("==", "!="):
            if not isinstance(threshold, int | float | bool | str):
                raise self.fail(where, f"value must be a number, true/false or text, got {threshold!r}")
        elif isinstance(threshold, bool) or not isinstance(threshold, int | float) or not math.isfinite(threshold):
            raise self.fail(where, f"op {op} needs a numeric value, got {threshold!r}")
        return Comparison(op, threshold)

    def metric_name(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _METRIC_RE.match(value):
            raise self.fail(where, f"metric must look like 'check_id.metric_name', got {value!r}")
        return value

    # -- sections --

    def profile(self, data: Any) -> Profile:
        if data is None:
            raise UsageError(f"{self.origin}: the file is empty")
        data = self.mapping(data, "top level")
        self.known_keys(data, ("id", "title", "description", "language", "grading", "indicators"), "top level")
        profile_id = self.text(data, "id", "top level")
        if not _ID_RE.match(profile_id):
            raise self.fail("top level", f"id {profile_id!r} may use only letters, digits, '.', '_' and '-'")
        title = self.text(data, "title", "top level")
        description = self.text(data, "description", "top level", required=False)
        language = self.text(data, "language", "top level", required=False) or "en"
        if language not in LANGUAGES:
            raise self.fail("top level", f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
        if "grading" not in data:
            raise self.fail("top level", "missing 'grading'")
        grading = self.grading(data["grading"])
        raw = data.get("indicators")
        if not isinstance(raw, list) or not raw:
            raise self.fail("top level", "'indicators' must be a non-empty list")
        indicators: list[IndicatorSpec] = []
        seen: set[str] = set()
        for n, item in enumerate(raw, 1):
            spec = self.indicator(item, n)
            if spec.id in seen:
                raise self.fail(f"indicator #{n}", f"duplicate id {spec.id!r}")
            seen.add(spec.id)
            indicators.append(spec)
        return Profile(profile_id, title, description, grading, indicators, self.origin, language)

    def grading(self, value: Any) -> Grading:
        where = "grading"
        data = self.mapping(value, where)
        self.known_keys(
            data, ("model", "max", "pass_mark", "bonus_max", "bonus_threshold", "no_services", "grades"), where
        )
        model = data.get("model")
        if model not in MODELS:
            raise self.fail(where, f"model must be one of {', '.join(MODELS)}, got {model!r}")
        grades_raw = self.mapping(data.get("grades"), "grading.grades")
        self.known_keys(grades_raw, GRADE_KEYS, "grading.grades")
        grades = {key: self.text(grades_raw, key, "grading.grades") for key in GRADE_KEYS}
        cn = model == "cn-gov-2019"
        maximum = self.number(data, "max", where, required=cn, default=100.0, positive=True)
        pass_mark = self.number(data, "pass_mark", where)
        bonus_max = self.number(data, "bonus_max", where, required=cn)
        bonus_threshold = self.number(data, "bonus_threshold", where, required=cn)
        assert maximum is not None and pass_mark is not None
        if pass_mark > maximum:
            raise self.fail(where, f"pass_mark {pass_mark:g} is above max {maximum:g}")
        if bonus_threshold is not None and bonus_threshold > maximum:
            raise self.fail(where, f"bonus_threshold {bonus_threshold:g} is above max {maximum:g}")
        no_services = None
        if data.get("no_services") is not None:
            ns_where = "grading.no_services"
            ns = self.mapping(data["no_services"], ns_where)
            self.known_keys(ns, ("group", "max", "default"), ns_where)
            ns_max = self.number(ns, "max", ns_where, positive=True)
            assert ns_max is not None
            if ns_max > maximum:
                raise self.fail(ns_where, f"max {ns_max:g} is above the profile's max {maximum:g}")
            default = ns.get("default", False)
            if not isinstance(default, bool):
                raise self.fail(ns_where, f"default must be true or false, got {default!r}")
            no_services = NoServices(self.text(ns, "group", ns_where), ns_max, default)
        return Grading(model, grades, maximum, pass_mark, bonus_max, bonus_threshold, no_services)

    def indicator(self, value: Any, n: int) -> IndicatorSpec:
        where = f"indicator #{n}"
        data = self.mapping(value, where)
        if isinstance(data.get("id"), str):
            where = f"indicator {data['id']!r}"
        self.known_keys(
            data,
            ("id", "title", "kind", "group", "description", "metric", "findings", "when", "units",
             "per_unit", "points", "requires", "applies_when", "required", "source", "verified", "note",
             "detail"),
            where,
        )
        ind_id = self.text(data, "id", where)
        if not _ID_RE.match(ind_id):
            raise self.fail(where, "id may use only letters, digits, '.', '_' and '-'")
        kind = data.get("kind")
        if kind not in KINDS:
            raise self.fail(where, f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        metric = self.metric_name(data["metric"], where) if data.get("metric") is not None else None
        selector = (
            self.selector(data["findings"], f"{where}.findings", metric)
            if data.get("findings") is not None else None
        )
        if metric is None and selector is None:
            raise self.fail(where, "needs a 'metric', a 'findings' selector, or both")
        when = self.comparison(data["when"], f"{where}.when") if data.get("when") is not None else None
        requires = self.requirements(data.get("requires"), f"{where}.requires")
        applies = self.requirements(data.get("applies_when"), f"{where}.applies_when")
        required = data.get("required", True)
        if not isinstance(required, bool):
            raise self.fail(where, f"'required' must be true or false, got {required!r}")

        units = data.get("units")
        if units is None:
            units = "once" if kind in ("veto", "bonus") else ("metric" if metric else "findings")
        if units not in UNITS:
            raise self.fail(where, f"units must be one of {', '.join(UNITS)}, got {units!r}")
        if units == "metric" and metric is None:
            raise self.fail(where, "units 'metric' needs a 'metric'")
        if units == "findings" and selector is None:
            raise self.fail(where, "units 'findings' needs a 'findings' selector")
        if units == "over" and (when is None or when.op not in (">", ">=")):
            raise self.fail(where, "units 'over' needs 'when' with op > or >= (the threshold)")
        if units == "once" and kind in ("deduct", "bonus") and when is None:
            raise self.fail(where, "units 'once' needs 'when' (the condition that earns the points)")

        points = self.number(data, "points", where, required=False, default=0.0)
        per_unit = self.number(data, "per_unit", where, required=False)
        assert points is not None
        if kind in ("deduct", "bonus"):
            if points <= 0:
                raise self.fail(where, f"a {kind} indicator needs 'points' above 0 (its cap)")
            if per_unit is None:
                if units != "once":
                    raise self.fail(where, f"units {units!r} needs 'per_unit' (points per unit)")
                per_unit = points
            if per_unit <= 0:
                raise self.fail(where, "'per_unit' must be above 0")
        else:
            if points or per_unit:
                raise self.fail(where, f"a {kind} indicator carries no points; remove 'points'/'per_unit'")
            if kind == "veto" and when is None:
                raise self.fail(where, "a veto needs 'when' (the condition that fails it)")
            if "units" in data:
                raise self.fail(where, f"'units' means nothing for a {kind} indicator")
            per_unit = 0.0

        source = self.source(data.get("source"), f"{where}.source")
        verified = data.get("verified")
        if verified not in VERIFIED:
            raise self.fail(where, f"verified must be one of {', '.join(VERIFIED)}, got {verified!r}")
        note = self.text(data, "note", where, required=False)
        if verified == "unverified" and not note:
            raise self.fail(where, "an unverified indicator needs a 'note' saying which numbers are our choice")
        detail = self.details(data.get("detail"), where)
        return IndicatorSpec(
            id=ind_id, title=self.text(data, "title", where), kind=kind,
            group=self.text(data, "group", where), source=source, verified=verified,
            metric=metric, findings=selector, when=when, units=units, per_unit=per_unit, points=points,
            requires=requires, applies=applies, required=required, note=note, detail=detail,
            description=self.text(data, "description", where, required=False),
        )

    def selector(self, value: Any, where: str, metric: str | None) -> FindingSelector:
        data = self.mapping(value, where)
        self.known_keys(data, ("check", "rules", "where"), where)
        if data.get("check") is not None:
            check = self.text(data, "check", where)
        elif metric is not None:
            check = metric.split(".", 1)[0]
        else:
            raise self.fail(where, "missing 'check' (no metric to take it from)")
        if metric is not None and check != metric.split(".", 1)[0]:
            raise self.fail(where, f"check {check!r} differs from the metric's check {metric.split('.', 1)[0]!r}")
        rules_raw = data.get("rules", [])
        if isinstance(rules_raw, str):
            rules_raw = [rules_raw]
        if not isinstance(rules_raw, list) or not all(isinstance(r, str) and r for r in rules_raw):
            raise self.fail(where, f"'rules' must be a list of rule ids, got {rules_raw!r}")
        filters = self.mapping(data.get("where") or {}, f"{where}.where")
        for key, wanted in filters.items():
            if key not in FINDING_FIELDS and not (key.startswith("evidence.") and len(key) > len("evidence.")):
                raise self.fail(
                    f"{where}.where",
                    f"unknown field {key!r}; use one of {', '.join(FINDING_FIELDS)} or evidence.KEY",
                )
            values = wanted if isinstance(wanted, list) else [wanted]
            if not values or not all(v is None or isinstance(v, int | float | bool | str) for v in values):
                raise self.fail(f"{where}.where", f"{key}: expected a value or a list of values, got {wanted!r}")
        return FindingSelector(check, tuple(rules_raw), dict(filters))

    def requirements(self, value: Any, where: str) -> list[Requirement]:
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out: list[Requirement] = []
        for n, item in enumerate(items, 1):
            item_where = f"{where}[{n}]"
            data = self.mapping(item, item_where)
            self.known_keys(data, ("metric", "op", "value", "reason"), item_where)
            metric = self.metric_name(data.get("metric"), item_where)
            comparison = self.comparison({"op": data.get("op"), "value": data.get("value")}, item_where)
            out.append(Requirement(metric, comparison, self.text(data, "reason", item_where, required=False)))
        return out

    def source(self, value: Any, where: str) -> dict[str, str]:
        if value is None:
            raise self.fail(where.rsplit(".", 1)[0], "missing 'source' (document, item, url)")
        data = self.mapping(value, where)
        self.known_keys(data, ("document", "item", "article", "url"), where)
        out = {"document": self.text(data, "document", where)}
        for key in ("item", "article", "url"):
            text = self.text(data, key, where, required=False)
            if text:
                out[key] = text
        if "url" in out and not out["url"].startswith(("http://", "https://")):
            raise self.fail(where, f"url must start with http:// or https://, got {out['url']!r}")
        return out

    def details(self, value: Any, where: str) -> dict[str, str]:
        """One template for every result, or {pass: ..., fail: ...}."""
        if value is None:
            return {}
        if isinstance(value, str):
            value = {"pass": value, "fail": value}
        data = self.mapping(value, f"{where}.detail")
        self.known_keys(data, ("pass", "fail"), f"{where}.detail")
        out = {key: self.text(data, key, f"{where}.detail") for key in data}
        for template in out.values():
            self.check_template(template, where)
        return out

    def check_template(self, template: str, where: str) -> None:
        sample = {name: 1 for name in DETAIL_FIELDS} | {"metric": "m", "op": ">"}
        try:
            template.format(**sample)
        except (KeyError, IndexError) as exc:
            raise self.fail(where, f"detail uses unknown field {exc}; allowed: {', '.join(DETAIL_FIELDS)}") from None
        except ValueError as exc:
            raise self.fail(where, f"detail is not a valid template: {exc}") from None


def _type_name(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
