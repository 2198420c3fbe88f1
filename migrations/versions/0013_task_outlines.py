"""outline first: task outlines and content provenance

A task's outline (ordered sections an editor edits and approves) and, per draft written from one, the
outline as approved and the calls it took. The per-site "outline first" default is a key of
sites.settings (JSON), so it needs no column.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 00:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "writer_task_outlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_writer_task_outlines_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["writer_tasks.id"],
            name=op.f("fk_writer_task_outlines_task_id_writer_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_writer_task_outlines_approved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_writer_task_outlines")),
        sa.UniqueConstraint("task_id", name=op.f("uq_writer_task_outlines_task_id")),
    )
    op.create_index(op.f("ix_writer_task_outlines_account_id"), "writer_task_outlines", ["account_id"])
    op.create_table(
        "writer_content_provenance",
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("outline", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["writer_content.id"],
            name=op.f("fk_writer_content_provenance_content_id_writer_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_writer_content_provenance_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("content_id", name=op.f("pk_writer_content_provenance")),
    )
    op.create_index(
        op.f("ix_writer_content_provenance_account_id"), "writer_content_provenance", ["account_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_writer_content_provenance_account_id"), table_name="writer_content_provenance")
    op.drop_table("writer_content_provenance")
    op.drop_index(op.f("ix_writer_task_outlines_account_id"), table_name="writer_task_outlines")
    op.drop_table("writer_task_outlines")
