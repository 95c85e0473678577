"""A failure while reading one column makes that column an error; the others are still judged."""

from __future__ import annotations

import govaudit.checks.freshness as freshness
import pytest

from tests.freshness.site import article, audit_freshness, columns_by_path
from tests.freshness.test_check import county_routes
from tests.support.server import page, serving


def test_one_failing_column_is_an_error_and_the_others_are_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    real = freshness.FreshnessCheck._list_dates

    async def boom(self, col, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        if "/zcwj/" in col.url:
            raise IndexError("string index out of range (planted parser bug)")
        return await real(self, col, *args, **kw)

    monkeypatch.setattr(freshness.FreshnessCheck, "_list_dates", boom)
    with serving(county_routes(), fallback=page(article("文章"))) as srv:
        _, res = audit_freshness(srv.url("/"), exclude=[r"index_\d+\.html$", r"/xzdt/", r"/zcjd/20"], max_pages=60)
    assert res.status != "error", res.error
    cols = columns_by_path(res, srv.base)
    assert "IndexError" in (cols["/zcwj/index.html"]["error"] or "")
    assert cols["/zcwj/index.html"]["name"] == "政策文件"
    assert cols["/gzdt/index.html"]["error"] is None
    assert (cols["/gzdt/index.html"]["latest"], cols["/gzdt/index.html"]["stale"]) == ("2026-11-19", False)
    assert cols["/rsrm/index.html"]["stale"] is True
