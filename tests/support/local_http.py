"""A tiny loopback HTTP server for the outbound-policy tests: answers every request the same way and
counts what reached it, so a test can prove that no connection was made at all."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["LocalServer", "closed_port", "local_server"]


@dataclass
class LocalServer:
    url: str = ""
    port: int = 0
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    connections: int = 0


class _Server(ThreadingHTTPServer):
    state: LocalServer

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.state.connections += 1  # every accepted TCP connection, even one that sends nothing
        return True


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        state = self.server.state
        state.hits.append(f"{self.command} {self.path}")
        raw = json.dumps(state.body).encode() if state.body is not None else b""
        self.send_response(state.status)
        for key, value in {"Content-Type": "application/json", **state.headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def local_server(
    status: int = 200, body: Any = None, headers: dict[str, str] | None = None
) -> Iterator[LocalServer]:
    """A server on 127.0.0.1 answering `status` + JSON `body` (+ `headers`) to every request."""
    state = LocalServer(status=status, body=body, headers=dict(headers or {}))
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = state
    state.port = server.server_address[1]
    state.url = f"http://127.0.0.1:{state.port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
