"""The WordPress REST client against the real local WordPress (scripts/wordpress-dev.sh)."""

from __future__ import annotations

import io
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from PIL import Image

# The fixtures, registered under their names, also before tests/conftest.py imports them suite-wide.
from tests.support.wordpress import (
    CreatedObjects,
    local_client,
    wordpress_credentials_fixture,  # noqa: F401
    wordpress_server_fixture,  # noqa: F401
    wp_client_fixture,  # noqa: F401
    wp_created_fixture,  # noqa: F401
    wp_prefix_fixture,  # noqa: F401
    wp_unique_fixture,  # noqa: F401
)
from writer_app.integrations.wordpress import (
    WordPressAuthError,
    WordPressClient,
    WordPressCredentials,
    WordPressNotFound,
    WordPressUnavailable,
)

pytestmark = pytest.mark.wordpress


def png_bytes(color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), color).save(buffer, "PNG")
    return buffer.getvalue()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_report_is_ok(wp_client: WordPressClient) -> None:
    report = wp_client.test_connection()

    assert report.ok, report.problems
    assert report.api_answers and report.authenticated
    assert report.user_name == wp_client.credentials.username
    assert report.capabilities == {"publish_posts": True, "upload_files": True, "manage_categories": True}
    assert report.timezone == wp_client.index()["timezone_string"] != ""
    assert report.gmt_offset is not None
    assert report.timezone in report.summary()


def test_wrong_password_is_explained(wordpress_credentials: WordPressCredentials) -> None:
    wrong = WordPressCredentials(wordpress_credentials.url, wordpress_credentials.username, "abcd " * 6)
    with local_client(wrong) as client:
        report = client.test_connection()
        assert not report.ok and report.api_answers and not report.authenticated
        assert len(report.problems) == 1
        assert "application password is wrong" in report.problems[0]
        with pytest.raises(WordPressAuthError) as caught:
            client.create_post({"title": "must not exist", "status": "draft"})
    assert caught.value.status == 401
    assert caught.value.code in ("rest_cannot_create", "incorrect_password")


def test_connection_refused_is_unavailable_quickly() -> None:
    credentials = WordPressCredentials(f"http://127.0.0.1:{closed_port()}", "admin", "x")
    with local_client(credentials) as client:
        started = time.monotonic()
        with pytest.raises(WordPressUnavailable) as caught:
            client.get_post(1)
        assert time.monotonic() - started < 5
        assert caught.value.code == "connection_refused"
        assert "Connection refused" in client.test_connection().problems[0]


def test_term_is_created_once_and_reused(
    wp_client: WordPressClient, wp_created: CreatedObjects, wp_unique: Callable[[str], str]
) -> None:
    name = wp_unique("Category").title()
    first = wp_client.create_term("categories", name, description="From the tests")
    again = wp_client.create_term("categories", name)  # WordPress answers term_exists with the id

    assert again["id"] == first["id"]
    assert (first["name"], first["description"]) == (name, "From the tests")
    assert wp_created.ids["categories"] == [first["id"]]

    slug = wp_unique("tag")
    tag = wp_client.create_term("tags", "Tag " + slug, slug=slug)
    assert tag["slug"] == slug
    assert wp_client.create_term("tags", "Tag " + slug, slug=slug)["id"] == tag["id"]
    assert wp_client.get_term("tags", tag["id"])["taxonomy"] == "post_tag"
    assert [term["id"] for term in wp_client.find_terms("tags", slug=slug)] == [tag["id"]]
    assert [term["id"] for term in wp_client.find_terms("categories", search=name)] == [first["id"]]
    assert wp_client.find_terms("tags", slug=wp_unique("missing")) == []


def test_uploaded_media_is_served_over_http(
    wp_client: WordPressClient, wp_unique: Callable[[str], str]
) -> None:
    data = png_bytes()
    media = wp_client.upload_media(f"{wp_unique('image')}.png", data, "image/png", alt_text="A teal box")

    assert media["mime_type"] == "image/png"
    assert wp_client.get_media(media["id"])["alt_text"] == "A teal box"
    served = requests.get(media["source_url"], timeout=10)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.content == data


