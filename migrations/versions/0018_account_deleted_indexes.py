"""(account_id, deleted_at) indexes for the unfiltered task and content counts

The content list without filters counts an account's live rows (up to 10,001). SQLite answered that
from the one-column account index and read every row from the table to test deleted_at (content rows
carry the article HTML): 3.8 ms at 10,000 items. A two-column index answers it alone (0.3 ms). The
partial live indexes of 0003/0017 do not help there: SQLite's planner does not count them as covering
when deleted_at is in the WHERE.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 01:40:00

"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX (no batch mode): a batch rebuild of writer_content would drop the FTS5
    # triggers of migration 0004.
    op.create_index("ix_writer_content_account_deleted", "writer_content", ["account_id", "deleted_at"])
    op.create_index("ix_writer_tasks_account_deleted", "writer_tasks", ["account_id", "deleted_at"])


def downgrade():
    op.drop_index("ix_writer_tasks_account_deleted", table_name="writer_tasks")
    op.drop_index("ix_writer_content_account_deleted", table_name="writer_content")
