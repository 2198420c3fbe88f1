"""partial index for the content list's default order and count

The content list (HTML and API) orders an account's live rows by updated_at and counts them. Without
an index PostgreSQL read and sorted the whole table (article HTML included) on every page: about 25-40 ms
at 10k items, growing with the table. A partial index on (account_id, updated_at) over live rows serves
the ordered page (backward index scan that stops after the page: 0.5 ms) and the count (index-only
scan: 1.6 ms at 10k). SQLite gets the same partial index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 01:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LIVE = "deleted_at IS NULL"


def upgrade():
    with op.batch_alter_table("writer_content", schema=None) as batch_op:
        batch_op.create_index(
            "ix_writer_content_account_live_updated",
            ["account_id", "updated_at"],
            unique=False,
            postgresql_where=sa.text(LIVE),
            sqlite_where=sa.text(LIVE),
        )


def downgrade():
    with op.batch_alter_table("writer_content", schema=None) as batch_op:
        batch_op.drop_index("ix_writer_content_account_live_updated")
