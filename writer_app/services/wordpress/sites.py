"""A site's WordPress connection: URL, username and application password (encrypted at rest, never
rendered back), the connection test, and the site's timezone as WordPress reports it.

    save_connection(scope, site_id, url=, username=, app_password=) -> Site     admin; "" keeps the password
    test_site_connection(scope, site_id) -> ConnectionReport                    admin; stores the timezone
    client_for(site) -> WordPressClient                                         for publishing/sync jobs
    connection_info(site) -> dict                                               what a page may show

Stored in Site.settings["wordpress"]: {"timezone", "gmt_offset", "site_name", "checked_at", "ok",
"summary"} from the last connection test.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from writer_app.integrations.outbound import AddressRefused, OutboundPolicy
from writer_app.integrations.wordpress import WordPressClient, WordPressCredentials
from writer_app.integrations.wordpress_report import ConnectionReport
from writer_app.models import Role, Site, db
from writer_app.models.base import utcnow
from writer_app.services import audit, secrets
from writer_app.services.errors import ValidationError
from writer_app.services.scope import Scope, get

SETTINGS_KEY = "wordpress"
MAX_URL = 500


def _allowed_private_hosts() -> str:
    return current_app.config.get("WORDPRESS_ALLOW_PRIVATE_HOSTS", "")


def _clean_url(url: str) -> str:
    from writer_app.integrations.wordpress import _site_root

    url = (url or "").strip()
    if not url:
        raise ValidationError.field("url", "Enter the WordPress site's address, e.g. https://example.com.")
    if len(url) > MAX_URL:
        raise ValidationError.field("url", f"Use at most {MAX_URL} characters.")
    try:
        root = _site_root(url)
    except ValueError:
        raise ValidationError.field("url", "Enter an http:// or https:// address.") from None
    try:
        # Early feedback only: every connection checks the address it actually connects to again.
        OutboundPolicy.allowing(_allowed_private_hosts()).check_url(root)
    except AddressRefused as refused:
        raise ValidationError.field("url", refused.message) from None
    return root


def save_connection(scope: Scope, site_id: Any, *, url: str, username: str, app_password: str = "") -> Site:
    """Store the connection (admin). An empty `app_password` keeps the stored one, so the form never
    has to show it; the password is encrypted with Fernet before it reaches the database."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    clean_url = _clean_url(url)
    username = (username or "").strip()
    if not username:
        raise ValidationError.field("username", "Enter the WordPress user name publishing happens as.")
    # WordPress shows application passwords in groups of four with spaces; both forms work.
    password = (app_password or "").strip()
    if not password and not site.wp_app_password_encrypted:
        raise ValidationError.field(
            "app_password", "Enter an application password (WordPress → Users → Profile)."
        )
    changed = clean_url != site.wp_url or username != site.wp_username or bool(password)
    site.wp_url, site.wp_username = clean_url, username
    if password:
        site.wp_app_password_encrypted = secrets.encrypt(password)
    if changed:
        # An earlier test result no longer describes this connection.
        site.settings = {**(site.settings or {}), SETTINGS_KEY: {}}
    audit.record(
        scope,
        "site.wordpress_connect",
        site,
        url=clean_url,
        username=username,
        password_changed=bool(password),
    )
    db.session.flush()
    return site


def disconnect(scope: Scope, site_id: Any) -> Site:
    """Forget the connection (admin)."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    site.wp_url, site.wp_username, site.wp_app_password_encrypted = "", "", None
    site.settings = {**(site.settings or {}), SETTINGS_KEY: {}}
    audit.record(scope, "site.wordpress_disconnect", site)
    db.session.flush()
    return site


def credentials_for(site: Site) -> WordPressCredentials:
    """The site's credentials; ValidationError when the site is not connected or the key changed."""
    if not site.wp_connected:
        raise ValidationError(
            f"Site “{site.name}” is not connected to WordPress: an admin enters its address, user and "
            "application password in the site settings."
        )
    password = secrets.decrypt(site.wp_app_password_encrypted)
    if not password:
        raise ValidationError(
            f"The stored application password of “{site.name}” cannot be decrypted (the encryption key "
            "changed): an admin enters it again."
        )
    return WordPressCredentials(site.wp_url, site.wp_username, password)


def client_for(site: Site) -> WordPressClient:
    timeout = current_app.config.get("WORDPRESS_TIMEOUT", (5, 30))
    # Which URL form the site answers on (/wp-json/ or ?rest_route=), once known, saves a request a job.
    rest_route = ((site.settings or {}).get(SETTINGS_KEY) or {}).get("rest_route")
    return WordPressClient(
        credentials_for(site),
        timeout=tuple(timeout),  # type: ignore[arg-type]
        rest_route=rest_route,
        allow_private_hosts=_allowed_private_hosts(),
    )


def remember_url_form(site: Site, client: WordPressClient) -> None:
    """Store the URL form `client` found, so the next client of the site need not look for it."""
    info = (site.settings or {}).get(SETTINGS_KEY) or {}
    if info.get("rest_route") != client.uses_rest_route:
        site.settings = {
            **(site.settings or {}),
            SETTINGS_KEY: {**info, "rest_route": client.uses_rest_route},
        }


def test_site_connection(scope: Scope, site_id: Any) -> ConnectionReport:
    """Run the connection test (admin) and remember its outcome and the site's timezone."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    with client_for(site) as client:
        report = client.test_connection()
    info = dict((site.settings or {}).get(SETTINGS_KEY) or {})
    info.update(ok=report.ok, summary=report.summary(), checked_at=utcnow().isoformat())
    if report.api_answers:
        info.update(timezone=report.timezone, gmt_offset=report.gmt_offset, site_name=report.site_name)
        info.update(rest_route=client.uses_rest_route)
    site.settings = {**(site.settings or {}), SETTINGS_KEY: info}
    audit.record(scope, "site.wordpress_test", site, ok=report.ok, problems=report.problems)
    db.session.flush()
    return report


def connection_info(site: Site) -> dict[str, Any]:
    """What pages show about the connection: never the password, only whether one is stored."""
    info = dict((site.settings or {}).get(SETTINGS_KEY) or {})
    return {
        "url": site.wp_url,
        "username": site.wp_username,
        "has_password": bool(site.wp_app_password_encrypted),
        "connected": site.wp_connected,
        "timezone": info.get("timezone", ""),
        "site_name": info.get("site_name", ""),
        "checked_at": info.get("checked_at"),
        "ok": info.get("ok"),
        "summary": info.get("summary", ""),
    }


def find_site(name_or_id: str, account_id: int | None = None) -> Site:
    """A site by id or name, for the command line (names are unique per account only)."""
    from sqlalchemy import select

    stmt = select(Site)
    if account_id is not None:
        stmt = stmt.where(Site.account_id == account_id)
    if name_or_id.isdigit():
        found = db.session.scalars(stmt.where(Site.id == int(name_or_id))).all()
    else:
        found = db.session.scalars(stmt.where(Site.name == name_or_id)).all()
    if not found:
        raise ValidationError.field("site", f"No site “{name_or_id}”.")
    if len(found) > 1:
        raise ValidationError.field(
            "site", f"{len(found)} accounts have a site “{name_or_id}”: give its id or --account."
        )
    return found[0]
