"""Flask extensions, created unbound and attached to the app in `create_app`."""

from __future__ import annotations

import logging
import sqlite3

import sqlalchemy as sa
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

log = logging.getLogger(__name__)

# Stable constraint names so migrations can drop and alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# gettext in the request's page language, from the catalogs under app/translations (app.i18n).
babel = Babel()


@sa.event.listens_for(Engine, "connect")
def enforce_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    """SQLite ignores ON DELETE rules unless asked; PostgreSQL always honours them.

    File databases also switch to write-ahead logging, so readers never block a writer and a
    request reading during a slow AI call does not hold up other requests' commits.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"]
        if files and files[0]:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def rollback_quietly() -> None:
    """Roll the session back; when the connection is already gone, discard it instead.

    A rollback on a connection the database has cut (a restart, a failover, an idle timeout)
    fails in turn. Raised from an error handler or the end-of-request teardown, that second
    error would escape the app and gunicorn would answer with its bare 500. Invalidating hands
    the dead connection back to the pool to be thrown away; the next checkout is pinged
    (pool_pre_ping), so the next request simply reconnects.
    """
    try:
        db.session.rollback()
    except DBAPIError as error:
        log.warning("Rollback failed, database connection lost: %s", error.orig)
        db.session().invalidate()  # the scoped proxy does not offer it


def end_database_session(_error: BaseException | None = None) -> None:
    """Teardown: end whatever the request left open and release the session (registered after
    Flask-SQLAlchemy's own teardown, so it runs first and leaves that one nothing to do).

    A request that never used the database (`/healthz`, a static file) has no session to end.
    Otherwise closing does the work: it rolls back the open transaction as it hands the
    connection back, without the separate rollback that first expired every object the page
    loaded, only for them to be discarded. A close that fails on a connection the database has
    cut is guarded as `rollback_quietly` explains."""
    if not db.session.registry.has():
        return
    try:
        db.session.remove()
    except DBAPIError as error:
        log.warning("Closing the session failed, database connection lost: %s", error.orig)
        db.session().invalidate()
        db.session.remove()


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
