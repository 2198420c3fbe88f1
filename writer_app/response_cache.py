"""Whole answers of read-only list requests, kept in Redis until the account's data changes.

A list page or API list re-reads and re-renders the same rows for every request although they
change only when somebody writes. Its answer is stored under the account's data version
(services/data_version), keyed by who asks (their scope: account, role, working site/sector) and
everything the request says (path, query, htmx headers; for pages also the session's contents);
any commit to the account, anywhere, makes the next request compute afresh. Authentication, role
checks and throttling still run for every request: only the view's work is skipped.

Pages show relative times ("5 minutes ago"), so a page is kept at most a minute. A request with
`Cache-Control: no-cache` (a browser's hard reload) is always computed. Without Redis nothing is
cached.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Response, current_app, request, session

from writer_app.services import data_version
from writer_app.services.scope import Scope

PAGE_TTL_SECONDS = 60
API_TTL_SECONDS = 600
HIT_HEADER = "X-Writer-Cache"  # "hit" or "miss": for people reading responses, and for tests
_VARYING_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")
_UNSTORED_HEADERS = {"content-length", "date", "set-cookie", HIT_HEADER.lower()}


def serve(scope: Scope, build: Callable[[], Response], *, ttl_seconds: int, session_bound: bool) -> Response:
    """`build()`'s answer for this request, or the one stored for the same request in the same data.

    `session_bound`: the answer depends on the browser session too (CSRF token, working context);
    a session carrying flash messages is never answered from the cache, since they must show once."""
    if request.cache_control.no_cache or (session_bound and "_flashes" in session):
        return build()
    slot = data_version.lookup(scope.account_id, _what(scope, session_bound))
    if slot.redis_key is None:  # no cache configured or reachable
        return build()
    if slot.value is not None:
        return _from_stored(slot.value)
    response = build()
    if _storable(response, session_bound):
        data_version.store(slot, _to_stored(response), ttl_seconds)
        response.headers[HIT_HEADER] = "miss"
    return response


def _what(scope: Scope, session_bound: bool) -> str:
    headers = [request.headers.get(name, "") for name in _VARYING_HEADERS]
    parts = ["response", repr(scope), request.method, request.host, request.full_path, repr(headers)]
    if session_bound:  # data_version hashes the whole key: the session's secrets never reach Redis
        parts.append(json.dumps(dict(session), sort_keys=True, default=str))
    return "\n".join(parts)


def _storable(response: Response, session_bound: bool) -> bool:
    """Only plain successful answers; not one whose rendering changed the session (a first CSRF
    token, a consumed flash): a stored copy would not make that change."""
    if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return False
    if "Set-Cookie" in response.headers:
        return False
    return not (session_bound and session.modified)


def _to_stored(response: Response) -> bytes:
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _UNSTORED_HEADERS]
    return json.dumps(headers).encode() + b"\n" + response.get_data()


def _from_stored(stored: bytes) -> Response:
    head, _, body = stored.partition(b"\n")
    response = current_app.response_class(body, headers=json.loads(head))
    response.headers[HIT_HEADER] = "hit"
    return response
