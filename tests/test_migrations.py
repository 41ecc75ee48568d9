from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from charter_service.extensions import db
from charter_service.register.readmodel.search import include_object


def test_migrations_match_the_models(app):
    """The migrated schema is exactly what the models declare: no forgotten revision."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
