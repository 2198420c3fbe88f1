"""cluster map: a row for every piece of content, one hub per cluster and site

Until now only AI generation wrote a cluster-map row. This backfills one for every content that has
none (every content has a cluster: writer_content.cluster_id is required), brings the rows generation
wrote in line with their content's current cluster, slug and keywords, keeps one row per content and
one hub per cluster and site (the oldest hub stays hub, later ones become supporting), then adds the
unique indexes that keep it so.

Backfilled rows: source "import" for content imported from WordPress, "blueprint" for AI drafts
(ai_model set), "manual" otherwise; role "hub" for the oldest cluster_hub content of a cluster and
site without a hub, "supporting" otherwise.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

content = sa.table(
    "writer_content",
    sa.column("id", sa.Integer),
    sa.column("account_id", sa.Integer),
    sa.column("site_id", sa.Integer),
    sa.column("sector_id", sa.Integer),
    sa.column("cluster_id", sa.Integer),
    sa.column("task_id", sa.Integer),
    sa.column("slug", sa.String),
    sa.column("primary_keyword", sa.String),
    sa.column("secondary_keywords", sa.JSON),
    sa.column("content_structure", sa.String),
    sa.column("source", sa.String),
    sa.column("ai_model", sa.String),
)
cluster_map = sa.table(
    "writer_content_cluster_map",
    sa.column("id", sa.Integer),
    sa.column("account_id", sa.Integer),
    sa.column("site_id", sa.Integer),
    sa.column("sector_id", sa.Integer),
    sa.column("content_id", sa.Integer),
    sa.column("task_id", sa.Integer),
    sa.column("cluster_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("source", sa.String),
    sa.column("keywords", sa.JSON),
    sa.column("slug", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _keywords(row) -> list:
    words = [row.primary_keyword or "", *(row.secondary_keywords or [])]
    return [w for w in dict.fromkeys(str(w).strip() for w in words) if w][:20]


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(cluster_map.c.id, cluster_map.c.content_id).order_by(cluster_map.c.id)
    ).all()
    seen, extra = set(), []
    for row in rows:
        if row.content_id is not None and row.content_id in seen:
            extra.append(row.id)
        seen.add(row.content_id)
    if extra:  # a content keeps its first row
        bind.execute(cluster_map.delete().where(cluster_map.c.id.in_(extra)))

    pieces = bind.execute(sa.select(content).order_by(content.c.id)).all()
    by_content = {r.content_id: r.id for r in rows if r.content_id is not None and r.id not in extra}
    for piece in pieces:  # rows generation wrote follow their content's current values
        if piece.id in by_content:
            bind.execute(
                cluster_map.update()
                .where(cluster_map.c.id == by_content[piece.id])
                .values(cluster_id=piece.cluster_id, slug=piece.slug or "", keywords=_keywords(piece))
            )

    # One hub per cluster and site: the oldest row keeps the role.
    hubs = bind.execute(
        sa.select(cluster_map.c.id, cluster_map.c.cluster_id, cluster_map.c.site_id)
        .where(cluster_map.c.role == "hub")
        .order_by(cluster_map.c.id)
    ).all()
    has_hub, demote = set(), []
    for hub in hubs:
        key = (hub.cluster_id, hub.site_id)
        if key in has_hub:
            demote.append(hub.id)
        has_hub.add(key)
    if demote:
        bind.execute(cluster_map.update().where(cluster_map.c.id.in_(demote)).values(role="supporting"))

    now = datetime.now(UTC)
    new_rows = []
    for piece in pieces:
        if piece.id in by_content:
            continue
        key = (piece.cluster_id, piece.site_id)
        role = "hub" if piece.content_structure == "cluster_hub" and key not in has_hub else "supporting"
        if role == "hub":
            has_hub.add(key)
        if piece.source == "wordpress":
            source = "import"
        elif piece.ai_model:
            source = "blueprint"
        else:
            source = "manual"
        new_rows.append(
            {
                "account_id": piece.account_id,
                "site_id": piece.site_id,
                "sector_id": piece.sector_id,
                "content_id": piece.id,
                "task_id": piece.task_id,
                "cluster_id": piece.cluster_id,
                "role": role,
                "source": source,
                "keywords": _keywords(piece),
                "slug": piece.slug or "",
                "created_at": now,
                "updated_at": now,
            }
        )
    if new_rows:
        op.bulk_insert(cluster_map, new_rows)

    op.drop_index("ix_writer_cluster_map_content", table_name="writer_content_cluster_map")
    op.create_index(
        "uq_writer_cluster_map_content", "writer_content_cluster_map", ["content_id"], unique=True
    )
    op.create_index(
        "uq_writer_cluster_map_hub",
        "writer_content_cluster_map",
        ["cluster_id", "site_id"],
        unique=True,
        postgresql_where=sa.text("role = 'hub'"),
        sqlite_where=sa.text("role = 'hub'"),
    )


def downgrade():
    # The backfilled rows stay: the earlier code reads them like the rows generation wrote.
    op.drop_index("uq_writer_cluster_map_hub", table_name="writer_content_cluster_map")
    op.drop_index("uq_writer_cluster_map_content", table_name="writer_content_cluster_map")
    op.create_index(
        "ix_writer_cluster_map_content", "writer_content_cluster_map", ["content_id"], unique=False
    )
