"""Distributed surveys on Celery with a Redis broker, results in the shared store (PostgreSQL).

`govaudit survey SITES.csv --queue redis://… --db postgresql://…` enqueues one task per unfinished
site; `govaudit worker --queue … --db …` runs a Celery worker on any machine. A task is idempotent:
it claims its site in the store under a lease (the claim carries the run, so a redelivered task
resumes the killed attempt's crawl), is acknowledged only after the site is recorded (acks_late)
and is redelivered when its worker dies (task_reject_on_worker_lost for a killed pool process;
the broker's visibility timeout for a killed worker). The per-IP budget and the one-audit-per-host
rule (one audit per origin) are Redis semaphores with expiry, shared by every worker, so a killed worker never holds a
slot for longer than one lease.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import threading
import time
import uuid
from typing import Any

from govaudit.crawl.urls import host_of, origin_of
from govaudit.errors import StoreError, UsageError
from govaudit.store import Store, redact_url
from govaudit.survey.rate import RedisRate
from govaudit.survey.runner import SiteOutcome, SurveyOptions, audit_site

TASK_NAME = "govaudit.audit_site"
QUEUE = "govaudit"
# Seconds before the broker hands an unacknowledged task to another worker. Short on purpose: a
# task redelivered while its site is still audited by a live worker finds the site under a live
# lease and only polls (a retry with a countdown) until it is done, so a long audit is never run
# twice; a dead worker's task comes back after this, and the site is free when its lease ran out.
DEFAULT_VISIBILITY = 90.0
REENQUEUE_EVERY = 15.0  # seconds between the coordinator's looks for claims whose lease ran out
KEY_PREFIX = "govaudit:sem:"

# Take a slot: drop expired holders, then join if there is room. Redis's own clock decides expiry,
# so workers on machines whose clocks disagree still agree on who holds what.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 60)
  return 1
end
return 0
"""
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1])) + 60)
  return 1
end
return 0
"""


def check_queue_url(url: str) -> str:
    if not url.lower().startswith(("redis://", "rediss://", "unix://")):
        raise UsageError(f"unsupported queue URL {redact_url(url)!r}: use redis://host:port/db (the per-IP "
                         "budget is kept in Redis)")
    return url


class RedisSemaphore:
    """At most `limit` holders of `name` at once across every worker; a holder that stops renewing
    (killed) drops out after `ttl` seconds."""

    def __init__(self, client: Any, name: str, limit: int, ttl: float) -> None:
        self.client = client
        self.key = KEY_PREFIX + name
        self.limit = max(1, int(limit))
        self.ttl = float(ttl)
        self._acquire = client.register_script(_ACQUIRE)
        self._renew = client.register_script(_RENEW)

    def acquire(self) -> str | None:
        token = uuid.uuid4().hex
        got = self._acquire(keys=[self.key], args=[self.limit, self.ttl, token])
        return token if int(got) == 1 else None

    def renew(self, token: str) -> bool:
        return int(self._renew(keys=[self.key], args=[self.ttl, token])) == 1

    def release(self, token: str) -> None:
        self.client.zrem(self.key, token)

    def holders(self) -> int:
        return int(self.client.zcount(self.key, time.time(), "+inf"))


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(check_queue_url(url), socket_connect_timeout=10, socket_timeout=30,
                                health_check_interval=30)


# ---- the Celery app ----------------------------------------------------------------------------


def make_app(queue: str, db: str | None = None, visibility_timeout: float = DEFAULT_VISIBILITY,
             restore_interval: float = 10.0) -> Any:
    """The Celery app for a broker; `db` is the store this process's tasks write to (workers)."""
    from celery import Celery

    app = Celery("govaudit", broker=check_queue_url(queue), set_as_current=False)
    app.conf.update(
        task_acks_late=True,  # a task is done when its site is recorded, not when it is received
        task_reject_on_worker_lost=True,  # a killed pool process puts its task back at once
        worker_prefetch_multiplier=1,  # a worker holds only what it runs: the rest stays for others
        task_ignore_result=True,  # results go to the store
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": visibility_timeout,
                                  "unacked_restore_interval": restore_interval, "unacked_restore_throttle": 1},
        worker_max_tasks_per_child=500,  # bounds the memory a long survey can leave behind
        worker_hijack_root_logger=False,
        govaudit_db=db,
        govaudit_queue=queue,
    )
    app.task(name=TASK_NAME, bind=True, max_retries=None, acks_late=True)(_audit_site_task)
    return app


