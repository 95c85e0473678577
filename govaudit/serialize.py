"""Lossless round trips between the model dataclasses and JSON-ready dicts.

The store keeps results as JSON and re-scoring, re-rendering and diffing read them back, so
`X_from_dict(to_dict(x)) == x` must hold for every model type. Dates become ISO strings, bytes
become base64 text; `Any`-typed values (metrics, evidence, a check's own data) pass through as
they are, so they should be JSON-plain (string keys: JSON turns int keys into strings).
"""

from __future__ import annotations

import base64
import dataclasses
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar, Union

from govaudit import model
from govaudit.errors import UsageError
from govaudit.model import AuditResult, CheckResult, Finding, Page, ScoredResult, SiteSnapshot

T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """A model dataclass (or a list/dict of them) as plain JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_dict(v) for v in obj]
    return obj


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a model dataclass from `to_dict` output; malformed input is a UsageError."""
    try:
        return _decode(cls, data)
    except (TypeError, ValueError, KeyError) as exc:
        raise UsageError(f"cannot read stored {cls.__name__}: {exc}") from None


def audit_from_dict(d: dict[str, Any]) -> AuditResult:
    return from_dict(AuditResult, d)


def check_result_from_dict(d: dict[str, Any]) -> CheckResult:
    return from_dict(CheckResult, d)


def finding_from_dict(d: dict[str, Any]) -> Finding:
    return from_dict(Finding, d)


def scored_from_dict(d: dict[str, Any]) -> ScoredResult:
    return from_dict(ScoredResult, d)


def page_from_dict(d: dict[str, Any]) -> Page:
    return from_dict(Page, d)


def snapshot_from_dict(d: dict[str, Any]) -> SiteSnapshot:
    return from_dict(SiteSnapshot, d)


# ---- typed decoding -------------------------------------------------------------------------


@cache
def _hints(cls: type) -> dict[str, Any]:
    # model.py uses `from __future__ import annotations`: resolve the strings in its namespace.
    return typing.get_type_hints(cls, vars(model))


def _decode(tp: Any, value: Any) -> Any:
    if tp is Any:
        return value
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return _decode_union(typing.get_args(tp), value)
    if dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, value)
    if origin is list:
        (item,) = typing.get_args(tp)
        _expect(value, list, tp)
        return [_decode(item, v) for v in value]
    if origin is dict:
        key_tp, val_tp = typing.get_args(tp)
        _expect(value, dict, tp)
        return {_decode(key_tp, k): _decode(val_tp, v) for k, v in value.items()}
    if tp is date:
        _expect(value, str, tp)
        return date.fromisoformat(value)
    if tp is bytes:
        _expect(value, str, tp)
        return base64.b64decode(value.encode("ascii"), validate=True)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number, got {value!r}")
        return float(value)
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise TypeError(f"expected {tp.__name__}, got {value!r}")
        return value
    raise TypeError(f"unsupported type {tp!r}")


def _decode_union(options: tuple[Any, ...], value: Any) -> Any:
    if value is None:
        if type(None) in options:
            return None
        raise TypeError("unexpected null")
    # Plain values keep their JSON type (a finding's status is 404 or "timeout").
    for opt in options:
        if opt in (int, str, bool) and isinstance(value, opt) and not (opt is int and isinstance(value, bool)):
            return value
        if opt is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    last: Exception | None = None
    for opt in options:
        if opt is type(None):
            continue
        try:
            return _decode(opt, value)
        except (TypeError, ValueError, KeyError) as exc:
            last = exc
    raise TypeError(str(last) if last else f"no type fits {value!r}")


def _decode_dataclass(cls: type, value: Any) -> Any:
    _expect(value, dict, cls)
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in value:
            kwargs[f.name] = _decode(hints[f.name], value[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise KeyError(f"{cls.__name__}.{f.name} is missing")
    return cls(**kwargs)


def _expect(value: Any, kind: type, tp: Any) -> None:
    if not isinstance(value, kind):
        name = getattr(tp, "__name__", str(tp))
        raise TypeError(f"expected {kind.__name__} for {name}, got {type(value).__name__}")
