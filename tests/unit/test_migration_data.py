"""Data migrations move existing rows as they say: run on a database of its own, down to 0005 and up again."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from tests.support.factories import make_content, make_tenant
from tests.support.services import postgres_database
from writer_app import create_app, init_migrations
from writer_app.models import (
    ClusterMapSource,
    ClusterRole,
    Content,
    ContentClusterMap,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ReviewDecision,
    ReviewEvent,
    Role,
    SyncStatus,
    db,
)
from writer_app.services.content_list import ContentFilters, filtered_statement
from writer_app.services.scope import Scope


@pytest.fixture
def scratch(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh database of its own (the suite's database keeps its schema)."""
    kind = os.environ.get("TEST_DATABASE", "sqlite")
    database = postgres_database() if kind == "postgres" else nullcontext(f"sqlite:///{tmp_path / 'm.db'}")
    with database as url:
        scratch = create_app({**app.config, "DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url})
        init_migrations(scratch)
        with scratch.app_context():
            upgrade()
            yield scratch
            db.session.remove()
            db.engine.dispose()


def test_content_lifecycle_migration_moves_what_never_left_writer_to_approved(scratch: Flask) -> None:
    tenant = make_tenant()
    on_wordpress = make_content(
        tenant.cluster, "On WordPress", status=ContentStatus.PUBLISHED, external_id="42"
    )
    on_wordpress.sync_status = SyncStatus.SYNCED
    never_sent = make_content(tenant.cluster, "Never sent", status=ContentStatus.APPROVED)
    waiting = make_content(tenant.cluster, "Waiting", status=ContentStatus.REVIEW)
    db.session.flush()
    db.session.add(
        ReviewEvent(
            account_id=tenant.account.id,
            content_id=waiting.id,
            user_id=tenant.editor.id,
            decision=ReviewDecision.SUBMITTED,
        )
    )
    db.session.commit()
    ids = (on_wordpress.id, never_sent.id, waiting.id)
    editor_id = tenant.editor.id
    db.session.remove()

    downgrade(revision="0005")  # `approved` becomes `published` again, as the old code wrote it
    upgrade()

    on_wordpress, never_sent, waiting = (db.session.get(Content, i) for i in ids)
    assert on_wordpress.status == ContentStatus.PUBLISHED
    assert never_sent.status == ContentStatus.APPROVED
    assert waiting.status == ContentStatus.REVIEW
    assert waiting.submitted_by_id == editor_id and waiting.submitted_at is not None
    assert never_sent.submitted_by_id is None
    # SQLite's search index (triggers of migration 0004) survives the table rebuilds on the way.
    found = db.session.scalars(
        filtered_statement(Scope(waiting.account_id, Role.ADMIN), ContentFilters(search="Never"))
    )
    assert [c.title for c in found] == ["Never sent"]


def test_cluster_map_backfill_gives_every_content_an_entry_and_one_hub(scratch: Flask) -> None:
    # Content is made with today's models, then the schema goes back to before 0012 (only generation
    # wrote entries, hubs were not unique) and gets the entries the old code could leave.
    tenant = make_tenant()
    cluster = tenant.cluster
    manual = make_content(cluster, "Written here", content_structure=ContentStructure.CLUSTER_HUB)
    drafted = make_content(cluster, "AI draft", ai_model="fake-gpt", primary_keyword="pv")
    imported = make_content(cluster, "From WordPress", source=ContentSource.WORDPRESS, slug="from-wp")
    generated = make_content(cluster, "Generated hub", slug="new-slug")
    db.session.query(ContentClusterMap).delete()
    db.session.commit()
    tenancy = {"account_id": cluster.account_id, "site_id": cluster.site_id, "sector_id": cluster.sector_id}
    ids = {c.title: c.id for c in (manual, drafted, imported, generated)}
    cluster_id, site_id = cluster.id, cluster.site_id
    db.session.remove()
    downgrade(revision="0011")
    old_hub = ContentClusterMap(
        **tenancy,
        cluster_id=cluster_id,
        content_id=ids["Generated hub"],
        role=ClusterRole.HUB,
        slug="old-slug",
    )
    db.session.add(old_hub)
    db.session.flush()
    db.session.add(  # a second hub and a second entry for the same content, as the old code allowed
        ContentClusterMap(
            **tenancy, cluster_id=cluster_id, content_id=ids["Generated hub"], role=ClusterRole.HUB
        )
    )
    db.session.commit()
    db.session.remove()

    upgrade()

    entries = {e.content_id: e for e in db.session.scalars(select(ContentClusterMap))}
    assert len(entries) == 4 == db.session.scalar(select(func.count(ContentClusterMap.id)))
    kept = entries[ids["Generated hub"]]
    assert (kept.role, kept.slug) == (ClusterRole.HUB, "new-slug")  # the oldest hub, brought up to date
    by_title = {title: entries[i] for title, i in ids.items()}
    assert by_title["Written here"].role == ClusterRole.SUPPORTING  # the cluster had its hub already
    assert [by_title[t].source for t in ("Written here", "AI draft", "From WordPress")] == [
        ClusterMapSource.MANUAL,
        ClusterMapSource.BLUEPRINT,
        ClusterMapSource.IMPORT,
    ]
    assert by_title["AI draft"].keywords[0] == "pv" and by_title["From WordPress"].slug == "from-wp"
    assert all((e.cluster_id, e.site_id) == (cluster_id, site_id) for e in entries.values())
