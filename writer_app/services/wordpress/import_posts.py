"""Import a site's existing WordPress posts into Writer as content (source "wordpress").

    import_posts(scope, site_id, cluster_id) -> ImportReport   admin; all pages; idempotent
    start_import(scope, site_id, cluster_id) -> Job             the same as a job on the `publish` queue

Posts are matched by their WordPress id (Content.external_id on the site): a post imported before is
updated when what Writer keeps of it changed in WordPress, and left alone otherwise; posts Writer published itself are
never imported again. Terms are pulled first (wordpress_taxonomies), so every category and tag maps
to a local term. The HTML is sanitized like every other stored HTML.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete

from writer_app.models import (
    Cluster,
    ClusterMapSource,
    Content,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentTaxonomy,
    ContentTaxonomyRelation,
    ContentType,
    Job,
    Role,
    Site,
    SyncStatus,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services import audit, jobs
from writer_app.services.clusters import cluster_map
from writer_app.services.errors import ValidationError
from writer_app.services.scope import Scope, get, scoped
from writer_app.services.wordpress.fields import remote_id, remote_link, remote_text
from writer_app.services.wordpress.sites import client_for, credentials_for
from writer_app.services.wordpress.taxonomies import SyncReport, _pull, run_site_job
from writer_app.text.html import html_to_text, sanitize_html, word_count

KIND = "wordpress_import"
STATUSES = ("publish", "future", "draft", "pending", "private")
PAGE_SIZE = 100  # posts per REST page


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # e.g. posts Writer published itself

    def summary(self) -> str:
        text = f"{self.created} imported, {self.updated} updated, {self.unchanged} unchanged."
        if self.skipped:
            text += f" Skipped {len(self.skipped)} post(s) Writer published itself."
        return text


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC) if value else None
    except ValueError:
        return None


def _cluster(scope: Scope, site: Site, cluster_id: Any) -> Cluster:
    try:
        cluster = get(scope, Cluster, cluster_id)
    except Exception:
        raise ValidationError.field(
            "cluster_id", "Choose a cluster of this site for the imported posts."
        ) from None
    if cluster.site_id != site.id:
        raise ValidationError.field("cluster_id", f"The cluster “{cluster.name}” belongs to another site.")
    return cluster


def _fingerprint(post: dict[str, Any]) -> str:
    """What Writer keeps of a post; modified_gmt alone misses edits within the same second."""
    kept = [
        (post.get(key) or {}).get("raw") if isinstance(post.get(key), dict) else post.get(key)
        for key in ("title", "content", "excerpt", "status", "slug", "date_gmt", "link", "categories", "tags")
    ]
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=str).encode()).hexdigest()


def _apply(content: Content, post: dict[str, Any]) -> None:
    post_id = remote_id(post.get("id"))
    raw = remote_text((post.get("content") or {}).get("raw"))
    html = sanitize_html(raw)
    status = str(post.get("status") or "")
    content.title = remote_text((post.get("title") or {}).get("raw") or post.get("slug") or "Untitled", 255)
    content.html = html
    content.word_count = word_count(html)
    content.slug = remote_text(post.get("slug"), 255)
    excerpt = html_to_text(remote_text((post.get("excerpt") or {}).get("raw")))
    content.meta_description = excerpt
    content.status = ContentStatus.PUBLISHED if status in ("publish", "future") else ContentStatus.DRAFT
    content.scheduled_at = _when(post.get("date_gmt")) if status == "future" else None
    content.published_at = _when(post.get("date_gmt")) if status in ("publish", "future") else None
    content.external_id = str(post_id)
    content.external_url = remote_link(post.get("link"))
    content.external_type = "post"
    content.sync_status = SyncStatus.SYNCED
    content.external_metadata = {
        **(content.external_metadata or {}),
        "wp_status": status,
        "modified_gmt": post.get("modified_gmt"),
        "date_gmt": post.get("date_gmt"),
        "slug": post.get("slug"),
        "synced_at": utcnow().isoformat(),
        "imported": True,
        "wp_fingerprint": _fingerprint(post),
    }


def _set_terms(content_id: int, term_ids: list[int]) -> None:
    db.session.execute(
        delete(ContentTaxonomyRelation).where(ContentTaxonomyRelation.content_id == content_id)
    )
    for term_id in dict.fromkeys(term_ids):
        db.session.add(ContentTaxonomyRelation(content_id=content_id, taxonomy_id=term_id))


def import_posts(scope: Scope, site_id: Any, cluster_id: Any) -> ImportReport:
    """Import every post of the site's WordPress (admin); the caller commits."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    cluster = _cluster(scope, site, cluster_id)
    report = ImportReport()
    existing = {
        c.external_id: c
        for c in db.session.scalars(
            scoped(scope, Content, include_deleted=True).where(
                Content.site_id == site.id, Content.external_id.is_not(None)
            )
        )
    }
    with client_for(site) as client:
        _pull(scope, site, client, SyncReport())
        local_terms = {
            (t.external_taxonomy, t.external_id): t.id
            for t in db.session.scalars(
                scoped(scope, ContentTaxonomy).where(
                    ContentTaxonomy.site_id == site.id, ContentTaxonomy.external_id.is_not(None)
                )
            )
        }
        for post in client.iter_posts(STATUSES, per_page=PAGE_SIZE):
            terms = [
                local_terms[("category", i)]
                for i in post.get("categories") or []
                if ("category", i) in local_terms
            ]
            terms += [
                local_terms[("post_tag", i)] for i in post.get("tags") or [] if ("post_tag", i) in local_terms
            ]
            content = existing.get(str(post["id"]))
            if content is not None and ContentSource(content.source) != ContentSource.WORDPRESS:
                report.skipped.append(str(post["id"]))
                continue
            if content is not None:
                if (content.external_metadata or {}).get("wp_fingerprint") == _fingerprint(post):
                    report.unchanged += 1
                    continue
                report.updated += 1
            else:
                content = Content(
                    account_id=scope.account_id,
                    site_id=site.id,
                    sector_id=cluster.sector_id,
                    cluster_id=cluster.id,
                    content_type=ContentType.POST,
                    content_structure=ContentStructure.ARTICLE,
                    source=ContentSource.WORDPRESS,
                    secondary_keywords=[],
                    external_metadata={},
                )
                db.session.add(content)
                report.created += 1
            _apply(content, post)
            db.session.flush()
            cluster_map.track_content(scope, content, source=ClusterMapSource.IMPORT)
            _set_terms(content.id, terms)
            existing[content.external_id] = content  # type: ignore[index]
    db.session.flush()
    audit.record(scope, "content.wordpress_import", site, created=report.created, updated=report.updated)
    return report


def start_import(scope: Scope, site_id: Any, cluster_id: Any) -> Job:
    """A job importing the site's posts into `cluster_id` (admin); dispatch it after committing."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    credentials_for(site)
    cluster = _cluster(scope, site, cluster_id)
    job = jobs.create_job(scope, KIND, object_type="site", object_ids=[site.id], total=1, queue="publish")
    jobs.update_result(job, site_id=site.id, cluster_id=cluster.id)
    return job


def run_import_job(job_id: str, *, final_attempt: bool = True, report: Any = None) -> dict[str, Any]:
    job = jobs.load(job_id)
    cluster_id = (job.result or {}).get("cluster_id") if job is not None else None
    return run_site_job(job_id, lambda scope, site_id: import_posts(scope, site_id, cluster_id))