def test_uploads_above_php_s_default_2_mb_limit_work(
    wp_client: WordPressClient, wp_unique: Callable[[str], str]
) -> None:
    noise = Image.frombytes("RGB", (1000, 800), secrets.token_bytes(1000 * 800 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 2 * 1024 * 1024

    media = wp_client.upload_media(f"{wp_unique('large')}.png", buffer.getvalue(), "image/png")
    assert media["media_details"]["filesize"] == len(buffer.getvalue())


def test_post_is_created_read_back_and_updated(
    wp_client: WordPressClient, wp_unique: Callable[[str], str]
) -> None:
    category = wp_client.create_term("categories", wp_unique("cat"))
    tag = wp_client.create_term("tags", wp_unique("tag"))
    media = wp_client.upload_media("featured.png", png_bytes("orange"), "image/png", alt_text="Featured")
    slug = wp_unique("post")

    created = wp_client.create_post(
        {
            "title": "First title",
            "content": "<p>Hello <strong>world</strong></p>",
            "excerpt": "Short",
            "slug": slug,
            "status": "publish",
            "categories": [category["id"]],
            "tags": [tag["id"]],
            "featured_media": media["id"],
        }
    )
    post = wp_client.get_post(created["id"])
    assert post["title"]["raw"] == "First title"
    assert post["content"]["raw"] == "<p>Hello <strong>world</strong></p>"
    assert (post["slug"], post["status"]) == (slug, "publish")
    assert (post["categories"], post["tags"], post["featured_media"]) == (
        [category["id"]],
        [tag["id"]],
        media["id"],
    )
    assert post["link"].rstrip("/").endswith(slug)
    page = requests.get(post["link"], timeout=10)  # the pretty permalink serves the published post
    assert page.status_code == 200 and "First title" in page.text

    updated = wp_client.update_post(created["id"], {"title": "Second title", "tags": []})
    assert updated["title"]["raw"] == "Second title"
    again = wp_client.get_post(created["id"])
    assert (again["title"]["raw"], again["tags"], again["categories"]) == (
        "Second title",
        [],
        [category["id"]],
    )
    assert again["modified_gmt"] >= post["modified_gmt"]


def test_scheduled_post_keeps_its_gmt_date(
    wp_client: WordPressClient, wp_unique: Callable[[str], str]
) -> None:
    when = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0, tzinfo=None)
    post = wp_client.create_post(
        {"title": "Later", "slug": wp_unique("future"), "status": "future", "date_gmt": when.isoformat()}
    )

    assert post["status"] == "future"
    assert post["date_gmt"] == when.isoformat()
    # `date` is the site's local time: the script sets a timezone away from UTC on purpose.
    offset = timedelta(hours=float(wp_client.index()["gmt_offset"]))
    local = datetime.fromisoformat(post["date"])
    assert abs(local - (when + offset)) <= timedelta(hours=1)  # DST may differ in three days


def test_find_posts_by_slug_and_status(wp_client: WordPressClient, wp_unique: Callable[[str], str]) -> None:
    slug = wp_unique("draft")
    post = wp_client.create_post({"title": "Draft", "slug": slug, "status": "draft"})

    assert [found["id"] for found in wp_client.find_posts(slug)] == [post["id"]]
    assert wp_client.find_posts(slug, status=["draft", "pending"])[0]["slug"] == slug
    assert wp_client.find_posts(slug, status="publish") == []
    assert wp_client.find_posts(wp_unique("nothing")) == []


def test_trash_then_delete(wp_client: WordPressClient, wp_unique: Callable[[str], str]) -> None:
    slug = wp_unique("trash")
    post = wp_client.create_post({"title": "Bin me", "slug": slug, "status": "publish"})

    assert wp_client.trash_post(post["id"])["status"] == "trash"
    assert wp_client.trash_post(post["id"])["status"] == "trash"  # a repeated DELETE is harmless
    assert wp_client.find_posts(slug) == []  # "any" leaves the trash out
    wp_client.delete_post(post["id"])
    with pytest.raises(WordPressNotFound) as caught:
        wp_client.get_post(post["id"])
    assert caught.value.status == 404 and caught.value.code == "rest_post_invalid_id"


def test_posts_and_terms_iterate_across_pages(
    wp_client: WordPressClient, wp_unique: Callable[[str], str]
) -> None:
    marker = wp_unique("batch")
    ids = [wp_client.create_post({"title": f"{marker} {n}", "status": "draft"})["id"] for n in range(5)]
    tags = [wp_client.create_term("tags", wp_unique("paged"))["id"] for _ in range(3)]

    found = [post["id"] for post in wp_client.iter_posts("draft", per_page=2, params={"search": marker})]
    assert found == ids
    listed = {term["id"] for term in wp_client.iter_terms("tags", per_page=2)}
    assert set(tags) <= listed


def test_rest_route_form_works(
    wordpress_credentials: WordPressCredentials,
    wp_created: CreatedObjects,
    wp_unique: Callable[[str], str],
) -> None:
    with local_client(wordpress_credentials, rest_route=True) as client:
        assert client.uses_rest_route
        post = client.create_post(
            {"title": "Plain permalinks", "slug": wp_unique("plain"), "status": "draft"}
        )
        assert client.get_post(post["id"])["title"]["raw"] == "Plain permalinks"
        assert client.test_connection().ok
    assert wp_created.posts == [post["id"]]


@pytest.fixture
def plain_permalinks_site(wordpress_credentials: WordPressCredentials) -> Iterator[str]:
    """The real WordPress behind a proxy that answers /wp-json/ like plain permalinks do (HTML)."""
    upstream = wordpress_credentials.url.rstrip("/")

    class Proxy(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            if self.path.startswith("/wp-json"):
                body = b"<html><body>Not found</body></html>"
                self.send_response(404)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            length = int(self.headers.get("Content-Length") or 0)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            answer = requests.request(
                self.command, upstream + self.path, headers=headers, data=self.rfile.read(length), timeout=30
            )
            self.send_response(answer.status_code)
            for key in ("Content-Type", "X-WP-Total", "X-WP-TotalPages"):
                if key in answer.headers:
                    self.send_header(key, answer.headers[key])
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_rest_route_form_is_detected(
    plain_permalinks_site: str,
    wordpress_credentials: WordPressCredentials,
    wp_created: CreatedObjects,
    wp_unique: Callable[[str], str],
) -> None:
    credentials = WordPressCredentials(
        plain_permalinks_site, wordpress_credentials.username, wordpress_credentials.app_password
    )
    with local_client(credentials) as client:
        report = client.test_connection()
        assert report.ok and report.uses_rest_route, report.problems
        tag = client.create_term("tags", wp_unique("detected"))
        assert tag["id"] in {term["id"] for term in client.iter_terms("tags", per_page=1)}
    assert wp_created.ids["tags"] == [tag["id"]]


def test_a_site_without_wordpress_is_named() -> None:
    class Html(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body>Just a page</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Html)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with local_client(WordPressCredentials(url, "admin", "x")) as client:
            report = client.test_connection()
            with pytest.raises(WordPressNotFound) as caught:
                client.get_post(1)
    finally:
        server.shutdown()
        server.server_close()
    assert not report.ok and "not a WordPress site" in report.problems[0]
    assert caught.value.code == "not_wordpress"
