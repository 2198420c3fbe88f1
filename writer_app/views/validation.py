"""Content checks in the browser: per-site levels (settings), the live side panel, the publish preview."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from wtforms import SelectField
from wtforms.fields import SelectChoice

from writer_app.forms.base import FlaskForm
from writer_app.models import Role
from writer_app.services import content_checks as checks_service
from writer_app.services import metadata, site_checks
from writer_app.services.review import gate
from writer_app.services.validation import CHECKS
from writer_app.services.validation.model import LEVELS
from writer_app.views.common import (
    current_scope,
    form_errors_status,
    is_fragment_request,
    render,
    role_required,
    saving,
)

bp = Blueprint("validation", __name__)

# Live checks analyse what the editor typed; a body larger than this is refused rather than parsed.
MAX_LIVE_HTML = 1_000_000
STATUS_TEXT = {"good": "Good", "improve": "Needs improvement", "problem": "Problem"}
# Where a check's anchor points on the review page: the edit form's field ids (WTForms names).
FIELD_ANCHORS = {
    "title": "Title",
    "meta_title": "SEO title",
    "meta_description": "Meta description",
    "slug": "Slug",
    "primary_keyword": "Keyphrase",
}


@bp.app_template_filter("check_link")
def check_link(anchor: str) -> dict[str, Any]:
    """href, link text and paragraph number for a check's anchor ("meta_title", "body", "body:p3")."""
    if anchor in FIELD_ANCHORS:
        return {"href": f"#{anchor}", "text": f"Go to {FIELD_ANCHORS[anchor].lower()}", "target": anchor}
    if anchor.startswith("body:p") and anchor[6:].isdigit():
        n = int(anchor[6:])
        return {"href": "#html", "text": f"Go to paragraph {n}", "target": "html", "paragraph": n}
    return {"href": "#html", "text": "Go to the text", "target": "html"}


def _panel_context(report: checks_service.ContentReport) -> dict[str, Any]:
    return {"report": report, "content": report.content, "status_text": STATUS_TEXT}


def _render_panel(report: checks_service.ContentReport, note: str = "") -> Any:
    """The panel's inside for htmx (it swaps into the panel), the checks page otherwise."""
    context = {**_panel_context(report), "note": note}
    if is_fragment_request():
        body = render_template("validation/_panel_body.html", **context)
        return body, 200, {"Vary": "HX-Request"}
    return render("validation/checks.html", **context)


@bp.get("/content/<int:content_id>/checks")
@role_required()
def content_checks_page(content_id: int) -> Any:
    """The saved content's checks (the review page loads its side panel from here)."""
    return _render_panel(checks_service.content_report(current_scope(), content_id))


@bp.post("/content/<int:content_id>/checks")
@role_required(Role.EDITOR)
def content_checks(content_id: int) -> Any:
    """Analyse the edit form's current, unsaved values (any of LIVE_FIELDS); nothing is stored."""
    fields = {name: request.form[name] for name in checks_service.LIVE_FIELDS if name in request.form}
    note = ""
    if len(fields.get("html", "")) > MAX_LIVE_HTML:
        fields.pop("html")
        note = "The text is too long to check while typing; the saved text is checked instead."
    return _render_panel(checks_service.content_report(current_scope(), content_id, fields), note)


@bp.get("/content/<int:content_id>/publish-preview")
@role_required()
def publish_preview(content_id: int) -> Any:
    """Exactly what WordPress will receive for this content, and whether the checks allow publishing."""
    scope = current_scope()
    preview = metadata.wordpress_payload(scope, content_id)
    return render(
        "validation/publish_preview.html",
        block="preview",
        preview=preview,
        # Readable JSON (autoescaped by Jinja), exactly the request body.
        body_json=json.dumps(preview.post_body(), indent=2, ensure_ascii=False),
        gate=gate.content_gate(scope, content_id),
    )


@bp.get("/checks/keyphrase-duplicates")
@role_required()
def keyphrase_duplicates() -> Any:
    """Warnings for a keyphrase typed into a create/edit form (an empty fragment when there are none).

    Query: site_id (else the working site), keyphrase or keywords (a task's comma-separated keywords:
    the first one is its keyphrase), exclude_task_id, exclude_content_id."""
    scope = current_scope()
    args = request.args
    keyphrase = args.get("keyphrase") or next(
        (k.strip() for k in args.get("keywords", "").split(",") if k.strip()), ""
    )
    site_id = args.get("site_id", type=int) or scope.site_id
    warnings = (
        checks_service.duplicate_keyphrase_warnings(
            scope,
            site_id,
            keyphrase,
            exclude_task_id=args.get("exclude_task_id", type=int),
            exclude_content_id=args.get("exclude_content_id", type=int),
        )
        if site_id
        else []
    )
    body = render_template("validation/_duplicates.html", warnings=warnings)
    return body, 200, {"Vary": "HX-Request"}


def _levels_form(checks: site_checks.SiteChecks) -> FlaskForm:
    """One select per check plus the SEO plugin; built per request because the checks are data."""

    class LevelsForm(FlaskForm):
        pass

    choices = [SelectChoice(level, site_checks.LEVEL_LABELS[level]) for level in LEVELS]
    for key, spec in CHECKS.items():
        setattr(LevelsForm, key, SelectField(spec.label, choices=choices, default=checks.levels[key]))
    LevelsForm.seo_plugin = SelectField(  # type: ignore[attr-defined]
        "SEO plugin on this site",
        choices=[SelectChoice(key, label) for key, label in site_checks.SEO_PLUGINS.items()],
        default=checks.seo_plugin,
    )
    return LevelsForm()


@bp.route("/settings/sites/<int:site_id>/checks", methods=["GET", "POST"])
@role_required()
def site_levels(site_id: int) -> Any:
    """Everyone reads the site's check levels; admins change them and the SEO plugin."""
    scope = current_scope()
    checks = site_checks.get_site_checks(scope, site_id)
    form = _levels_form(checks)
    if request.method == "POST":
        scope.require(Role.ADMIN)
        if form.validate_on_submit():
            with saving(form) as saved:
                site_checks.update_site_checks(
                    scope, site_id, {key: form[key].data for key in CHECKS}, form["seo_plugin"].data
                )
            if saved.ok:
                flash(f"Checks of “{checks.site.name}” saved.", "success")
                return redirect(url_for(".site_levels", site_id=site_id))
    status = form_errors_status() if request.method == "POST" else 200
    return render(
        "validation/site_levels.html",
        block="levels",
        status=status,
        form=form,
        checks=checks,
        can_manage=scope.can(Role.ADMIN),
        level_labels=site_checks.LEVEL_LABELS,
        seo_plugins=site_checks.SEO_PLUGINS,
    )
