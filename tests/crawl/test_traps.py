"""Crawler traps stop at their bounds; ordinary site structures pass."""

from __future__ import annotations

from govaudit.crawl.traps import TrapGuard

SITE = "http://www.example.gov.cn"


def run(guard: TrapGuard, urls: list[str]) -> list[str | None]:
    return [guard.check(u) for u in urls]


def test_calendar_query_trap_stops_at_the_bound() -> None:
    guard = TrapGuard(max_query_variants=20)
    days = [f"{SITE}/cal.jsp?d=2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    results = run(guard, days)
    assert results[:20] == [None] * 20
    assert all(r == "more than 20 query variants of /cal.jsp" for r in results[20:])
    # the bare path still passes (it is not a query variant), as do other paths' queries
    assert guard.check(f"{SITE}/cal.jsp") is None
    assert guard.check(f"{SITE}/other.jsp?d=1") is None
    # a URL already recorded is fine to check again
    assert guard.check(days[0]) is None


def test_trs_paging_is_not_a_trap() -> None:
    guard = TrapGuard()
    pages = [f"{SITE}/xxgk/tzgg/index.html"] + [f"{SITE}/xxgk/tzgg/index_{i}.html" for i in range(1, 41)]
    assert run(guard, pages) == [None] * 41
    # nor are a column's articles (date plus id), up to the large shape bound
    articles = [f"{SITE}/xxgk/tzgg/2024{m:02d}/t2024{m:02d}15_{1000 + i}.html" for m in range(1, 13) for i in range(30)]
    assert run(guard, articles) == [None] * 360


def test_endless_date_paths_stop_at_the_date_bound() -> None:
    guard = TrapGuard(max_date_variants=60)
    days = [f"{SITE}/cal/2026/{m}/{d}/" for m in range(1, 13) for d in range(1, 29)]
    results = run(guard, days)
    assert results[:60] == [None] * 60
    assert all(r == "more than 60 date paths shaped /cal/N/N/N/" for r in results[60:])
    # the bound is per shape and per host
    assert guard.check(f"{SITE}/events/2026-11-21.html") is None
    assert guard.check("http://other.gov.cn/cal/2026/11/21/") is None


def test_general_shape_bound() -> None:
    guard = TrapGuard(max_shape_variants=100)
    results = run(guard, [f"{SITE}/page/{i}/" for i in range(150)])
    assert results[:100] == [None] * 100 and results[100] == "more than 100 paths shaped /page/N/"


def test_repeated_segments() -> None:
    guard = TrapGuard(max_repeated_segment=3)
    assert guard.check(f"{SITE}/a/b/a/b/") is None
    assert guard.check(f"{SITE}/a/b/a/b/a/b/") == "path segment 'a' repeated 3 times"
    assert guard.check(f"{SITE}/xxgk/xxgk/xxgk/index.html") == "path segment 'xxgk' repeated 3 times"
    assert guard.check(f"{SITE}/2011/11/11/11.html") is None  # '11' twice, '11.html' is another segment


def test_url_length() -> None:
    guard = TrapGuard(max_url_length=2048)
    ok = f"{SITE}/" + "a" * (2048 - len(SITE) - 1)
    assert len(ok) == 2048 and guard.check(ok) is None
    assert guard.check(ok + "b") == "URL longer than 2048 characters"
    assert guard.check(f"{SITE}/" + "x" * 100_000) == "URL longer than 2048 characters"


def test_rejected_urls_are_not_recorded_and_input_is_never_fatal() -> None:
    guard = TrapGuard(max_query_variants=2)
    assert run(guard, [f"{SITE}/q?i={i}" for i in range(3)]) == [None, None, "more than 2 query variants of /q"]
    assert guard.check(f"{SITE}/q?i=2") == "more than 2 query variants of /q"  # still rejected
    for junk in ("", "not a url", "http://", "http://[::1", "\x00\ud800", None, 42):
        result = guard.check(junk)  # type: ignore[arg-type]
        assert result is None or isinstance(result, str)
