"""Links shown by role: a link is visible exactly when its route's `role_required` lets the user in.

The role a route needs is read from the view function (`role_required` records it), so a link and
the route it points to cannot drift apart: change the route's role and every link follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_login import current_user

from writer_app.models import Role
from writer_app.services.scope import Scope

REQUIRED_ROLE_ATTR = "required_role"


@dataclass(frozen=True)
class NavItem:
    """One link of a navigation list. `badge(scope)` may return a count shown next to the label
    (0 or None hides it); `section` is the blueprint marked current, by default the endpoint's."""

    label: str
    endpoint: str
    badge: Callable[[Scope], int | None] | None = None
    section: str | None = None

    def is_current(self) -> bool:
        if request.endpoint == self.endpoint:
            return True
        return request.blueprint == (self.section or self.endpoint.split(".")[0])


def required_role(endpoint: str) -> Role | None:
    """The role the route behind `endpoint` declares with `role_required`, None for open routes."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, REQUIRED_ROLE_ATTR, None) if view is not None else None


def may_visit(scope: Scope | None, endpoint: str) -> bool:
    """Would `role_required` let this user in? Unknown endpoints are never shown."""
    if endpoint not in current_app.view_functions:
        return False
    role = required_role(endpoint)
    if role is None:
        return True
    return scope is not None and current_user.is_authenticated and scope.can(role)


def visible(scope: Scope | None, items: Iterable[Any]) -> list[Any]:
    """The items whose endpoint the user may visit (anything with an `endpoint` attribute)."""
    return [item for item in items if may_visit(scope, item.endpoint)]


def badge_count(item: NavItem, scope: Scope) -> int:
    """A nav badge's count; a badge that fails must not take the whole layout down with it."""
    if item.badge is None:
        return 0
    try:
        return int(item.badge(scope) or 0)
    except Exception:  # a count is decoration; the page must still render
        current_app.logger.exception("Navigation badge %s failed", item.endpoint)
        return 0
