"""A task's outline: reading it, the editor's edits (validated per field), approval, the site default
"outline first", and what each AI step on the task costs before it runs.

Every edit clears the approval: "Generate draft" writes only from an outline an editor approved as it
stands. Field names in errors are `sections.<n>.<field>` (n from 0), as the API reports them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from writer_app.integrations.ai_outline import (
    MAX_HEADING,
    MAX_IMAGES,
    MAX_NOTE,
    MAX_SECTIONS,
    MAX_SUBHEADINGS,
    MAX_WORDS,
    MIN_WORDS,
    OutlineSection,
)
from writer_app.models import Job, JobStatus, Role, Site, Task, TaskOutline, db
from writer_app.models.base import utcnow
from writer_app.services import audit, credits
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.inputs import text_problem
from writer_app.services.scope import Scope, get

OUTLINE_OPERATION = "outline_generation"
SECTION_OPERATION = "section_generation"
WHOLE_OPERATION = "content_generation"  # batch.OPERATION (not imported: batch imports this module)
MAX_LINKS = 5
OUTLINE_FIRST = "outline_first"  # key of sites.settings


# --- reading ----------------------------------------------------------------------------------------


def get_task(scope: Scope, task_id: Any) -> Task:
    return get(scope, Task, task_id)


def find_outline(task_id: int) -> TaskOutline | None:
    return db.session.scalar(select(TaskOutline).where(TaskOutline.task_id == task_id))


def get_outline(scope: Scope, task_id: Any) -> TaskOutline | None:
    """The task's outline, None when it has none yet (NotFound for another account's task)."""
    return find_outline(get_task(scope, task_id).id)


def sections_of(outline: TaskOutline | None) -> list[OutlineSection]:
    return [OutlineSection.from_dict(s) for s in (outline.sections if outline else [])]


def approved_sections(task_id: int) -> list[OutlineSection] | None:
    """The sections of the task's approved outline, None when it has no approved outline."""
    outline = find_outline(task_id)
    return sections_of(outline) if outline is not None and outline.approved and outline.sections else None


def running_job(outline: TaskOutline | None) -> Job | None:
    """The outline job still writing this outline, if any."""
    if outline is None or not outline.job_id:
        return None
    job = db.session.get(Job, outline.job_id)
    return job if job is not None and not JobStatus(job.status).done else None


# --- the site default ---------------------------------------------------------------------------------


def outline_first(site: Site | None) -> bool:
    return bool(site is not None and site.setting(OUTLINE_FIRST))


