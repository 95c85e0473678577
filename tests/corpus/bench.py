"""Load a conformance script of bench/conformance/ as a module, so the corpus tests call its code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench" / "conformance"


def load_bench(name: str) -> ModuleType:
    """bench/conformance/<name>.py, imported once per test process."""
    module_name = f"govaudit_bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name while the file runs
    spec.loader.exec_module(module)
    return module
