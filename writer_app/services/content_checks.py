"""Content analysis applied to stored content: per-site levels, per-revision storage and duplicate
keyphrase warnings (the publish gate built on it: review/gate.py).

    check_content(scope, content_id) -> Analysis                   the saved content, the site's levels
    content_report(scope, content_id, fields=None) -> ContentReport   for the side panel (live when fields)
    after_content_saved(scope, content, revision) -> Analysis      call after every save (stores it)
    duplicate_keyphrase_warnings(scope, site_id, keyphrase, ...)   sentences, empty when none
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from writer_app.models import (
    Content,
    ContentStructure,
    ContentType,
    Revision,
    Role,
    Site,
    Task,
    TaskStatus,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services.identity.accounts import slugify
from writer_app.services.inputs import object_id
from writer_app.services.links import checks as link_checks
from writer_app.services.scope import Scope, get, scoped
from writer_app.services.site_checks import site_levels
from writer_app.services.validation import Analysis, CheckResult, ContentInput, Level, analyze
from writer_app.services.validation import failing_required as _failing_required

# Re-exported: comparing the analyses stored with two revisions.
from writer_app.services.validation.compare import CheckChange as CheckChange
from writer_app.services.validation.compare import compare_analyses as compare_analyses
from writer_app.services.validation.keyphrase import Keyphrase, same_word
from writer_app.services.voice import style_guide

# The fields the review page's edit form sends for a live check (nothing is saved).
LIVE_FIELDS = ("title", "html", "meta_title", "meta_description", "primary_keyword", "slug")
MAX_DUPLICATES = 5


@dataclass(frozen=True)
class ContentReport:
    """What the side panel shows: the analysis under the site's levels, the gate and duplicate warnings."""

    content: Content
    analysis: Analysis
    levels: dict[str, Level]
    duplicates: list[str] = field(default_factory=list)
    history: list[RevisionScore] = field(default_factory=list)
    live: bool = False  # computed from unsaved form fields

    @property
    def failing(self) -> list[CheckResult]:
        return _failing_required(self.analysis, self.levels)

    def level(self, key: str) -> Level:
        return self.levels.get(key, "recommended")


@dataclass(frozen=True)
class RevisionScore:
    number: int
    created_at: datetime
    author: str
    note: str
    seo_score: int
    readability_score: int
    word_count: int
    problems: int  # checks that are not good


def _site_domain(site: Site) -> str:
    return site.domain or site.wp_url or ""


def content_input(content: Content, site: Site, fields: Mapping[str, Any] | None = None) -> ContentInput:
    """The analysis input for `content`; `fields` (unsaved form values) replace the stored ones."""
    values = {name: getattr(content, name) or "" for name in LIVE_FIELDS}
    for name, value in (fields or {}).items():
        if name in LIVE_FIELDS and value is not None:
            values[name] = str(value)
    slug = values["slug"].strip()
    # The same normalization update_content applies, so the live check matches what a save stores.
    values["slug"] = slugify(slug, 255) if slug else slugify(values["title"], 255)
    structure = ContentStructure(content.content_structure)
    return ContentInput(
        html=values["html"],
        title=values["title"].strip(),
        seo_title=values["meta_title"].strip(),
        meta_description=values["meta_description"].strip(),
        slug=values["slug"],
        keyphrase=values["primary_keyword"].strip(),
        content_type=ContentType(content.content_type).value,  # type: ignore[arg-type]
        cornerstone=structure.cornerstone,
        site_domain=_site_domain(site),
        avoid_words=tuple(style_guide.current(site).avoid),
        # A live check of unsaved text keeps the stored link check only while the body is unchanged.
        dead_links=link_checks.dead_links(content) if values["html"] == (content.html or "") else None,
    )


def load(scope: Scope, content_id: Any) -> Content:
    return get(scope, Content, content_id, options=(joinedload(Content.site),))


def _analyze(content: Content, fields: Mapping[str, Any] | None = None) -> tuple[Analysis, dict[str, Level]]:
    levels = site_levels(content.site)
    return analyze(content_input(content, content.site, fields), levels), levels


