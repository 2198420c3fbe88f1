"""search through trigram indexes on PostgreSQL

The task and content lists filter with ILIKE '%term%' (tasks: title or keywords; content: title).
A B-tree cannot serve a leading wildcard, so on PostgreSQL these GIN pg_trgm indexes do; SQLite keeps
its plain scan (nothing changes there). The models do not declare them: schema comparison skips them
(writer_app.models.base.POSTGRES_SEARCH_INDEXES).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 01:05:00

"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (index name, table, indexed expression). The casts make every index an expression index, which the
# planner still matches to `column ILIKE ...` (it looks through binary-compatible casts) and which
# Alembic's SQLite comparison skips, so SQLite stays as it was.
INDEXES = (
    ("ix_writer_tasks_title_trgm", "writer_tasks", "(title::text)"),
    ("ix_writer_tasks_keywords_trgm", "writer_tasks", "(keywords::varchar)"),
    ("ix_writer_content_title_trgm", "writer_content", "(title::text)"),
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
