from __future__ import annotations

import pytest

from govaudit.model import AuditResult
from tests.report.builders import build_result, hostile_result


@pytest.fixture
def result() -> AuditResult:
    return build_result()


@pytest.fixture
def hostile() -> AuditResult:
    return hostile_result()
