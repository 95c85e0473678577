"""Shared fixtures. Servers are real (127.0.0.1), never mocked clients."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

# ../shared/corpus beside the checkout, or GOVAUDIT_CORPUS. The corpus may not be copied into the
# repository (licences), so a fresh clone has none: its tests skip with one line saying so, unless
# GOVAUDIT_REQUIRE_CORPUS=1 (set by .ci/run) makes a missing corpus a failure — CI never skips.
CORPUS = Path(os.environ.get("GOVAUDIT_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion (tests stay plain functions)."""
    return asyncio.run(coro)


def require_corpus() -> Path:
    """The shared corpus; skip (fail under GOVAUDIT_REQUIRE_CORPUS=1) when it is absent."""
    if not CORPUS.is_dir():
        message = (f"shared corpus not found at {CORPUS}: check the project out beside shared/ "
                   "or set GOVAUDIT_CORPUS")
        if os.environ.get("GOVAUDIT_REQUIRE_CORPUS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS


@pytest.fixture
def corpus() -> Path:
    return require_corpus()