def enqueue(app: Any, survey_id: str, urls: list[str]) -> int:
    """One task per site; a site enqueued twice is harmless (its claim makes the second a no-op)."""
    with app.producer_or_acquire() as producer:
        for url in urls:
            app.send_task(TASK_NAME, args=[survey_id, url], queue=QUEUE, producer=producer)
    return len(urls)


_local = threading.local()


def _store(db: str | None) -> Store:
    """One store per process and thread: a forked pool process must not share its parent's connection."""
    key = (os.getpid(), db)
    cached = getattr(_local, "stores", {})
    if key not in cached:
        cached = {k: v for k, v in cached.items() if k[0] == os.getpid()}
        cached[key] = Store.open(db)
        _local.stores = cached
    return cached[key]


def _redis(url: str) -> Any:
    key = (os.getpid(), url)
    cached = getattr(_local, "redis", {})
    if key not in cached:
        cached = {key: redis_client(url)}
        _local.redis = cached
    return cached[key]


def worker_id() -> str:
    return f"celery:{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _audit_site_task(self: Any, survey_id: str, url: str) -> str:
    """Audit one site of a survey, once. Returns the site's final status (for the worker's log)."""
    conf = self.app.conf
    store = _store(conf.govaudit_db)
    stored = store.survey(survey_id)
    if stored is None:
        return "unknown-survey"  # enqueued against another store: nothing this worker can record
    opts = SurveyOptions.from_dict(stored)
    site = store.survey_site(survey_id, url)
    if site is None or site.status in ("done", "failed"):
        return site.status if site else "unknown-site"
    if site.status == "running" and site.lease_until and site.lease_until > time.time():
        # Someone holds it: come back when its lease would have run out, in case it died.
        raise self.retry(countdown=min(max(site.lease_until - time.time(), 1.0) + random.uniform(0, 2), 120))
    client = _redis(conf.govaudit_queue)
    ip = _resolve(host_of(url))
    gates = [RedisSemaphore(client, f"ip:{ip}", opts.per_ip, opts.lease),
             RedisSemaphore(client, f"origin:{origin_of(url) or url}", 1, opts.lease)]
    held: list[tuple[RedisSemaphore, str]] = []
    try:
        for gate in gates:
            token = gate.acquire()
            if token is None:
                # The address is busy with other sites: free this worker for them, try again soon.
                raise self.retry(countdown=random.uniform(1.0, 4.0))
            held.append((gate, token))
        pace = RedisRate(client, survey_id, opts.per_ip_rate) if opts.per_ip_rate > 0 else None
        outcome = asyncio.run(_run(store, survey_id, url, opts, held, pace))
    finally:
        for gate, token in held:
            try:
                gate.release(token)
            except Exception:  # noqa: BLE001 - the slot expires by itself
                pass
    if outcome.status == "running":  # claimed elsewhere between our look and our claim
        raise self.retry(countdown=random.uniform(5.0, 15.0))
    return outcome.status


async def _run(store: Store, survey_id: str, url: str, opts: SurveyOptions,
               held: list[tuple[RedisSemaphore, str]], pace: RedisRate | None = None) -> SiteOutcome:
    async def renew() -> None:
        while True:
            await asyncio.sleep(max(opts.lease / 4, 0.5))
            for gate, token in held:
                try:
                    gate.renew(token)
                except Exception:  # noqa: BLE001 - a passing outage; the next beat tries again
                    pass

    beat = asyncio.create_task(renew())
    try:
        return await audit_site(store, survey_id, url, opts, worker_id(), pace=pace)
    finally:
        beat.cancel()


