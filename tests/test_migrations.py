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


def test_rebuilding_tables_for_their_checks_keeps_every_child_row(tmp_path):
    """SQLite rebuilds a table to add a CHECK constraint; with foreign keys on, dropping the old
    copy of interview_sessions would cascade-delete its questions. Data written before the
    migration is all there after it."""
    from app.models import InterviewSession, Question
    from tests.support.sessions import make_session
    from tests.support.users import make_user

    url = f"sqlite:///{tmp_path / 'data.sqlite3'}"
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0012_delivery")
        user = make_user(email="kept@example.com")
        session = make_session(user, answers=["An answer.", None, None])
        session_id = session.id
        db.session.remove()
        upgrade()
        kept = db.session.get(InterviewSession, session_id)
        assert kept is not None and len(kept.questions) == 3
        assert kept.questions[0].answer_text == "An answer."
        assert db.session.query(Question).count() == 3
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("interview_sessions", "status", "DONE"),
        ("interview_sessions", "language", "fr"),
        ("questions", "kind", "trivia"),
        ("questions", "answer_mode", "voice"),
    ],
)
def test_a_value_outside_its_vocabulary_is_refused_by_the_database(app, user, table, column, value):
    """A misspelt status, kind, mode or language fails at the write, not later as a wrong state."""
    from tests.support.sessions import make_session

    session = make_session(user, answers=[None])
    row_id = session.id if table == "interview_sessions" else session.questions[0].id
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"),  # noqa: S608 — names from the parameters above
                           {"v": value, "id": row_id})  # fmt: skip
        db.session.flush()
    db.session.rollback()
