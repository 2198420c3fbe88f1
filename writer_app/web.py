"""Cross-cutting HTTP concerns: logging with request ids, security headers, error negotiation, login."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, g, jsonify, render_template, request, session
from flask_wtf.csrf import CSRFError
from jinja2 import pass_context
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from writer_app.extensions import login_manager
from writer_app.jobs.queue import enqueue_deferred
from writer_app.models import User, db
from writer_app.services import data_version
from writer_app.services.editorial import review_queue
from writer_app.services.errors import DomainError
from writer_app.services.identity import sessions
from writer_app.views.display import offline_badge, options, status_badge, timeago, when
from writer_app.views.list_rows import content_rows, task_rows
from writer_app.views.navigation import NavItem, badge_count, may_visit, visible

log = logging.getLogger("writer.request")

SESSION_TOKEN_KEY = "session_token"  # noqa: S105 - the Flask session key holding the raw session token

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Quill positions its toolbar pickers with style attributes; no inline <script> is ever allowed.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def json_error(
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one JSON error shape of the API: {"error": {"code", "message", "fields"}}."""
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    402: "insufficient_credits",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def _error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    if wants_json():
        return json_error(status, code, message, fields, headers)
    try:
        body = render_template("errors/error.html", status=status, message=message)
    except Exception:  # e.g. the database is down: the layout without account parts
        log.exception("Error page rendered without the account layout")
        with contextlib.suppress(Exception):
            db.session.rollback()
        g.layout_minimal = True
        g._login_user = login_manager.anonymous_user()  # Flask-Login would load the user again
        body = render_template("errors/error.html", status=status, message=message)
    return Response(body, status=status, headers=headers or {})


# Navigation, declared once. Each list is filtered by the role its routes declare (views/navigation.py):
# add a link with one line; nobody sees a link that would answer 403 for them.
NAV_ITEMS = [
    NavItem("Tasks", "tasks.index"),
    NavItem("Content", "content.index"),
    NavItem("Review", "review_queue.index", badge=review_queue.waiting_count),
    NavItem("Calendar", "calendar.index"),
    NavItem("Images", "images.index"),
    NavItem("Taxonomies", "taxonomies.index"),
    NavItem("Clusters", "clusters.index"),
    NavItem("Jobs", "jobs.index"),
    NavItem("Settings", "settings.index", section="settings"),
]
SETTINGS_ITEMS = [
    NavItem("Members", "settings.members"),
    NavItem("Sites & sectors", "settings.sites_page"),
    NavItem("API tokens", "settings.tokens_page"),
    NavItem("Credits", "settings.credits_page"),
    NavItem("AI", "settings_ai.index"),
    NavItem("Review", "content.settings"),
    NavItem("Audit log", "audit.index"),
    NavItem("Notifications", "notifications.preferences"),
    NavItem("Email", "notifications.email_settings"),
]
SITE_EXTRA_LINKS = [
    NavItem("WordPress connection", "wordpress.site"),
    NavItem("Checks", "validation.site_levels"),
    NavItem("Brand voice & links", "links.voice"),
    NavItem("AI drafting", "outlines.site_settings"),
]
# Partials included in the header's right-hand slot, before the account menu (e.g. a notifications bell).
HEADER_WIDGETS: list[str] = ["notifications/_bell.html"]


@pass_context
def can_visit(context: Any, endpoint: str) -> bool:
    """In templates: may the user of this page open `endpoint` (its route's declared role)?"""
    return may_visit(context.get("scope"), endpoint)


@pass_context
def visible_links(context: Any, items: list[NavItem]) -> list[NavItem]:
    return visible(context.get("scope"), items)


