"""Helpers shared by the models."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """Now in UTC, without tzinfo: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def one_of(column: str, values: Iterable[str]) -> sa.CheckConstraint:
    """A CHECK constraint that keeps `column` to the spellings of one vocabulary (a status, a
    kind, a language): a typo in code or a hand-edited row fails at the database instead of
    reading as some other state later. Named after the column (`ck_<table>_<column>`)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=column)
