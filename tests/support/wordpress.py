"""Fixtures for tests against the real local WordPress that scripts/wordpress-dev.sh installs.

- `wordpress_server`: the script's PHP server (`url`, `running()`, `stop()`, `start()`) for fault
  tests; started by the session when installed but not running, and stopped again at its end unless
  another session (the other suite of `make test`) still uses it.
- `wordpress_credentials`: `WordPressCredentials` from `.wordpress/env`. Not installed → skip with the
  reason locally, fail under CI=true.
- `wp_created`: records every post, media item and term that ANY `WordPressClient` creates during
  the test (a 201 answer to a POST), whoever made the client (the test or the service under test),
  and force-deletes them afterwards. Tests never touch WordPress data they did not create.
- `wp_client`: a `WordPressClient` for the test, with `wp_created` active.
- `local_client(credentials, **options)`: a `WordPressClient` that the outbound policy lets reach this
  loopback WordPress (and nothing else private): `allowed_host(url)` gives the host:port entry.
- Tests that use the WordPress take turns across processes (a file lock per test): `make test` runs the
  SQLite and PostgreSQL suites side by side, and fault tests stop and start the shared server.
- `wp_prefix` (per run) and `wp_unique("post") -> "wt0142a1b2-post-1"`: names and slugs of our own.
"""

from __future__ import annotations

import fcntl
import itertools
import secrets
import shlex
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.support.services import missing_service
from writer_app.integrations.wordpress import (
    WordPressClient,
    WordPressCredentials,
    WordPressNotFound,
)

__all__ = [
    "CreatedObjects",
    "WordPressServer",
    "allowed_host",
    "local_client",
    "one_wordpress_test_at_a_time",
    "read_wordpress_env",
    "wordpress_credentials_fixture",
    "wordpress_server_fixture",
    "wp_client_fixture",
    "wp_created_fixture",
    "wp_prefix_fixture",
    "wp_unique_fixture",
]

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "wordpress-dev.sh"
ENV_FILE = REPO / ".wordpress" / "env"
TURN_LOCK = Path(tempfile.gettempdir()) / "writer-wordpress-tests.lock"
USERS_LOCK = Path(tempfile.gettempdir()) / "writer-wordpress-users.lock"  # held shared by each session
INSTALL_HINT = "run `sudo scripts/wordpress-dev.sh` to install and start it"


def read_wordpress_env(path: Path = ENV_FILE) -> dict[str, str]:
    """The KEY='value' lines the script writes."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, _, raw = line.partition("=")
            values[key.strip()] = " ".join(shlex.split(raw))
    return values


def allowed_host(url: str) -> str:
    """The WORDPRESS_ALLOW_PRIVATE_HOSTS entry (host:port) for a local server at `url`."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def local_client(credentials: WordPressCredentials, **options: Any) -> WordPressClient:
    """A client allowed to reach the loopback server in `credentials` (only that host:port)."""
    return WordPressClient(credentials, allow_private_hosts=allowed_host(credentials.url), **options)


@dataclass
class WordPressServer:
    """The PHP built-in server that scripts/wordpress-dev.sh runs."""

    url: str

    def running(self) -> bool:
        try:
            response = requests.get(f"{self.url}/?rest_route=/&_fields=namespaces", timeout=3)
        except requests.RequestException:
            return False
        return response.ok and "namespaces" in response.text

    def start(self) -> None:
        result = subprocess.run(
            [str(SCRIPT), "start"], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0 or not self.running():
            raise RuntimeError(f"scripts/wordpress-dev.sh start failed:\n{result.stderr}")

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "stop"], capture_output=True, text=True, timeout=60, check=True)
        deadline = time.monotonic() + 10
        while self.running():
            if time.monotonic() > deadline:
                raise RuntimeError(f"WordPress still answers at {self.url} (not started by the script?)")
            time.sleep(0.1)


@pytest.fixture(autouse=True)
def one_wordpress_test_at_a_time(request: pytest.FixtureRequest) -> Iterator[None]:
    """Hold the machine-wide WordPress turn for the length of a test that uses the WordPress."""
    if "wordpress_server" not in request.fixturenames:
        yield
        return
    with _turn():
        yield


@contextmanager
def _turn() -> Iterator[None]:
    """The machine-wide WordPress turn (an exclusive file lock)."""
    with TURN_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(name="wordpress_server", scope="session")