def _resolve(host: str) -> str:
    try:
        return str(socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][4][0])
    except (OSError, UnicodeError, IndexError):
        return f"name:{host}"


# ---- waiting for a distributed survey --------------------------------------------------------


def unfinished(store: Store, survey_id: str) -> list[str]:
    return [s.url for s in store.survey_sites(survey_id) if s.status in ("pending", "running")]


def expired_claims(store: Store, survey_id: str, now: float | None = None) -> list[str]:
    """Sites still marked running whose lease ran out: their worker died (or lost the store)."""
    now = time.time() if now is None else now
    return [s.url for s in store.survey_sites(survey_id)
            if s.status == "running" and (s.lease_until is None or s.lease_until < now)]


class Reenqueuer:
    """The waiting coordinator's safety net: a site whose worker died is enqueued again as soon as
    its lease has run out, without waiting for the broker's visibility timeout; each site at most
    once per `every` seconds (a duplicate task is harmless: the claim makes it a no-op)."""

    def __init__(self, app: Any, survey_id: str, every: float = REENQUEUE_EVERY) -> None:
        self.app, self.survey_id, self.every = app, survey_id, every
        self._last_look = 0.0
        self._sent: dict[str, float] = {}

    def tick(self, store: Store) -> list[str]:
        now = time.monotonic()
        if now - self._last_look < self.every:
            return []
        self._last_look = now
        due = [u for u in expired_claims(store, self.survey_id) if now - self._sent.get(u, -1e9) >= self.every]
        if due:
            enqueue(self.app, self.survey_id, due)
            self._sent.update(dict.fromkeys(due, now))
        return due


# ---- doctor ----------------------------------------------------------------------------------


def doctor(queue: str | None = None, db: str | None = None) -> list[tuple[str, bool, str]]:
    """What distributed surveys need: the libraries, and (when given) a reachable queue and store."""
    from importlib.metadata import PackageNotFoundError, version

    out: list[tuple[str, bool, str]] = []
    for dist, why in (("celery", "distributed surveys"), ("redis", "the queue and the per-IP budget"),
                      ("psycopg", "a PostgreSQL store")):
        try:
            out.append((dist, True, version(dist)))
        except PackageNotFoundError:
            extra = "psycopg[binary]" if dist == "psycopg" else "celery[redis]" if dist == "celery" else dist
            out.append((dist, False, f"not installed (needed for {why}): pip install '{extra}'"))
    if queue:
        out.append(_doctor_queue(queue))
    if db:
        out.append(_doctor_db(db))
    return out


def _doctor_queue(queue: str) -> tuple[str, bool, str]:
    shown = redact_url(queue)
    try:
        client = redis_client(queue)
        client.ping()
        info = client.info("server")
        waiting = client.llen(QUEUE)
    except UsageError as exc:
        return ("queue", False, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure here is "unreachable", said in one line
        return ("queue", False, f"cannot reach {shown}: {_one_line(exc)}")
    return ("queue", True, f"{shown} answers (Redis {info.get('redis_version', '?')}); {waiting} tasks waiting")


def _doctor_db(db: str) -> tuple[str, bool, str]:
    from pathlib import Path

    if not db.lower().startswith(("postgresql://", "postgres://")):
        path = Path(db.split("sqlite:///", 1)[-1]) if db.startswith("sqlite:///") else Path(db)
        folder = path.parent if str(path.parent) else Path(".")
        if path.exists():
            return ("store", os.access(path, os.W_OK), f"SQLite file {path}" + ("" if os.access(path, os.W_OK)
                                                                             else " is not writable"))
        return ("store", os.access(folder, os.W_OK), f"SQLite file {path} will be created"
                if os.access(folder, os.W_OK) else f"cannot create {path}: {folder} is not writable")
    try:
        with Store.open(db) as store:
            where = store.where
    except (StoreError, UsageError) as exc:
        return ("store", False, str(exc))
    return ("store", True, f"{where} reachable; tables ready")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
