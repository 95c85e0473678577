"""A loopback site behind a real JS cookie challenge, shaped like 加速乐 (521) or 瑞数 (412).

Every request without the right cookie (robots.txt included, as on the real products) is answered
with the challenge page: a script that hashes a server-given nonce (FNV-1a, 2,000 rounds, in JS),
sets the cookie to nonce|hash and reloads. The server checks the value and serves the site only
with it. Every `expire_every` pages served with a cookie the nonce changes: every cookie given
so far is wrong and the challenge comes back, as when a clearance cookie expires.
`solvable=False` serves a script that reloads without ever setting the cookie.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from tests.support.server import LocalServer, Reply

# 加速乐's clearance cookie; 瑞数's have generated names like this one
COOKIES = {"jsl": "__jsl_clearance_s", "rs": "FSSBBIl1UgzbN7N80T"}
ROUNDS = 2000

SCRIPT = """
(function () {
  var k = "%(cookie)s", n = "%(nonce)s", h = 0x811c9dc5;
  for (var r = 0; r < %(rounds)d; r++) {
    for (var i = 0; i < n.length; i++) { h ^= n.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
  }
  %(set)s
  setTimeout(function () { location.reload(); }, 200);
})();
"""
SET_COOKIE = 'document.cookie = k + "=" + n + "|" + h.toString(16) + "; path=/; max-age=3600";'


def fnv(nonce: str, rounds: int = ROUNDS) -> str:
    h = 0x811C9DC5
    for _ in range(rounds):
        for ch in nonce:
            h ^= ord(ch)
            h = (h * 16777619) & 0xFFFFFFFF
    return format(h, "x")


def challenge_page(shape: str, nonce: str, solvable: bool) -> Reply:
    script = SCRIPT % {"nonce": nonce, "rounds": ROUNDS, "set": SET_COOKIE if solvable else "",
                       "cookie": COOKIES[shape]}
    if shape == "jsl":  # 加速乐: 521 and a small page whose script sets __jsl_clearance_s
        return Reply(status=521, body=f"<html><body><script>{script}</script></body></html>",
                     headers={"Set-Cookie": "__jsluid_h=0f3c; path=/; HttpOnly"})
    # 瑞数: 412, <meta r='m'> and the $_ts.nsd variable its script starts with
    return Reply(status=412, body=("<!doctype html><html><head><meta charset='utf-8'><meta id='x' content='a' r='m'>"
                                   f"<script>var $_ts = window['$_ts'] || {{}}; $_ts.nsd = 81431; $_ts.cd = 'qEq';"
                                   f"{script}</script></head><body></body></html>"))


@dataclass
class ChallengeSite:
    shape: str = "jsl"
    solvable: bool = True
    expire_every: int = 0  # pages served with a cookie before the nonce changes (0: never)
    expire_times: int = 1_000  # how many times it changes at most
    pages: dict[str, Reply] = field(default_factory=dict)
    nonce: str = "a7c19e2b"
    served: int = 0
    challenged: int = 0
    passed_with: dict[str, int] = field(default_factory=dict)  # nonce -> requests let in with it
    agents: set[str] = field(default_factory=set)  # User-Agents that were let in
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, req: BaseHTTPRequestHandler) -> Reply:
        path = urlsplit(req.path).path
        cookies = dict(part.strip().split("=", 1) for part in (req.headers.get("Cookie") or "").split(";")
                       if "=" in part)
        with self._lock:
            want = f"{self.nonce}|{fnv(self.nonce)}"
            if cookies.get(COOKIES[self.shape]) != want:
                self.challenged += 1
                return challenge_page(self.shape, self.nonce, self.solvable)
            self.served += 1
            self.passed_with[self.nonce] = self.passed_with.get(self.nonce, 0) + 1
            self.agents.add(req.headers.get("User-Agent") or "")
            if self.expire_every and self.served % self.expire_every == 0 and \
                    self.served // self.expire_every <= self.expire_times:
                # the clearance expires: the next request is challenged again
                self.nonce = format(0x5D02B6F1 + self.served, "08x")
        return self.pages.get(path) or Reply(status=404, body="<title>404</title><p>页面不存在</p>")

    def serve(self) -> LocalServer:
        return LocalServer({}, fallback=self.handle)


def portal(articles: int = 12) -> dict[str, Reply]:
    """A small portal: a home page, `articles` articles linking each other, a broken link, a file,
    and robots.txt keeping /private/ out (only readable through the challenge)."""
    home = "".join(f"<li><a href='/art/{i}.html'>文章{i}</a></li>" for i in range(articles))
    pages = {
        "/": Reply(body=f"<!doctype html><html lang='zh'><title>某县人民政府</title><body><ul>{home}</ul>"
                        "<a href='/private/x.html'>内部</a><a href='/gone.html'>旧链接</a>"
                        "<a href='/files/a.pdf'>附件</a></body></html>"),
        "/robots.txt": Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/files/a.pdf": Reply(body=b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        "/private/x.html": Reply(body="<title>private</title>"),
    }
    for i in range(articles):
        pages[f"/art/{i}.html"] = Reply(body=f"<title>文章{i}</title><p>正文{i}</p>"
                                             f"<a href='/art/{(i + 1) % articles}.html'>下一篇</a><a href='/'>首页</a>")
    return pages
