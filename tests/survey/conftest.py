"""Session-wide real services for survey tests: one redis-server and one PostgreSQL, each on its own
port and data directory, stopped by PID at the end. A test gets its own database or Redis db."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.survey.services import Postgres, Redis, ServiceMissing, postgres_server, redis_server

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Postgres]:
    try:
        with postgres_server() as pg:
            yield pg
    except ServiceMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def redis_srv() -> Iterator[Redis]:
    try:
        with redis_server() as r:
            yield r
    except ServiceMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture
def pg_url(pg_server: Postgres) -> str:
    """A fresh, empty database for one test."""
    return pg_server.create_database(f"t{next(_names)}")


@pytest.fixture
def redis_url(redis_srv: Redis) -> str:
    import redis

    client = redis.Redis(port=redis_srv.port)
    client.flushall()
    client.close()
    return redis_srv.url
