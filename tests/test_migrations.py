"""The migrations build exactly the schema the models describe, and tear it down again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from koosloome import create_app
from koosloome.extensions import db


@pytest.fixture
def empty_database_url(fresh_database) -> str:
    """A database with nothing in it, of the same kind as the suite's."""
    return fresh_database("migrations")


def test_upgrade_head_matches_the_models_and_downgrade_base_empties(empty_database_url,
                                                                    make_config):
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
            partners = connection.execute(text("SELECT slug FROM organisation ORDER BY slug"))
            assert [row.slug for row in partners] == ["tas", "vpk"]
        assert differences == []

        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_partial_unique_index_exists_after_migration(empty_database_url, make_config):
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("registration")}
        assert indexes["uq_registration_active_email"]["unique"]
        db.engine.dispose()
