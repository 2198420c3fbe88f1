"""Real services for tests: a fresh PostgreSQL database per run, a Redis database number of our own.

Locally a missing service skips the tests that need it, with the reason shown; under CI=true it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_SERVER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
CLAIM_KEY = "writer:test-suite:claim"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing_service(reason: str) -> None:
    """Fail under CI (a missing service is a broken run there), skip with the reason elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: services must be running)", pytrace=False)
    pytest.skip(reason)


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a uniquely named database for this run and drop it afterwards."""
    import psycopg

    name = f"writer_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        missing_service(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}".strip())
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def redis_database() -> Iterator[str | None]:
    """Claim a Redis database number no other test run is using; flush only it, release it at the end."""
    from redis import Redis
    from redis.exceptions import RedisError

    token = uuid.uuid4().hex
    claimed: Redis | None = None
    try:
        for number in range(15, 0, -1):
            connection = Redis.from_url(f"{REDIS_SERVER_URL}/{number}", socket_connect_timeout=2)
            if connection.set(CLAIM_KEY, token, nx=True, ex=6 * 3600):
                claimed = connection
                break
    except RedisError as exc:
        if in_ci():
            pytest.fail(f"Redis is not reachable at {REDIS_SERVER_URL}: {exc}", pytrace=False)
        yield None  # tests that need Redis skip through the `redis_url` fixture
        return
    if claimed is None:
        missing_service("Every Redis database number is claimed by other test runs.")
    url = f"{REDIS_SERVER_URL}/{claimed.connection_pool.connection_kwargs['db']}"
    try:
        yield url
    finally:
        if claimed.get(CLAIM_KEY) == token.encode():
            claimed.flushdb()


def flush_redis(url: str) -> None:
    """Empty our claimed database between tests, keeping the claim."""
    from redis import Redis

    connection = Redis.from_url(url)
    token = connection.get(CLAIM_KEY)
    connection.flushdb()
    if token:
        connection.set(CLAIM_KEY, token, ex=6 * 3600)
