"""Serve the demo portal on loopback: static files from `site/` plus a few dynamic behaviours.

The dynamic routes are the defects a static file cannot show (410, 500, a soft 404, a redirect
loop, a HEAD-405 download, a 301), the site search, and two partner sites ("outside world" pages
the portal's 友情链接 point at); everything else is a file. The server is threaded so a crawler
with several connections is not serialised, and quiet because its output would mix with the CLI's.

The partner sites must be another host to a crawler, yet served by this one loopback server: HTML
files carry the placeholder `__FRIEND__` in those links, replaced per request by the other loopback
name (`localhost:PORT` when the portal is asked for as 127.0.0.1, `127.0.0.1:PORT` when asked for as
localhost). Their pages answer on any host name; nothing on the portal links them by its own name.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote_to_bytes, urljoin, urlsplit

SITE = Path(__file__).resolve().parent / "site"

# Files served with charset=gbk in the Content-Type header; the others under gbk/ only carry a meta.
GBK_HEADER = {"gbk/index.html", "gbk/xqgk.html", "gbk/fagui.html"}
GBK_META_ONLY = {"gbk/lsyg.html", "gbk/zhengce.html"}

# Chinese URLs, keyed by their percent-decoded bytes so %d5 and %D5 are the same request. The files
# carry ASCII names on disk (portable package data) and are not served under those names.
ALIASES = {
    "/gbk/政策.html".encode("gbk"): "gbk/zhengce.html",
    "/gbk/法规.html".encode("utf-8"): "gbk/fagui.html",  # noqa: UP012 - the contrast with GBK is the point
}
# The search's data, written by build.py: the article index and the results page with {{slots}}.
SEARCH_PATH = "/search/index.html"
SEARCH_INDEX = "search/_index.json"
SEARCH_TEMPLATE = "search/_results.html"
SEARCH_SHOWN = 20  # results listed; the count says how many matched
QUERY_MAX = 64  # characters of the query kept (a results page is no place for a pasted essay)
HIDDEN = set(ALIASES.values()) | {SEARCH_INDEX, SEARCH_TEMPLATE}

FRIEND_MARK = b"__FRIEND__"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}

NOT_FOUND_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面未找到</title></head>
<body><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p><p><a href="/">返回首页</a></p></body></html>
"""

# Answers 200, but is an error page: what a soft-404 detector must catch.
SOFT_404_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>页面不存在</title></head>
<body><div class="error"><h1>页面不存在</h1><p>您访问的页面不存在或已被删除！</p>
<p><a href="/">返回首页</a></p></div></body></html>
"""

SOFT_404_PATHS = {"/xwdt/202605/t20260512_3377.html"}
GONE_PATHS = {"/zwgk/jgzn/2018/index.html"}
ERROR_500_PATHS = {"/hdjl/dczj/result.do"}
LOOP = {"/zt/2025/index.html": "/zt/2025/", "/zt/2025/": "/zt/2025/index.html"}
MOVED = {"/xxgk/index.html": "/zwgk/index.html"}
HEAD_405_PATHS = {"/system/download.jsp"}
DOWNLOAD_FILE = "zcwj/202601/P020260114300112233445.pdf"  # what the download endpoint sends

# The partner sites behind the home page's 友情链接: the city's portal, and a tourism site whose
# domain changed hands and now serves a gambling page (外链变异). Invented, like everything here.
PARTNER_CLEAN = "/ylszf/index.html"
PARTNER_HIJACKED = "/ylwl/index.html"
PARTNER_PAGES = {
    PARTNER_CLEAN: """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>云岭市人民政府</title></head>
<body><h1>云岭市人民政府</h1><ul><li>云岭市召开2026年冬季安全生产工作会议</li>
<li>云岭市2027年城乡居民医保集中缴费工作启动</li></ul><p>主办：云岭市人民政府办公室</p></body></html>
""",
    PARTNER_HIJACKED: """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>金沙娱乐城官网 - 百家乐 - 真人视讯 - 体育投注</title></head>
<body><div class="banner">新会员注册送88元彩金，首存即享1.2%无限返水</div>
<ul><li>真人视讯</li><li>体育投注</li><li>时时彩</li><li>北京赛车</li><li>棋牌游戏</li></ul>
<p>本站原“云岭文旅网”域名已到期转让。</p></body></html>
""",
}


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _page(status: int, html: str) -> Reply:
    return Reply(status, html.encode("utf-8"))


def route(method: str, target: str, host: str, root: Path = SITE) -> Reply:
    """The whole site's behaviour as one pure function of the request (easy to reason about)."""
    raw_path = urlsplit(target).path or "/"
    raw_bytes = unquote_to_bytes(raw_path)
    alias = ALIASES.get(raw_bytes)
    if alias is not None:
        return _file(root, alias, host, method)
    try:
        path = raw_bytes.decode("utf-8")
    except UnicodeDecodeError:
        return _page(404, NOT_FOUND_HTML)

    if path in PARTNER_PAGES:
        return _page(200, PARTNER_PAGES[path])
    if path == SEARCH_PATH and method in ("GET", "HEAD"):
        query = parse_qs(urlsplit(target).query, keep_blank_values=True, errors="replace")
        if "q" in query:  # the bare page (no query) is the static search form
            return _search(root, query["q"][0])
    if path in SOFT_404_PATHS:
        return _page(200, SOFT_404_HTML)
    if path in GONE_PATHS:
        return _page(410, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>410 Gone</title>"
                          "</head><body><p>该页面已永久删除。</p></body></html>")
    if path in ERROR_500_PATHS:
        return _page(500, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>500 Internal Server Error"
                          "</title></head><body><p>java.lang.NullPointerException</p></body></html>")
    if path in LOOP:
        return Reply(302, b"", headers={"Location": LOOP[path]})
    if path in MOVED:
        return Reply(301, b"", headers={"Location": MOVED[path]})
    if path in HEAD_405_PATHS:
        if method == "HEAD":  # some download servlets only implement GET
            return Reply(405, b"", headers={"Allow": "GET"})
        reply = _file(root, DOWNLOAD_FILE, host, method)
        reply.headers["Content-Disposition"] = 'attachment; filename="download.pdf"'
        return reply

    if method not in ("GET", "HEAD"):
        return Reply(405, b"", headers={"Allow": "GET, HEAD"})
    if "\x00" in path or any(part == ".." for part in path.split("/")):
        return _page(404, NOT_FOUND_HTML)
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if rel in HIDDEN:
        return _page(404, NOT_FOUND_HTML)
    if (root / rel).is_dir():
        return Reply(301, b"", headers={"Location": path + "/"})
    return _file(root, rel, host, method)