def check_content(scope: Scope, content_id: Any) -> Analysis:
    """The saved content's analysis under its site's levels (Off checks left out)."""
    return _analyze(load(scope, content_id))[0]


def content_report(scope: Scope, content_id: Any, fields: Mapping[str, Any] | None = None) -> ContentReport:
    """Side-panel data. With `fields` (editor+), the unsaved form values are analysed and nothing is
    written; without, the saved content is."""
    if fields is not None:
        scope.require(Role.EDITOR)
    content = load(scope, content_id)
    analysis, levels = _analyze(content, fields)
    keyphrase = (fields or {}).get("primary_keyword", content.primary_keyword) or ""
    duplicates = duplicate_keyphrase_warnings(
        scope, content.site_id, str(keyphrase), exclude_content_id=content.id
    )
    return ContentReport(
        content, analysis, levels, duplicates, analysis_history(scope, content.id), fields is not None
    )


# --- storage per revision -------------------------------------------------------------------------


def store_analysis(revision: Revision, analysis: Analysis) -> None:
    """Keep the analysis with the revision it belongs to (Revision.analysis, JSON)."""
    revision.analysis = {**analysis.to_dict(), "checked_at": utcnow().isoformat()}


def revision_analysis(content: Content, revision: Revision) -> Analysis:
    """The analysis stored with `revision`, re-scored lazily when it predates the current rules.

    Analyses stored before the checks followed Yoast (format 1) are re-computed from the revision's own
    text on read, not migrated: nothing is written, and the next save stores a current analysis.
    """
    analysis = Analysis.from_dict(revision.analysis or {})
    if analysis.is_current:
        return analysis
    site = content.site if content.site is not None else db.session.get(Site, content.site_id)
    assert site is not None
    values = {
        name: getattr(revision, name) or "" for name in ("html", "title", "meta_title", "meta_description")
    }
    slug = (revision.slug or "").strip()
    return analyze(
        ContentInput(
            html=values["html"],
            title=values["title"].strip(),
            seo_title=values["meta_title"].strip(),
            meta_description=values["meta_description"].strip(),
            slug=slugify(slug, 255) if slug else slugify(values["title"], 255),
            keyphrase=(revision.primary_keyword or "").strip(),
            content_type=ContentType(content.content_type).value,  # type: ignore[arg-type]
            cornerstone=ContentStructure(content.content_structure).cornerstone,
            site_domain=_site_domain(site),
        ),
        site_levels(site),
    )


def after_content_saved(scope: Scope, content: Content, revision: Revision) -> Analysis:
    """Analyse the content as just saved and store the result on its new revision.

    Call after every save that stores a revision (create, update, restore); flushing stays the
    caller's business."""
    site = content.site if content.site is not None else db.session.get(Site, content.site_id)
    assert site is not None
    analysis = analyze(content_input(content, site), site_levels(site))
    store_analysis(revision, analysis)
    return analysis


def analysis_history(scope: Scope, content_id: int, limit: int = 10) -> list[RevisionScore]:
    """Scores of the content's latest analysed revisions, newest first (one query)."""
    rows = db.session.scalars(
        select(Revision)
        .options(joinedload(Revision.user))
        .where(
            Revision.account_id == scope.account_id,
            Revision.content_id == content_id,
            Revision.analysis.is_not(None),
        )
        .order_by(Revision.number.desc())
        .limit(limit)
    )
    history = []
    content: Content | None = None
    for revision in rows:
        stored = revision.analysis or {}
        if not stored.get("checks") and "seo_score" not in stored:
            continue  # a JSON null stored as a value
        if content is None:
            content = load(scope, content_id)
        analysis = revision_analysis(content, revision)
        history.append(
            RevisionScore(
                number=revision.number,
                created_at=revision.created_at,
                author=revision.user.display_name if revision.user else "",
                note=revision.note,
                seo_score=analysis.seo_score,
                readability_score=analysis.readability_score,
                word_count=analysis.word_count,
                problems=sum(c.status != "good" for c in analysis.checks),
            )
        )
    return history


