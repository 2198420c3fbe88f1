"""Categories and tags both ways between a site and its WordPress.

    sync_taxonomies(scope, site_id, push=True) -> SyncReport   admin; pull every term, then push ours
    start_sync(scope, site_id) -> Job                           the same as a job on the `publish` queue

Pull: every category and tag, all pages, upserted into ContentTaxonomy by (external id, taxonomy):
name, slug, description and count follow WordPress. A local term with the same slug and no external
id is linked. Push: local terms without an external id are found by slug in WordPress or created.
Near-duplicates (slugs equal after normalisation, e.g. "solar_panels" and "Solar-Panels", or a
percent-encoded slug) are reported, never duplicated on either side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote

from writer_app.integrations.wordpress import WordPressClient, WordPressError
from writer_app.models import ContentTaxonomy, Job, Role, Site, SyncStatus, TaxonomyType, db
from writer_app.services import audit, jobs
from writer_app.services.errors import DomainError
from writer_app.services.identity.accounts import slugify
from writer_app.services.publishing.steps import REST_TAXONOMY, WP_TAXONOMY, ensure_remote_term, readable
from writer_app.services.scope import Scope, get, scoped
from writer_app.services.wordpress.fields import remote_count, remote_text
from writer_app.services.wordpress.fields import remote_id as wp_id
from writer_app.services.wordpress.sites import client_for, credentials_for

KIND = "wordpress_sync_taxonomies"
PAGE_SIZE = 100  # terms per REST page


@dataclass
class SyncReport:
    created: int = 0  # local terms created from WordPress
    updated: int = 0  # local terms refreshed or linked
    pushed: int = 0  # local terms now in WordPress
    near_duplicates: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.created} new, {self.updated} updated from WordPress; {self.pushed} sent to WordPress."
        if self.near_duplicates:
            text += f" {len(self.near_duplicates)} near-duplicate(s) left alone: " + "; ".join(
                self.near_duplicates
            )
        return text


def normalize(slug: str) -> str:
    return slugify(unquote(slug or "").replace("_", "-"))


def _local_terms(scope: Scope, site_id: int) -> list[ContentTaxonomy]:
    return list(db.session.scalars(scoped(scope, ContentTaxonomy).where(ContentTaxonomy.site_id == site_id)))


def _pull(
    scope: Scope, site: Site, client: WordPressClient, report: SyncReport
) -> dict[tuple[str, str], int]:
    """Upsert every WordPress term; returns {(type, normalised slug): WordPress id}."""
    locals_ = _local_terms(scope, site.id)
    by_external = {(t.external_taxonomy, t.external_id): t for t in locals_ if t.external_id is not None}
    by_slug = {(TaxonomyType(t.taxonomy_type).value, t.slug): t for t in locals_}
    by_norm = {(TaxonomyType(t.taxonomy_type).value, normalize(t.slug)): t for t in locals_}
    remote_norms: dict[tuple[str, str], int] = {}
    for kind, rest in REST_TAXONOMY.items():
        for remote in client.iter_terms(rest, per_page=PAGE_SIZE):  # type: ignore[arg-type]
            remote_id = wp_id(remote.get("id"), "term")
            slug = remote_text(unquote(str(remote.get("slug") or "")), 255)
            remote_norms[(kind.value, normalize(slug))] = remote_id
            term = by_external.get((WP_TAXONOMY[kind], remote_id))
            if term is None:
                same_slug = by_slug.get((kind.value, slug))
                if same_slug is not None and same_slug.external_id is None:
                    term = same_slug
                else:
                    similar = same_slug or by_norm.get((kind.value, normalize(slug)))
                    if similar is not None:
                        report.near_duplicates.append(
                            f"WordPress {kind.value} “{remote.get('name')}” ({slug}) and local “{similar.name}” "
                            f"({similar.slug})"
                        )
                        continue
            if term is None:
                term = ContentTaxonomy(
                    account_id=scope.account_id,
                    site_id=site.id,
                    sector_id=None,
                    taxonomy_type=kind,
                    metadata_={},
                )
                db.session.add(term)
                report.created += 1
                by_norm[(kind.value, normalize(slug))] = term
                by_slug[(kind.value, slug)] = term
            else:
                report.updated += 1
            term.name = remote_text(remote.get("name") or slug, 255)
            term.slug = slug
            term.description = remote_text(remote.get("description"))
            term.count = remote_count(remote.get("count"))
            term.external_id, term.external_taxonomy = remote_id, WP_TAXONOMY[kind]
            term.sync_status = SyncStatus.SYNCED
            by_external[(WP_TAXONOMY[kind], remote_id)] = term
    db.session.flush()
    return remote_norms


def _push(
    scope: Scope, site: Site, client: WordPressClient, report: SyncReport, remote: dict[tuple[str, str], int]
) -> None:
    for term in _local_terms(scope, site.id):
        if term.external_id is not None:
            continue
        kind = TaxonomyType(term.taxonomy_type)
        if (kind.value, normalize(term.slug)) in remote:
            report.near_duplicates.append(
                f"local {kind.value} “{term.name}” ({term.slug}) looks like an existing WordPress term"
            )
            continue
        ensure_remote_term(client, term)
        if term.external_id is not None:
            report.pushed += 1


def sync_taxonomies(scope: Scope, site_id: Any, push: bool = True) -> SyncReport:
    """Pull, then (with `push`) push; the caller commits."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    report = SyncReport()
    with client_for(site) as client:
        remote = _pull(scope, site, client, report)
        if push:
            _push(scope, site, client, report, remote)
    db.session.flush()
    audit.record(scope, "taxonomies.wordpress_sync", site, **asdict(report))
    return report


def start_sync(scope: Scope, site_id: Any) -> Job:
    """A job that syncs the site's taxonomies (admin); dispatch it after committing."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    credentials_for(site)
    job = jobs.create_job(scope, KIND, object_type="site", object_ids=[site.id], total=1, queue="publish")
    jobs.update_result(job, site_id=site.id)
    return job


def run_site_job(job_id: str, work: Callable[[Scope, int], Any]) -> dict[str, Any]:
    """Run `work(scope, site_id) -> report dataclass` for a site job and record its outcome."""
    job = jobs.load(job_id)
    if job is None or not jobs.mark_started(job):
        return {}
    db.session.commit()
    scope = jobs.actor_scope(job)
    scope = Scope(scope.account_id, Role.ADMIN, scope.user_id)  # the admin who asked started it
    try:
        report = work(scope, int(job.object_ids[0]))
    except (WordPressError, DomainError) as exc:
        db.session.rollback()
        job = jobs.load(job_id)
        assert job is not None
        jobs.finish(job, error=readable(exc))
        db.session.commit()
        return {"error": job.error}
    job = jobs.load(job_id)
    assert job is not None
    jobs.update_result(job, report=asdict(report), summary=report.summary())
    jobs.finish(job)
    db.session.commit()
    return dict(job.result)


def run_sync_job(job_id: str, *, final_attempt: bool = True, report: Any = None) -> dict[str, Any]:
    return run_site_job(job_id, sync_taxonomies)


def near_duplicate_terms(scope: Scope, site_id: int) -> list[ContentTaxonomy]:
    """Local terms noted as the same as another (by publishing), for the settings page."""
    return [
        t
        for t in db.session.scalars(scoped(scope, ContentTaxonomy).where(ContentTaxonomy.site_id == site_id))
        if (t.metadata_ or {}).get("same_as_term_id")
    ]
