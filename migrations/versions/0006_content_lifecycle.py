"""content lifecycle: the `approved` status, attribution and pending changes

Content status gains `approved` (a reviewer accepted it; it is not on WordPress). `published` rows that
never reached WordPress (no post id, sync status none) become `approved`, since nothing left Writer.
Content records who submitted and approved it (and when) apart from who edited it last, the revision
that was approved/published, and whether it changed since (has_unpublished_changes).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD = ("draft", "review", "published")
NEW = ("draft", "review", "approved", "published")


def _status(values):
    return sa.Enum(*values, name="contentstatus", native_enum=False, create_constraint=True, length=20)


def _user_fk(batch_op, column):
    batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
    batch_op.create_foreign_key(
        f"fk_writer_content_{column}_users", "users", [column], ["id"], ondelete="SET NULL"
    )


def _restore_sqlite_search():
    """SQLite's batch mode copied writer_content into a new table, which drops its triggers: put back
    the FTS5 triggers of migration 0004 (same SQL, constants only) and rebuild the index."""
    if op.get_bind().dialect.name != "sqlite":
        return
    search, content, names = "writer_content_search", "writer_content", "title"
    remove = f"INSERT INTO {search}({search}, rowid, {names}) VALUES ('delete', old.id, old.title);"  # noqa: S608
    add = f"INSERT INTO {search}(rowid, {names}) VALUES (new.id, new.title);"  # noqa: S608
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {search}_{trigger}")
    op.execute(f"CREATE TRIGGER {search}_insert AFTER INSERT ON {content} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {search}_delete AFTER DELETE ON {content} BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER {search}_update AFTER UPDATE OF {names} ON {content} BEGIN {remove} {add} END"
    )
    op.execute(f"INSERT INTO {search}({search}) VALUES ('rebuild')")  # noqa: S608


def upgrade():
    # Changing the enum type replaces its CHECK constraint: batch mode recreates the table on SQLite
    # (whose constraints cannot be altered); PostgreSQL drops and adds the constraint in place.
    with op.batch_alter_table("writer_content", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=_status(OLD), type_=_status(NEW), existing_nullable=False
        )
        batch_op.add_column(sa.Column("last_edited_at", sa.DateTime(timezone=True), nullable=True))
        _user_fk(batch_op, "submitted_by_id")
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        _user_fk(batch_op, "approved_by_id")
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("published_revision", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("has_unpublished_changes", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    _restore_sqlite_search()

    content = sa.table(
        "writer_content",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("external_id", sa.String),
        sa.column("sync_status", sa.String),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("last_edited_at", sa.DateTime(timezone=True)),
        sa.column("published_revision", sa.Integer),
        sa.column("submitted_by_id", sa.Integer),
        sa.column("submitted_at", sa.DateTime(timezone=True)),
    )
    revisions = sa.table(
        "writer_revisions",
        sa.column("content_id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    # Nothing left Writer: approved, not published.
    op.execute(
        content.update()
        .where(
            content.c.status == "published", content.c.external_id.is_(None), content.c.sync_status == "none"
        )
        .values(status="approved")
    )
    latest = (
        sa.select(sa.func.max(revisions.c.number))
        .where(revisions.c.content_id == content.c.id)
        .scalar_subquery()
    )
    op.execute(
        content.update()
        .where(content.c.status.in_(("approved", "published")))
        .values(published_revision=latest)
    )
    edited = (
        sa.select(sa.func.max(revisions.c.created_at))
        .where(revisions.c.content_id == content.c.id)
        .scalar_subquery()
    )
    op.execute(content.update().values(last_edited_at=sa.func.coalesce(edited, content.c.updated_at)))
    # Who submitted it last, and when, from the review timeline that held it until now.
    events = sa.table(
        "writer_review_events",
        sa.column("id", sa.Integer),
        sa.column("content_id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("decision", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    submission = events.alias("submission")
    last_submission = (
        sa.select(sa.func.max(submission.c.id))
        .where(submission.c.content_id == content.c.id, submission.c.decision == "submitted")
        .correlate(content)
        .scalar_subquery()
    )
    op.execute(
        content.update().values(
            submitted_by_id=sa.select(events.c.user_id)
            .where(events.c.id == last_submission)
            .scalar_subquery(),
            submitted_at=sa.select(events.c.created_at)
            .where(events.c.id == last_submission)
            .scalar_subquery(),
        )
    )


def downgrade():
    content = sa.table("writer_content", sa.column("status", sa.String))
    op.execute(content.update().where(content.c.status == "approved").values(status="published"))
    with op.batch_alter_table("writer_content", schema=None) as batch_op:
        batch_op.drop_constraint("fk_writer_content_approved_by_id_users", type_="foreignkey")
        batch_op.drop_constraint("fk_writer_content_submitted_by_id_users", type_="foreignkey")
        for column in (
            "has_unpublished_changes",
            "published_revision",
            "approved_at",
            "approved_by_id",
            "submitted_at",
            "submitted_by_id",
            "last_edited_at",
        ):
            batch_op.drop_column(column)
        batch_op.alter_column(
            "status", existing_type=_status(NEW), type_=_status(OLD), existing_nullable=False
        )
    _restore_sqlite_search()
