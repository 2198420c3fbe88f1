"""The connection test's report and its plain-words explanations (no HTTP here: see wordpress.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from writer_app.integrations.wordpress import WordPressAuthError, WordPressError

# Capability → what the publishing flow needs it for, in the words a report uses.
REQUIRED_CAPABILITIES = {
    "publish_posts": "publish posts",
    "upload_files": "upload media",
    "manage_categories": "manage categories and tags",
}


@dataclass
class ConnectionReport:
    """What `test_connection` found; `problems` holds one plain sentence per failed check."""

    url: str
    problems: list[str] = field(default_factory=list)
    api_answers: bool = False
    uses_rest_route: bool = False
    authenticated: bool = False
    site_name: str = ""
    user_id: int | None = None
    user_name: str = ""
    capabilities: dict[str, bool] = field(default_factory=dict)
    timezone: str = ""
    gmt_offset: float | None = None

    @property
    def ok(self) -> bool:
        return self.api_answers and self.authenticated and not self.problems

    def summary(self) -> str:
        if not self.ok:
            return "; ".join(self.problems) or "The connection test did not finish."
        return (
            f"Connected to “{self.site_name}” as {self.user_name}: can publish posts, upload media and "
            f"manage categories and tags. Site timezone: {self.timezone}."
        )


def explain_auth_failure(
    exc: WordPressAuthError, index: Mapping[str, Any], *, username: str, site_url: str
) -> str:
    """Plain words for a refused login, from WordPress's error code and its REST index."""
    available = "application-passwords" in (index.get("authentication") or {})
    if exc.code == "incorrect_password":
        return f"WordPress rejected the application password for {username}: it is wrong or was revoked."
    if exc.code in ("invalid_username", "invalid_email"):
        return f"WordPress has no user {username}."
    if exc.code == "application_passwords_disabled_for_user":
        return f"Application passwords are turned off for the user {username}."
    if not available or exc.code == "application_passwords_disabled":
        if urlsplit(site_url).scheme == "http":
            return (
                "Application passwords need HTTPS or a local environment: this site is served over "
                "plain http and is not marked local (WP_ENVIRONMENT_TYPE), so WordPress ignores them."
            )
        return "Application passwords are disabled on this site (by a plugin or a filter)."
    if exc.status == 403:
        return f"The user {username} is logged in but may not read its own profile: {exc.message}"
    return (
        f"WordPress did not accept the login for {username}: the application password is wrong, or the "
        "server strips the Authorization header before WordPress sees it (on Apache: CGIPassAuth On, "
        "or a rewrite rule that passes HTTP_AUTHORIZATION)."
    )


def explain_unreachable(url: str, exc: WordPressError, *, answered_as_wordpress: bool = False) -> str:
    """Plain words for a failed call. Text the remote host sent (an error `message`, a reason phrase)
    is repeated only when the host answered as a WordPress REST API: anything else may be an internal
    service whose answers must not reach the page or the audit log."""
    if exc.code == "address_refused":
        return exc.message
    if exc.code == "connection_refused":
        return f"Connection refused: nothing listens at {url} (is the server running, is the port right?)."
    if exc.code == "timeout":
        return f"{url} did not answer in time."
    if exc.code in ("not_wordpress", "tls_error"):
        return exc.message.rstrip(".") + "."
    if answered_as_wordpress:
        return f"Could not reach the WordPress REST API at {url}: {exc}."
    if exc.status:
        return f"Could not reach the WordPress REST API at {url}: the server answered HTTP {exc.status}."
    return f"Could not reach the WordPress REST API at {url}."


def float_or_none(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def utc_offset_name(offset: float | None) -> str:
    if offset is None:
        return ""
    hours, minutes = divmod(round(abs(offset) * 60), 60)
    sign = "-" if offset < 0 else "+"
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
