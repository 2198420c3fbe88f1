"""internal links and brand voice: provenance columns on content

`style_guide_version`: the site's style guide version an AI draft was written with (like
`prompt_version`). `link_report`: links the AI wrote that were not in the site's inventory and were
removed, and the last dead-link check of the body (JSON). The style guide itself and the editor-allowed
outbound URLs live in the site's settings (JSON), versioned there like the account's prompt template.

Plain ADD/DROP COLUMN (no batch rebuild), so SQLite keeps the FTS5 triggers on writer_content.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 00:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("writer_content", sa.Column("style_guide_version", sa.Integer(), nullable=True))
    op.add_column("writer_content", sa.Column("link_report", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("writer_content", "link_report")
    op.drop_column("writer_content", "style_guide_version")
