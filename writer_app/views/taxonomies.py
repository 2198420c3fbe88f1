"""Taxonomies: categories and tags per site. Everyone reads; admins create, edit and delete."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, make_response, redirect, request, url_for
from wtforms.fields import SelectChoice

from writer_app.forms.settings import EmptyForm
from writer_app.forms.taxonomies import TaxonomyFilterForm, TaxonomyForm
from writer_app.models import Role, Site, db
from writer_app.services import taxonomies
from writer_app.services.clusters import ALL
from writer_app.services.errors import ValidationError
from writer_app.services.pagination import Page, page_params
from writer_app.services.scope import Scope
from writer_app.views.common import (
    account_sites,
    apply_domain_error,
    current_scope,
    form_errors_status,
    is_fragment_request,
    render,
    role_required,
    saving,
)
from writer_app.views.single_submit import single_submit

bp = Blueprint("taxonomies", __name__, url_prefix="/taxonomies")


def _fill_choices(form: TaxonomyForm, site_list: list[Site]) -> None:
    form.site_id.choices = [SelectChoice("", "Choose a site…")] + [
        SelectChoice(str(s.id), s.name) for s in site_list
    ]
    form.sector_id.choices = [SelectChoice("", "No sector")] + [
        SelectChoice(str(sector.id), f"{s.name} · {sector.name}") for s in site_list for sector in s.sectors
    ]


def _term_form(scope: Scope, site_list: list[Site], **kwargs: Any) -> TaxonomyForm:
    form = TaxonomyForm(**kwargs)
    _fill_choices(form, site_list)
    return form


def _list_page(scope: Scope, term_form: TaxonomyForm, site_list: list[Site], status: int = 200) -> Any:
    """The list with its filters and (for admins) the new-term form; fragment block `results`."""
    filter_form = TaxonomyFilterForm(formdata=request.args)
    filter_form.site_id.choices = [SelectChoice(ALL, "All sites")] + [
        SelectChoice(str(s.id), s.name) for s in site_list
    ]
    if not request.args.get("site_id"):
        filter_form.site_id.data = str(scope.site_id) if scope.site_id else ALL
    filters = taxonomies.TaxonomyFilters.from_args(request.args)
    try:
        page, page_size = page_params(request.args.get("page"), request.args.get("page_size"), 50)
        result = taxonomies.list_taxonomies(scope, filters, page, page_size)
    except ValidationError as error:
        apply_domain_error(filter_form, error)
        result, status = Page([], 0, 1, 50), form_errors_status()
    return render(
        "taxonomies/index.html",
        block="term_form" if request.method == "POST" else "results",
        status=status,
        filter_form=filter_form,
        form=term_form,
        result=result,
        usage=taxonomies.usage_counts(scope, [t.id for t in result.items]),
        can_manage=scope.can(Role.ADMIN),
        empty=EmptyForm(),
    )


@bp.get("/")
@role_required()
def index() -> Any:
    scope = current_scope()
    site_list = account_sites()
    form = _term_form(scope, site_list, formdata=None)
    # Preselect the listed site, else the working site, else the only site there is.
    only_site = site_list[0].id if len(site_list) == 1 else ""
    chosen = request.args.get("site_id", "").replace(ALL, "") or scope.site_id or only_site
    form.site_id.data = str(chosen)
    return _list_page(scope, form, site_list)


@bp.post("/")
@role_required(Role.ADMIN)
@single_submit
def create() -> Any:
    scope = current_scope()
    site_list = account_sites()
    form = _term_form(scope, site_list)
    if form.validate_on_submit():
        with saving(form) as saved:
            term = taxonomies.create_taxonomy(
                scope,
                site_id=form.site_id.data,
                sector_id=form.sector_id.data or None,
                name=form.name.data,
                slug=form.slug.data or "",
                taxonomy_type=form.taxonomy_type.data,
                description=form.description.data or "",
            )
        if saved.ok:
            flash(
                f"{term.taxonomy_type.value.capitalize()} “{term.name}” added (slug {term.slug}).", "success"
            )
            return _redirect(url_for(".index", site_id=term.site_id))
    return _list_page(scope, form, site_list, status=form_errors_status())


def _redirect(target: str) -> Any:
    """After a saved form: a normal redirect, or for htmx a full navigation (HX-Redirect) so the
    page, its list and the flash message all refresh together."""
    if is_fragment_request():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


@bp.route("/<int:taxonomy_id>", methods=["GET", "POST"])
@role_required()
def detail(taxonomy_id: int) -> Any:
    scope = current_scope()
    term = taxonomies.get_taxonomy(scope, taxonomy_id)
    site_list = account_sites()
    form = _term_form(scope, site_list, obj=term)
    status = 200
    if request.method == "POST":
        scope.require(Role.ADMIN)  # everyone reads; only admins change
        if form.validate_on_submit():
            with saving(form) as saved:
                taxonomies.update_taxonomy(
                    scope,
                    term.id,
                    name=form.name.data,
                    slug=form.slug.data or "",
                    taxonomy_type=form.taxonomy_type.data,
                    sector_id=form.sector_id.data or None,
                    description=form.description.data or "",
                )
            if saved.ok:
                flash("Term saved.", "success")
                return _redirect(url_for(".detail", taxonomy_id=term.id))
        status = form_errors_status()
        term = taxonomies.get_taxonomy(scope, taxonomy_id)
    form.site_id.data = str(term.site_id)
    return render(
        "taxonomies/detail.html",
        block="term_form",
        status=status,
        term=term,
        form=form,
        usage=taxonomies.usage_counts(scope, [term.id]).get(term.id, 0),
        can_manage=scope.can(Role.ADMIN),
        empty=EmptyForm(),
    )


@bp.post("/<int:taxonomy_id>/delete")
@role_required(Role.ADMIN)
def delete(taxonomy_id: int) -> Any:
    scope = current_scope()
    if EmptyForm().validate_on_submit():
        term = taxonomies.get_taxonomy(scope, taxonomy_id)
        site_id = term.site_id
        name = taxonomies.delete_taxonomy(scope, taxonomy_id)
        db.session.commit()
        flash(f"“{name}” deleted; content no longer carries it.", "success")
        return redirect(url_for(".index", site_id=site_id))
    return redirect(url_for(".index"))
