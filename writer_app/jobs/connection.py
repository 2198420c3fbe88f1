"""The Redis connection shared by RQ queues, and whether it can be reached right now."""

from __future__ import annotations

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError


def redis_connection(url: str | None = None) -> Redis | None:
    """A Redis client for REDIS_URL, or None when Redis is not configured."""
    url = url if url is not None else current_app.config.get("REDIS_URL")
    if not url:
        return None
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)


def ping(url: str | None = None) -> bool:
    connection = redis_connection(url)
    if connection is None:
        return False
    try:
        return bool(connection.ping())
    except RedisError:
        return False
