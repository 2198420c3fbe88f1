"""partial indexes for status filters and counts over live rows

The navigation's review badge counts an account's live content in review on every page, and the task
list is usually filtered by status. With only single-column indexes both read every matching row from
the table (content rows carry the article HTML): 2.4-3.4 ms at 10k items on SQLite, growing with the
table. Partial indexes over live rows on (account_id, status[, created_at]) answer those counts from
the index alone and serve the status-filtered task page in its default order.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07 00:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

LIVE = "deleted_at IS NULL"


def upgrade():
    # Plain CREATE INDEX (no batch mode): a batch rebuild of writer_content would drop the FTS5
    # triggers of migration 0004.
    op.create_index(
        "ix_writer_content_account_status_live",
        "writer_content",
        ["account_id", "status"],
        unique=False,
        postgresql_where=sa.text(LIVE),
        sqlite_where=sa.text(LIVE),
    )
    op.create_index(
        "ix_writer_tasks_account_status_live",
        "writer_tasks",
        ["account_id", "status", "created_at"],
        unique=False,
        postgresql_where=sa.text(LIVE),
        sqlite_where=sa.text(LIVE),
    )


def downgrade():
    op.drop_index("ix_writer_tasks_account_status_live", table_name="writer_tasks")
    op.drop_index("ix_writer_content_account_status_live", table_name="writer_content")
