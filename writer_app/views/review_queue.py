"""The review queue (`/review`, reviewer+); the navigation's count of it is a NavItem badge (web.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from writer_app.models import Role
from writer_app.services.editorial import review_queue as queue
from writer_app.views.common import current_scope, render, role_required, site_filter, site_menu

bp = Blueprint("review_queue", __name__)


@bp.get("/review")
@role_required(Role.REVIEWER)
def index() -> Any:
    site_id = site_filter()
    return render(
        "review_queue/index.html",
        block="queue",
        items=queue.review_queue(current_scope(), site_id),
        sites=site_menu(),
        site_id=site_id,
    )
