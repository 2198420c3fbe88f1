"""media library: uploaded images and a featured image chosen from the library

writer_images.source says where a file came from ("ai" drawn by the provider, "upload" sent by a member)
and original_filename keeps an upload's name for search (files are stored under random names).
writer_content.featured_image_id names a library image chosen as the featured image (no foreign key:
images already point at content; the service checks the id lies in the content's account and site).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("writer_images", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sa.Enum(
                    "ai", "upload", name="imagesource", native_enum=False, create_constraint=True, length=20
                ),
                server_default="ai",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("original_filename", sa.String(length=255), server_default="", nullable=False)
        )
    with op.batch_alter_table("writer_content", schema=None) as batch_op:
        batch_op.add_column(sa.Column("featured_image_id", sa.Integer(), nullable=True))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of writer_content would drop the search
    # triggers migration 0004 keeps on it.
    op.drop_column("writer_content", "featured_image_id")
    with op.batch_alter_table("writer_images", schema=None) as batch_op:
        batch_op.drop_column("original_filename")
        # The enum's CHECK constraint names the column: without dropping it first SQLite's table
        # rebuild refers to a column that is gone.
        batch_op.drop_constraint("imagesource", type_="check")
        batch_op.drop_column("source")
