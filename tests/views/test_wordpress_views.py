"""The WordPress pages: site connection settings (admin), the review page's publish controls, the
approve → publish hand-over, and `flask writer wp-connect`. Publishing runs against the real WordPress."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.wp_helpers import connect, publishable, reload
from tests.support.local_http import closed_port, local_server
from tests.support.wordpress import allowed_host
from writer_app.integrations.outbound import REFUSED_MESSAGE
from writer_app.integrations.wordpress import WordPressClient
from writer_app.models import AuditEvent, ContentStatus, Site, SyncStatus, db
from writer_app.services import secrets

PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"


@pytest.fixture
def login(login, client):
    """Log in as `user`, logging out whoever was logged in first."""

    def _login(user, account=None):
        client.post("/logout")
        return login(user, account)

    return _login


def _site(tenant) -> Site:
    return db.session.get(Site, tenant.site.id, populate_existing=True)


def test_admin_saves_connection_and_password_is_never_shown(tenant, client, login) -> None:
    login(tenant.admin)
    url = f"/settings/sites/{tenant.site.id}/wordpress"
    response = client.post(
        url, data={"url": "https://blog.example.com/wp-json/", "username": "editor", "app_password": PASSWORD}
    )
    assert response.status_code == 303
    site = _site(tenant)
    assert site.wp_url == "https://blog.example.com" and site.wp_username == "editor"
    assert PASSWORD.encode() not in site.wp_app_password_encrypted
    assert secrets.decrypt(site.wp_app_password_encrypted) == PASSWORD

    page = client.get(url).get_data(as_text=True)
    assert "https://blog.example.com" in page and "A password is stored." in page
    assert PASSWORD not in page and "ijkl" not in page

    client.post(url, data={"url": "https://blog.example.com", "username": "other", "app_password": ""})
    assert secrets.decrypt(_site(tenant).wp_app_password_encrypted) == PASSWORD  # empty keeps it
    assert _site(tenant).wp_username == "other"

    sites_page = client.get("/settings/sites").get_data(as_text=True)
    assert url in sites_page  # the sites page links the WordPress settings


def test_connection_form_errors_and_roles(tenant, other_tenant, client, login) -> None:
    login(tenant.admin)
    url = f"/settings/sites/{tenant.site.id}/wordpress"
    response = client.post(url, data={"url": "ftp://x", "username": "u", "app_password": "p"})
    assert response.status_code == 422
    assert "http:// or https://" in response.get_data(as_text=True)
    assert client.get(f"/settings/sites/{other_tenant.site.id}/wordpress").status_code == 404
    login(tenant.reviewer)
    assert client.get(url).status_code == 403
    assert (
        client.post(url, data={"url": "https://x.org", "username": "u", "app_password": "p"}).status_code
        == 403
    )


def test_review_page_controls_follow_roles(tenant, client, login) -> None:
    tenant.site.wp_url, tenant.site.wp_username = "https://x.org", "u"
    tenant.site.wp_app_password_encrypted = secrets.encrypt("p")
    content = publishable(tenant, "controls")
    db.session.commit()
    login(tenant.reviewer)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert "Publish to WordPress" in page and "Schedule" in page
    login(tenant.viewer)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert "Not in WordPress yet." in page and "Publish to WordPress" not in page
    login(tenant.editor)
    assert client.post(f"/content/{content.id}/wordpress/publish").status_code == 403


def test_publish_refused_when_site_not_connected(tenant, client, login) -> None:
    content = publishable(tenant, "unconnected")
    db.session.commit()
    login(tenant.reviewer)
    response = client.post(f"/content/{content.id}/wordpress/publish", follow_redirects=True)
    assert "is not connected to WordPress" in response.get_data(as_text=True)
    assert reload(content.id).status == ContentStatus.REVIEW


@pytest.mark.wordpress
def test_test_connection_shows_each_check(tenant, client, login, wordpress_credentials) -> None:
    connect(tenant, wordpress_credentials)
    login(tenant.admin)
    response = client.post(f"/settings/sites/{tenant.site.id}/wordpress/test", headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert "Connected." in text and "Upload media: yes" in text and "Site timezone:" in text

    connect(tenant, wordpress_credentials, password=PASSWORD)
    text = client.post(f"/settings/sites/{tenant.site.id}/wordpress/test").get_data(as_text=True)
    assert "Not working." in text and "did not accept the login" in text


@pytest.mark.wordpress
def test_publish_status_and_unpublish_with_trash_through_the_page(
    tenant,
    client,
    login,
    wordpress_credentials,
    wp_client: WordPressClient,
    wp_created,
    wp_unique,
    app,
    monkeypatch,
) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"), status=ContentStatus.REVIEW)
    db.session.commit()
    content_id = content.id
    login(tenant.reviewer)

    response = client.post(f"/content/{content_id}/wordpress/publish", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Published to WordPress." in text
    content = reload(content_id)
    assert content.status == ContentStatus.PUBLISHED and content.sync_status == SyncStatus.SYNCED
    assert f"as post #{content.external_id}" in text and "Update on WordPress" in text

    status = client.get(f"/content/{content_id}/wordpress/status", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "unchanged since Writer last sent it" in status and content.external_url in status

    again = client.post(f"/content/{content_id}/wordpress/publish", follow_redirects=True).get_data(
        as_text=True
    )
    assert "published already" in again

    post_id = int(content.external_id)
    login(tenant.reviewer)  # unpublishing is for reviewers
    text = client.post(
        f"/content/{content_id}/wordpress/unpublish", data={"trash": "y"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "moved the post to the WordPress trash" in text
    assert reload(content_id).status == ContentStatus.DRAFT
    assert wp_client.get_post(post_id)["status"] == "trash"


@pytest.mark.wordpress
def test_failed_publish_shows_the_error_on_the_content_page(
    tenant, client, login, wordpress_credentials, wp_created, wp_unique, app, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())
    connect(tenant, wordpress_credentials, password=PASSWORD)
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    login(tenant.reviewer)
    client.post(f"/content/{content.id}/wordpress/publish")
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert "Publishing failed." in page and "WordPress refused the request" in page
    assert reload(content.id).status == ContentStatus.APPROVED


@pytest.mark.wordpress
def test_approve_hands_over_to_publishing(
    tenant, client, login, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"), status=ContentStatus.REVIEW)
    db.session.commit()
    login(tenant.reviewer)
    client.post(f"/content/{content.id}/approve", data={"comment": ""})
    content = reload(content.id)
    assert content.status == ContentStatus.PUBLISHED and content.sync_status == SyncStatus.SYNCED
    assert wp_client.get_post(int(content.external_id))["status"] == "publish"


@pytest.mark.wordpress
def test_schedule_in_site_time(
    tenant, client, login, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    from zoneinfo import ZoneInfo

    connect(tenant, wordpress_credentials)
    login(tenant.admin)
    client.post(f"/settings/sites/{tenant.site.id}/wordpress/test")  # stores the site's timezone
    zone = ZoneInfo(wp_client.index()["timezone_string"])
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    local = (datetime.now(zone) + timedelta(days=2)).replace(second=0, microsecond=0, tzinfo=None)
    login(tenant.reviewer)
    client.post(f"/content/{content.id}/wordpress/schedule", data={"when": local.strftime("%Y-%m-%dT%H:%M")})
    content = reload(content.id)
    expected = local.replace(tzinfo=zone).astimezone(UTC)
    post = wp_client.get_post(int(content.external_id))
    assert post["status"] == "future" and post["date_gmt"] == expected.strftime("%Y-%m-%dT%H:%M:%S")


@pytest.mark.wordpress
def test_cli_wp_connect_prints_the_test(tenant, app, wordpress_credentials) -> None:
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["writer", "wp-connect", tenant.site.name, "--url", wordpress_credentials.url,
              "--username", wordpress_credentials.username, "--app-password", wordpress_credentials.app_password]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "OK: Connected to" in result.output
    assert secrets.decrypt(_site(tenant).wp_app_password_encrypted) == wordpress_credentials.app_password

    result = runner.invoke(
        args=["writer", "wp-connect", str(tenant.site.id), "--url", wordpress_credentials.url,
              "--username", wordpress_credentials.username, "--app-password", PASSWORD]
    )  # fmt: skip
    assert result.exit_code == 1 and "FAILED:" in result.output
    result = runner.invoke(
        args=[
            "writer",
            "wp-connect",
            "no such site",
            "--url",
            "https://x.org",
            "--username",
            "u",
            "--app-password",
            "p",
        ]
    )
    assert result.exit_code == 1 and "No site" in result.output


# --- the outbound URL policy on the connection page and in wp-connect ------------------------------

INTERNAL_ANSWER = {"code": "internal", "message": "SECRET-FROM-AN-INTERNAL-SERVICE"}


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379", "http://0x7f000001/", "http://[::1]:8080", "http://169.254.169.254"]
)
def test_a_refused_address_is_a_field_error_when_saving(tenant, client, login, url) -> None:
    login(tenant.admin)
    response = client.post(
        f"/settings/sites/{tenant.site.id}/wordpress", data={"url": url, "username": "u", "app_password": "p"}
    )
    assert response.status_code == 422
    assert "This address is not allowed" in response.get_data(as_text=True)
    assert _site(tenant).wp_url == ""


def _test_connection_page(tenant, client, url: str) -> tuple[str, list]:
    """Run the page's connection test against `url`, stored as an older version could have stored it."""
    site = _site(tenant)
    site.wp_url, site.wp_username, site.wp_app_password_encrypted = url, "u", secrets.encrypt("p")
    db.session.commit()
    page = client.post(f"/settings/sites/{tenant.site.id}/wordpress/test").get_data(as_text=True)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "site.wordpress_test").order_by(AuditEvent.id.desc())
    ).first()
    # Per-request tokens (CSRF signatures carry a timestamp, create forms a fresh one-time token) differ
    # between any two pages; everything else must be the same.
    page = re.sub(
        r'("X-CSRFToken": "|name="(?:csrf_token|form_token)" (?:type="hidden" )?value=")[^"]+', r"\1…", page
    )
    return page.replace(url, "URL"), event.details


