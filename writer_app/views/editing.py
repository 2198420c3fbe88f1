"""The editor page's background calls: autosave slots and the post lock heartbeat (JSON for editor.js,
with CSRF in the X-CSRFToken header), plus form fallbacks for discard and take-over without JavaScript."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, request, url_for

from writer_app.models import Role, db
from writer_app.services.editing import autosave, locks
from writer_app.services.errors import DomainError
from writer_app.views.common import current_scope, role_required

bp = Blueprint("editing", __name__, url_prefix="/content")


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _error(error: DomainError) -> Any:
    db.session.rollback()
    body = {"error": {"code": error.code, "message": error.message, "fields": error.fields}}
    return jsonify(body), error.status


@bp.post("/<int:content_id>/autosave")
@role_required(Role.EDITOR)
def autosave_save(content_id: int) -> Any:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify({"error": {"code": "invalid", "message": "Send JSON.", "fields": {}}}), 400
    try:
        slot = autosave.save(
            current_scope(),
            content_id,
            data.get("fields"),
            base_version=data.get("version"),
            base_revision=data.get("revision"),
        )
    except DomainError as error:
        return _error(error)
    db.session.commit()
    return jsonify({"saved_at": slot.updated_at.isoformat()})


@bp.post("/<int:content_id>/autosave/discard")
@role_required(Role.EDITOR)
def autosave_discard(content_id: int) -> Any:
    autosave.discard(current_scope(), content_id)
    db.session.commit()
    if _wants_json():
        return "", 204
    flash("Your unsaved changes were discarded.", "info")
    return redirect(url_for("content.review_page", content_id=content_id), 303)


@bp.post("/<int:content_id>/lock")
@role_required(Role.EDITOR)
def lock_heartbeat(content_id: int) -> Any:
    state = locks.heartbeat(current_scope(), content_id)
    db.session.commit()
    return jsonify(state.as_json())


@bp.post("/<int:content_id>/lock/take-over")
@role_required(Role.EDITOR)
def lock_take_over(content_id: int) -> Any:
    state = locks.take_over(current_scope(), content_id)
    db.session.commit()
    if _wants_json():
        return jsonify(state.as_json())
    return redirect(url_for("content.review_page", content_id=content_id), 303)


@bp.post("/<int:content_id>/lock/release")
@role_required(Role.EDITOR)
def lock_release(content_id: int) -> Any:
    """Sent with navigator.sendBeacon when the editor leaves the page (CSRF token in the form body)."""
    locks.release(current_scope(), content_id)
    db.session.commit()
    return "", 204
