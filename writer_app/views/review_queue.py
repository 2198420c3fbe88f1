"""The review queue (`/review`, reviewer+) and the navigation's count of content waiting for review."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from writer_app.models import Role
from writer_app.services.editorial import review_queue as queue
from writer_app.views.common import account_sites, current_scope, render, role_required

bp = Blueprint("review_queue", __name__)


@bp.app_context_processor
def _badge() -> dict[str, Any]:
    def review_waiting() -> int:
        if not hasattr(request, "writer_review_waiting"):
            request.writer_review_waiting = queue.waiting_count(current_scope())  # type: ignore[attr-defined]
        return int(request.writer_review_waiting)  # type: ignore[attr-defined]

    return {"review_waiting": review_waiting}


def _site_id() -> int | None:
    """?site_id= (or "all"); the working site by default, like the dashboard."""
    raw = request.args.get("site_id")
    if raw == "all":
        return None
    if raw and raw.isdigit():
        return int(raw)
    return current_scope().site_id


@bp.get("/review")
@role_required(Role.REVIEWER)
def index() -> Any:
    site_id = _site_id()
    return render(
        "review_queue/index.html",
        block="queue",
        items=queue.review_queue(current_scope(), site_id),
        sites=account_sites(),
        site_id=site_id,
    )