def _file(root: Path, rel: str, host: str, method: str) -> Reply:
    file = (root / rel).resolve()
    if not file.is_file() or not file.is_relative_to(root.resolve()):
        return _page(404, NOT_FOUND_HTML)
    body = file.read_bytes()
    ctype = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
    if rel in GBK_HEADER:
        ctype = "text/html; charset=gbk"
    elif rel in GBK_META_ONLY:
        ctype = "text/html"
    if file.suffix in (".xml", ".txt"):
        # robots.txt and sitemap.xml need absolute URLs, and the port is only known now.
        body = body.replace(b"__BASE__", f"http://{host}".encode("ascii"))
    elif file.suffix == ".html":
        body = body.replace(FRIEND_MARK, other_host(host).encode("ascii"))
    return Reply(200, body, ctype)


def other_host(host: str) -> str:
    """The loopback name that is not `host`, same port: where the partner sites appear to live."""
    name, sep, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not sep or not port.isdigit():
        name, sep, port = host, "", ""
    other = "127.0.0.1" if name.lower() == "localhost" else "localhost"
    return f"{other}{sep}{port}"


@cache
def _search_data(root: Path) -> tuple[list[dict[str, str]], str]:
    index = json.loads((root / SEARCH_INDEX).read_text(encoding="utf-8"))
    return index, (root / SEARCH_TEMPLATE).read_text(encoding="utf-8")


_SLOT = re.compile(r"\{\{(query|count|results)\}\}")


def _search(root: Path, raw_query: str) -> Reply:
    """Articles whose title holds every word of the query, newest first. The query is the visitor's
    input: it is shown escaped, and the slots are filled in one pass so it is never re-read."""
    query = " ".join(raw_query.split())[:QUERY_MAX]
    words = [w.casefold() for w in query.split()]
    index, template = _search_data(root)
    hits = [a for a in index if words and all(w in a["title"].casefold() for w in words)]
    rows = "\n".join(
        f'<li><a href="{escape(a["url"])}" target="_blank">{escape(a["title"])}</a>'
        f'<span class="date">{escape(a["date"])}</span></li>'
        for a in hits[:SEARCH_SHOWN])
    if not words:
        results = '<p class="nodata">请输入关键词。</p>'
    elif not hits:
        results = '<p class="nodata">没有找到相关结果，请更换关键词再试。</p>'
    else:
        more = f'<p class="more">仅显示最新的{SEARCH_SHOWN}条。</p>' if len(hits) > SEARCH_SHOWN else ""
        results = f'<ul class="list">\n{rows}\n</ul>{more}'
    slots = {"query": escape(query), "count": str(len(hits)), "results": results}
    return _page(200, _SLOT.sub(lambda m: slots[m.group(1)], template))


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, keep-alive clients wait ~40 ms for each.
    disable_nagle_algorithm = True
    server_version = "TRS-WCM-demo"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _serve(self) -> None:
        srv = self.server
        with srv.lock:
            srv.log.append((self.command, self.path))
        host = self.headers.get("Host") or f"{srv.host}:{srv.server_address[1]}"
        if not all(ch.isalnum() or ch in ".-:[]" for ch in host):
            host = f"{srv.host}:{srv.server_address[1]}"  # never echo a hostile Host into a body
        reply = route(self.command, self.path, host)
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD" and reply.body:
            try:
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = _serve


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.host = host
        self.lock = threading.Lock()
        self.log: list[tuple[str, str]] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up mid-response is normal for a crawler; stay quiet


class DemoServer:
    """The demo portal on `host:port` (port 0 picks a free one). Binds on construction, so an
    unusable port fails early with OSError; serves from `start()` (or the `with` block)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._httpd = _DemoHTTPServer(host, port)
        self._thread: threading.Thread | None = None
        self._serving = False  # serve_forever() running in a caller's thread
        self._closed = False

    @property
    def host(self) -> str:
        return self._httpd.host

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def url_for(self, path: str) -> str:
        """A manifest path ("/xwdt/index.html") as an absolute URL; absolute URLs pass through."""
        return urljoin(self.url, path)

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path as sent) for every request so far: tests assert what was never fetched."""
        with self._httpd.lock:
            return list(self._httpd.log)

    def start(self) -> DemoServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                            name=f"govaudit-demo-{self.port}", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Block serving requests until stop() or Ctrl-C (also fine after start())."""
        if self._thread is None:
            self._serving = True
            try:
                self._httpd.serve_forever(poll_interval=0.2)
            finally:
                self._serving = False
            return
        while self._thread.is_alive():
            self._thread.join(0.5)  # short joins keep Ctrl-C deliverable

    def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._thread is not None or self._serving:
            self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join(5)
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
