"""Real redis-server and PostgreSQL for tests: own port and data directory, stopped by PID.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
`postgres` user (Debian's package creates it) with a data directory that user owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.server import free_port

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


class ServiceMissing(RuntimeError):
    pass


def _wait_port(port: int, proc: subprocess.Popen[bytes], what: str, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout}s")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
    """Stop one process we started, by its PID."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)


class Redis:
    def __init__(self, port: int, proc: subprocess.Popen[bytes]) -> None:
        self.port = port
        self.proc = proc

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextmanager
def redis_server() -> Iterator[Redis]:
    exe = shutil.which("redis-server")
    if exe is None:
        raise ServiceMissing("redis-server is not installed (apt-get install redis-server)")
    work = Path(tempfile.mkdtemp(prefix="govaudit-redis-"))
    port = free_port()
    log = work / "redis.log"
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(work), "--logfile", str(log), "--daemonize", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port, proc, "redis-server", log)
        yield Redis(port, proc)
    finally:
        stop(proc)
        shutil.rmtree(work, ignore_errors=True)


class Postgres:
    def __init__(self, port: int, proc: subprocess.Popen[bytes], user: str) -> None:
        self.port = port
        self.proc = proc
        self.user = user

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    if not PG_BIN:
        raise ServiceMissing("PostgreSQL is not installed (apt-get install postgresql)")
    bin_dir = PG_BIN[-1]
    as_root = os.geteuid() == 0
    run_as: dict[str, object] = {}
    work = Path(tempfile.mkdtemp(prefix="govaudit-pg-"))
    if as_root:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise ServiceMissing("no postgres user to run PostgreSQL as (apt-get install postgresql)") from None
        os.chown(work, pw.pw_uid, pw.pw_gid)
        run_as = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": [],
                  "env": {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(work)}}
    data = work / "data"
    port = free_port()
    user = "govaudit"
    log = work / "postgres.log"
    subprocess.run([str(bin_dir / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, cwd=work, **run_as)  # type: ignore[call-overload]
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(work),
                                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                                 "-c", "synchronous_commit=off", "-c", "max_connections=200"],
                                stdout=out, stderr=subprocess.STDOUT, cwd=work, **run_as)  # type: ignore[call-overload]
    try:
        _wait_port(port, proc, "postgres", log)
        _wait_ready(Postgres(port, proc, user))
        yield Postgres(port, proc, user)
    finally:
        stop(proc, signal.SIGINT)  # "fast" shutdown: roll back clients and exit
        shutil.rmtree(work, ignore_errors=True)


def _wait_ready(pg: Postgres, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(pg.url(), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
