"""Images: gallery grouped by content, image detail and edit, files for account members, bulk status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, make_response, redirect, request, send_file, url_for

from writer_app.forms.images import BulkStatusForm, ImageFilterForm, ImageForm
from writer_app.forms.settings import EmptyForm
from writer_app.models import Content, Role, Task, db
from writer_app.services.errors import Conflict, NotFound, ValidationError
from writer_app.services.media import files as media
from writer_app.services.media import image_groups, images
from writer_app.services.pagination import Page, page_params
from writer_app.services.scope import Scope, get
from writer_app.views.common import (
    apply_domain_error,
    current_scope,
    form_errors_status,
    is_fragment_request,
    render,
    role_required,
    saving,
)
from writer_app.views.redirects import is_local_path

bp = Blueprint("images", __name__, url_prefix="/images")

# Files have unique names and never change: the browser may keep them, but only for this user.
FILE_MAX_AGE = 24 * 3600


def _owner_titles(scope: Scope, filters: images.ImageFilters) -> dict[str, str]:
    """Titles of the content/task the gallery is filtered by (shown as removable chips)."""
    titles: dict[str, str] = {}
    for name, model in (("content_id", Content), ("task_id", Task)):
        value = getattr(filters, name)
        if value:
            try:
                titles[name] = get(scope, model, value).title
            except NotFound:
                titles[name] = f"#{value} (not found)"
    return titles


@bp.get("/")
@role_required()
def index() -> Any:
    scope = current_scope()
    form = ImageFilterForm(formdata=request.args)
    filters = images.ImageFilters.from_args(request.args)
    status = 200
    try:
        page, page_size = page_params(request.args.get("page"), request.args.get("page_size"))
        result = image_groups.gallery(scope, filters, page, page_size)
        owners = _owner_titles(scope, filters)
    except ValidationError as error:
        apply_domain_error(form, error)
        result, owners, status = Page([], 0, 1, 25), {}, form_errors_status()
    return render(
        "images/index.html",
        block="results",
        status=status,
        form=form,
        result=result,
        owners=owners,
        bulk_form=BulkStatusForm(),
        can_edit=scope.can(Role.EDITOR),
    )


@bp.post("/bulk-status")
@role_required(Role.EDITOR)
def bulk_status() -> Any:
    """Set a status on the selected images (`ids`) or on every image of one content (`content_id`)."""
    form = BulkStatusForm()
    target = form.next.data or ""
    back = target if target.startswith("/images") and is_local_path(target) else url_for(".index")
    if not form.validate_on_submit():
        flash("Choose a valid status.", "error")
        return redirect(back)
    ids = request.form.getlist("ids")
    content_id = form.content_id.data or None
    if not ids and content_id is None:
        flash("Select at least one image first.", "error")
        return redirect(back)
    try:
        count = images.bulk_update_status(
            current_scope(), form.status.data, content_id=content_id, ids=None if content_id else ids
        )
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash(f"{count} image{'s' if count != 1 else ''} set to {form.status.data}.", "success")
    return redirect(back)


@bp.route("/<int:image_id>", methods=["GET", "POST"])
@role_required()
def detail(image_id: int) -> Any:
    scope = current_scope()
    image = images.get_image(scope, image_id)
    form = ImageForm(obj=image)
    status = 200
    if request.method == "POST":
        scope.require(Role.EDITOR)  # viewers read; their POSTs are 403
        if form.validate_on_submit():
            with saving(form) as saved:
                images.update_image(
                    scope,
                    image.id,
                    image_type=form.image_type.data,
                    status=form.status.data,
                    position=form.position.data,
                    alt_text=form.alt_text.data or "",
                    prompt=form.prompt.data or "",
                )
            if saved.ok:
                flash("Image saved.", "success")
                return _redirect(url_for(".detail", image_id=image.id))
        if form.errors or form.form_errors:
            status = form_errors_status()
    return render(
        "images/detail.html",
        block="image_form",
        status=status,
        image=image,
        form=form,
        delete_form=EmptyForm(),
        can_edit=scope.can(Role.EDITOR),
        has_file=_has_file(scope, image.id),
    )


def _redirect(target: str) -> Any:
    """After a saved form: a redirect, or for htmx a full navigation (HX-Redirect) with the flash."""
    if is_fragment_request():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def _has_file(scope: Scope, image_id: int) -> bool:
    try:
        images.image_file(scope, image_id)
    except NotFound:
        return False
    return True


@bp.post("/<int:image_id>/delete")
@role_required(Role.EDITOR)
def delete(image_id: int) -> Any:
    if EmptyForm().validate_on_submit():
        try:
            image = images.delete_image(current_scope(), image_id)
        except Conflict as error:  # still shown in a text or featured: say where, keep it
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".detail", image_id=image_id))
        db.session.commit()
        flash(f"Image {image.id} deleted.", "success")
    return redirect(url_for(".index"))


@bp.get("/<int:image_id>/file")
@role_required()
def file(image_id: int) -> Any:
    """The image (or `?thumb=1` its thumbnail) to members of the owning account; 404 for anyone else."""
    thumbnail = request.args.get("thumb") in ("1", "true", "yes")
    path = images.image_file(current_scope(), image_id, thumbnail=thumbnail)
    response = send_file(path, mimetype=media.mimetype_for(path), conditional=True, max_age=FILE_MAX_AGE)
    response.cache_control.public = False
    response.cache_control.private = True
    response.vary.add("Cookie")
    # Served bytes are only ever shown as an image, never run as a document.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