def loggable(text: str) -> str:
    """`text` for a log line: everything but printable ASCII percent-encoded (as it came on the wire),
    so a decoded `%0A` cannot forge a line and NUL or terminal escapes never reach the log."""
    return quote(text, safe="!#$%&'()*+,/:;=?@[]~", errors="replace")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        nav_items=NAV_ITEMS,
        settings_items=SETTINGS_ITEMS,
        site_extra_links=SITE_EXTRA_LINKS,
        header_widgets=HEADER_WIDGETS,
        can_visit=can_visit,
        visible_links=visible_links,
        badge_count=badge_count,
    )
    app.jinja_env.globals.update(status_badge=status_badge, offline_badge=offline_badge, when=when)
    app.jinja_env.globals.update(options=options, task_rows=task_rows, content_rows=content_rows)
    app.jinja_env.filters["timeago"] = timeago
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"

    # A session that was revoked or expired says so once, on the login page it is sent to.
    login_manager.localize_callback = lambda message: (
        "Your session has ended. Log in again." if g.get("session_ended") else message
    )

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # The cookie's server-side session, its user and the user's accounts (every page's layout lists
        # them), in one query; a remember-me cookie carries no session token, so it never logs anyone in.
        record = sessions.find(
            int(user_id) if str(user_id).isdigit() else 0, session.get(SESSION_TOKEN_KEY, "")
        )
        if record is None:  # revoked, expired, deactivated: anonymous from now on
            for key in ("_user_id", "_fresh", "_id", SESSION_TOKEN_KEY):
                session.pop(key, None)
            g.session_ended = True
            return None
        sessions.touch(record)
        g.user_session = record
        return record.user

    @app.before_request
    def start_timer() -> None:
        # `g` outlives a request when an app context was already pushed (tests, CLI): start clean.
        for cached in (
            "_login_user",
            "membership",
            "memberships",
            "sites",
            "site_menu",
            "csrf_token",
            "user_session",
            "session_ended",
        ):
            g.pop(cached, None)
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex

    @app.after_request
    def finish(response: Response) -> Response:
        # Jobs deferred by services during the request (an approval's publish job, notification
        # emails) go to the queue now that the view has committed.
        enqueue_deferred()
        headers = response.headers
        if request.method == "POST" and response.status_code == 302:
            # After a POST the browser must GET the next page (303 See Other), so the address bar,
            # a reload and the back button never repeat the POST.
            response.status_code = 303
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["WRITER_ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        request_id = g.get("request_id", "")
        headers["X-Request-ID"] = request_id
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        # The one line per request (gunicorn's own access log is off: gunicorn.conf.py).
        log.info(
            "%s %s %s %.1fms id=%s from=%s",
            loggable(request.method),
            loggable(request.full_path.rstrip("?")),
            response.status_code,
            duration_ms,
            loggable(request_id),
            loggable(request.remote_addr or "-"),
        )
        return response

    @app.teardown_request
    def end_read_only_transaction(error: BaseException | None) -> None:
        # A request that wrote nothing ends its transaction with COMMIT, not the ROLLBACK the session
        # would send: the same for the data, but psycopg forgets its prepared statements on every
        # ROLLBACK, so PostgreSQL parsed and planned every statement of every request again (the
        # task list's page: 4 ms planned each time, 1.3 ms prepared). Runs before the session is removed.
        session = db.session()
        if error is None and session.in_transaction() and not data_version.wrote(session):
            try:
                session.commit()
            except SQLAlchemyError:  # the answer is sent; the session's removal rolls back
                log.warning("Could not end a read-only transaction", exc_info=True)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        db.session.rollback()
        headers = getattr(error, "headers", None)  # e.g. Retry-After on 503
        return _error_response(error.status, error.code, error.message, error.fields, headers)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        return _error_response(
            400, "csrf_failed", "The form expired or was not sent from Writer. Reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        headers = {}
        if status == 429:
            retry_after = getattr(error, "retry_after", None) or 60
            headers["Retry-After"] = str(retry_after)
        valid_methods = getattr(error, "valid_methods", None)
        if status == 405 and valid_methods:
            headers["Allow"] = ", ".join(valid_methods)
        message = error.description or error.name
        return _error_response(status, _HTTP_CODES.get(status, "error"), message, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        with contextlib.suppress(Exception):  # the database may be the thing that is down
            db.session.rollback()
        app.logger.exception("Unhandled error (request id %s)", g.get("request_id"))
        return _error_response(
            500,
            "server_error",
            f"Something went wrong on our side (request id {g.get('request_id', '?')}). Nothing was saved.",
        )
