"""A real, local OpenAI-compatible HTTP server for tests and benchmarks (no monkeypatching).

    with FakeOpenAIServer(latency=0.2) as server:
        server.push("error_500", "fenced")      # the next two POSTs: a 500, then JSON in a ```json fence
        provider = get_provider({"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url, ...})
        ...
        assert len(server.requests) == 2

Behaviours are consumed first-in first-out by POSTs to either endpoint; with an empty queue every
request gets the default ("ok": a valid answer built from the request). A behaviour with `when` is
taken only by a request whose user prompt contains that text, so one of several parallel calls can be
scripted: `server.push(Behaviour("truncated", when="Write section 2 of"))`. Outline, introduction and
section prompts are answered by `openai_payloads_outline`. The server speaks
HTTP/1.1 on a ThreadingHTTPServer, so concurrent requests (and their latency) overlap.

CLI for benchmarks: python -m tests.support.openai_server --port 8765 --latency 2
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.support import openai_payloads_outline
from tests.support.openai_payloads import article_payload, image_prompts_payload, png_bytes
from tests.support.openai_payloads_fixes import fix_payload
from tests.support.openai_payloads_links import article_with_links_payload

__all__ = [
    "BEHAVIOURS",
    "Behaviour",
    "FakeOpenAIServer",
    "RecordedRequest",
    "openai_config_fixture",
    "openai_server_fixture",
]

BEHAVIOURS = (
    "ok",  # valid JSON answer built from the prompt (or a PNG for images)
    "fenced",  # the JSON inside a ```json markdown fence
    "prose",  # some chatter, then the JSON
    "hostile",  # valid JSON whose html carries script/onerror/javascript:/iframe/style
    "missing_fields",  # valid JSON without "html"
    "invalid_json",  # prose with a broken object and finish_reason "stop"
    "truncated",  # half the JSON, finish_reason "length"
    "error_500",  # HTTP 500 (with retry-after-ms when the server sets retry_after_ms)
    "rate_limit",  # HTTP 429 with Retry-After
    "bad_request",  # HTTP 400, not retryable
    "slow",  # a valid answer after `delay` extra seconds (for client timeouts)
    "bad_image",  # images: b64 data that is not an image
    "html",  # HTTP 200 with an HTML page (a base URL pointing at a website, a login portal)
    "oversized",  # valid JSON whose fields hold NUL bytes and are longer than Writer's columns
    "links",  # an article linking the pages the prompt offered and invented ones (openai_payloads_links)
)


@dataclass
class Behaviour:
    kind: str = "ok"
    delay: float = 0.0  # extra seconds before answering ("slow")
    retry_after: float | None = None  # seconds in Retry-After for "rate_limit"; default: the server's
    content: str | None = None  # chat: send exactly this assistant content
    fields: dict[str, Any] = field(default_factory=dict)  # chat: override fields of the generated JSON
    finish_reason: str | None = None  # chat: override the finish_reason
    when: str | None = None  # only a request whose user prompt contains this text takes it (else any)

    def __post_init__(self) -> None:
        if self.kind not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {self.kind!r}; choose from {', '.join(BEHAVIOURS)}")


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: dict[str, Any] | None
    headers: dict[str, str]
    behaviour: str
    started: float
    finished: float = 0.0


class FakeOpenAIServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency: float = 0.0,
        api_key: str | None = None,
        retry_after_ms: float | None = None,
        rate_limit_retry_after: float = 1.0,
    ) -> None:
        self.latency = latency  # seconds added to every request, read per request
        self.api_key = api_key  # when set, other keys get a 401 like the real API
        self.retry_after_ms = retry_after_ms  # sent with 5xx so SDK retries need not sleep 0.5–8 s
        self.rate_limit_retry_after = rate_limit_retry_after
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._httpd.request_queue_size = 128
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *behaviours: str | Behaviour) -> None:
        """Script the next POSTs, in order."""
        with self._lock:
            self._queue.extend(b if isinstance(b, Behaviour) else Behaviour(b) for b in behaviours)

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def start(self) -> FakeOpenAIServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, prompt: str = "") -> Behaviour:
        """The first queued behaviour this request may take (`when` matches its prompt)."""
        with self._lock:
            for behaviour in self._queue:
                if behaviour.when is None or behaviour.when in prompt:
                    self._queue.remove(behaviour)
                    return behaviour
            return Behaviour()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers; the SDK pools connections
    server_version = "FakeOpenAI/1.0"

    @property
    def fake(self) -> FakeOpenAIServer:
        return self.server.fake  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            models = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in ("fake-gpt",)]
            self._send(200, {"object": "list", "data": models})
        else:
            self._send(404, _error("Not found", "invalid_request_error"))

    def do_POST(self) -> None:
        started = time.monotonic()
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0].rstrip("/")
        known = path in ("/v1/chat/completions", "/v1/images/generations")
        behaviour = self.fake._next(_prompt_of(body)) if known else Behaviour()
        record = RecordedRequest(
            "POST", path, body, {k.lower(): v for k, v in self.headers.items()}, behaviour.kind, started
        )
        self.fake._record(record)
        time.sleep(self.fake.latency + behaviour.delay)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self._answer(path, body, behaviour)
        record.finished = time.monotonic()

    def _answer(self, path: str, body: dict[str, Any] | None, behaviour: Behaviour) -> None:
        expected = self.fake.api_key
        if expected and self.headers.get("Authorization") != f"Bearer {expected}":
            return self._send(401, _error("Incorrect API key provided.", "invalid_request_error"))
        if path == "/v1/chat/completions":
            handler = _chat
        elif path == "/v1/images/generations":
            handler = _images
        else:
            return self._send(404, _error(f"Unknown path {path}", "invalid_request_error"))
        if not isinstance(body, dict):
            return self._send(
                400, _error("We could not parse the JSON body of your request.", "invalid_json")
            )
        if behaviour.kind == "error_500":
            headers = {}
            if self.fake.retry_after_ms is not None:
                headers["retry-after-ms"] = f"{self.fake.retry_after_ms:g}"
            return self._send(
                500, _error("The server had an error processing your request.", "server_error"), headers
            )
        if behaviour.kind == "rate_limit":
            wait = (
                behaviour.retry_after
                if behaviour.retry_after is not None
                else self.fake.rate_limit_retry_after
            )
            return self._send(
                429, _error("Rate limit reached.", "rate_limit_exceeded"), {"Retry-After": f"{wait:g}"}
            )
        if behaviour.kind == "bad_request":
            return self._send(400, _error("Invalid value for 'model'.", "invalid_request_error"))
        if behaviour.kind == "html":
            return self._send_html("<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>")
        status, payload = handler(body, behaviour)
        self._send(status, payload)

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_html(self, page: str) -> None:
        data = page.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _prompt_of(body: Any) -> str:
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return str(body.get("prompt") or "") if isinstance(body, dict) else ""
    return "\n".join(
        str(m.get("content") or "") for m in messages if isinstance(m, dict) and m.get("role") == "user"
    )


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


# --- chat completions -----------------------------------------------------------------------------


def _chat(body: dict[str, Any], behaviour: Behaviour) -> tuple[int, dict[str, Any]]:
    messages = body.get("messages") or []
    prompt = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "user")
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
    outline_answer = openai_payloads_outline.answer(messages, schema, behaviour.kind)
    if outline_answer is not None and behaviour.content is None:
        return _completion(body, messages, *outline_answer, behaviour)
    if schema == "image_prompts":
        payload = image_prompts_payload(prompt)
    elif behaviour.kind == "links":
        payload = article_with_links_payload(prompt)
    elif schema == "content_fix":
        payload = fix_payload(prompt, behaviour.kind)
    else:
        payload = article_payload(prompt, behaviour.kind)
    payload.update(behaviour.fields)
    text = json.dumps(payload, indent=1)
    finish = "stop"
    content = {
        "fenced": f"```json\n{text}\n```",
        "prose": f"Sure! Here is the article you asked for:\n\n{text}\n\nLet me know if you want changes.",
        "invalid_json": "I am sorry, here it is: {title: 'Untitled', html: <p>oops</p>",
        "truncated": text[: len(text) // 2],
    }.get(behaviour.kind, text)
    if behaviour.kind == "truncated":
        finish = "length"
    if behaviour.content is not None:
        content = behaviour.content
    return _completion(body, messages, content, finish, behaviour)


def _completion(
    body: dict[str, Any], messages: list[Any], content: str, finish: str, behaviour: Behaviour
) -> tuple[int, dict[str, Any]]:
    prompt_tokens = sum(len(str(m.get("content") or "").split()) for m in messages)
    completion_tokens = len(content.split())
    return 200, {
        "id": f"chatcmpl-fake{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model") or "fake-gpt",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": behaviour.finish_reason or finish,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


# --- images ---------------------------------------------------------------------------------------


def _images(body: dict[str, Any], behaviour: Behaviour) -> tuple[int, dict[str, Any]]:
    model = str(body.get("model") or "")
    if model.startswith("gpt-image") and "response_format" in body:
        return 400, _error("Unknown parameter: 'response_format'.", "invalid_request_error")
    size = str(body.get("size") or "1024x1024")
    match = re.fullmatch(r"(\d+)x(\d+)", size)
    if not match and size != "auto":
        return 400, _error(f"Invalid size {size!r}.", "invalid_request_error")
    width, height = (int(match.group(1)), int(match.group(2))) if match else (1024, 1024)
    if behaviour.kind == "bad_image":
        data = base64.b64encode(b"this is not an image").decode()
    else:
        data = base64.b64encode(png_bytes(width, height)).decode()
    if not model.startswith("gpt-image") and body.get("response_format", "url") == "url":
        item = {"url": f"http://127.0.0.1/fake/{width}x{height}.png"}  # what DALL·E does without b64_json
    else:
        item = {"b64_json": data}
    return 200, {"created": int(time.time()), "data": [item]}


# --- pytest fixtures ------------------------------------------------------------------------------


# Registered under `name=` so importing them (conftest star import, or a test module) does not
# shadow the parameter names tests use; the fixtures are `openai_server` and `openai_config`.
@pytest.fixture(name="openai_server")
def openai_server_fixture() -> Iterator[FakeOpenAIServer]:
    """A fresh server per test; 5xx carry retry-after-ms=10 and 429s Retry-After 0.05 so retries are quick."""
    with FakeOpenAIServer(retry_after_ms=10, rate_limit_retry_after=0.05) as server:
        yield server


@pytest.fixture(name="openai_config")
def openai_config_fixture(openai_server: FakeOpenAIServer) -> dict[str, Any]:
    """Settings that point the openai provider at `openai_server` (merge into app config as needed)."""
    return {
        "AI_PROVIDER": "openai",
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": openai_server.base_url,
        "OPENAI_MODEL": "fake-gpt",
        "OPENAI_IMAGE_MODEL": "gpt-image-1",
        "AI_TIMEOUT_SECONDS": 10,
        "AI_MAX_RETRIES": 2,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local OpenAI-compatible server for benchmarks and demos.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    args = parser.parse_args(argv)
    server = FakeOpenAIServer(args.host, args.port, latency=args.latency)
    print(f"Fake OpenAI server on {server.base_url} (latency {args.latency:g} s); Ctrl-C to stop", flush=True)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()


if __name__ == "__main__":
    main()
