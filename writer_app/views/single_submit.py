"""`single_submit`: a create route answers a repeated POST of the same form without creating again."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, flash, g, has_request_context, make_response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from writer_app.forms.single_submit import FORM_TOKEN_FIELD
from writer_app.models import db
from writer_app.services import submissions
from writer_app.views.common import is_fragment_request

F = TypeVar("F", bound=Callable[..., Any])
_COMMITS = "_single_submit_commits"
ALREADY_SENT = "That form was already sent, so nothing was created a second time."


@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    # Tells the decorator whether the view's unit of work (its token claim included) went through.
    if has_request_context():
        setattr(g, _COMMITS, g.get(_COMMITS, 0) + 1)


def _page_url() -> str:
    """A URL to show the result on: this one if it answers GET, else the page the form was on."""
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return request.path
    from writer_app.views.redirects import safe_next

    return safe_next(request.referrer, url_for("dashboard.index"))


def _result_url(response: Response) -> str:
    location = response.headers.get("HX-Redirect") or (
        response.headers.get("Location") if 300 <= response.status_code < 400 else None
    )
    return location or _page_url()


def _already_sent(url: str) -> Response:
    flash(ALREADY_SENT, "info")
    if is_fragment_request():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def single_submit(view: F) -> F:
    """Wrap a create view (inside `role_required`). Its form must be a `CreateForm`."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = request.form.get(FORM_TOKEN_FIELD, "") if request.method == "POST" else ""
        if not submissions.is_token(token) or not current_user.is_authenticated:
            return view(*args, **kwargs)  # no protection to give; the form still checks its fields
        user_id = current_user.id
        done = submissions.find(user_id, token)
        if done is None and submissions.claim(user_id, token):
            commits = g.get(_COMMITS, 0)
            response = make_response(view(*args, **kwargs))
            if g.get(_COMMITS, 0) > commits:  # created: remember where
                submissions.record_result(user_id, token, _result_url(response))
                db.session.commit()
            return response
        if done is None or not done.result_url:  # a twin request is still at work: wait for it
            done = submissions.wait_for_result(user_id, token)
        return _already_sent(done.result_url if done is not None and done.result_url else _page_url())

    return wrapper  # type: ignore[return-value]
