"""DemoServer behaviour: lifecycle, HTTP details, safety, and that it stays quiet."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from govaudit.demo import DemoServer, build, load_manifest


def raw_request(port: int, request: bytes) -> bytes:
    """Send bytes exactly as given (httpx would normalise the path) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_lifecycle_and_urls() -> None:
    server = DemoServer()
    assert server.port > 0 and server.url == f"http://127.0.0.1:{server.port}/"
    assert server.url_for("/xwdt/index.html") == f"http://127.0.0.1:{server.port}/xwdt/index.html"
    assert server.url_for("http://127.0.0.1:9/") == "http://127.0.0.1:9/"
    with server:
        assert httpx.get(server.url).status_code == 200
        assert server.requests == [("GET", "/")]
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url, timeout=2)
    server.stop()  # a second stop is harmless


def test_port_in_use_fails_at_construction() -> None:
    with DemoServer() as first, pytest.raises(OSError):
        DemoServer(port=first.port)


def test_serve_forever_blocks_until_stopped() -> None:
    for started in (False, True):
        server = DemoServer()
        if started:
            server.start()  # `govaudit demo serve` starts it with `with`, then calls serve_forever()
        done = threading.Event()

        def run(srv: DemoServer = server, finished: threading.Event = done) -> None:
            srv.serve_forever()
            finished.set()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        assert httpx.get(server.url_for("/robots.txt")).status_code == 200
        assert not done.is_set()
        server.stop()
        assert done.wait(5), f"serve_forever did not return (started={started})"


def test_http_details(client: httpx.Client, demo: DemoServer) -> None:
    missing = client.get(demo.url_for("/no/such/page-7f3a.html"))
    assert missing.status_code == 404 and "页面" in missing.text
    head = client.head(demo.url_for("/xwdt/index.html"))
    get = client.get(demo.url_for("/xwdt/index.html"))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    for path, ctype in [("/css/style.css", "text/css"), ("/js/common.js", "application/javascript"),
                        ("/images/logo.png", "image/png"), ("/sitemap.xml", "application/xml"),
                        ("/robots.txt", "text/plain")]:
        assert client.get(demo.url_for(path)).headers["content-type"].startswith(ctype), path
    assert client.get(demo.url_for("/images/logo.png")).content.startswith(b"\x89PNG\r\n\x1a\n")
    directory = client.get(demo.url_for("/xwdt"), follow_redirects=False)
    assert directory.status_code == 301 and directory.headers["location"] == "/xwdt/"
    assert client.get(demo.url_for("/xwdt/")).text == get.text
    assert client.post(demo.url_for("/xwdt/index.html")).status_code == 405


def test_path_traversal_and_hidden_names(demo: DemoServer) -> None:
    for target in (b"/../../../etc/passwd", b"/%2e%2e/%2e%2e/etc/passwd", b"/gbk/../../server.py",
                   b"/%2e%2e/manifest.json", b"/gbk/zhengce.html", b"/gbk/%FF%FE.html"):
        reply = raw_request(demo.port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 404"), target


def test_host_header_is_not_echoed_raw(demo: DemoServer) -> None:
    reply = raw_request(demo.port, b"GET /robots.txt HTTP/1.1\r\nHost: <script>x\r\nConnection: close\r\n\r\n")
    assert b"<script>" not in reply and f"127.0.0.1:{demo.port}/sitemap.xml".encode() in reply
    named = raw_request(demo.port, b"GET /robots.txt HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n")
    assert b"Sitemap: http://localhost:8080/sitemap.xml" in named


def test_robots_disallowed_paths_are_recorded_when_fetched(demo: DemoServer, client: httpx.Client) -> None:
    # The server can tell a crawler test whether /admin/ was ever asked for.
    before = len(demo.requests)
    client.get(demo.url_for("/admin/login.html"))
    assert ("GET", "/admin/login.html") in demo.requests[before:]


def test_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    with DemoServer() as server:
        httpx.get(server.url_for("/missing"))
        httpx.get(server.url_for("/hdjl/dczj/result.do?id=12"))
        with socket.create_connection(("127.0.0.1", server.port)) as s:  # a client that hangs up early
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.1)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_manifest_loads_fresh_copies() -> None:
    first = load_manifest()
    first["as_of"] = "1999-01-01"
    again = load_manifest()
    assert again["as_of"] == "2026-11-20" and isinstance(again["_schema"], dict)
    for key in ("as_of", "broken_links", "not_broken", "placeholders", "robots_disallowed", "sitemap_only",
                "columns", "home_updated_within_14_days", "identity_defects", "identity_present", "board",
                "interviews", "surveys", "a11y_defects", "external_unreachable", "search", "content_defects",
                "partner_links"):
        assert key in again, key
    for col in again["columns"]:
        assert {"name", "path", "type", "latest", "stale", "empty", "undated", "future_dates"} <= set(col)
    assert {"name", "path", "messages_in_window", "answered", "unanswered", "overdue",
            "overdue_messages"} <= set(again["board"])


def test_committed_site_is_what_build_writes(tmp_path: Path) -> None:
    """site/ is generated by build.py; a hand edit to one file (or a stale regeneration) shows here."""
    out = tmp_path / "site"
    build.write(out)
    committed = build.SITE
    fresh = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    shipped = {p.relative_to(committed): p.read_bytes() for p in committed.rglob("*") if p.is_file()}
    assert fresh.keys() == shipped.keys()
    assert [str(k) for k in fresh if fresh[k] != shipped[k]] == []
    assert sum(len(b) for b in shipped.values()) < 1_500_000  # package data stays small
