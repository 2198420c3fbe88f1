"""Tasks page: filtered table (htmx, state in the URL), create/edit, trash, bulk actions, CSV."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, abort, flash, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from writer_app.forms.tasks import (
    BULK_STATUS_CHOICES,
    CONTENT_TYPE_CHOICES,
    STATUS_CHOICES,
    STRUCTURE_CHOICES,
    BulkForm,
    CsvImportForm,
    TaskForm,
    cluster_groups,
    sector_groups,
    site_choices,
)
from writer_app.models import Role, TaskStatus, db
from writer_app.services import clusters as cluster_service
from writer_app.services import content_checks as checks_service
from writer_app.services import task_actions, task_csv, task_history
from writer_app.services import tasks as task_service
from writer_app.services.errors import DomainError, NotFound, ValidationError
from writer_app.services.inputs import object_id
from writer_app.services.pagination import PAGE_SIZES
from writer_app.views.common import (
    account_sites,
    apply_domain_error,
    cached_page,
    csv_response,
    current_scope,
    form_errors_status,
    is_fragment_request,
    render,
    role_required,
    saving,
    site_menu,
)
from writer_app.views.redirects import is_local_path
from writer_app.views.single_submit import single_submit

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

LIST_ARGS = (
    "search",
    "status",
    "cluster_id",
    "content_type",
    "content_structure",
    "site_id",
    "sector_id",
    "ordering",
    "page_size",
    "trash",
)
FORM_FIELDS = (
    "title",
    "site_id",
    "sector_id",
    "cluster_id",
    "content_type",
    "content_structure",
    "keywords",
    "word_count",
    "description",
)


def _list_context(args: MultiDict[str, str], notice: tuple[str, str] | None = None) -> tuple[dict, int]:
    """Everything the list template shows for these query arguments (and the HTTP status)."""
    scope = current_scope()
    state = {k: args.get(k, "") for k in LIST_ARGS if args.get(k)}
    filters = task_service.TaskFilters.from_args(args)
    status, error = 200, None
    try:
        page = task_service.list_tasks(scope, filters, args.get("page"), args.get("page_size"))
    except ValidationError as exc:
        error, status = exc, (200 if is_fragment_request() else 400)
        page = None
    sites = site_menu()
    context = {
        "page": page,
        "filters": filters,
        "filter_error": error,
        "state": state,
        "list_url": url_for("tasks.index", **state, page=args.get("page") or None),
        "sites": sites,
        "sector_groups": sector_groups(sites),
        "cluster_groups": cluster_groups(cluster_service.clusters_for_choices(scope)),
        "working_label": _working_label(scope, sites),
        "status_choices": STATUS_CHOICES,
        "bulk_status_choices": BULK_STATUS_CHOICES,
        "type_choices": CONTENT_TYPE_CHOICES,
        "structure_choices": STRUCTURE_CHOICES,
        "page_sizes": PAGE_SIZES,
        "can_edit": scope.can(Role.EDITOR),
        "notice": notice,
        # A planned (queued) task has nothing running to cancel: the pages offer Cancel while it runs.
        "cancellable": {TaskStatus.IN_PROGRESS.value},
        "task_content": task_history.content_for_tasks(scope, [t.id for t in page.items] if page else []),
    }
    return context, status


def _working_label(scope: Any, sites: list[Any]) -> str:
    """How the default (working context) site/sector filter reads in the select."""
    for site in sites:
        if site.id == scope.site_id:
            sector = next((s.name for s in site.sectors if s.id == scope.sector_id), "all sectors")
            return f"Working: {site.name} · {sector}"
    return "Working: all sites"


@bp.get("/")
@role_required()
@cached_page
def index() -> Any:
    context, status = _list_context(request.args)
    return render("tasks/index.html", block="results", status=status, **context)


def _safe_next(value: str | None) -> str:
    """Only our own list URL is a place to go back to."""
    if value and value.startswith(url_for("tasks.index")) and "//" not in value and is_local_path(value):
        return value
    return url_for("tasks.index")


def _after_action(action: Any, success: Any) -> Any:
    """Run a row/bulk action: htmx gets the refreshed results block, others a redirect with a flash."""
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    next_url = _safe_next(form.next.data)
    try:
        outcome = action(form)
    except NotFound:
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        notice = (error.message, "error")
    else:
        db.session.commit()
        notice = (success(outcome), "success")
    if is_fragment_request():
        args = MultiDict(parse_qs(urlsplit(next_url).query))
        context, _status = _list_context(args, notice)
        return render("tasks/index.html", block="results", **context)
    flash(*notice)
    return redirect(next_url)


def _ids(form: BulkForm) -> list[str]:
    return form.ids.data or []


def _plural(n: int) -> str:
    return f"{n} task{'s' * (n != 1)}"


@bp.post("/bulk/delete")
@role_required(Role.EDITOR)
def bulk_delete() -> Any:
    return _after_action(
        lambda f: task_actions.bulk_delete(current_scope(), _ids(f)),
        lambda n: f"Moved {_plural(n)} to the trash. Open the trash to restore them.",
    )


@bp.post("/bulk/restore")
@role_required(Role.EDITOR)
def bulk_restore() -> Any:
    return _after_action(
        lambda f: task_actions.bulk_restore(current_scope(), _ids(f)),
        lambda n: f"Restored {_plural(n)}.",
    )


@bp.post("/bulk/status")
@role_required(Role.EDITOR)
def bulk_status() -> Any:
    return _after_action(
        lambda f: (task_actions.bulk_update_status(current_scope(), _ids(f), f.status.data), f.status.data),
        lambda r: f"Set {_plural(r[0])} to “{r[1].replace('_', ' ')}”.",
    )


@bp.post("/<int:task_id>/cancel")
@role_required(Role.EDITOR)
def cancel(task_id: int) -> Any:
    return _after_action(
        lambda f: task_actions.cancel_task(current_scope(), task_id),
        lambda task: f"Cancelled “{task.title}”.",
    )


def _task_form(form: TaskForm) -> TaskForm:
    scope = current_scope()
    form.set_choices(account_sites(), cluster_service.clusters_for_choices(scope))
    return form


def _keyphrase_warnings(form: TaskForm, task: Any) -> list[str]:
    """Other tasks/content of the site already targeting this task's keyphrase (warnings only)."""
    site_id = object_id(form.site_id.data)
    keyphrase = next((k.strip() for k in (form.keywords.data or "").split(",") if k.strip()), "")
    if not site_id or not keyphrase:
        return []
    return checks_service.duplicate_keyphrase_warnings(
        current_scope(), site_id, keyphrase, exclude_task_id=task.id if task else None
    )


