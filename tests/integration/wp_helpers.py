"""Helpers for the publishing tests: a site connected to the local WordPress, publishable content."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image as PILImage

from tests.support import factories
from writer_app.integrations.wordpress import WordPressCredentials
from writer_app.models import (
    Content,
    ContentStatus,
    ContentTaxonomy,
    ContentTaxonomyRelation,
    Image,
    Job,
    Role,
    TaxonomyType,
    db,
)
from writer_app.models.enums import ImageStatus, ImageType
from writer_app.services.media import files as media
from writer_app.services.publishing import actions as publishing
from writer_app.services.wordpress import sites as wordpress_sites

META_TITLE = "Solar panels for small homes: what they cost and save"  # 30–60 characters
META_DESCRIPTION = (
    "Solar panels on a small home: what a typical system costs, how much power it makes, and how many "
    "years it takes to pay back."
)


def connect(tenant: factories.Tenant, credentials: WordPressCredentials, password: str | None = None) -> None:
    wordpress_sites.save_connection(
        tenant.scope(Role.ADMIN),
        tenant.site.id,
        url=credentials.url,
        username=credentials.username,
        app_password=password if password is not None else credentials.app_password,
    )
    db.session.commit()


def png(color: str = "teal", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def add_image(
    content: Content, image_type: ImageType, alt: str, position: int = 0, color: str = "teal"
) -> Image:
    stored = media.store_image(content.account_id, content.site_id, alt, png(color))
    image = Image(
        content_id=content.id,
        image_type=image_type,
        image_path=stored.path,
        thumbnail_path=stored.thumbnail_path,
        width=stored.width,
        height=stored.height,
        alt_text=alt,
        prompt=alt,
        status=ImageStatus.GENERATED,
        position=position,
        account_id=content.account_id,
        site_id=content.site_id,
        sector_id=content.sector_id,
    )
    db.session.add(image)
    db.session.flush()
    return image


def add_term(content: Content, name: str, slug: str, kind: TaxonomyType, **kwargs: Any) -> ContentTaxonomy:
    term = ContentTaxonomy(
        account_id=content.account_id,
        site_id=content.site_id,
        sector_id=content.sector_id,
        name=name,
        slug=slug,
        taxonomy_type=kind,
        **kwargs,
    )
    db.session.add(term)
    db.session.flush()
    db.session.add(ContentTaxonomyRelation(content_id=content.id, taxonomy_id=term.id))
    db.session.flush()
    return term


def publishable(tenant: factories.Tenant, slug: str, title: str | None = None, **kwargs: Any) -> Content:
    """Content whose Required checks pass (keyphrase, SEO title and description lengths, image alts),
    submitted for review (publishing needs that) unless `status` says otherwise."""
    html = kwargs.pop(
        "html",
        "<p>Solar panels turn light into power for small homes.</p><h2>Costs</h2>"
        "<p>Solar panels pay back within years.</p><p>Maintenance is small.</p>",
    )
    values = {
        "meta_title": META_TITLE,
        "meta_description": META_DESCRIPTION,
        "primary_keyword": "solar panels",
        "status": ContentStatus.REVIEW,
    }
    values.update(kwargs)
    return factories.make_content(
        tenant.cluster, title or f"Solar panels for small homes {slug}", html=html, slug=slug, **values
    )


def run_publish(tenant: factories.Tenant, content_id: int, *, update: bool = False) -> Job:
    """Publish as a reviewer and run the job (inline: the tests run without REDIS_URL)."""
    scope = tenant.scope(Role.REVIEWER)
    if update:
        job = publishing.republish(scope, content_id)
    else:
        job = publishing.publish(scope, content_id, require_wordpress=True)
    assert job is not None
    db.session.commit()
    job_id = job.id
    publishing.dispatch(job)
    found = db.session.get(Job, job_id, populate_existing=True)
    assert found is not None
    return found


def reload(content_id: int) -> Content:
    found = db.session.get(Content, content_id, populate_existing=True)
    assert found is not None
    return found
