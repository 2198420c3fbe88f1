"""What every HTML view shares: the acting scope, the role guard, fragment-aware rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Response, abort, g, make_response, render_template, request, session, stream_with_context
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from writer_app import response_cache
from writer_app.models import Membership, Role, Site, db
from writer_app.services import sites
from writer_app.services.csv_export import csv_lines
from writer_app.services.errors import DomainError, NotFound
from writer_app.services.identity import accounts
from writer_app.services.inputs import whole_number
from writer_app.services.scope import Scope
from writer_app.views.redirects import referrer_path

F = TypeVar("F", bound=Callable[..., Any])


def current_memberships() -> list[Membership]:
    """The logged-in user's memberships with their accounts (loaded with the user), by account name."""
    if "memberships" not in g:
        g.memberships = sorted(current_user.memberships, key=lambda m: m.account.name)
    return g.memberships


def current_membership() -> Membership | None:
    if not current_user.is_authenticated:
        return None
    if "membership" not in g:
        g.membership = accounts.membership_for(current_user, session.get("account_id"), current_memberships())
    return g.membership


def account_sites() -> list[Site]:
    """The current account's sites with their sectors as objects, loaded once per request (views that read
    more of them than `site_menu` holds)."""
    if "sites" not in g:
        g.sites = sites.list_sites(current_scope())
    return g.sites


def site_menu() -> list[sites.MenuSite]:
    """The account's sites and sectors, ids and names (the layout's switcher, the lists' filters),
    loaded once per request."""
    if "site_menu" not in g:
        g.site_menu = sites.site_menu(current_scope())
    return g.site_menu


def site_filter() -> int | None:
    """`?site_id=` of the review queue and the calendar: "all" (None), a site id, or blank for the working
    site. Anything else is a field error, like the other lists' filters (an id past the column range was
    a database error)."""
    raw = request.values.get("site_id", "")
    if raw == "all":
        return None
    if raw == "":
        return current_scope().site_id
    return whole_number(raw, "site_id", minimum=1)


def current_scope() -> Scope:
    """The scope of the logged-in user in their current account (403 without a membership)."""
    membership = current_membership()
    if membership is None:
        abort(403)
    return accounts.scope_for(membership)


def role_required(role: Role = Role.VIEWER) -> Callable[[F], F]:
    """Every HTML route is wrapped in this: logged in, a member of the account, at least `role`."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_scope().can(role):
                abort(403, description=f"This needs the {role.value} role or higher in this account.")
            return view(*args, **kwargs)

        # Links to this route read it (views/navigation.py), so nobody is shown a link that answers 403.
        wrapper.required_role = role  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def cached_page(view: F) -> F:
    """Answer a list view from the response cache while the account's data is unchanged (wrap it
    inside `role_required`, which still runs for every request)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        def build() -> Response:
            return make_response(view(*args, **kwargs))

        return response_cache.serve(
            current_scope(), build, ttl_seconds=response_cache.PAGE_TTL_SECONDS, session_bound=True
        )

    return wrapper  # type: ignore[return-value]


def is_fragment_request() -> bool:
    """htmx asked for a part of the page (not a boosted navigation, not a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def page_url_after_post() -> str | None:
    """A full page answering a POST to a URL that takes no GET must name a GET-able address for the
    address bar (base.html puts it in a meta tag, app.js shows it): by default the page the form was
    sent from. A reload or a copied link then never lands on a POST-only URL (405)."""
    rule = request.url_rule
    if request.method != "POST" or rule is None or "GET" in (rule.methods or ()):
        return None
    return referrer_path(request.referrer, request.host)


def render(template: str, block: str | None = None, status: int = 200, **context: Any) -> Response:
    """The full page, or only `block` of it when htmx asks for a fragment. Same URL, same data.
    A full page rendered for a POST-only URL gets `page_url` (see `page_url_after_post`)."""
    if block and is_fragment_request():
        body = render_block(template, block, **context)
    else:
        if context.get("page_url") is None:
            context["page_url"] = page_url_after_post()
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def form_errors_status() -> int:
    """htmx swaps only 2xx by default: answer a fragment with field errors 200, a full page 422."""
    return 200 if is_fragment_request() else 422


def apply_domain_error(form: Any, error: DomainError) -> None:
    """Show a service's error on the form: on the named fields, or above the form."""
    if not error.fields:
        form.form_errors.append(error.message)
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *messages]
        else:
            form.form_errors.extend(messages)


@dataclass
class Saving:
    ok: bool = False  # the service call went through and is committed


@contextmanager
def saving(form: Any, *, not_found_is_404: bool = False) -> Iterator[Saving]:
    """Run the service calls of a submitted form: commit when they went through (`.ok`), or roll back
    and show the service's error on the form. With `not_found_is_404` a NotFound answers 404 instead.

        with saving(form) as saved:
            task = tasks.update_task(...)
        if saved.ok:
            return redirect(...)
    """
    outcome = Saving()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        if not_found_is_404 and isinstance(error, NotFound):
            raise
        apply_domain_error(form, error)
        return
    db.session.commit()
    outcome.ok = True


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A streamed CSV download; `rows` may query lazily while the response is sent."""
    response = Response(stream_with_context(csv_lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
