"""Real HTTP servers on 127.0.0.1 for tests: a route table of small handler functions.

    with LocalServer({"/": page("<a href='/x'>x</a>"), "/x": status(404)}) as srv:
        srv.url("/")  # -> "http://127.0.0.1:PORT/"

A route value is a callable `(request) -> Reply`, or a Reply. `request` is the live
BaseHTTPRequestHandler (method in `.command`, path in `.path`, headers in `.headers`); a handler may
also write to `request.wfile` itself and return None for raw behaviours (slow bodies, resets).
Every request is logged in `srv.log` as (method, path) so tests can assert what was fetched.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"

    def encoded(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Callable[[BaseHTTPRequestHandler], Reply | None]


def send_reply(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    """Write `reply` as the handler's response (no body for HEAD; a client that hung up is fine)."""
    body = reply.encoded()
    handler.send_response(reply.status)
    if reply.content_type and "Content-Type" not in reply.headers:
        handler.send_header("Content-Type", reply.content_type)
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def page(html: str, status: int = 200, content_type: str = "text/html; charset=utf-8", **headers: str) -> Reply:
    return Reply(status=status, body=html, content_type=content_type, headers=dict(headers))


def status(code: int, **headers: str) -> Reply:
    return Reply(status=code, body=f"<html><title>{code}</title><body>{code}</body></html>", headers=dict(headers))


def redirect(location: str, code: int = 302) -> Reply:
    return Reply(status=code, body=b"", headers={"Location": location})


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms stalls

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _serve(self) -> None:
        srv = self.server
        path = urlsplit(self.path).path
        srv.log.append((self.command, self.path))
        route = srv.routes.get(self.path) or srv.routes.get(path)
        if route is None:
            route = srv.fallback
        reply = route(self) if callable(route) else route
        if reply is None:  # the handler wrote its own response
            self.close_connection = True
            return
        send_reply(self, reply)

    do_GET = do_HEAD = do_POST = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a real server's backlog; 5 drops bursts of connects (1 s SYN retry)

    def __init__(self, routes: dict[str, Reply | Handler], fallback: Reply | Handler) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.fallback = fallback
        self.log: list[tuple[str, str]] = []


class LocalServer:
    def __init__(self, routes: dict[str, Reply | Handler] | None = None,
                 fallback: Reply | Handler | None = None) -> None:
        self._srv = _Server(dict(routes or {}), fallback or status(404))
        self._thread = threading.Thread(target=self._srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return self._srv.server_address[1]

    @property
    def routes(self) -> dict[str, Reply | Handler]:
        return self._srv.routes

    @property
    def log(self) -> list[tuple[str, str]]:
        return self._srv.log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._srv.shutdown()
        self._srv.server_close()


def free_port() -> int:
    """A port nobody listens on (for 'connection refused' tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(routes: dict[str, Reply | Handler], fallback: Reply | Handler | None = None) -> Iterator[LocalServer]:
    with LocalServer(routes, fallback) as srv:
        yield srv
