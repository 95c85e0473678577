"""Test servers for the identity check: HTTP and HTTPS on one loopback port, with certificates
made here (a throw-away CA and a leaf for 127.0.0.1), and a runner for crawl + check.

The dual server peeks at the first byte of each connection: 0x16 starts a TLS handshake, anything
else is plain HTTP. So `http://127.0.0.1:P/` can redirect to `https://127.0.0.1:P/` the way a real
site redirects port 80 to 443.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from govaudit.checkapi import CheckContext
from govaudit.config import AuditConfig
from govaudit.crawl.crawler import crawl
from govaudit.crawl.fetcher import Fetcher
from govaudit.model import CheckResult, SiteSnapshot
from tests.conftest import run
from tests.support.server import Reply, send_reply

AS_OF = date(2026, 11, 20)


@dataclass(slots=True)
class Certs:
    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes

    def server_context(self, tmp: Any) -> ssl.SSLContext:
        cert, key = tmp / "cert.pem", tmp / "key.pem"
        cert.write_bytes(self.cert_pem)
        key.write_bytes(self.key_pem)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts only this test CA."""
        ctx = ssl.create_default_context(cadata=self.ca_pem.decode("ascii"))
        return ctx


def make_certs(*, expired: bool = False, host: str = "127.0.0.1") -> Certs:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "govaudit test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    start, end = (now - dt.timedelta(days=30), now - dt.timedelta(days=1)) if expired else \
        (now - dt.timedelta(days=1), now + dt.timedelta(days=30))
    try:
        san: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        san = x509.DNSName(host)
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([san]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return Certs(
        ca_pem=ca.public_bytes(serialization.Encoding.PEM),
        cert_pem=leaf.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()),
    )


Route = Reply | Callable[[BaseHTTPRequestHandler], Reply]


class _Handler(BaseHTTPRequestHandler):
    server: _DualServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    @property
    def secure(self) -> bool:
        return isinstance(self.connection, ssl.SSLSocket)

    def _serve(self) -> None:
        srv = self.server
        scheme = "https" if self.secure else "http"
        srv.log.append((scheme, self.command, self.path))
        path = urlsplit(self.path).path
        table = srv.https_routes if self.secure and srv.https_routes is not None else srv.routes
        route = table.get(self.path) or table.get(path) or srv.fallback
        reply = route(self) if callable(route) else route
        send_reply(self, reply)

    do_GET = do_HEAD = do_POST = _serve


class _DualServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: dict[str, Route], fallback: Route, tls: ssl.SSLContext | None,
                 https_routes: dict[str, Route] | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes, self.fallback, self.tls, self.https_routes = routes, fallback, tls, https_routes
        self.log: list[tuple[str, str, str]] = []

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Runs in the connection's own thread: a slow handshake never blocks accept().
        request.settimeout(5)
        try:
            first = request.recv(1, socket.MSG_PEEK)
        except OSError:
            return
        if first == b"\x16":
            if self.tls is None:
                request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate
        super().finish_request(request, client_address)


class DualServer:
    """`routes` answer on both schemes unless `https_routes` gives HTTPS its own table."""

    def __init__(self, routes: dict[str, Route], tls: ssl.SSLContext | None = None,
                 https_routes: dict[str, Route] | None = None, fallback: Route | None = None) -> None:
        self._srv = _DualServer(routes, fallback or Reply(404, "<title>404</title>not found"), tls, https_routes)
        self._thread = threading.Thread(target=self._srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return self._srv.server_address[1]

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    @property
    def log(self) -> list[tuple[str, str, str]]:
        return self._srv.log

    def __enter__(self) -> DualServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._srv.shutdown()
        self._srv.server_close()


def audit(check: Any, url: str, options: dict[str, Any] | None = None, *, verify: Any = True,
          as_of: date = AS_OF, results: dict[str, CheckResult] | None = None,
          max_pages: int = 50) -> tuple[SiteSnapshot, CheckResult]:
    """Crawl `url` and run `check` on it, the way the audit runner does (one shared fetcher)."""
    cfg = AuditConfig()
    cfg.crawl.delay, cfg.crawl.host_concurrency, cfg.crawl.concurrency = 0.0, 8, 8
    cfg.crawl.timeout, cfg.crawl.backoff, cfg.crawl.retries = 3.0, 0.05, 0
    cfg.crawl.max_pages = max_pages
    cfg.crawl.verify_tls = verify  # an ssl.SSLContext trusts the test CA; True uses the system store

    async def go() -> tuple[SiteSnapshot, CheckResult]:
        async with Fetcher(cfg.crawl) as f:
            snap = await crawl(url, cfg.crawl, f)
            ctx = CheckContext(fetcher=f, config=cfg, as_of=as_of, options=dict(options or {}),
                               results=dict(results or {}))
            return snap, await check.run(snap, ctx)

    return run(go())


def rules(result: CheckResult) -> set[str]:
    return {f.rule for f in result.findings}
