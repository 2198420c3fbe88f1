"""The media library in the browser: the upload page, the featured-image chooser of a content, and the
two JSON endpoints the editor's "Insert image" dialog calls (static/js/insert-image.js)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, jsonify, redirect, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from writer_app.forms.images import FeaturedForm, UploadForm
from writer_app.models import Image, Role, db
from writer_app.services import content, sites
from writer_app.services.errors import DomainError, ValidationError
from writer_app.services.media import body_images
from writer_app.services.media import files as media
from writer_app.services.media import library as media_library
from writer_app.services.media.content_images import content_images
from writer_app.views.common import (
    apply_domain_error,
    current_scope,
    form_errors_status,
    render,
    role_required,
)

bp = Blueprint("media", __name__)


def _allow_upload_size() -> None:
    """Uploads may be larger than MAX_CONTENT_LENGTH allows other requests (before the form is read)."""
    request.max_content_length = int(current_app.config["IMAGE_UPLOAD_MAX_BYTES"]) + 1024 * 1024


def _limits_text() -> str:
    limits = media.upload_limits()
    return (
        f"PNG, JPEG, WebP or GIF; at most {limits.max_bytes // (1024 * 1024)} MB, "
        f"{limits.max_pixels / 1_000_000:g} megapixels and {limits.max_frames} frames."
    )


@bp.route("/images/upload", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def upload() -> Any:
    scope = current_scope()
    _allow_upload_size()
    try:
        form = UploadForm()
    except RequestEntityTooLarge:
        form = UploadForm(formdata=None)
        form.file.errors = ["The file is too large."]
    form.site_id.choices = [(str(s.id), s.name) for s in sites.list_sites(scope)]
    if request.method == "GET" and scope.site_id:
        form.site_id.data = str(scope.site_id)
    status = 200
    if not form.file.errors and form.validate_on_submit():
        try:
            image = media_library.upload_image(
                scope,
                data=form.file.data.read(),
                filename=form.file.data.filename or "",
                site_id=form.site_id.data,
                alt_text=form.alt_text.data or "",
            )
            db.session.commit()
            flash(f"“{image.original_filename or 'The image'}” is in the library.", "success")
            return redirect(url_for("images.index", source="upload", site_id=image.site_id, sector_id="all"))
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
    if form.errors or form.form_errors:
        status = form_errors_status()
    return render("images/upload.html", status=status, form=form, limits=_limits_text())


def _picked(image: Image) -> dict[str, Any]:
    return {
        "id": image.id,
        "src": body_images.image_src(image.id),
        "thumb": url_for("images.file", image_id=image.id, thumb=1),
        "alt": image.alt_text or "",
        "label": image.original_filename or (image.prompt or "")[:80] or f"Image {image.id}",
        "own": image.content_id is not None,
    }


@bp.get("/content/<int:content_id>/images/pick")
@role_required(Role.EDITOR)
def pick(content_id: int) -> Any:
    """JSON for the editor: the content's own images and its site's library, matching `q`."""
    found = media_library.pickable(current_scope(), content_id, request.args.get("q", "")[:200])
    return jsonify(images=[_picked(i) for i in found], limits=_limits_text())


@bp.post("/content/<int:content_id>/images/upload")
@role_required(Role.EDITOR)
def upload_for_content(content_id: int) -> Any:
    """JSON for the editor: upload a file as one of the content's images; 400 with field errors."""
    scope = current_scope()
    _allow_upload_size()
    try:
        part = request.files.get("file")
        data = part.read() if part is not None else b""
        image = media_library.upload_image(
            scope,
            data=data,
            filename=part.filename or "" if part is not None else "",
            content_id=content_id,
            alt_text=request.form.get("alt_text", "")[:500],
        )
    except RequestEntityTooLarge:
        error = ValidationError.field("file", "The file is too large.")
        return jsonify(error={"message": error.message, "fields": error.fields}), 400
    except ValidationError as error:
        db.session.rollback()
        return jsonify(error={"message": error.message, "fields": error.fields}), 400
    db.session.commit()
    return jsonify(_picked(image)), 201


@bp.route("/content/<int:content_id>/featured-image", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def featured(content_id: int) -> Any:
    """Choose the featured image from the content's site (library uploads and generated images)."""
    scope = current_scope()
    item = content.get_content(scope, content_id)
    form = FeaturedForm()
    status = 200
    if form.validate_on_submit():
        try:
            media_library.choose_featured(scope, item.id, form.image_id.data or None)
            db.session.commit()
            flash(
                "Featured image chosen." if form.image_id.data else "Back to the generated featured image.",
                "success",
            )
            return redirect(url_for("content.review_page", content_id=item.id) + "#images")
        except ValidationError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            status = form_errors_status()
    q = request.args.get("q", "")[:200]
    found = media_library.pickable(scope, item.id, q, limit=60)
    current = content_images(scope, item.id).featured
    return render(
        "images/featured.html", status=status, form=form, content=item, images=found, current=current, q=q
    )
