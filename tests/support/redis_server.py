"""A throwaway redis-server of the test's own, which the test may stop and start again.

Never the machine's Redis: a free port, a temporary directory, no persistence. Use the fixture:

    def test_x(redis_server):
        app.config["REDIS_URL"] = redis_server.url
        redis_server.stop()   # Redis goes away mid-test
        redis_server.start()  # same port, empty data (nothing is saved)

`redis_server_factory()` gives more than one. A missing `redis-server` binary skips (fails under CI).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask

from tests.support.services import missing_service

__all__ = ["redis_server", "redis_server_factory"]  # the fixtures, for conftest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port_url() -> str:
    """A redis:// URL where nothing listens (connections are refused at once)."""
    return f"redis://127.0.0.1:{free_port()}/0"


class RedisServer:
    """One redis-server process on 127.0.0.1:`port`, data in `directory`, nothing saved to disk."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            missing_service("redis-server is not installed")
        self.binary = str(binary)
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 10.0) -> RedisServer:
        if self.running:
            return self
        self.directory.mkdir(parents=True, exist_ok=True)
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.directory), "--daemonize", "no"]
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}; see {self.directory}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Stop the server (its data is gone: nothing is saved). Idempotent."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _answers(self) -> bool:
        from redis import Redis
        from redis.exceptions import RedisError

        try:
            return bool(Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5).ping())
        except RedisError:
            return False


@pytest.fixture
def redis_server_factory(tmp_path: Path) -> Iterator[Callable[[], RedisServer]]:
    """Start throwaway Redis servers; all are stopped when the test ends."""
    servers: list[RedisServer] = []

    def make() -> RedisServer:
        server = RedisServer(tmp_path / f"redis-{len(servers)}")
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def redis_server(redis_server_factory: Callable[[], RedisServer]) -> RedisServer:
    """A started throwaway Redis server of this test's own (see the module doc)."""
    return redis_server_factory()


def reset_redis_state() -> None:
    """Forget every "Redis is down" this process remembered (each test starts with Redis trusted)."""
    from writer_app import rate_limits
    from writer_app.extensions import limiter
    from writer_app.services import data_version

    data_version.outage.reset()
    rate_limits.reset()
    limiter._storage_dead = False  # Flask-Limiter's in-memory fallback flag; no public reset exists


@contextmanager
def app_on_redis(app: Flask, url: str) -> Iterator[None]:
    """Point the app's jobs, caches *and rate limits* at `url` for the block.

    The suite's app counts rate limits in memory; Flask-Limiter binds its storage in init_app, so it
    is bound again to `url` here, and back to memory afterwards."""
    from writer_app.extensions import limiter

    saved = {key: app.config[key] for key in ("REDIS_URL", "RATELIMIT_STORAGE_URI")}
    app.config.update(REDIS_URL=url, RATELIMIT_STORAGE_URI=url)
    limiter.init_app(app)
    reset_redis_state()
    try:
        yield
    finally:
        app.config.update(saved)
        limiter.init_app(app)
        reset_redis_state()
