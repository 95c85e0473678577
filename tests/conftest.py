"""Shared fixtures. Servers are real (127.0.0.1), never mocked clients."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion (tests stay plain functions)."""
    return asyncio.run(coro)


@pytest.fixture
def corpus() -> Path:
    """../shared/corpus beside the checkout; a test that needs it fails loudly when it is absent."""
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}: check out the project beside shared/")
    return CORPUS
