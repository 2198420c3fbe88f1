"""content autosave slots and edit locks

A per-user autosave slot of unsaved editor changes (never a revision), and the post lock that says who is
editing a content now (kept alive by the editor page's heartbeat; others may take it over).

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-07 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "writer_content_autosaves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_writer_content_autosaves_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["writer_content.id"],
            name=op.f("fk_writer_content_autosaves_content_id_writer_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_writer_content_autosaves_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_writer_content_autosaves")),
        sa.UniqueConstraint(
            "content_id", "user_id", name=op.f("uq_writer_content_autosaves_content_id_user_id")
        ),
    )
    with op.batch_alter_table("writer_content_autosaves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_writer_content_autosaves_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_writer_content_autosaves_user_id"), ["user_id"], unique=False)

    op.create_table(
        "writer_content_edit_locks",
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_over_from_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_writer_content_edit_locks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["writer_content.id"],
            name=op.f("fk_writer_content_edit_locks_content_id_writer_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_writer_content_edit_locks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["taken_over_from_id"],
            ["users.id"],
            name=op.f("fk_writer_content_edit_locks_taken_over_from_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("content_id", name=op.f("pk_writer_content_edit_locks")),
    )
    with op.batch_alter_table("writer_content_edit_locks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_writer_content_edit_locks_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_writer_content_edit_locks_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("writer_content_edit_locks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_writer_content_edit_locks_user_id"))
        batch_op.drop_index(batch_op.f("ix_writer_content_edit_locks_account_id"))
    op.drop_table("writer_content_edit_locks")
    with op.batch_alter_table("writer_content_autosaves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_writer_content_autosaves_user_id"))
        batch_op.drop_index(batch_op.f("ix_writer_content_autosaves_account_id"))
    op.drop_table("writer_content_autosaves")
