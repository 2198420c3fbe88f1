"""Clusters page: clusters per sector with keywords and counts; editors create, edit and delete.
A cluster's own page shows its map (hub, supporting, attribute content); editors change roles."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from writer_app.forms.cluster_map import ROLE_CHOICES, MapRoleForm
from writer_app.forms.settings import EmptyForm
from writer_app.forms.tasks import ClusterForm, sector_groups, site_choices
from writer_app.models import Cluster, Role, db
from writer_app.services import clusters as cluster_service
from writer_app.services.clusters import cluster_map
from writer_app.services.errors import DomainError, NotFound, ValidationError
from writer_app.views.common import (
    account_sites,
    current_scope,
    form_errors_status,
    is_fragment_request,
    render,
    role_required,
    saving,
    site_menu,
)
from writer_app.views.single_submit import single_submit

bp = Blueprint("clusters", __name__, url_prefix="/clusters")


@bp.get("/")
@role_required()
def index() -> Any:
    scope = current_scope()
    args = request.args
    state = {k: args[k] for k in ("search", "site_id", "sector_id", "ordering") if args.get(k)}
    filters = cluster_service.ClusterFilters(
        search=args.get("search", ""),
        site_id=args.get("site_id") or None,
        sector_id=args.get("sector_id") or None,
        ordering=args.get("ordering") or "sector",
    )
    status, error, page = 200, None, None
    try:
        page = cluster_service.list_clusters(scope, filters, args.get("page"), args.get("page_size"))
    except ValidationError as exc:
        error, status = exc, (200 if is_fragment_request() else 400)
    sections: list[tuple[Any, list[Any]]] = []
    if page is not None:
        sections = [
            (sector, list(rows)) for sector, rows in groupby(page.items, key=lambda row: row.cluster.sector)
        ]
    sites = site_menu()
    return render(
        "clusters/index.html",
        block="results",
        status=status,
        page=page,
        sections=sections,
        filters=filters,
        filter_error=error,
        state=state,
        sites=sites,
        sector_groups=sector_groups(sites),
        can_edit=scope.can(Role.EDITOR),
        empty_form=EmptyForm(),
    )


def _cluster_form(form: ClusterForm) -> ClusterForm:
    sites = account_sites()
    form.site_id.choices = site_choices(sites)
    form.sector_groups = sector_groups(sites)
    return form


def _save(form: ClusterForm, save: Any, cluster: Cluster | None) -> Any:
    if form.validate_on_submit():
        with saving(form, not_found_is_404=True) as outcome:
            saved = save()
        if outcome.ok:
            flash(f"Saved cluster “{saved.name}”.", "success")
            return redirect(url_for(".index"))
    status = form_errors_status() if request.method == "POST" else 200
    return render("clusters/form.html", block="form", status=status, form=form, cluster=cluster)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.EDITOR)
@single_submit
def new() -> Any:
    scope = current_scope()
    form = _cluster_form(ClusterForm())
    if request.method == "GET":
        form.site_id.data = str(scope.site_id or "")
        form.sector_id.data = str(scope.sector_id or "")
    return _save(
        form,
        lambda: cluster_service.create_cluster(
            scope,
            name=form.name.data,
            keywords=form.keywords.data or "",
            description=form.description.data or "",
            site_id=form.site_id.data,
            sector_id=form.sector_id.data,
        ),
        None,
    )


@bp.route("/<int:cluster_id>/edit", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def edit(cluster_id: int) -> Any:
    scope = current_scope()
    cluster = cluster_service.get_cluster(scope, cluster_id)
    form = _cluster_form(ClusterForm(obj=cluster if request.method == "GET" else None))
    # The sector of a cluster is fixed; the form shows it but never sends it back.
    form.site_id.data, form.sector_id.data = str(cluster.site_id), str(cluster.sector_id)
    return _save(
        form,
        lambda: cluster_service.update_cluster(
            scope,
            cluster.id,
            name=form.name.data,
            keywords=form.keywords.data or "",
            description=form.description.data or "",
        ),
        cluster,
    )


@bp.post("/<int:cluster_id>/delete")
@role_required(Role.EDITOR)
def delete(cluster_id: int) -> Any:
    if EmptyForm().validate_on_submit():
        scope = current_scope()
        cluster = cluster_service.get_cluster(scope, cluster_id)
        name = cluster.name
        try:
            cluster_service.delete_cluster(scope, cluster.id)
        except NotFound:
            raise
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"Deleted cluster “{name}”.", "success")
    return redirect(url_for(".index"))


def _show(cluster_id: int, notice: tuple[str, str] | None = None) -> Any:
    scope = current_scope()
    return render(
        "clusters/show.html",
        block="map",
        cluster=cluster_service.get_cluster(scope, cluster_id),
        pieces=cluster_map.cluster_pieces(scope, cluster_id),
        can_edit=scope.can(Role.EDITOR),
        role_form=MapRoleForm(formdata=None),
        role_choices=ROLE_CHOICES,
        notice=notice,
    )


@bp.get("/<int:cluster_id>")
@role_required()
def show(cluster_id: int) -> Any:
    return _show(cluster_id)


@bp.post("/<int:cluster_id>/map/<int:entry_id>/role")
@role_required(Role.EDITOR)
def set_role(cluster_id: int, entry_id: int) -> Any:
    """htmx gets the refreshed map with the outcome; others a redirect to the page with a flash."""
    scope = current_scope()
    entry = cluster_map.get_entry(scope, entry_id)
    if entry.cluster_id != cluster_id:
        raise NotFound("This entry is not on this cluster's map.")
    form = MapRoleForm()
    if not form.validate_on_submit():
        problems = [m for messages in form.errors.values() for m in messages]
        notice = (" ".join(problems) or "The form expired; reload the page and try again.", "error")
    else:
        title = entry.content.title if entry.content is not None else f"entry {entry.id}"
        try:
            cluster_map.set_role(scope, entry.id, form.role.data)
        except ValidationError as error:
            db.session.rollback()
            notice = (error.message, "error")
        else:
            db.session.commit()
            notice = (f"“{title}” is now {form.role.data}.", "success")
    if is_fragment_request():
        return _show(cluster_id, notice)
    flash(*notice)
    return redirect(url_for(".show", cluster_id=cluster_id))
