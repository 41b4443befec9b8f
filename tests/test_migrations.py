"""Migrations upgrade to a schema identical to the models and downgrade cleanly.

Runs on a temporary SQLite file, and on a temporary PostgreSQL database when DATABASE_URL points
at PostgreSQL (as CI does).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.config import normalise_database_url
from app.extensions import db


def server_url() -> str | None:
    """The PostgreSQL server CI points the suite at, if any."""
    url = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    )
    return url if url.startswith("postgresql") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    """The URL of a database with nothing in it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    base = server_url()
    if base is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    name = f"ic_migrations_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def schema_differences() -> list:
    """What autogenerate would still change: empty when migrations match the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_matches_models_and_downgrade_empties(empty_database):
    """`flask db upgrade` builds exactly the models' schema; `downgrade base` removes it all."""
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        assert schema_differences() == []
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()  # and up again, as after a rollback
        db.engine.dispose()