def test_a_refused_host_looks_the_same_whether_its_port_is_open_or_closed(tenant, client, login) -> None:
    login(tenant.admin)
    with local_server(401, INTERNAL_ANSWER) as internal:
        open_page, open_audit = _test_connection_page(tenant, client, internal.url)
        closed_page, closed_audit = _test_connection_page(tenant, client, f"http://127.0.0.1:{closed_port()}")
    assert internal.connections == 0  # nothing was even attempted
    assert "This address is not allowed" in open_page and "SECRET" not in open_page
    assert open_page == closed_page
    assert open_audit == closed_audit == {"ok": False, "problems": [REFUSED_MESSAGE]}


def test_an_allowed_host_that_is_not_wordpress_is_not_quoted(tenant, client, login, app, monkeypatch) -> None:
    login(tenant.admin)
    with local_server(401, INTERNAL_ANSWER) as internal:
        monkeypatch.setitem(app.config, "WORDPRESS_ALLOW_PRIVATE_HOSTS", allowed_host(internal.url))
        page, audit = _test_connection_page(tenant, client, internal.url)
    assert internal.hits  # allowed: it was asked
    assert "Not working." in page and "the server answered HTTP 401" in page
    assert "SECRET" not in page and "SECRET" not in str(audit)


def test_cli_wp_connect_obeys_the_policy(tenant, app) -> None:
    db.session.commit()
    with local_server(200, INTERNAL_ANSWER) as internal:
        result = app.test_cli_runner().invoke(
            args=["writer", "wp-connect", tenant.site.name, "--url", internal.url,
                  "--username", "u", "--app-password", "p"]
        )  # fmt: skip
    assert result.exit_code == 1
    assert "This address is not allowed" in result.output and "SECRET" not in result.output
    assert internal.connections == 0 and _site(tenant).wp_url == ""
