"""Taxonomy sync both ways and post import against the real local WordPress."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.wp_helpers import add_term, connect, publishable, reload, run_publish
from tests.support import factories
from writer_app.integrations.wordpress import WordPressClient
from writer_app.models import (
    Content,
    ContentSource,
    ContentStatus,
    ContentTaxonomy,
    JobStatus,
    Role,
    SyncStatus,
    TaxonomyType,
    db,
)
from writer_app.services.clusters import cluster_map
from writer_app.services.wordpress import import_posts as wordpress_import
from writer_app.services.wordpress import taxonomies as wordpress_taxonomies

pytestmark = pytest.mark.wordpress


def _terms_by_slug() -> dict[str, ContentTaxonomy]:
    return {t.slug: t for t in db.session.scalars(select(ContentTaxonomy))}


def test_sync_pulls_pushes_and_reports_near_duplicates(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique, monkeypatch
) -> None:
    connect(tenant, wordpress_credentials)
    monkeypatch.setattr(wordpress_taxonomies, "PAGE_SIZE", 2)  # several pages even on a small site
    remote_cat = wp_client.create_term(
        "categories", wp_unique("Remote cat"), wp_unique("remote-cat"), "From WP"
    )
    remote_tag = wp_client.create_term("tags", wp_unique("Remote tag"), wp_unique("remote-tag"))
    base = wp_unique("dup")
    remote_dup = wp_client.create_term("tags", base, base)
    local_only = publishable(tenant, wp_unique("post"))
    pushed = add_term(local_only, "Local cat " + base, base + "-local", TaxonomyType.CATEGORY)
    near = add_term(local_only, "Near " + base, base.replace("-", "_"), TaxonomyType.TAG)
    db.session.commit()

    report = wordpress_taxonomies.sync_taxonomies(tenant.scope(Role.ADMIN), tenant.site.id)
    db.session.commit()

    terms = _terms_by_slug()
    pulled = terms[remote_cat["slug"]]
    assert (pulled.external_id, pulled.external_taxonomy, pulled.description) == (
        remote_cat["id"],
        "category",
        "From WP",
    )
    assert pulled.sync_status == SyncStatus.SYNCED and pulled.taxonomy_type == TaxonomyType.CATEGORY
    assert terms[remote_tag["slug"]].external_taxonomy == "post_tag"
    pushed = db.session.get(ContentTaxonomy, pushed.id)
    assert pushed.external_id and wp_client.get_term("categories", pushed.external_id)["slug"] == pushed.slug
    assert db.session.get(ContentTaxonomy, near.id).external_id is None
    assert remote_dup["slug"] not in terms  # not duplicated locally
    assert any(base in line for line in report.near_duplicates)
    assert wp_client.find_terms("tags", slug=near.slug) == []  # not duplicated remotely either
    assert report.pushed == 1 and report.created >= 2

    again = wordpress_taxonomies.sync_taxonomies(tenant.scope(Role.ADMIN), tenant.site.id)
    db.session.commit()
    assert again.created == 0 and again.pushed == 0
    assert len(_terms_by_slug()) == len(terms)


def test_import_posts_maps_terms_and_is_idempotent(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique, monkeypatch
) -> None:
    connect(tenant, wordpress_credentials)
    monkeypatch.setattr(wordpress_import, "PAGE_SIZE", 2)
    cat = wp_client.create_term("categories", wp_unique("Import cat"), wp_unique("import-cat"))
    tag = wp_client.create_term("tags", wp_unique("Import tag"), wp_unique("import-tag"))
    first = wp_client.create_post(
        {"title": "Imported one", "slug": wp_unique("imp"), "status": "publish", "content": "<p>Hello <script>x</script>world</p>",
         "excerpt": "Short summary", "categories": [cat["id"]], "tags": [tag["id"]]}
    )  # fmt: skip
    second = wp_client.create_post({"title": "Imported draft", "slug": wp_unique("imp"), "status": "draft"})
    third = wp_client.create_post({"title": "Imported three", "slug": wp_unique("imp"), "status": "publish"})
    ours = publishable(tenant, wp_unique("post"))
    db.session.commit()
    ours_id = ours.id
    assert run_publish(tenant, ours_id).status == JobStatus.FINISHED
    scope = tenant.scope(Role.ADMIN)

    report = wordpress_import.import_posts(scope, tenant.site.id, tenant.cluster.id)
    db.session.commit()

    by_post = {c.external_id: c for c in db.session.scalars(select(Content))}
    one = by_post[str(first["id"])]
    assert one.source == ContentSource.WORDPRESS and one.status == ContentStatus.PUBLISHED
    assert one.title == "Imported one" and "script" not in one.html and "world" in one.html
    assert one.external_url == first["link"] and one.meta_description == "Short summary"
    entry = cluster_map.entry_of_content(one.id)
    assert (entry.source, entry.slug, entry.cluster_id) == ("import", one.slug, tenant.cluster.id)
    assert sorted(t.slug for t in one.taxonomy_terms) == sorted([cat["slug"], tag["slug"]])
    assert by_post[str(second["id"])].status == ContentStatus.DRAFT
    assert str(third["id"]) in by_post
    assert by_post[reload(ours_id).external_id].source == ContentSource.IGNY8  # ours, not imported again
    assert report.created >= 3 and report.skipped
    count = len(by_post)

    wp_client.update_post(third["id"], {"title": "Imported three, edited"})
    again = wordpress_import.import_posts(scope, tenant.site.id, tenant.cluster.id)
    db.session.commit()
    assert again.created == 0 and again.updated == 1
    assert db.session.scalar(select(db.func.count()).select_from(Content)) == count
    edited = db.session.scalars(select(Content).where(Content.external_id == str(third["id"]))).one()
    assert edited.title == "Imported three, edited"


def test_import_refuses_a_cluster_of_another_site(tenant, wordpress_credentials) -> None:
    connect(tenant, wordpress_credentials)
    other_site = factories.make_site(tenant.account)
    other_cluster = factories.make_cluster(factories.make_sector(other_site))
    db.session.commit()
    from writer_app.services.errors import ValidationError

    with pytest.raises(ValidationError) as error:
        wordpress_import.start_import(tenant.scope(Role.ADMIN), tenant.site.id, other_cluster.id)
    assert "cluster_id" in error.value.fields
