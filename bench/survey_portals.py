#!/usr/bin/env python3
"""N small generated county portals on loopback, for the survey benchmark.

    python bench/survey_portals.py --sites 1000 --csv /tmp/sites.csv [--per-address 1]

Portal i listens on its own 127.x.y.z address (all of 127.0.0.0/8 is loopback on Linux), or
`--per-address` portals share one address on different ports, like a provincial platform. Every
portal is a tiny county site: a home page, three columns of dated articles, an about page, a
message board page, and for every fifth portal a dead link on the home page, so the audits do
real work and their scores differ. Pages are rendered once and served from memory by one asyncio
process, so the server costs as little CPU as possible next to the audits being measured.
`--latency S` delays every response by S seconds without using CPU, as a distant server would.
Prints "ready N" on stdout once every portal listens; runs until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
import sys
from datetime import date, timedelta
from pathlib import Path

COLUMNS = (("xwdt", "新闻动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"))
ARTICLES = 4
AS_OF = date(2026, 11, 22)


def address(i: int, per_address: int) -> str:
    n = i // per_address
    return f"127.{1 + n // 62500}.{1 + (n // 250) % 250}.{1 + n % 250}"


def portal_pages(i: int) -> dict[str, bytes]:
    """Portal i's pages by path, as complete HTML documents."""
    name = f"第{i}县人民政府"
    nav = "".join(f'<li><a href="/{c}/">{t}</a></li>' for c, t in COLUMNS)
    dead = '<a href="/old/index.html">旧版网站</a>' if i % 5 == 0 else ""
    pages: dict[str, str] = {}
    latest = []
    for k, (col, title) in enumerate(COLUMNS):
        items = []
        for a in range(ARTICLES):
            # Ages grow with the portal index, so some columns are stale and scores spread out.
            day = AS_OF - timedelta(days=(i * 7 + k * 30 + a * 11) % 400)
            path = f"/{col}/{day:%Y%m}/t{day:%Y%m%d}_{i}{k}{a}.html"
            items.append(f'<li><a href="{path}">{title}第{a + 1}篇</a><span>{day.isoformat()}</span></li>')
            pages[path] = (f"<h1>{title}第{a + 1}篇</h1><p>发布时间：{day.isoformat()}</p>"
                           f"<p>{name}{title}正文内容。" + "政务公开信息。" * 40 + "</p>")
        pages[f"/{col}/"] = f"<h1>{title}</h1><ul>{''.join(items)}</ul>"
        latest.append(items[0])
    pages["/about.html"] = f"<h1>关于我们</h1><p>{name}主办 联系电话 0791-0000{i % 10000:04d}</p>"
    pages["/hdjl/"] = "<h1>政民互动</h1><p>县长信箱</p><a href='/hdjl/xx.html'>我要写信</a>"
    pages["/hdjl/xx.html"] = "<h1>县长信箱</h1><form action='/hdjl/submit' method='post'><textarea></textarea></form>"
    pages["/"] = f"<h1>{name}</h1><ul>{nav}</ul><ul>{''.join(latest)}</ul>{dead}" \
                 "<a href='/about.html'>关于我们</a><a href='/hdjl/'>政民互动</a>"
    out = {}
    for path, body in pages.items():
        title = name if path == "/" else f"{name} - {path}"
        doc = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>"
               f"<meta name='SiteName' content='{name}'><meta name='SiteIDCode' content='{3600000000 + i}'>"
               f"</head><body><header><a href='/'>首页</a></header>{body}"
               f"<footer>主办：{name} 网站标识码{3600000000 + i}</footer></body></html>")
        out[path] = doc.encode("utf-8")
    out["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    return out


def _response(status: str, body: bytes, ctype: str, keep: bool) -> bytes:
    head = (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: {'keep-alive' if keep else 'close'}\r\n\r\n")
    return head.encode("ascii") + body


NOT_FOUND = b"<html><title>404</title><body>404</body></html>"


async def serve(pages: dict[str, bytes], latency: float, reader: asyncio.StreamReader,
                writer: asyncio.StreamWriter) -> None:
    try:
        first = await reader.readexactly(1)
        if first == b"\x16":  # a TLS handshake on this plain-HTTP port: refuse it at once, as servers do
            return
        while True:
            head = first + await reader.readuntil(b"\r\n\r\n")
            first = b""
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
            keep = not any(h.lower().startswith("connection:") and "close" in h.lower() for h in lines[1:])
            path = target.split("?", 1)[0]
            body = pages.get(path)
            if body is None:
                data = _response("404 Not Found", NOT_FOUND, "text/html; charset=utf-8", keep)
            else:
                ctype = "text/plain" if path.endswith(".txt") else "text/html; charset=utf-8"
                data = _response("200 OK", body, ctype, keep)
            if latency:
                await asyncio.sleep(latency)  # a distant server's round trip: time, but no CPU
            if method == "HEAD":
                data = data[: data.index(b"\r\n\r\n") + 4]
            writer.write(data)
            await writer.drain()
            if not keep:
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main(n: int, per_address: int, csv_path: Path, latency: float = 0.0) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n * 4 + 1024)), hard))
    servers, urls = [], []
    for i in range(n):
        pages = portal_pages(i)
        srv = await asyncio.start_server(lambda r, w, p=pages: serve(p, latency, r, w), address(i, per_address), 0,
                                         backlog=64)
        servers.append(srv)
        host, port = srv.sockets[0].getsockname()[:2]
        urls.append((f"http://{host}:{port}/", f"第{i}县人民政府", ("江西省", "河北省", "四川省", "广东省")[i % 4],
                     ("县级", "市级")[i % 7 == 0]))
    text = "url,name,region,level\n" + "".join(",".join(u) + "\n" for u in urls)
    await asyncio.to_thread(csv_path.write_text, text, encoding="utf-8")
    print(f"ready {n}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for srv in servers:
        srv.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--per-address", type=int, default=1)
    ap.add_argument("--csv", type=Path, required=True)
    ap.add_argument("--latency", type=float, default=0.0, help="seconds before each response")
    args = ap.parse_args()
    try:
        asyncio.run(main(args.sites, max(1, args.per_address), args.csv, max(0.0, args.latency)))
    except KeyboardInterrupt:
        sys.exit(0)
