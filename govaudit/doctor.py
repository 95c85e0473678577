"""`govaudit doctor`, core part: the Python side and the default store."""

from __future__ import annotations

import sqlite3
import sys
from importlib.metadata import PackageNotFoundError, version


def core(queue: str | None = None, db: str | None = None) -> list[tuple[str, bool, str]]:
    out: list[tuple[str, bool, str]] = [
        ("python", sys.version_info >= (3, 11), sys.version.split()[0]),
        ("sqlite", sqlite3.sqlite_version_info >= (3, 24), f"SQLite {sqlite3.sqlite_version}"),
    ]
    for dist in ("aiohttp", "selectolax", "protego", "click", "rich", "jinja2", "pyyaml", "charset-normalizer"):
        try:
            out.append((dist, True, version(dist)))
        except PackageNotFoundError:
            out.append((dist, False, f"not installed: pip install {dist}"))
    return out
