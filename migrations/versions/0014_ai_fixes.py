"""AI fixes: proposals per content (accepted change by change) and the fix rounds after generation

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 00:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "writer_ai_fixes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("base_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("accepted", sa.JSON(), nullable=False),
        sa.Column("failed_before", sa.JSON(), nullable=False),
        sa.Column("failed_after", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_writer_ai_fixes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["writer_content.id"],
            name=op.f("fk_writer_ai_fixes_content_id_writer_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_writer_ai_fixes_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_writer_ai_fixes")),
    )
    with op.batch_alter_table("writer_ai_fixes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_writer_ai_fixes_account_id"), ["account_id"], unique=False)
        batch_op.create_index("ix_writer_ai_fixes_content", ["content_id", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("writer_ai_fixes", schema=None) as batch_op:
        batch_op.drop_index("ix_writer_ai_fixes_content")
        batch_op.drop_index(batch_op.f("ix_writer_ai_fixes_account_id"))
    op.drop_table("writer_ai_fixes")
