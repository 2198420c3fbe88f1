"""Data migrations move existing rows as they say: run on a database of its own, down to 0005 and up again."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade

from tests.support.factories import make_content, make_tenant
from tests.support.services import postgres_database
from writer_app import create_app, init_migrations
from writer_app.models import Content, ContentStatus, ReviewDecision, ReviewEvent, Role, SyncStatus, db
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