def set_outline_first(scope: Scope, site_id: Any, on: bool) -> Site:
    """Admins switch the site's default: with it on, content is only drafted from approved outlines."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    if outline_first(site) != bool(on):
        site.settings = {**(site.settings or {}), OUTLINE_FIRST: bool(on)}
        audit.record(scope, "site.outline_first", site, value=bool(on))
    return site


# --- costs, shown before each AI action ------------------------------------------------------------------


def costs(task: Task) -> dict[str, int]:
    """Credits each AI step on the task costs now: the outline, and the draft (from the approved
    outline: one section call per section plus the introduction; else one whole-article call)."""
    sections = approved_sections(task.id)
    section_price = credits.price_of(SECTION_OPERATION)
    return {
        "outline": credits.price_of(OUTLINE_OPERATION),
        "section": section_price,
        "whole_draft": credits.price_of(WHOLE_OPERATION),
        "draft": (len(sections) + 1) * section_price if sections else credits.price_of(WHOLE_OPERATION),
        "draft_calls": len(sections) + 1 if sections else 1,
    }


# --- the editor's edits -------------------------------------------------------------------------------


def save_outline(scope: Scope, task_id: Any, sections: Any, *, approve: bool = False) -> TaskOutline:
    """Replace the task's sections with the editor's (validated); approve it when asked, else it
    becomes a draft outline again. 409 while an outline job is writing it."""
    scope.require(Role.EDITOR)
    task = get_task(scope, task_id)
    clean = validate_sections(sections)
    outline = find_outline(task.id)
    if running_job(outline) is not None:
        raise Conflict("An outline is being generated for this task; wait for it before editing.")
    if outline is None:
        outline = TaskOutline(account_id=task.account_id, task_id=task.id, sections=[], model="")
        db.session.add(outline)
    outline.sections = [s.as_dict() for s in clean]
    outline.approved_at = utcnow() if approve else None
    outline.approved_by_id = scope.user_id if approve else None
    db.session.flush()
    audit.record(scope, "task.outline_approve" if approve else "task.outline_edit", task, sections=len(clean))
    return outline


def validate_sections(raw: Any) -> list[OutlineSection]:
    """Sections from a form or the API; a ValidationError names every bad field."""
    if not isinstance(raw, list):
        raise ValidationError.field("sections", "sections must be a list of sections.")
    if not raw:
        raise ValidationError.field("sections", "An outline needs at least one section.")
    if len(raw) > MAX_SECTIONS:
        raise ValidationError.field(
            "sections", f"At most {MAX_SECTIONS} sections; remove {len(raw) - MAX_SECTIONS}."
        )
    errors: dict[str, list[str]] = {}
    clean: list[OutlineSection] = []
    for n, item in enumerate(raw):
        section = _section(item, f"sections.{n}", errors)
        if section is not None:
            clean.append(section)
    if errors:
        raise ValidationError("Please fix the outline fields marked below.", errors)
    return clean


def _section(item: Any, at: str, errors: dict[str, list[str]]) -> OutlineSection | None:
    if not isinstance(item, dict):
        errors[at] = ["Each section must be an object with a heading."]
        return None
    before = len(errors)
    heading = _text(item.get("heading"), f"{at}.heading", MAX_HEADING, errors, required=True)
    note = _text(item.get("note", ""), f"{at}.note", MAX_NOTE, errors)
    words = _number(item.get("words", 200), f"{at}.words", MIN_WORDS, MAX_WORDS, errors)
    images = _number(item.get("images", 0), f"{at}.images", 0, MAX_IMAGES, errors)
    keyphrase = item.get("keyphrase", False)
    if not isinstance(keyphrase, bool):
        errors[f"{at}.keyphrase"] = ["keyphrase must be true or false."]
    subheadings = _lines(item.get("subheadings", []), f"{at}.subheadings", errors)
    for sub in subheadings:
        if len(sub) > MAX_HEADING:
            errors[f"{at}.subheadings"] = [f"Each subheading is at most {MAX_HEADING} characters."]
    if len(subheadings) > MAX_SUBHEADINGS:
        errors[f"{at}.subheadings"] = [f"At most {MAX_SUBHEADINGS} subheadings per section."]
    links = _lines(item.get("links", []), f"{at}.links", errors)
    if len(links) > MAX_LINKS:
        errors[f"{at}.links"] = [f"At most {MAX_LINKS} links per section."]
    elif any(urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).netloc for u in links):
        errors[f"{at}.links"] = ["Links must be full http(s) URLs, one per line."]
    if len(errors) > before:
        return None
    return OutlineSection(heading, note, words, bool(keyphrase), tuple(subheadings), tuple(links), images)


def _text(value: Any, name: str, limit: int, errors: dict[str, list[str]], required: bool = False) -> str:
    if not isinstance(value, str):
        errors[name] = ["Enter text."]
        return ""
    text = " ".join(value.split())
    if required and not text:
        errors[name] = ["This field is required."]
    elif len(text) > limit:
        errors[name] = [f"At most {limit} characters (this has {len(text)})."]
    elif (problem := text_problem(value, multiline=False)) is not None:
        errors[name] = [f"This field {problem}."]
    return text


def _number(value: Any, name: str, low: int, high: int, errors: dict[str, list[str]]) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[name] = [f"Enter a whole number from {low} to {high}."]
        return low
    try:
        number = int(value)
    except ValueError:
        errors[name] = [f"Enter a whole number from {low} to {high}."]
        return low
    if not low <= number <= high:
        errors[name] = [f"Enter a whole number from {low} to {high}."]
    return number


def _lines(value: Any, name: str, errors: dict[str, list[str]]) -> list[str]:
    """A list of strings (API) or text with one item per line (form); blank lines dropped."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[name] = ["Enter a list of texts."]
        return []
    if any(text_problem(v, multiline=False) is not None for v in value):
        errors[name] = ["This field contains characters that are not allowed."]
        return []
    return [" ".join(v.split()) for v in value if v.strip()]
