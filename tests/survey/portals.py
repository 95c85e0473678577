"""Many small generated portals on loopback for survey tests.

Portal i is a tiny county site: a home page, a few news pages, and (when `broken`) one dead link on
the home page, so audits give different scores. Portals listen on 127.0.0.x addresses (all of
127.0.0.0/8 is loopback on Linux), several per address when asked, so the per-IP budget has
something to count. Servers are real: tests.support.server's request handler on threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.server import Reply, _Handler, page, status

NEWS = 4


def portal_routes(i: int, broken: bool = False, delay: float = 0.0,
                  on_request: Callable[[BaseHTTPRequestHandler], None] | None = None) -> dict[str, object]:
    """The pages of portal i; every request sleeps `delay` seconds (a slow platform)."""
    links = "".join(f'<li><a href="/news/{n}.html">第{n}条 县政府动态</a><span>2026-11-{10 + n:02d}</span></li>'
                    for n in range(1, NEWS + 1))
    dead = '<a href="/gone.html">旧版入口</a>' if broken else ""
    home = (f"<!doctype html><html><head><meta charset='utf-8'><title>第{i}县人民政府</title>"
            f"<meta name='SiteIDCode' content='{1000000000 + i}'></head><body><h1>第{i}县人民政府</h1>"
            f"<ul>{links}</ul>{dead}<a href='/about.html'>关于我们</a></body></html>")
    routes: dict[str, object] = {"/": page(home), "/about.html": page(f"<title>关于 第{i}县</title><p>联系</p>"),
                                 "/robots.txt": Reply(body="User-agent: *\nAllow: /\n", content_type="text/plain")}
    for n in range(1, NEWS + 1):
        routes[f"/news/{n}.html"] = page(f"<title>第{n}条</title><p>2026-11-{10 + n:02d} 发布</p>"
                                         "<a href='/'>首页</a>")
    if delay or on_request:
        routes = {path: _slow(reply, delay, on_request) for path, reply in routes.items()}
    return routes


def _slow(reply: object, delay: float, hook: Callable[[BaseHTTPRequestHandler], None] | None) -> Callable[[BaseHTTPRequestHandler], object]:
    def handler(req: BaseHTTPRequestHandler) -> object:
        if hook is not None:
            hook(req)
        if delay:
            time.sleep(delay)
        return reply

    return handler


class _AddrServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: str, routes: dict[str, object]) -> None:
        super().__init__((address, 0), _Handler)
        self.routes = routes
        self.fallback = status(404)
        self.log: list[tuple[str, str]] = []


@dataclass
class Portal:
    index: int
    address: str
    server: _AddrServer
    broken: bool
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.server.server_address[1]}/"

    @property
    def log(self) -> list[tuple[str, str]]:
        return self.server.log


@dataclass
class Portals:
    items: list[Portal] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [p.url for p in self.items]

    def by_url(self, url: str) -> Portal:
        return next(p for p in self.items if p.url == url)

    def write_csv(self, path: Path, header: str = "url,name,region,level,site_id_code") -> Path:
        lines = [header]
        for p in self.items:
            region = ["北京市", "江西省", "河北省"][p.index % 3]
            level = ["省级", "市级", "县级"][p.index % 3 if p.index % 2 else 2]
            lines.append(f"{p.url},第{p.index}县人民政府,{region},{level},{1000000000 + p.index}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@contextmanager
def serve_portals(n: int, per_address: int = 1, first_address: int = 10, delay: float = 0.0,
                  broken_every: int = 3,
                  on_request: Callable[[BaseHTTPRequestHandler], None] | None = None) -> Iterator[Portals]:
    """n portals, `per_address` of them on each 127.0.0.x address (x from `first_address`)."""
    out = Portals()
    with ExitStack() as stack:
        for i in range(n):
            address = f"127.0.0.{first_address + i // per_address}"
            broken = broken_every > 0 and i % broken_every == 0
            srv = _AddrServer(address, portal_routes(i, broken, delay, on_request))
            stack.callback(srv.server_close)
            thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            thread.start()
            stack.callback(srv.shutdown)
            out.items.append(Portal(i, address, srv, broken, thread))
        yield out
