"""The bundled demo portal: a fictional county government site with known, listed defects.

`DemoServer` serves it on loopback; `load_manifest()` returns its ground truth (what is broken,
stale, missing, and what only looks broken), written against the fixed reference date `as_of`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from govaudit.demo.server import DemoServer

__all__ = ["DemoServer", "load_manifest"]


@cache
def _manifest_text() -> str:
    return files("govaudit.demo").joinpath("manifest.json").read_text(encoding="utf-8")


def load_manifest() -> dict[str, Any]:
    """The demo's ground truth as a fresh dict (callers may modify their copy)."""
    return json.loads(_manifest_text())
