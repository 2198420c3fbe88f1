"""The migrations build exactly the schema the models describe (on the database of this run)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from writer_app.models import db
from writer_app.models.base import include_in_schema_comparison


def test_models_and_migrations_agree():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_in_schema_comparison}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"Models differ from migrations; run `flask db migrate`:\n{diff}"
