"""A hostile web server on 127.0.0.1: every way a broken or malicious site can misbehave.

It speaks raw HTTP/1.1 over asyncio (in its own thread) instead of using http.server, because
most behaviours live below a request handler: a body trickled one byte a second, a connection
reset halfway through a body, an endless chunked stream, a gzip bomb compressed on the fly,
status lines that never finish. Every response closes its connection, so a misbehaving one
never poisons a pooled connection of the client.

    with HostileServer(hostile_routes()) as srv:
        srv.url("/")

A route is `async (req, writer) -> None`; it writes the whole response itself.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    target: str  # as sent: path and query
    path: str
    query: str
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]
MAX_REQUEST_LINE = 8190  # nginx's default large_client_header_buffers: longer gets 414
REASONS = {200: "OK", 202: "Accepted", 301: "Moved Permanently", 302: "Found", 403: "Forbidden",
           404: "Not Found", 412: "Precondition Failed", 414: "URI Too Long", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable", 521: "Web Server Is Down"}


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def send(w: asyncio.StreamWriter, req: Request, status: int, body: bytes | str = b"",
               content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    hdrs = {"Content-Type": content_type, "Content-Length": str(len(data)), **headers} if content_type \
        else {"Content-Length": str(len(data)), **headers}
    w.write(head(status, hdrs) + (b"" if req.method == "HEAD" else data))
    await w.drain()


def html(body: str, status: int = 200, content_type: str = "text/html; charset=utf-8", **headers: str) -> Route:
    async def route(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, req, status, body, content_type, **headers)
    return route


def raw_body(data: bytes, content_type: str, status: int = 200, **headers: str) -> Route:
    async def route(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, req, status, data, content_type, **headers)
    return route


def redirect(location: str, status: int = 302) -> Route:
    async def route(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, req, status, b"", "", Location=location)
    return route


# ---- the behaviours -----------------------------------------------------------------------------


async def huge_body(req: Request, w: asyncio.StreamWriter, size: int = 1 << 30) -> None:
    """1 GiB of HTML, produced as it is read: stops when the client hangs up."""
    w.write(head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(size)}))
    if req.method == "HEAD":
        return
    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
    sent = 0
    w.write(b"<html><head><title>huge</title></head><body>")
    sent += 45
    while sent < size:
        piece = chunk[: size - sent]
        w.write(piece)
        sent += len(piece)
        await w.drain()


async def gzip_bomb(req: Request, w: asyncio.StreamWriter) -> None:
    """A gzip body that inflates to 10 GiB of zeros; compressed on the fly, so it costs the server
    about 10 MB of output at most, and nothing once the client stops reading."""
    w.write(head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip",
                       "Transfer-Encoding": "chunked"}))
    if req.method == "HEAD":
        return
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    first = comp.compress(b"<html><title>bomb</title><body>")
    for _ in range(10 * 1024):
        out = first + comp.compress(zeros)
        first = b""
        if out:
            w.write(b"%x\r\n%s\r\n" % (len(out), out))
            await w.drain()
    tail = comp.flush()
    w.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail))
    await w.drain()


async def endless_chunked(req: Request, w: asyncio.StreamWriter) -> None:
    """A chunked HTML stream that never ends."""
    w.write(head(200, {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"}))
    if req.method == "HEAD":
        return
    piece = b"<p>" + "无尽的数据流".encode() * 3600 + b"</p>"
    while True:
        w.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        await w.drain()


async def slow_body(req: Request, w: asyncio.StreamWriter) -> None:
    """Slowloris: the headers come at once, then the body one byte a second, forever."""
    w.write(head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": "100000"}))
    await w.drain()
    if req.method == "HEAD":
        return
    for b in b"<html><title>slow</title>" + b"." * 99_975:
        w.write(bytes([b]))
        await w.drain()
        await asyncio.sleep(1.0)


async def slow_head(req: Request, w: asyncio.StreamWriter) -> None:
    """Slowloris before the status line is even complete: one byte a second."""
    for b in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n":
        w.write(bytes([b]))
        await w.drain()
        await asyncio.sleep(1.0)


async def reset_mid_body(req: Request, w: asyncio.StreamWriter) -> None:
    """Promise 100 kB, send 2 kB, then reset the connection (RST, not a clean close)."""
    w.write(head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": "100000"}))
    if req.method == "HEAD":
        await w.drain()
        return
    w.write(b"<html><title>reset</title><body>" + b"y" * 2000)
    await w.drain()
    await asyncio.sleep(0.05)
    w.transport.abort()  # SO_LINGER 0 semantics: the peer gets a RST


def calendar_query(req: Request) -> str:
    """An endless calendar: every month links the next and the previous one (by query string)."""
    q = dict(p.split("=", 1) for p in req.query.split("&") if "=" in p)
    y, m = (int(x) for x in q.get("month", "2026-11").split("-")[:2])
    nxt = (y + (m == 12), m % 12 + 1)
    prv = (y - (m == 1), (m - 2) % 12 + 1)
    return (f"<title>日历 {y}-{m:02d}</title>"
            f'<a href="/calendar?month={nxt[0]}-{nxt[1]:02d}">下月</a>'
            f'<a href="/calendar?month={prv[0]}-{prv[1]:02d}">上月</a>')


async def calendar(req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, req, 200, calendar_query(req))


async def calendar_path(req: Request, w: asyncio.StreamWriter) -> None:
    """The same trap with the date in the path: /cal/2026/11/ -> /cal/2026/12/ -> ..."""
    parts = [p for p in req.path.split("/") if p]
    try:
        y, m = int(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        y, m = 2026, 11
    nxt = (y + (m == 12), m % 12 + 1)
    await send(w, req, 200, f'<title>日程 {y}-{m:02d}</title><a href="/cal/{nxt[0]}/{nxt[1]:02d}/">下月</a>')


def chain(n: int) -> Route:
    """/chain/0 -> /chain/1 -> ... -> /chain/n, which finally answers 200."""
    async def route(req: Request, w: asyncio.StreamWriter) -> None:
        i = int(req.path.rsplit("/", 1)[-1] or 0)
        if i >= n:
            await send(w, req, 200, "<title>end of the chain</title>")
        else:
            await send(w, req, 302, b"", "", Location=f"/chain/{i + 1}")
    return route


def nested(depth: int = 100_000) -> str:
    return ("<title>nested</title>" + "<b>" * depth + '<a href="/after-nesting.html">deep</a>'
            + "</b>" * depth + '<a href="/after-nesting-2.html">after</a>')


def many_links(n: int = 10_000) -> str:
    return "<title>many links</title>" + "".join(f'<a href="/item/{i}.html">第{i}项</a>\n' for i in range(n))


# Anti-bot challenges, as real ones look (trimmed): Cloudflare's managed challenge, and the
# JavaScript cookie challenges common on Chinese government portals (Rivers Security's 412
# page and Jiasule's 521 page).
CLOUDFLARE = ('<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>'
              '<div class="main-wrapper"><noscript>Enable JavaScript and cookies to continue</noscript>'
              '<script>window._cf_chl_opt={cvId: "3",cType: "managed"};</script>'
              '<a href="/never-follow-me.html">x</a></div></body></html>')
RUISHU = ('<html><head><meta content="{qqqq}" r=\'m\'><meta http-equiv="Content-Type" content="text/html; '
          'charset=utf-8"><script type="text/javascript" r=\'m\'>$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};'
          '$_ts.nsd=12345;$_ts.cd="qqqq";</script><script type="text/javascript" charset="utf-8" '
          'src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r=\'m\'></script></head><body></body></html>')
JIASULE = ('<html><body><script>document.cookie=("_"+"_jsl_clearance_s=1700000000.1|0|abc%3D");'
           'location.href=location.pathname+location.search</script></body></html>')


async def root_robots(req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, req, 200, "User-agent: *\nDisallow: /private/\n", "text/plain")


def hostile_home(tls_url: str, dead_port: int) -> str:
    long_path = "/long?x=" + "A" * 100_000
    links = [
        ("/loop/a", "重定向循环"), ("/chain/0", "50 跳重定向"), ("/calendar?month=2026-11", "日历"),
        ("/cal/2026/11/", "日程"), ("/huge.html", "1GB"), ("/files/huge.zip", "1GB 附件"),
        ("/bomb.html", "gzip 炸弹"), ("/endless.html", "无尽流"), ("/slow.html", "慢速"),
        ("/slowhead.html", "慢速头"), ("/reset.html", "中途重置"), (tls_url, "自签名证书"),
        ("/nested.html", "深层嵌套"), ("/binary.html", "二进制"), ("/charset-unknown.html", "未知编码"),
        ("/charset-wrong.html", "错误编码"), ("/nul.html", "空字节"), (long_path, "超长链接"),
        ("http://政府网站.invalid/首页.html", "国际化域名"), ("/challenge.html", "人机验证"),
        ("/ruishu.html", "瑞数"), ("/jsl.html", "加速乐"), ("/busy.html", "稍后再试"),
        ("/ok.html", "正常"), ("/missing.html", "缺失"), (f"http://127.0.0.1:{dead_port}/", "拒绝连接"),
    ]
    return "<title>敌意测试站点</title>" + "".join(f'<a href="{u}">{t}</a>\n' for u, t in links)


def hostile_routes(tls_url: str, dead_port: int) -> dict[str, Route]:
    gbk = "<html><head><title>政府信息公开年度报告</title></head><body><p>本机关年度报告全文如下，欢迎查阅。</p></body></html>"
    return {
        "/": html(hostile_home(tls_url, dead_port)),
        "/robots.txt": root_robots,
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/chain/*": chain(50),
        "/calendar": calendar,
        "/cal/*": calendar_path,
        "/huge.html": huge_body,
        "/files/huge.zip": huge_body,
        "/bomb.html": gzip_bomb,
        "/endless.html": endless_chunked,
        "/slow.html": slow_body,
        "/slowhead.html": slow_head,
        "/reset.html": reset_mid_body,
        "/nested.html": html(nested()),
        "/after-nesting.html": html("<title>after nesting</title>"),
        "/after-nesting-2.html": html("<title>after nesting 2</title>"),
        "/binary.html": raw_body(bytes(range(256)) * 256, "text/html"),
        "/charset-unknown.html": raw_body(gbk.encode("utf-8"), "text/html; charset=x-no-such-charset"),
        "/charset-wrong.html": raw_body(gbk.encode("gbk"), "text/html; charset=utf-8"),
        "/nul.html": raw_body(b"<title>\x00\xe7\xa9\xba\x00\xe5\xad\x97\xe8\x8a\x82</title>\x00<body>\x00\x00"
                              b'<a href="/after-nul.html">after</a></body>', "text/html; charset=utf-8"),
        "/after-nul.html": html("<title>after nul</title>"),
        "/challenge.html": html(CLOUDFLARE, 403, **{"cf-mitigated": "challenge", "Server": "cloudflare"}),
        "/ruishu.html": html(RUISHU, 412),
        "/jsl.html": html(JIASULE, 521),
        "/busy.html": html("<title>busy</title>", 503, **{"Retry-After": "3600"}),
        "/ok.html": html("<title>正常页面</title><p>内容</p>"),
        "/never-follow-me.html": html("<title>should not be reached</title>"),
    }


# ---- the server ---------------------------------------------------------------------------------


async def _not_found(req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, req, 404, "<title>404 Not Found</title><h1>404 Not Found</h1>")


class HostileServer:
    """Serve `routes` on 127.0.0.1 (TLS when `cert` is given) from a background thread.

    A route key ending in "/*" matches every path under it. `log` records (method, target) of
    every request whose head was read completely.
    """

    def __init__(self, routes: dict[str, Route], fallback: Route | None = None,
                 cert: tuple[Path, Path] | None = None) -> None:
        self.routes = routes
        self.fallback = fallback or _not_found
        self.log: list[tuple[str, str]] = []
        self._ssl: ssl.SSLContext | None = None
        if cert is not None:
            self._ssl = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._ssl.load_cert_chain(str(cert[0]), str(cert[1]))
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def scheme(self) -> str:
        return "https" if self._ssl else "http"

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        fut.result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0, ssl=self._ssl,
                                                  limit=1 << 20)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for t in list(self._tasks):
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _route(self, path: str) -> Route:
        found = self.routes.get(path)
        if found is not None:
            return found
        for key, route in self.routes.items():
            if key.endswith("/*") and path.startswith(key[:-1]):
                return route
        return self.fallback

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        try:
            try:
                head_bytes = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
                return
            lines = head_bytes.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3:
                return
            method, target = parts[0], parts[1]
            split = urlsplit(target)
            req = Request(method, target, split.path, split.query,
                          {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)})
            self.log.append((method, target[:300]))
            if len(lines[0]) > MAX_REQUEST_LINE:
                await send(writer, req, 414, "<title>414 Request-URI Too Large</title>")
            else:
                await self._route(req.path)(req, writer)
        except (ConnectionError, OSError):
            pass  # the client hung up: exactly what a hostile body expects
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            if not writer.transport.is_closing():
                writer.transport.close()