def stored_analysis(scope: Scope, content_id: Any, number: Any) -> Analysis | None:
    """The analysis stored with revision `number` of the content (None when it has none)."""
    content = get(scope, Content, content_id)
    key = object_id(number)
    if key is None:  # no revision can have that number
        return None
    revision = db.session.scalar(
        select(Revision).where(
            Revision.account_id == scope.account_id,
            Revision.content_id == content.id,
            Revision.number == key,
        )
    )
    if revision is None or not revision.analysis:
        return None
    return revision_analysis(content, revision)


# --- duplicate keyphrases -------------------------------------------------------------------------


def _same_keyphrase(a: Keyphrase, b: Keyphrase) -> bool:
    x, y = a.content_words, b.content_words
    return len(x) == len(y) and all(same_word(p, q) for p, q in zip(x, y, strict=True))


def _like_term(keyphrase: Keyphrase) -> str:
    """A LIKE pattern every plural/singular spelling of the longest word contains (prefilter only)."""
    longest = max(keyphrase.content_words, key=len)
    stem = longest[: max(3, len(longest) - 3)]
    return "%" + stem.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def duplicate_keyphrase_warnings(
    scope: Scope,
    site_id: int,
    keyphrase: str,
    exclude_task_id: int | None = None,
    exclude_content_id: int | None = None,
) -> list[str]:
    """Sentences naming other tasks/content of the same site that already target `keyphrase`.

    A task targets its first keyword; content its primary keyword. Matching ignores case, punctuation
    and plurals. Content and the task it was written from count once; the object being created or
    edited (and its own task/content) is excluded. Canceled tasks and deleted objects do not count."""
    wanted = Keyphrase.parse(keyphrase)
    if not wanted.is_set:
        return []
    pattern = _like_term(wanted)
    excluded_tasks = {exclude_task_id} if exclude_task_id else set()
    if exclude_content_id:
        own_task = db.session.scalar(
            scoped(scope, Content, include_deleted=True)
            .with_only_columns(Content.task_id)
            .where(Content.id == exclude_content_id)
        )
        if own_task:
            excluded_tasks.add(own_task)
    content_rows = db.session.execute(
        scoped(scope, Content)
        .with_only_columns(Content.id, Content.title, Content.primary_keyword, Content.task_id)
        .where(
            Content.site_id == site_id,
            func.lower(Content.primary_keyword).like(pattern, escape="\\"),
            Content.id != (exclude_content_id or 0),
            or_(Content.task_id.is_(None), Content.task_id.not_in(excluded_tasks or {0})),
        )
        .order_by(Content.id)
    ).all()
    matches = [r for r in content_rows if _same_keyphrase(wanted, Keyphrase.parse(r.primary_keyword))]
    messages = [f"Content “{r.title}” (#{r.id}) already targets “{r.primary_keyword}”." for r in matches]
    covered_tasks = {r.task_id for r in matches if r.task_id}
    task_rows = db.session.execute(
        scoped(scope, Task)
        .with_only_columns(Task.id, Task.title, Task.keywords)
        .where(
            Task.site_id == site_id,
            Task.status != TaskStatus.CANCELED,
            func.lower(Task.keywords).like(pattern, escape="\\"),
            Task.id.not_in(excluded_tasks | covered_tasks or {0}),
        )
        .order_by(Task.id)
    ).all()
    for row in task_rows:
        first = next((k.strip() for k in (row.keywords or "").split(",") if k.strip()), "")
        if first and _same_keyphrase(wanted, Keyphrase.parse(first)):
            messages.append(f"Task “{row.title}” (#{row.id}) already targets “{first}”.")
    if len(messages) > MAX_DUPLICATES:
        extra = len(messages) - MAX_DUPLICATES
        messages = [*messages[:MAX_DUPLICATES], f"… and {extra} more with the same keyphrase."]
    return messages
