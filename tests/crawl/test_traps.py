"""Crawler traps stop at their bounds; ordinary site structures pass."""

from __future__ import annotations

from govaudit.crawl.traps import TrapGuard

SITE = "http://www.example.gov.cn"


def run(guard: TrapGuard, urls: list[str]) -> list[str | None]:
    return [guard.check(u) for u in urls]


def test_calendar_query_trap_stops_at_the_bound() -> None:
    guard = TrapGuard(max_query_variants=20)
    days = [f"{SITE}/cal.jsp?d=2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    results = [guard.classify(u) for u in days]
    assert results[:20] == [None] * 20
    assert all(r is not None and r.kind == "calendar" and r.reason == "more than 20 dates asked of /cal.jsp"
               for r in results[20:])
    # the bare path still passes (it is not a query variant), as do other paths' queries
    assert guard.check(f"{SITE}/cal.jsp") is None
    assert guard.check(f"{SITE}/other.jsp?d=1") is None
    # a URL already recorded is fine to check again
    assert guard.check(days[0]) is None
    # calendar fields by name, whatever the value
    by_name = TrapGuard(max_query_variants=5)
    months = [by_name.classify(f"{SITE}/rl.asp?year=2026&month={m}") for m in range(1, 13)]
    assert months[:5] == [None] * 5 and {m.kind for m in months[5:] if m} == {"calendar"}


def test_5000_query_string_articles_are_not_a_trap() -> None:
    """ASP/JSP/PHP county portals: ShowArticle.asp?ArticleID=N, content.jsp?id=N&cid=3, ?id=N."""
    guard = TrapGuard()
    urls = [f"{SITE}/ShowArticle.asp?ArticleID={i}" for i in range(1, 5001)]
    urls += [f"{SITE}/content.jsp?id={i}&cid=3" for i in range(2000)]
    urls += [f"{SITE}/index.php?m=content&c=index&a=show&catid=7&id={i}" for i in range(2000)]
    assert [u for u in urls if guard.check(u) is not None] == []


def test_session_ids_are_one_page() -> None:
    guard = TrapGuard()
    assert guard.check(f"{SITE}/list.jsp;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9?page=2") is None
    again = guard.classify(f"{SITE}/list.jsp;jsessionid=FFFFFFFFFFFFFFFF0000000000000000?page=2")
    assert again is not None and again.kind == "session-id"
    assert guard.check(f"{SITE}/list.jsp?page=3") is None  # another page, not another session
    assert guard.check(f"{SITE}/a.php?id=5") is None
    hit = guard.classify(f"{SITE}/a.php?id=5&PHPSESSID=9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    assert hit is not None and hit.kind == "session-id"
    assert guard.check(f"{SITE}/a.php?id=5&sid=12") is None  # a short value is an id, not a session


def test_pages_that_repeat_one_body_are_a_trap() -> None:
    guard = TrapGuard(repeat_limit=10)
    for d in range(10):
        url = f"{SITE}/cal?d={d}"
        assert guard.check(url) is None
        guard.observe(url, hash(b"<title>calendar</title>next prev"))
    hit = guard.classify(f"{SITE}/cal?d=11")
    assert hit is not None and hit.kind == "same-content"
    # pages of one shape with bodies of their own are what a column is
    col = TrapGuard(repeat_limit=10)
    for i in range(50):
        url = f"{SITE}/show.asp?id={i}"
        assert col.check(url) is None
        col.observe(url, hash(f"article {chr(0x4e00 + i)}".encode()))
    # static paths are never cut for their bodies (generated sites differ by numbers alone)
    static = TrapGuard(repeat_limit=10)
    for i in range(50):
        url = f"{SITE}/p/{i}.html"
        assert static.check(url) is None
        static.observe(url, hash(b"same"))


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
    assert results[:100] == [None] * 100 and results[100] == "more than 100 URLs shaped /page/N/"
    assert guard.classify(f"{SITE}/page/999/").kind == "shape-bound"  # type: ignore[union-attr]


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
    guard = TrapGuard(max_shape_variants=2)
    assert run(guard, [f"{SITE}/q?i={i}" for i in range(3)]) == [None, None, "more than 2 URLs shaped /q?i"]
    assert guard.check(f"{SITE}/q?i=2") == "more than 2 URLs shaped /q?i"  # still rejected
    for junk in ("", "not a url", "http://", "http://[::1", "\x00\ud800", None, 42):
        result = guard.check(junk)  # type: ignore[arg-type]
        assert result is None or isinstance(result, str)
