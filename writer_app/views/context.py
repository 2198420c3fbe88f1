"""Template context every page's layout needs (account switcher, site/sector switcher)."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_login import current_user

from writer_app.models import Role
from writer_app.services.identity import accounts
from writer_app.views.common import current_membership, current_memberships, site_menu


def inject_layout_context() -> dict[str, Any]:
    context: dict[str, Any] = {"Role": Role}
    # Error pages of unknown URLs (no blueprint) keep the layout; a page rendered while the database is
    # down (g.layout_minimal) must not touch it, so it gets the bare layout.
    if g.get("layout_minimal") or request.blueprint == "ops" or not current_user.is_authenticated:
        return context
    membership = current_membership()
    if membership is None:
        return context
    scope = accounts.scope_for(membership)
    context.update(
        scope=scope,
        membership=membership,
        memberships=current_memberships(),
        layout_sites=site_menu,  # called by the header: a fragment (htmx, the polled bell) reads no sites
    )
    return context
