"""WordPress REST API client: the only module in Writer that talks HTTP to WordPress.

Authentication is Basic auth with an application password. Both URL forms work: `/wp-json/<route>`
(pretty permalinks) and `/?rest_route=<route>` (plain permalinks); the client detects once which one
answers JSON. Every failure raises a `WordPressError` subclass that carries the HTTP status and
WordPress's error `code`, `message` and `data`:

- `WordPressAuthError` (401/403): wrong credentials or a missing capability; retrying will not help.
- `WordPressNotFound` (404): the post/term/media (or the route) does not exist.
- `WordPressUnavailable`: connection refused, timeout, 5xx. Transient: callers may retry later.
- code `address_refused`: the outbound policy (outbound.py) refused the address; no connection was made.

`test_connection()` returns a `ConnectionReport` (wordpress_report.py) with one plain sentence per
failed check. Calls return WordPress's own JSON objects as plain dicts. Keys callers rely on:
posts `id, slug, status, link, date_gmt, modified_gmt, title.raw, content.raw, excerpt.raw,
categories, tags, featured_media` (context=edit); terms `id, name, slug, description, count,
taxonomy`; media `id, source_url, alt_text, mime_type, media_details`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "WordPressAuthError",
    "WordPressClient",
    "WordPressCredentials",
    "WordPressError",
    "WordPressNotFound",
    "WordPressUnavailable",
]
from urllib.parse import urlsplit

import requests
import urllib3
from urllib3.util.retry import Retry

from writer_app.integrations.outbound import AddressRefused, OutboundPolicy, PolicyAdapter
from writer_app.integrations.wordpress_errors import (
    WordPressAuthError,
    WordPressError,
    WordPressNotFound,
    WordPressUnavailable,
    error_from,
    json_or_none,
    parse,
)
from writer_app.integrations.wordpress_report import (
    REQUIRED_CAPABILITIES,
    ConnectionReport,
    explain_auth_failure,
    explain_unreachable,
    float_or_none,
    utc_offset_name,
)

Taxonomy = Literal["categories", "tags"]
TAXONOMIES: tuple[str, ...] = ("categories", "tags")
INDEX_FIELDS = "name,description,url,home,gmt_offset,timezone_string,namespaces,authentication"
# PUT/DELETE are idempotent in the REST API, so a retry cannot duplicate anything; POST is not.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class WordPressCredentials:
    url: str
    username: str
    app_password: str = field(repr=False)


class _NoAuth(requests.auth.AuthBase):
    """Overrides the session's Basic auth for anonymous probes."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class WordPressClient:
    """A connection to one WordPress site. Reuse it for a batch of calls; `close()` when done."""

    def __init__(
        self,
        credentials: WordPressCredentials,
        timeout: tuple[float, float] = (5, 30),
        *,
        retries: int = 2,
        backoff: float = 0.3,
        rest_route: bool | None = None,
        allow_private_hosts: str | Iterable[str] = "",
    ) -> None:
        """`rest_route`: None detects the URL form on first use; True/False forces one.
        `allow_private_hosts`: host[:port] entries the outbound policy lets through although private."""
        self.credentials = credentials
        self.base_url = _site_root(credentials.url)
        self.policy = OutboundPolicy.allowing(allow_private_hosts)
        self.timeout = timeout
        self.session = requests.Session()
        self.session.auth = (credentials.username, credentials.app_password)
        self.session.max_redirects = 5  # each hop is checked by the policy anyway
        self.session.headers.update({"Accept": "application/json", "User-Agent": "Writer WordPress client"})
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            status_forcelist=(502, 503, 504),
            allowed_methods=IDEMPOTENT_METHODS,
            raise_on_status=False,
            respect_retry_after_header=False,  # a long Retry-After would block a worker
        )
        adapter = PolicyAdapter(self.policy, max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._rest_route: bool | None = rest_route
        self._index: dict[str, Any] | None = None

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- site and connection --------------------------------------------------------------------

    @property
    def uses_rest_route(self) -> bool:
        """True when the site answers on `?rest_route=` only (plain permalinks)."""
        if self._rest_route is None:
            self.index()
        return bool(self._rest_route)

    def index(self) -> dict[str, Any]:
        """The REST index (name, url, home, timezone_string, gmt_offset, namespaces, authentication).

        The first call also detects the URL form: `/wp-json/` when it answers JSON, else `?rest_route=`.
        """
        if self._index is not None:
            return self._index
        forms = (False, True) if self._rest_route is None else (self._rest_route,)
        for rest_route in forms:
            url, params = self._url("/", {"_fields": INDEX_FIELDS}, rest_route=rest_route)
            response = self._http("GET", url, params=params, auth=_NoAuth())
            body = json_or_none(response)
            if isinstance(body, dict) and isinstance(body.get("namespaces"), list):
                self._rest_route, self._index = rest_route, body
                return body
            if isinstance(body, dict) and "code" in body:  # the REST API answers here, with an error
                self._rest_route = rest_route
                raise error_from(response)
            if response.status_code >= 500:
                raise error_from(response)
        raise WordPressNotFound(
            f"No WordPress REST API answers at {self.base_url} (neither /wp-json/ nor ?rest_route=/): "
            "it is not a WordPress site, or its REST API is disabled",
            status=404,
            code="not_wordpress",
        )

    def current_user(self) -> dict[str, Any]:
        """The authenticated user with `capabilities` and `roles` (context=edit)."""
        return self._request("GET", "/wp/v2/users/me", params={"context": "edit"})

    def test_connection(self) -> ConnectionReport:
        """Check the API, the credentials and the capabilities; never raises for WordPress failures."""
        report = ConnectionReport(url=self.base_url)
        try:
            index = self.index()
        except WordPressError as exc:
            report.problems.append(explain_unreachable(self.base_url, exc))
            return report
        report.api_answers = "wp/v2" in index.get("namespaces", [])
        report.uses_rest_route = bool(self._rest_route)
        report.site_name = html.unescape(str(index.get("name", "")))
        report.gmt_offset = float_or_none(index.get("gmt_offset"))
        report.timezone = index.get("timezone_string") or utc_offset_name(report.gmt_offset)
        if not report.api_answers:
            report.problems.append("The site answers the REST API but without the wp/v2 routes posts need.")
        try:
            user = self.current_user()
        except WordPressAuthError as exc:
            report.problems.append(
                explain_auth_failure(exc, index, username=self.credentials.username, site_url=self.base_url)
            )
            return report
        except WordPressError as exc:
            report.problems.append(explain_unreachable(self.base_url, exc, answered_as_wordpress=True))
            return report
        report.authenticated = True
        report.user_id = user.get("id")
        report.user_name = user.get("username") or user.get("name") or self.credentials.username
        granted = user.get("capabilities") or {}
        for capability, words in REQUIRED_CAPABILITIES.items():
            report.capabilities[capability] = bool(granted.get(capability))
            if not granted.get(capability):
                roles = ", ".join(user.get("roles") or []) or "no role"
                report.problems.append(f"The user {report.user_name} ({roles}) cannot {words}.")
        return report

    # --- terms -----------------------------------------------------------------------------------

    def iter_terms(self, taxonomy: Taxonomy, *, per_page: int = 100) -> Iterator[dict[str, Any]]:
        """Every category or tag, all pages, empty ones included."""
        return self._paginate(f"/wp/v2/{_taxonomy(taxonomy)}", {"per_page": per_page, "orderby": "id"})

    def get_term(self, taxonomy: Taxonomy, term_id: int) -> dict[str, Any]:
        return self._request("GET", f"/wp/v2/{_taxonomy(taxonomy)}/{int(term_id)}")

    def create_term(
        self, taxonomy: Taxonomy, name: str, slug: str | None = None, description: str = ""
    ) -> dict[str, Any]:
        """Create a term, or return the existing one when WordPress says it exists already."""
        route = f"/wp/v2/{_taxonomy(taxonomy)}"
        payload: dict[str, Any] = {"name": name, "description": description}
        if slug:
            payload["slug"] = slug
        try:
            return self._request("POST", route, json=payload)
        except WordPressError as exc:
            existing_id = exc.data.get("term_id") if isinstance(exc.data, dict) else None
            if exc.code == "term_exists" and existing_id:
                return self.get_term(taxonomy, int(existing_id))
            if exc.code in ("term_exists", "duplicate_term_slug") and slug:
                found = self.find_terms(taxonomy, slug=slug)
                if found:
                    return found[0]
            raise

    def find_terms(
        self, taxonomy: Taxonomy, *, slug: str | None = None, search: str = ""
    ) -> list[dict[str, Any]]:
        """Terms with this exact slug, or whose name or slug contains `search` (first 100)."""
        params = {
            "per_page": 100,
            **({"slug": slug} if slug else {}),
            **({"search": search} if search else {}),
        }
        return self._request("GET", f"/wp/v2/{_taxonomy(taxonomy)}", params=params)

    def delete_term(self, taxonomy: Taxonomy, term_id: int) -> None:
        self._request("DELETE", f"/wp/v2/{_taxonomy(taxonomy)}/{int(term_id)}", params={"force": "true"})

    # --- media -----------------------------------------------------------------------------------

    def upload_media(
        self, filename: str, data: bytes, mime_type: str, alt_text: str = "", title: str = ""
    ) -> dict[str, Any]:
        """Upload a file; the returned dict's `source_url` is its public URL."""
        safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-.") or "upload"
        headers = {"Content-Type": mime_type, "Content-Disposition": f'attachment; filename="{safe_name}"'}
        params = {key: value for key, value in (("alt_text", alt_text), ("title", title)) if value}
        return self._request("POST", "/wp/v2/media", params=params, data=data, headers=headers)

    def get_media(self, media_id: int) -> dict[str, Any]:
        return self._request("GET", f"/wp/v2/media/{int(media_id)}", params={"context": "edit"})

    def delete_media(self, media_id: int) -> None:
        """Media has no trash: this deletes the file too."""
        self._request("DELETE", f"/wp/v2/media/{int(media_id)}", params={"force": "true"})

    # --- posts -----------------------------------------------------------------------------------

    def create_post(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Create a post from REST fields (title, content, excerpt, slug, status, date_gmt, ...)."""
        return self._request("POST", "/wp/v2/posts", params={"context": "edit"}, json=dict(fields))

    def update_post(self, post_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        return self._request(
            "PUT", f"/wp/v2/posts/{int(post_id)}", params={"context": "edit"}, json=dict(fields)
        )

    def get_post(self, post_id: int) -> dict[str, Any]:
        return self._request("GET", f"/wp/v2/posts/{int(post_id)}", params={"context": "edit"})

    def find_posts(self, slug: str, status: str | Sequence[str] = "any") -> list[dict[str, Any]]:
        """Posts with this slug in the given status(es); "any" covers all but trash and auto-draft."""
        params = {"slug": slug, "status": _statuses(status), "context": "edit"}
        return self._request("GET", "/wp/v2/posts", params=params)

    def iter_posts(
        self,
        status: str | Sequence[str] = "any",
        per_page: int = 100,
        params: Mapping[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """All posts in the given status(es), oldest first, across every page."""
        query = {"status": _statuses(status), "per_page": per_page, "context": "edit", "orderby": "id"}
        query["order"] = "asc"
        return self._paginate("/wp/v2/posts", {**query, **(params or {})})

    def trash_post(self, post_id: int) -> dict[str, Any]:
        """Move a post to the WordPress trash; a post already there is fine (a retried DELETE)."""
        try:
            return self._request("DELETE", f"/wp/v2/posts/{int(post_id)}", params={"context": "edit"})
        except WordPressError as exc:
            if exc.code == "rest_already_trashed":
                return self.get_post(post_id)
            raise

    def delete_post(self, post_id: int, force: bool = True) -> None:
        """Delete a post for good (force) or trash it; meant for cleanup."""
        self._request("DELETE", f"/wp/v2/posts/{int(post_id)}", params={"force": str(force).lower()})

    # --- HTTP ------------------------------------------------------------------------------------

    def _url(
        self, route: str, params: Mapping[str, Any] | None, *, rest_route: bool | None = None
    ) -> tuple[str, dict[str, Any]]:
        if rest_route is None:
            rest_route = self.uses_rest_route
        if rest_route:
            return f"{self.base_url}/", {"rest_route": route, **(params or {})}
        return f"{self.base_url}/wp-json{route}", dict(params or {})

    def _http(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        # Redirects would turn a POST into a GET that "succeeds"; only reads may follow them.
        kwargs.setdefault("allow_redirects", method == "GET")
        try:
            self.policy.check_url(url, resolve=False)  # the connection itself checks the address
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
        except AddressRefused as exc:
            raise WordPressError(exc.message, code="address_refused") from None
        except requests.exceptions.SSLError as exc:
            raise WordPressError(f"TLS problem talking to {self.base_url}: {exc}", code="tls_error") from exc
        except requests.exceptions.RequestException as exc:
            # After retries requests wraps a read timeout in a ConnectionError, so look at urllib3's
            # reason. (NewConnectionError, e.g. refused, subclasses urllib3's ConnectTimeoutError.)
            reason = getattr(exc.args[0], "reason", None) if exc.args else None
            timed_out = isinstance(exc, requests.exceptions.Timeout) or isinstance(
                reason, urllib3.exceptions.TimeoutError
            )
            if timed_out and not isinstance(reason, urllib3.exceptions.NewConnectionError):
                raise WordPressUnavailable(f"{self.base_url} did not answer in time", code="timeout") from exc
            refused = "refused" in str(exc).lower()
            message = f"connection to {self.base_url} refused" if refused else f"cannot reach {self.base_url}"
            raise WordPressUnavailable(
                message, code="connection_refused" if refused else "unreachable"
            ) from exc

    def _send(self, method: str, route: str, **kwargs: Any) -> requests.Response:
        """One call to a REST route; the response is returned whatever its status."""
        url, params = self._url(route, kwargs.pop("params", None))
        return self._http(method, url, params=params, **kwargs)

    def _request(self, method: str, route: str, **kwargs: Any) -> Any:
        return parse(self._send(method, route, **kwargs))

    def _paginate(self, route: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            response = self._send("GET", route, params={**params, "page": page})
            yield from parse(response)
            total_pages = int(response.headers.get("X-WP-TotalPages") or 1)
            if page >= total_pages:
                return
            page += 1


def _site_root(url: str) -> str:
    """The site URL without a trailing slash, a `/wp-json` suffix or a query string."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    path = re.sub(r"/wp-json/?.*$", "", parts.path).rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def _taxonomy(taxonomy: str) -> str:
    if taxonomy not in TAXONOMIES:
        raise ValueError(f"taxonomy must be one of {TAXONOMIES}, not {taxonomy!r}")
    return taxonomy


def _statuses(status: str | Sequence[str]) -> str:
    return status if isinstance(status, str) else ",".join(status)
