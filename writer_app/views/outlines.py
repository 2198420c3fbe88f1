"""The outline on the task page: generate it (a job), edit it without JavaScript (add, remove, move,
rename, notes and words: every button submits the whole form, so typed edits are kept), approve it,
and write the draft from it; the site's "outline first" switch; AI prices for every button.

Saving goes through the service, which validates every field; errors re-render the editor (400) on
its own page with the fields marked, a success redirects (303) to the task page's outline.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for

from writer_app.forms.outlines import OutlineFirstForm, OutlineForm
from writer_app.jobs import ai as job_entry
from writer_app.models import Role, Task, db
from writer_app.services import generation, sites, tasks
from writer_app.services.errors import DomainError
from writer_app.views.common import current_scope, render, role_required
from writer_app.views.generation import _start

bp = Blueprint("outlines", __name__)
NEW_SECTION = {
    "heading": "New section",
    "note": "",
    "words": "200",
    "keyphrase": False,
    "subheadings": "",
    "links": "",
    "images": "0",
}


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    """`ai_price(operation)` and `outline_panel(task)` for any template (the task page, AI buttons)."""
    return {"ai_price": _price, "outline_panel": _panel}


def _panel(task: Task) -> dict[str, Any]:
    scope = current_scope()
    outline = generation.get_outline(scope, task.id)
    return {
        "outline": outline,
        "rows": [_row(s.as_dict()) for s in generation.sections_of(outline)],
        "errors": {},
        "job": generation.running_job(outline),
        "costs": generation.costs(task),
        "outline_first": generation.outline_first(task.site),
    }


def _row(section: dict[str, Any]) -> dict[str, Any]:
    """A section as the form shows it: lists as lines."""
    return {
        **section,
        "subheadings": "\n".join(section.get("subheadings") or []),
        "links": "\n".join(section.get("links") or []),
    }


def _task_page(task_id: int) -> str:
    return url_for("tasks.edit", task_id=task_id) + "#outline"


@bp.get("/tasks/<int:task_id>/outline")
@role_required()
def show(task_id: int) -> Any:
    task = tasks.get_task(current_scope(), task_id)
    return render("tasks/outline.html", task=task, panel=_panel(task))


@bp.post("/tasks/<int:task_id>/outline")
@role_required(Role.EDITOR)
def save(task_id: int) -> Any:
    scope = current_scope()
    task = tasks.get_task(scope, task_id)
    form = OutlineForm()
    if not form.validate_on_submit():
        flash("The form expired; reload the page and try again.", "error")
        return redirect(_task_page(task.id))
    rows = [dict(entry.data) for entry in form.sections]
    action = request.form.get("action", "save")
    rows = _apply(action, rows)
    try:
        generation.save_outline(scope, task.id, [_section(r) for r in rows], approve=action == "approve")
    except DomainError as error:
        db.session.rollback()
        panel = {**_panel(task), "rows": rows, "errors": error.fields, "message": error.message}
        return render("tasks/outline.html", status=400, task=task, panel=panel)
    db.session.commit()
    flash(_saved_text(action), "success")
    return redirect(_task_page(task.id), 303)


def _apply(action: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The structural change a button asks for: add, remove-N, up-N, down-N (others change nothing)."""
    verb, _, index = action.partition("-")
    if verb == "add":
        return [*rows, dict(NEW_SECTION)]
    if not index.isdigit() or int(index) >= len(rows):
        return rows
    n = int(index)
    if verb == "remove":
        return rows[:n] + rows[n + 1 :]
    other = n - 1 if verb == "up" else n + 1 if verb == "down" else n
    if 0 <= other < len(rows) and other != n:
        rows[n], rows[other] = rows[other], rows[n]
    return rows


def _section(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "heading": row.get("heading") or "",
        "note": row.get("note") or "",
        "words": (row.get("words") or "").strip(),
        "keyphrase": bool(row.get("keyphrase")),
        "subheadings": row.get("subheadings") or "",
        "links": row.get("links") or "",
        "images": (row.get("images") or "0").strip(),
    }


def _saved_text(action: str) -> str:
    if action == "approve":
        return "Outline approved: Generate draft now writes it section by section."
    return "Outline saved (not approved: approve it before generating the draft)."


@bp.post("/tasks/<int:task_id>/outline/generate")
@role_required(Role.EDITOR)
def generate(task_id: int) -> Any:
    """Queue Generate outline for the task (its price was shown on the button)."""
    return _start(
        lambda scope: generation.start_outline(scope, task_id),
        job_entry.generate_outline,
        _task_page(task_id),
    )


@bp.route("/settings/sites/<int:site_id>/ai-drafting", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def site_settings(site_id: int) -> Any:
    """The site's "outline first" default (admins)."""
    scope = current_scope()
    site = sites.get_site(scope, site_id)
    form = OutlineFirstForm()
    if form.validate_on_submit():
        generation.set_outline_first(scope, site.id, form.outline_first.data)
        db.session.commit()
        flash(f"Outline first is {'on' if form.outline_first.data else 'off'} for {site.name}.", "success")
        return redirect(url_for(".site_settings", site_id=site.id), 303)
    form.outline_first.data = generation.outline_first(site)
    prices = {op: _price(op) for op in ("outline_generation", "section_generation", "content_generation")}
    return render("settings/ai_drafting.html", site=site, form=form, prices=prices)


def _price(operation: str) -> int:
    return int(current_app.config.get("CREDIT_PRICES", {}).get(operation, 0))
