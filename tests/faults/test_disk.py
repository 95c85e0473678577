"""A read-only or full disk under the store (--db) or the output folder (--out): one clear line on
stderr, exit code 4, never a traceback (issue #7, section 3).

As root (CI) the disks are real: small tmpfs mounts, read-only or filled up, so the errors are
the kernel's own EROFS and ENOSPC. Without root the same situations are made with a read-only
folder (chmod) and a file-size limit (RLIMIT_FSIZE, which fails writes with EFBIG).
"""

from __future__ import annotations

import os
import random
import resource
import signal
import string
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.runner import CliRun, run_cli
from tests.support.server import LocalServer, Reply

ROOT = os.geteuid() == 0


@dataclass
class Disk:
    path: Path
    preexec: Callable[[], None] | None = None  # applied in the audit's process (non-root fallback)


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Disk]:
    target = tmp_path / "ro"
    if ROOT and _mount(target, "ro,size=1m"):
        try:
            yield Disk(target)
        finally:
            _umount(target)
        return
    target.mkdir(exist_ok=True)
    target.chmod(0o555)
    try:
        yield Disk(target)
    finally:
        target.chmod(0o755)


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def full_disk(tmp_path: Path, free: int) -> Iterator[Disk]:
    """A disk with about `free` bytes left."""
    target = tmp_path / "full"
    if ROOT and _mount(target, "size=4m"):
        try:
            st = os.statvfs(target)
            room = st.f_bavail * st.f_frsize - free
            with open(target / "filler", "wb") as fh:
                fh.write(b"\0" * max(room, 0))
            yield Disk(target)
        finally:
            _umount(target)
        return
    target.mkdir(exist_ok=True)
    yield Disk(target, _limit_file_size(free))


@pytest.fixture
def no_space(tmp_path: Path) -> Iterator[Disk]:
    yield from full_disk(tmp_path, 0)


@pytest.fixture
def little_space(tmp_path: Path) -> Iterator[Disk]:
    # Room for the store's schema and a few pages, not for the whole crawl.
    # (about 150 KiB for the empty schema's file, WAL and shared memory, with the evidence table)
    yield from full_disk(tmp_path, 192 * 1024)


def noisy_site() -> LocalServer:
    """Pages with ~60 kB of text that compresses badly, so a store fills within a few pages."""
    rng = random.Random(4)

    def handler(req: object) -> Reply:
        body = "".join(rng.choices(string.ascii_letters + string.digits, k=60_000))
        links = "".join(f'<a href="/p/{rng.randrange(10_000)}.html">x</a>' for _ in range(10))
        return Reply(body=f"<title>page</title><p>{body}</p>{links}")

    return LocalServer(fallback=handler)


def audit(url: str, tmp: Path, db: Path, out: Path, disk: Disk, max_pages: int = 60) -> CliRun:
    args = ["audit", url, "--profile", "links", "--checks", "links", "--format", "json,html,md",
            "--as-of", "2026-11-22", "--delay", "0", "--timeout", "5", "--max-pages", str(max_pages),
            "--db", str(db), "--out", str(out), "--config", str(no_external(tmp))]
    return run_cli(args, tmp, limit_s=60, preexec=disk.preexec)


def no_external(tmp: Path) -> Path:
    """The link check asks nothing beyond the crawled pages: these tests are about the disk."""
    cfg = tmp / "govaudit.toml"
    cfg.write_text('[checks.links]\nexclude = ["/p/"]\n', encoding="utf-8")
    return cfg


def one_line_exit_4(run: CliRun, *words: str) -> str:
    assert run.code == 4, (run.code, run.stderr)
    run.assert_clean_stderr(max_lines=1)
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("govaudit: ")
    for w in words:
        assert w in line, line
    return line


def test_read_only_store(tmp_path: Path, read_only_disk: Disk) -> None:
    with noisy_site() as srv:
        run = audit(srv.url("/"), tmp_path, read_only_disk.path / "store.db", tmp_path / "out", read_only_disk)
        assert srv.log == []  # refused before any request
    one_line_exit_4(run, str(read_only_disk.path / "store.db"))
    assert not (tmp_path / "out").exists()


def test_read_only_output_folder(tmp_path: Path, read_only_disk: Disk) -> None:
    out = read_only_disk.path / "reports"
    with noisy_site() as srv:
        run = audit(srv.url("/"), tmp_path, tmp_path / "store.db", out, read_only_disk, max_pages=3)
        assert srv.log == []  # found before the crawl, not after it
    one_line_exit_4(run, str(out))


def test_store_on_a_full_disk(tmp_path: Path, no_space: Disk) -> None:
    with noisy_site() as srv:
        run = audit(srv.url("/"), tmp_path, no_space.path / "store.db", tmp_path / "out", no_space)
    one_line_exit_4(run, str(no_space.path / "store.db"))


def test_store_filling_the_disk_mid_crawl(tmp_path: Path, little_space: Disk) -> None:
    db = little_space.path / "store.db"
    with noisy_site() as srv:
        run = audit(srv.url("/"), tmp_path, db, tmp_path / "out", little_space)
        assert len(srv.log) >= 2  # the crawl had started: the disk filled under it
    one_line_exit_4(run, str(db))
    assert not (tmp_path / "out" / "report.json").exists()


def test_output_folder_on_a_full_disk(tmp_path: Path, no_space: Disk) -> None:
    out = no_space.path / "reports"
    with noisy_site() as srv:
        run = audit(srv.url("/"), tmp_path, tmp_path / "store.db", out, no_space, max_pages=3)
    one_line_exit_4(run, str(out))
    # Reports are written whole or not at all: no half-written file is left behind.
    left = [p.name for p in out.glob("*")] if out.exists() else []
    assert all(p.startswith("report.") and (out / p).stat().st_size > 0 for p in left), left
