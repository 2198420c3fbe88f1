"""search through FTS5 trigram indexes on SQLite

PostgreSQL serves the lists' ILIKE '%term%' search from the pg_trgm indexes of 0002; SQLite had only a
scan of every row. SQLite's FTS5 with the trigram tokenizer indexes the same columns and answers the same
question (a case-insensitive substring, 3 characters or more) from the index. The tables use external
content (the rows stay in writer_tasks / writer_content) and triggers keep them in step with every write.
Search terms shorter than 3 characters still scan (writer_app.services.search).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 04:25:00

"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# (search table, content table, indexed columns) — as writer_app.services.search.SQLITE_SEARCH declares.
SEARCH_TABLES = (
    ("writer_tasks_search", "writer_tasks", ("title", "keywords")),
    ("writer_content_search", "writer_content", ("title",)),
)


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    # Every name below is a constant of this file (no input reaches this SQL).
    for search, content, columns in SEARCH_TABLES:
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        remove = f"INSERT INTO {search}({search}, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
        add = f"INSERT INTO {search}(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
        op.execute(
            f"CREATE VIRTUAL TABLE {search} USING fts5({names}, content='{content}', content_rowid='id', "
            "tokenize='trigram')"
        )
        op.execute(f"CREATE TRIGGER {search}_insert AFTER INSERT ON {content} BEGIN {add} END")
        op.execute(f"CREATE TRIGGER {search}_delete AFTER DELETE ON {content} BEGIN {remove} END")
        op.execute(
            f"CREATE TRIGGER {search}_update AFTER UPDATE OF {names} ON {content} BEGIN {remove} {add} END"
        )
        op.execute(f"INSERT INTO {search}({search}) VALUES ('rebuild')")  # noqa: S608


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for search, _content, _columns in SEARCH_TABLES:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {search}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {search}")
