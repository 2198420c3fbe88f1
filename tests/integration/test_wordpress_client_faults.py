"""Rare server behaviours the real WordPress will not produce on demand, from a local HTTP fake:
retries on 503, no retry for POST, timeouts, error bodies, redirects, login failures reported by code.
Every happy path is proven against the real WordPress in test_wordpress_client.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.support.wordpress import local_client
from writer_app.integrations.wordpress import (
    WordPressAuthError,
    WordPressClient,
    WordPressCredentials,
    WordPressError,
    WordPressUnavailable,
)

APP_PASSWORDS = {
    "application-passwords": {"endpoints": {"authorization": "/wp-admin/authorize-application.php"}}
}


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class FakeWordPress:
    """Answers queued per (method, path); the REST index always answers."""

    url: str = ""
    index: dict[str, Any] = field(
        default_factory=lambda: {
            "name": "Fake",
            "namespaces": ["wp/v2"],
            "timezone_string": "",
            "gmt_offset": 5.5,
            "authentication": APP_PASSWORDS,
        }
    )
    queued: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)

    def queue(self, method: str, path: str, *answers: Answer) -> None:
        self.queued.setdefault((method, path), []).extend(answers)

    def answer(self, method: str, path: str) -> Answer:
        if path == "/wp-json/":
            return Answer(body=self.index)
        self.seen.append((method, path))
        answers = self.queued.get((method, path)) or [
            Answer(404, {"code": "rest_no_route", "message": "No route"})
        ]
        return answers.pop(0) if len(answers) > 1 else answers[0]


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # e.g. the timeout test hangs up before the slow answer is written


@pytest.fixture
def fake() -> Iterator[FakeWordPress]:
    state = FakeWordPress()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answer = state.answer(self.command, self.path.split("?")[0])
            time.sleep(answer.delay)
            raw = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            headers = {"Content-Type": "application/json", **answer.headers}
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, *args: object) -> None:
            pass

    server = QuietServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def client_for(fake: FakeWordPress, **options: Any) -> WordPressClient:
    return local_client(WordPressCredentials(fake.url, "editor", "pass word"), backoff=0, **options)


BUSY = Answer(503, {"code": "busy", "message": "Try later"})


def test_idempotent_calls_are_retried_on_503(fake: FakeWordPress) -> None:
    fake.queue("GET", "/wp-json/wp/v2/posts/7", BUSY, BUSY, Answer(body={"id": 7, "status": "publish"}))
    fake.queue("PUT", "/wp-json/wp/v2/posts/7", BUSY, Answer(body={"id": 7, "status": "draft"}))

    with client_for(fake) as client:
        assert client.get_post(7)["id"] == 7
        assert client.update_post(7, {"status": "draft"})["status"] == "draft"
    assert fake.seen.count(("GET", "/wp-json/wp/v2/posts/7")) == 3
    assert fake.seen.count(("PUT", "/wp-json/wp/v2/posts/7")) == 2


def test_post_is_not_retried_and_the_error_is_transient(fake: FakeWordPress) -> None:
    fake.queue("POST", "/wp-json/wp/v2/posts", BUSY, Answer(201, {"id": 1}))

    with client_for(fake) as client, pytest.raises(WordPressUnavailable) as caught:
        client.create_post({"title": "Once"})
    assert fake.seen == [("POST", "/wp-json/wp/v2/posts")]  # a retry could have made a duplicate
    assert (caught.value.status, caught.value.code, caught.value.message) == (503, "busy", "Try later")


def test_retries_give_up_with_unavailable(fake: FakeWordPress) -> None:
    fake.queue("GET", "/wp-json/wp/v2/posts/8", BUSY)

    with client_for(fake, retries=2) as client, pytest.raises(WordPressUnavailable):
        client.get_post(8)
    assert len(fake.seen) == 3


def test_a_slow_server_times_out_as_unavailable(fake: FakeWordPress) -> None:
    fake.queue("GET", "/wp-json/wp/v2/posts/9", Answer(body={"id": 9}, delay=1.5))

    with (
        client_for(fake, timeout=(2, 0.3), retries=0) as client,
        pytest.raises(WordPressUnavailable) as caught,
    ):
        client.get_post(9)
    assert caught.value.code == "timeout"


def test_error_bodies_become_typed_errors(fake: FakeWordPress) -> None:
    fake.queue(
        "POST",
        "/wp-json/wp/v2/posts",
        Answer(
            400,
            {
                "code": "rest_invalid_param",
                "message": "Invalid parameter(s): status",
                "data": {"status": 400},
            },
        ),
    )
    fake.queue(
        "GET", "/wp-json/wp/v2/posts/3", Answer(403, {"code": "rest_forbidden", "message": "<b>No</b> way"})
    )
    fake.queue(
        "GET",
        "/wp-json/wp/v2/posts/4",
        Answer(200, b"<html>cached page</html>", {"Content-Type": "text/html"}),
    )

    with client_for(fake) as client:
        with pytest.raises(WordPressError) as invalid:
            client.create_post({"status": "bogus"})
        with pytest.raises(WordPressAuthError) as forbidden:
            client.get_post(3)
        with pytest.raises(WordPressError) as not_json:
            client.get_post(4)
    assert type(invalid.value) is WordPressError
    assert (invalid.value.code, invalid.value.data) == ("rest_invalid_param", {"status": 400})
    assert str(invalid.value) == "Invalid parameter(s): status (HTTP 400, rest_invalid_param)"
    assert forbidden.value.message == "No way"
    assert not_json.value.code == "not_json"


def test_writes_do_not_follow_redirects(fake: FakeWordPress) -> None:
    fake.queue(
        "POST", "/wp-json/wp/v2/posts", Answer(301, b"", {"Location": "https://example.test/wp-json/"})
    )

    with client_for(fake) as client, pytest.raises(WordPressError) as caught:
        client.create_post({"title": "x"})
    assert caught.value.status == 301
    assert "redirects to https://example.test/wp-json/" in caught.value.message


@pytest.mark.parametrize(
    ("code", "index_auth", "expected"),
    [
        ("incorrect_password", APP_PASSWORDS, "rejected the application password for editor"),
        ("invalid_username", APP_PASSWORDS, "has no user editor"),
        ("rest_not_logged_in", APP_PASSWORDS, "strips the Authorization header"),
        ("rest_not_logged_in", [], "Application passwords need HTTPS or a local environment"),
    ],
)
def test_login_failures_are_explained(fake: FakeWordPress, code: str, index_auth: Any, expected: str) -> None:
    fake.index["authentication"] = index_auth
    fake.queue("GET", "/wp-json/wp/v2/users/me", Answer(401, {"code": code, "message": "no"}))

    with client_for(fake) as client:
        report = client.test_connection()
    assert not report.ok and report.api_answers and not report.authenticated
    assert expected in report.problems[0]
    assert report.timezone == "UTC+5:30"  # no timezone_string: named from gmt_offset


def test_missing_capabilities_are_listed(fake: FakeWordPress) -> None:
    user = {"id": 3, "username": "editor", "roles": ["author"], "capabilities": {"publish_posts": True}}
    fake.queue("GET", "/wp-json/wp/v2/users/me", Answer(body=user))

    with client_for(fake) as client:
        report = client.test_connection()
    assert report.authenticated and not report.ok
    assert report.problems == [
        "The user editor (author) cannot upload media.",
        "The user editor (author) cannot manage categories and tags.",
    ]
