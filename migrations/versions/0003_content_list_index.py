"""index for the content list's default order and count

The content list (HTML and API) orders live rows of one account by updated_at and counts them. Without
an index PostgreSQL read and sorted the whole table (with the article HTML) on every page: about 40 ms
at 10k items, growing with the table. (account_id, deleted_at, updated_at) serves both the ordered
page (index scan, stops after the page) and the count (index-only scan); SQLite uses it too.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 01:15:00

"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("writer_content", schema=None) as batch_op:
        batch_op.create_index(
            "ix_writer_content_account_live_updated", ["account_id", "deleted_at", "updated_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("writer_content", schema=None) as batch_op:
        batch_op.drop_index("ix_writer_content_account_live_updated")
