"""Links on the content page: suggested internal links (insert with one click) and the dead-link
check on demand; the site's brand voice and allowed outbound links in the site settings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from writer_app.forms.links import CheckLinksForm, InsertLinkForm, StyleGuideForm
from writer_app.models import Role, Site, db
from writer_app.services import content as content_service
from writer_app.services.errors import DomainError
from writer_app.services.links import checks as link_checks
from writer_app.services.links import policy, suggestions
from writer_app.services.scope import get
from writer_app.services.validation import CHECKS
from writer_app.services.voice import style_guide
from writer_app.views.common import current_scope, form_errors_status, render, role_required, saving

bp = Blueprint("links", __name__)


@bp.app_template_global()
def writer_own_check(key: str) -> bool:
    """Checks that reproduce no Yoast assessment are marked as Writer's own where checks are listed."""
    spec = CHECKS.get(key)
    return spec is not None and not spec.yoast


def _content_page(content_id: int) -> str:
    return url_for("content.review_page", content_id=content_id) + "#links"


@bp.get("/content/<int:content_id>/links")
@role_required()
def panel(content_id: int) -> Any:
    """The "Links" panel (htmx loads it into the content page; without htmx it is a page of its own)."""
    scope = current_scope()
    content = content_service.get_content(scope, content_id)
    return render(
        "links/panel.html",
        block="panel",
        content=content,
        suggestions=suggestions.suggestions_for(scope, content) if scope.can(Role.EDITOR) else [],
        check=link_checks.stored_check(content),
        removed=(content.link_report or {}).get("removed") or [],
        can_edit=scope.can(Role.EDITOR),
        insert_form=InsertLinkForm(formdata=None),
        check_form=CheckLinksForm(formdata=None),
    )


@bp.post("/content/<int:content_id>/links/insert")
@role_required(Role.EDITOR)
def insert(content_id: int) -> Any:
    form = InsertLinkForm()
    if not form.validate_on_submit():
        flash("Choose a suggested link to insert.", "error")
        return redirect(_content_page(content_id), 303)
    try:
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        suggestions.insert_suggested_link(
            current_scope(), content_id, form.url.data, form.anchor.data, version
        )
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            raise  # not this account's content: the 404 page
        detail = " ".join(m for ms in error.fields.values() for m in ms) or error.message
        flash(f"The link was not inserted: {detail}", "error")
    else:
        db.session.commit()
        flash(f"Linked “{form.anchor.data}” to {form.url.data}. A new revision was stored.", "success")
    return redirect(_content_page(content_id), 303)


@bp.post("/content/<int:content_id>/links/check")
@role_required(Role.EDITOR)
def check(content_id: int) -> Any:
    """Check the body's links now (HEAD/GET through the outbound policy); the result shows with the checks."""
    scope = current_scope()
    if not CheckLinksForm().validate_on_submit():
        flash("The form expired; try again.", "error")
        return redirect(_content_page(content_id), 303)
    content = content_service.get_content(scope, content_id)
    result = link_checks.check_links(scope, content)
    db.session.commit()
    if result.dead:
        flash(
            f"{len(result.dead)} of {result.total} links are dead; see “Dead links” in the checks.", "error"
        )
    else:
        flash(f"All {result.total} links answered.", "success")
    return redirect(_content_page(content_id), 303)


@bp.route("/settings/sites/<int:site_id>/voice", methods=["GET", "POST"])
@role_required()
def voice(site_id: int) -> Any:
    """Everyone reads the site's style guide; admins change it (every change is a new version)."""
    scope = current_scope()
    site = get(scope, Site, site_id)
    guide = style_guide.current(site)
    form = StyleGuideForm(
        data={
            **guide.content(),
            "prefer": "\n".join(guide.prefer),
            "avoid": "\n".join(guide.avoid),
            "allowed_outbound": "\n".join(policy.allowed_outbound(site)),
        }
    )
    if request.method == "POST":
        scope.require(Role.ADMIN)
        if form.validate_on_submit():
            with saving(form) as saved:
                fields = ("tone", "audience", "prefer", "avoid", "example", "language")
                new = style_guide.save_style_guide(scope, site_id, **{n: form[n].data for n in fields})
                policy.save_allowed_outbound(scope, site_id, form.allowed_outbound.data)
            if saved.ok:
                flash(
                    f"Brand voice of “{site.name}” saved; drafts now use style guide version {new.version}.",
                    "success",
                )
                return redirect(url_for(".voice", site_id=site_id), 303)
    return render(
        "links/voice.html",
        status=form_errors_status() if request.method == "POST" else 200,
        form=form,
        site=site,
        guide=guide,
        can_manage=scope.can(Role.ADMIN),
    )
