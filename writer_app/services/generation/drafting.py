"""One task's draft: the brief the provider writes from, and saving the draft as content."""

from __future__ import annotations

from typing import Any

from writer_app.integrations.ai import ArticleBrief, ArticleDraft
from writer_app.models import (
    ClusterMapSource,
    ContentProvenance,
    Task,
    TaskStatus,
    db,
)
from writer_app.services import audit
from writer_app.services.clusters import cluster_map
from writer_app.services.content import create_content
from writer_app.services.generation.sections import SectionalDraft
from writer_app.services.links import ai_context
from writer_app.services.scope import Scope


def brief_for(task: Task) -> ArticleBrief:
    cluster, idea = task.cluster, task.idea
    return ArticleBrief(
        title=task.title,
        description=task.description or "",
        keywords=task.keyword_list,
        content_type=str(task.content_type),
        content_structure=str(task.content_structure),
        word_count=task.word_count,
        cluster_name=cluster.name if cluster else "",
        cluster_keywords=cluster.keyword_list if cluster else [],
        idea_title=idea.title if idea else "",
        idea_description=idea.description if idea else "",
    )


def save_draft(
    scope: Scope,
    task: Task,
    draft: ArticleDraft,
    version: int,
    job_id: str,
    *,
    sectional: SectionalDraft | None = None,
) -> Any:
    """Draft content + cluster map + first revision for the task (completed); a draft written from an
    outline keeps that outline, as approved, in the content's provenance. Links the site's inventory does not hold are
    removed first (and reported)."""
    html, removed_links = ai_context.clean_ai_html(scope, task.site, draft.html)
    content = create_content(
        scope,
        title=draft.title[:255],
        cluster_id=task.cluster_id,
        content_type=task.content_type,
        content_structure=task.content_structure,
        site_id=task.site_id,
        sector_id=task.sector_id,
        html=html,
        meta_title=draft.meta_title[:255],
        meta_description=draft.meta_description,
        primary_keyword=draft.primary_keyword[:255],
        secondary_keywords=[keyword[:255] for keyword in draft.secondary_keywords],
        slug=draft.slug[:255],
        task_id=task.id,
        ai_model=draft.model[:100],
        prompt_version=version,
    )
    ai_context.record_provenance(content, removed_links, task.site)
    cluster_map.track_content(scope, content, source=ClusterMapSource.BLUEPRINT)
    if sectional is not None:
        db.session.add(
            ContentProvenance(
                content_id=content.id,
                account_id=content.account_id,
                outline=[s.as_dict() for s in sectional.sections],
                details={"job_id": job_id, "model": draft.model, **sectional.details},
            )
        )
    task.status = TaskStatus.COMPLETED
    task.error = ""
    audit.record(
        scope,
        "content.generate",
        content,
        task_id=task.id,
        model=draft.model,
        tokens=draft.tokens_used,
        job_id=job_id,
        from_outline=sectional is not None,
        removed_links=[link["url"] for link in removed_links][:20],
    )
    return content