def _save_task(form: TaskForm, save: Any, template_context: dict[str, Any]) -> Any:
    """Validate the form, call the service, commit and go back to the list; or show field errors."""
    if form.validate_on_submit():
        with saving(form, not_found_is_404=True) as saved:
            task = save({name: getattr(form, name).data for name in FORM_FIELDS})
        if saved.ok:
            flash(f"Saved “{task.title}”.", "success")
            for warning in _keyphrase_warnings(form, task):
                flash(warning, "warning")
            return redirect(_safe_next(request.args.get("next")))
    status = form_errors_status() if request.method == "POST" else 200
    warnings = _keyphrase_warnings(form, template_context.get("task"))
    return render(
        "tasks/form.html",
        block="form",
        status=status,
        form=form,
        keyphrase_warnings=warnings,
        **template_context,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.EDITOR)
@single_submit
def new() -> Any:
    scope = current_scope()
    form = _task_form(TaskForm())
    if request.method == "GET":
        form.site_id.data = str(scope.site_id or "")
        form.sector_id.data = str(scope.sector_id or "")
        form.cluster_id.data = request.args.get("cluster_id", "")
    return _save_task(
        form, lambda values: task_service.create_task(scope, **values), {"task": None, "title": "New task"}
    )


@bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def edit(task_id: int) -> Any:
    scope = current_scope()
    task = task_service.get_task(scope, task_id)
    form = _task_form(TaskForm(obj=task if request.method == "GET" else None))
    if request.method == "GET":
        for name in ("site_id", "sector_id", "cluster_id"):
            getattr(form, name).data = str(getattr(task, name))
        form.content_type.data = task.content_type.value
        form.content_structure.data = task.content_structure.value
    return _save_task(
        form,
        lambda values: task_service.update_task(scope, task.id, **values),
        {
            "task": task,
            "title": f"Edit “{task.title}”",
            "task_content": task_history.content_for_tasks(scope, [task.id]).get(task.id),
            "history": task_history.task_history(scope, task),
        },
    )


@bp.get("/export.csv")
@role_required()
def export() -> Any:
    scope = current_scope()
    filters = task_service.TaskFilters.from_args(request.args)
    task_service.list_tasks(scope, filters, 1, 1)  # bad filters → 400 before the download starts
    return csv_response("tasks.csv", task_csv.EXPORT_HEADER, task_csv.task_export_rows(scope, filters))


def _csv_text(form: CsvImportForm) -> str:
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        try:
            return upload.read(task_csv.MAX_BYTES + 1).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError.field("file", "Save the file as UTF-8 CSV and try again.") from None
    if form.text.data and form.text.data.strip():
        return form.text.data
    raise ValidationError.field("file", "Choose a CSV file or paste CSV text.")


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.EDITOR)
@single_submit
def import_tasks() -> Any:
    scope = current_scope()
    sites = account_sites()
    form = CsvImportForm()
    form.site_id.choices = site_choices(sites)
    form.sector_groups = sector_groups(sites)
    preview, text = None, ""
    if request.method == "GET":
        form.site_id.data = str(scope.site_id or "")
        form.sector_id.data = str(scope.sector_id or "")
    elif form.validate_on_submit():
        try:
            text = _csv_text(form)
            if request.form.get("action") == "import":
                created = task_csv.import_csv(scope, text, form.site_id.data, form.sector_id.data)
                db.session.commit()
                flash(f"Imported {_plural(len(created))}.", "success")
                state = {"site_id": form.site_id.data, "sector_id": form.sector_id.data}
                return redirect(url_for(".index", **state))
            preview = task_csv.preview_csv(scope, text, form.site_id.data, form.sector_id.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            if text and "file" in error.fields:
                form.form_errors.append(error.message)  # the summary; the rows show in the preview
                preview = task_csv.preview_csv(scope, text, form.site_id.data, form.sector_id.data)
    status = form_errors_status() if form.errors or form.form_errors else 200
    return render(
        "tasks/import.html",
        block="import",
        status=status,
        form=form,
        preview=preview,
        text=text,
        columns=task_csv.COLUMNS,
    )