def wordpress_server_fixture() -> Iterator[WordPressServer]:
    if not SCRIPT.exists():
        missing_service("scripts/wordpress-dev.sh is missing")
    if not ENV_FILE.exists():
        missing_service(f"the local WordPress is not installed: {INSTALL_HINT}")
    server = WordPressServer(read_wordpress_env()["WP_URL"].rstrip("/"))
    # Every session using the server holds USERS_LOCK shared until it ends. The check runs in a turn:
    # outside one, another suite's fault test may have stopped the server for a moment, and this
    # session would start it as its own and stop it at its end under the other suite's feet.
    with USERS_LOCK.open("a") as users:
        fcntl.flock(users, fcntl.LOCK_SH)
        with _turn():
            started_here = not server.running()
            if started_here:
                try:
                    server.start()
                except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
                    missing_service(f"the local WordPress does not start ({exc}); {INSTALL_HINT}")
        yield server
        fcntl.flock(users, fcntl.LOCK_UN)
        if started_here:
            _stop_unless_used(server)


def _stop_unless_used(server: WordPressServer) -> None:
    """Stop the server this session started, unless another session still uses it."""
    with USERS_LOCK.open("a") as users:
        try:
            fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # the other suite still runs; the server stays up for it (and the next run)
        with _turn():
            server.stop()


@pytest.fixture(name="wordpress_credentials", scope="session")
def wordpress_credentials_fixture(wordpress_server: WordPressServer) -> WordPressCredentials:
    env = read_wordpress_env()
    return WordPressCredentials(env["WP_URL"], env["WP_USER"], env["WP_APP_PASSWORD"])


@pytest.fixture(name="wp_prefix", scope="session")
def wp_prefix_fixture() -> str:
    """Unique per run, lower-case and slug-safe, so runs never collide."""
    return f"wt{time.strftime('%H%M%S')}{secrets.token_hex(2)}"


@pytest.fixture(name="wp_unique")
def wp_unique_fixture(wp_prefix: str) -> Callable[[str], str]:
    counter = itertools.count(1)

    def unique(label: str = "item") -> str:
        return f"{wp_prefix}-{label}-{next(counter)}"

    return unique


# Collection route of a create call → the kind recorded for cleanup.
CREATE_ROUTES = {
    "/wp/v2/posts": "posts",
    "/wp/v2/media": "media",
    "/wp/v2/categories": "categories",
    "/wp/v2/tags": "tags",
}


@dataclass
class CreatedObjects:
    """Ids created in WordPress during one test, by kind: posts, media, categories, tags."""

    ids: dict[str, list[int]] = field(default_factory=lambda: {kind: [] for kind in CREATE_ROUTES.values()})

    @property
    def posts(self) -> list[int]:
        return self.ids["posts"]

    @property
    def media(self) -> list[int]:
        return self.ids["media"]

    @property
    def terms(self) -> list[tuple[str, int]]:
        return [(kind, term_id) for kind in ("categories", "tags") for term_id in self.ids[kind]]

    def delete_all(self, client: WordPressClient) -> list[str]:
        """Force-delete everything recorded; returns what could not be deleted."""
        failures: list[str] = []
        deleters: list[tuple[str, list[int], Callable[[int], Any]]] = [
            ("post", self.posts, client.delete_post),
            ("media", self.media, client.delete_media),
            ("category", self.ids["categories"], lambda i: client.delete_term("categories", i)),
            ("tag", self.ids["tags"], lambda i: client.delete_term("tags", i)),
        ]
        for label, ids, delete in deleters:
            for object_id in dict.fromkeys(ids):
                try:
                    delete(object_id)
                except WordPressNotFound:
                    pass  # the test deleted it itself
                except Exception as exc:
                    failures.append(f"{label} {object_id}: {exc}")
            ids.clear()
        return failures


@pytest.fixture(name="wp_created")
def wp_created_fixture(wordpress_credentials: WordPressCredentials) -> Iterator[CreatedObjects]:
    created = CreatedObjects()
    original_send = WordPressClient._send

    # Wraps the client's single HTTP entry point: the calls stay real, we only note what they create.
    def recording_send(self: WordPressClient, method: str, route: str, **kwargs: Any) -> requests.Response:
        response = original_send(self, method, route, **kwargs)
        kind = CREATE_ROUTES.get(route)
        if method == "POST" and kind and response.status_code == 201:
            created.ids[kind].append(int(response.json()["id"]))
        return response

    WordPressClient._send = recording_send  # type: ignore[method-assign]
    try:
        yield created
    finally:
        WordPressClient._send = original_send  # type: ignore[method-assign]
    with local_client(wordpress_credentials) as cleaner:
        failures = created.delete_all(cleaner)
    if failures:
        pytest.fail("WordPress cleanup failed: " + "; ".join(failures), pytrace=False)


@pytest.fixture(name="wp_client")
def wp_client_fixture(
    wordpress_credentials: WordPressCredentials, wp_created: CreatedObjects
) -> Iterator[WordPressClient]:
    with local_client(wordpress_credentials) as client:
        yield client
